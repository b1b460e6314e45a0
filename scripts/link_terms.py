#!/usr/bin/env python3
"""Link the first mention of each glossary entity in each chapter to its glossary entry, or check that it is.

A mention is any spelling recorded for the entity in docs/entities/*.yaml or docs/_data/places.yaml (its name or
one of its `variants`; never a place's `map_spellings`); the first one in each chapter becomes
{term}`shown text <Canonical Name>` (or {term}`Canonical Name` when the text is the name).
Only prose is touched: headings, labels, comments, directive fences and options, code, {editor-note} blocks,
existing roles and links stay as they are, and the article's words are never changed. Running it twice changes
nothing the second time, so it is safe to re-run after merging other branches.

--check changes nothing: it reports unlinked first mentions and likely misspellings of recorded names (a name one
or two letters away from a recorded spelling, e.g. "Nawaz Sharif" where the glossary records "Navaz Sharif"),
each with file and line, and exits 1 if there are any.

Usage: link_terms.py [--check] [--entities DIR] [CHAPTER.md ...]   (default: docs/chapters/*.md)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPELLING_HINT = ": add it to the entry's variants if the article spells it so, or fix the typo"
from booklib import named_things
from booklib.chapter_terms import chapter_problems
from booklib.entities import Matcher, link_text, scan_markdown


def problems_in(path: Path, matcher: Matcher) -> list[str]:
    """The unlinked first mentions and likely misspellings in one chapter, as "file:line: message"."""
    return [f"{path}:{p.line}: {p.message}" + (SPELLING_HINT if p.kind == "spelling" else "")
            for p in chapter_problems(path.read_text(encoding="utf-8"), matcher)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("chapters", nargs="*", type=Path, help="Markdown files (default: docs/chapters/*.md)")
    parser.add_argument("--check", action="store_true", help="report problems, change nothing")
    parser.add_argument("--entities", type=Path, default=ROOT / "docs" / "entities",
                        help="folder of entity files (default: docs/entities)")
    parser.add_argument("--places", type=Path, default=ROOT / "docs" / "_data" / "places.yaml",
                        help="the gazetteer's places, linked like entities (default: docs/_data/places.yaml)")
    args = parser.parse_args(argv)
    if not args.entities.is_dir():
        parser.error(f"no entity folder {args.entities}")
    things = named_things.load(args.entities, args.places)
    errors = things.entity_problems + [str(e) for e in things.place_problems]
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 2
    matcher = things.matcher
    chapters = args.chapters or sorted((ROOT / "docs" / "chapters").glob("*.md"))
    missing = [c for c in chapters if not c.is_file()]
    if missing:
        parser.error(f"no such file: {missing[0]}")
    if args.check:
        problems = [p for c in chapters for p in problems_in(c, matcher)]
        for p in problems:
            print(p, file=sys.stderr)
        print(f"link_terms: {len(problems)} problem(s) in {len(chapters)} file(s)", file=sys.stderr)
        return 1 if problems else 0
    changed = 0
    for chapter in chapters:
        text = chapter.read_text(encoding="utf-8")
        new = link_text(text, matcher.first_mentions(scan_markdown(text)))
        if new != text:
            chapter.write_text(new, encoding="utf-8")
            changed += 1
            print(f"linked: {chapter}")
    print(f"link_terms: {changed} of {len(chapters)} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
