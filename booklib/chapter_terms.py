"""The glossary's check of one chapter: unlinked first mentions and likely misspellings of its entries' names.

One check, two callers: the build warns with each problem (ext/entity_glossary.py), and
`python -m scripts.link_terms --check` prints them, so that both find the same problems and say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass

from booklib.entities import Matcher, scan_markdown


@dataclass(frozen=True)
class TermProblem:
    line: int  # in the chapter's file, 1-based
    kind: str  # "unlinked" or "spelling"
    message: str


def chapter_problems(text: str, matcher: Matcher, misnamed: set[str] = frozenset()) -> list[TermProblem]:
    """The problems of one chapter's Markdown, by line. misnamed: entries whose {term} role is misspelt (fixing the
    role, not linking the text, is the cure: their first mentions are not reported as unlinked)."""
    prose = scan_markdown(text)
    found = [TermProblem(m.line, "unlinked", f"first mention of {m.entity.name!r} (as {m.text!r}) is not linked to "
                                             f"the glossary (run 'make link-terms')")
             for m in matcher.first_mentions(prose) if not m.linked and m.entity.name not in misnamed]
    found += [TermProblem(s.line, "spelling", f"{s.text!r} looks like {s.variant!r} ({s.entity.name}) but matches "
                                              f"none of its recorded spellings")
              for s in matcher.misspellings(prose)]
    return sorted(found, key=lambda p: p.line)
