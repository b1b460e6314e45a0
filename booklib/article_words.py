"""The article's words in order, each with the line it comes from, and the deliberate changes to them.

The stream is: the article's title, the infobox (heading line and values; the keys are template field names, not
words of the text), the lead, every section heading, paragraph and list item, and the interlanguage line.
Deliberate changes to the article's words are listed in sources/corrections.toml and applied to the stream.
Shared by the build's check (ext/lossless_check.py), the check of a built book (scripts/check_lossless.py) and the
importer's check of the chapters (scripts/import_article.py --check).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from booklib.article import parse

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Token:
    word: str
    where: str  # "file:line" in the article, or the page in the book


def words(text: str, where: str) -> list[Token]:
    return [Token(w, where) for w in WORD.findall(text)]


def article_stream(source: Path) -> list[Token]:
    """The article's words in order, each with the line it comes from."""
    art = parse(source)
    lines = source.read_text(encoding="utf-8").splitlines()

    def line_of(fragment: str, start: int = 0) -> int:
        for i in range(start, len(lines)):
            if fragment in lines[i]:
                return i + 1
        return 0

    out: list[Token] = []
    cursor = 0

    def add(text: str) -> None:
        nonlocal cursor
        n = line_of(text, cursor) or line_of(text)
        cursor = max(cursor, n - 1) if n else cursor
        out.extend(words(text, f"{source}:{n}"))

    add(art.title)
    if art.infobox_heading:
        add(art.infobox_heading)
    for _key, value in art.infobox:
        add(value)
    for p in art.lead:
        add(p)

    def walk(sections):
        for s in sections:
            add(s.title)
            for p in s.paragraphs + s.items:
                add(p)
            walk(s.children)

    walk(art.sections)
    for lang, title in art.interlanguage:
        add(f"{lang}:{title}")
    return out


def corrections(corrections_file: Path) -> list[dict]:
    """The [[correction]] tables of sources/corrections.toml (none when there is no such file)."""
    if not corrections_file.exists():
        return []
    return tomllib.loads(corrections_file.read_text(encoding="utf-8")).get("correction", [])


def apply_corrections(stream: list[Token], corrections_file: Path) -> tuple[list[Token], list[str]]:
    errors = []
    for number, c in enumerate(corrections(corrections_file), 1):
        old = WORD.findall(c.get("article", ""))
        new = WORD.findall(c.get("book", ""))
        if not old:
            errors.append(f"{corrections_file}: correction {number} has no 'article' words")
            continue
        plain = [t.word for t in stream]
        hits = [i for i in range(len(plain) - len(old) + 1) if plain[i:i + len(old)] == old]
        if not hits:
            errors.append(f"{corrections_file}: correction {number}: the article has no {c['article']!r}")
            continue
        for i in reversed(hits):
            where = stream[i].where
            stream = stream[:i] + [Token(w, where) for w in new] + stream[i + len(old):]
    return stream, errors
