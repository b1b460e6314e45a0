#!/usr/bin/env python3
"""Check that every word of the article appears in the built HTML book, in order.

The article's word stream is booklib/article_words.py's. The book's stream is the text of the built pages in reading order: the root page, then
for each table of contents its caption and its pages. Insertions (links, citations, our notes and labels)
are allowed; a word of the article that is missing or altered is an error, reported with the article's line
and the page where it should be.

Deliberate changes to the article's words (sources/corrections.toml) are applied to the article's stream before
comparing.

Usage: python -m scripts.check_lossless [HTML_DIR] [--source FILE] [--corrections FILE]
"""
from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from booklib.article_words import Token, apply_corrections, article_stream, words

ROOT = Path(__file__).resolve().parent.parent

def page_text(soup) -> str:
    main = soup.select_one("article[role=main]") or soup.select_one("div[role=main]") or soup.body
    for junk in main.select("a.headerlink, script, style, .toctree-wrapper"):
        junk.decompose()
    return main.get_text(" ")


def book_stream(html_dir: Path) -> list[Token]:
    """The book's words in reading order: the root page, then each toctree's caption and pages."""
    from bs4 import BeautifulSoup  # here, not at the top: the build's own check (ext/lossless_check.py) needs no HTML

    index = html_dir / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    main = soup.select_one("article[role=main]") or soup.select_one("div[role=main]") or soup.body
    tocs = []
    for wrapper in main.select(".toctree-wrapper"):
        caption = wrapper.select_one(".caption-text")
        pages = [a["href"] for a in wrapper.select("li.toctree-l1 > a[href]")]
        tocs.append((caption.get_text(" ") if caption else "", pages))
    out = words(page_text(soup), "index.html")
    for caption, pages in tocs:
        out += words(caption, "index.html (table of contents)")
        for href in pages:
            page = href.split("#")[0]
            text = page_text(BeautifulSoup((html_dir / page).read_text(encoding="utf-8"), "html.parser"))
            out += words(text, page)
    return out


def compare(article: list[Token], book: list[Token]) -> list[str]:
    """Words of the article that the book lacks or has altered; insertions are fine."""
    a = [t.word for t in article]
    b = [t.word for t in book]
    problems = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "insert"):
            continue
        lost = " ".join(a[i1:i2])
        page = book[min(j1, len(book) - 1)].where if book else "(no book)"
        before = " ".join(a[max(0, i1 - 5):i1])
        if tag == "delete":
            problems.append(f"{article[i1].where}: missing from the book: {lost!r} (after {before!r}; page {page})")
        else:
            got = " ".join(b[j1:j2])
            if len(got) > 200:
                got = got[:200] + "..."
            problems.append(f"{article[i1].where}: altered in the book: {lost!r} became {got!r} "
                            f"(after {before!r}; page {page})")
    return problems


def check(html_dir: Path, source: Path, corrections: Path) -> list[str]:
    stream, errors = apply_corrections(article_stream(source), corrections)
    return errors + compare(stream, book_stream(html_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that the built book keeps every word of the article, in order.")
    parser.add_argument("html_dir", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--source", type=Path, default=ROOT / "sources" / "afghan-civil-war-1996-2001.txt")
    parser.add_argument("--corrections", type=Path, default=ROOT / "sources" / "corrections.toml")
    args = parser.parse_args(argv)
    problems = check(args.html_dir, args.source, args.corrections)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_lossless: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_lossless: every word of {args.source.name} is in {args.html_dir}, in order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
