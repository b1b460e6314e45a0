"""Compare two builds of the book: the same book, byte for byte where the build is reproducible.

    python -m scripts.compare_builds BEFORE AFTER

BEFORE and AFTER are build folders as `make html pdf` leaves them (_build/): their html/ trees are compared file by
file, and their PDFs (pdf/<book>.pdf, built with the same SOURCE_DATE_EPOCH) byte for byte. Two things may differ
without making another book, and are set aside before comparing:

- the "Last updated on" date of each page: the page's last commit (ext/git_last_updated.py), which a change to the
  code moves;
- the hash in each map's file name (booklib/map_drawing.py names a map by a hash of what draws it, its own code
  included): the name, not the picture, so the maps' contents are still compared; and so the PDF's trailer /ID,
  which latex/book.sty makes the MD5 of the LaTeX source, where those names stand.

Build metadata that is not the book is skipped: .buildinfo (a hash of the configuration), _sources/ (left by
older builds; html_copy_source is off) and the search index's "envversion" (the versions of the extensions by their
module names). Prints each difference and exits 1 when there is any.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

BOOK = "afghan-civil-war-1996-2001"
SKIP = {".buildinfo", ".buildinfo.bak"}
SKIP_DIRS = {"_sources"}
LAST_UPDATED = re.compile(rb"Last updated on \d{4}-\d{2}-\d{2}")
MAP_NAME = re.compile(rb"(?<=[a-z])-[0-9a-f]{16}(?=\.(?:svg|pdf|png)\b)")
ENV_VERSION = re.compile(rb'"envversion":\{[^{}]*\}')
PDF_ID = re.compile(rb"/ID \[<[0-9A-Fa-f]+> ?<[0-9A-Fa-f]+>\]")


def normalised(data: bytes) -> bytes:
    """The bytes with what may differ between two builds of one book set aside."""
    data = ENV_VERSION.sub(b'"envversion":{}', data)
    return MAP_NAME.sub(b"-MAP", LAST_UPDATED.sub(b"Last updated on DATE", data))


def files(tree: Path) -> dict[str, Path]:
    """Every file of a built tree by its path inside it, map hashes set aside."""
    found = {}
    for path in sorted(tree.rglob("*")):
        rel = path.relative_to(tree)
        if path.is_file() and path.name not in SKIP and not SKIP_DIRS & set(rel.parts):
            found[normalised(rel.as_posix().encode()).decode()] = path
    return found


def first_difference(a: bytes, b: bytes) -> str:
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"first at byte {at}: {a[max(0, at - 40):at + 40]!r} / {b[max(0, at - 40):at + 40]!r}"


def html_differences(before: Path, after: Path) -> list[str]:
    old, new = files(before), files(after)
    problems = [f"html: only before: {name}" for name in sorted(old.keys() - new.keys())]
    problems += [f"html: only after: {name}" for name in sorted(new.keys() - old.keys())]
    for name in sorted(old.keys() & new.keys()):
        a, b = normalised(old[name].read_bytes()), normalised(new[name].read_bytes())
        if a != b:
            problems.append(f"html: {name} differs ({first_difference(a, b)})")
    return problems


def pdf_differences(before: Path, after: Path) -> list[str]:
    a, b = (folder / "pdf" / f"{BOOK}.pdf" for folder in (before, after))
    missing = [f"pdf: no {pdf}" for pdf in (a, b) if not pdf.is_file()]
    if missing:
        return missing
    old, new = (PDF_ID.sub(b"/ID [<ID> <ID>]", pdf.read_bytes()) for pdf in (a, b))
    return [] if old == new else [f"pdf: {a} and {b} differ ({len(old)} and {len(new)} bytes; "
                                  f"{first_difference(old, new)})"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="a build folder (with html/ and pdf/)")
    parser.add_argument("after", type=Path, help="another build folder of the same book")
    parser.add_argument("--no-pdf", action="store_true", help="compare the HTML only")
    args = parser.parse_args(argv)
    problems = html_differences(args.before / "html", args.after / "html")
    if not args.no_pdf:
        problems += pdf_differences(args.before, args.after)
    for problem in problems:
        print(problem)
    print(f"compare_builds: {len(problems)} difference(s) between {args.before} and {args.after}"
          if problems else f"compare_builds: {args.before} and {args.after} hold the same book")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
