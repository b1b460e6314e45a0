#!/usr/bin/env python3
"""Check a LuaLaTeX log for what LaTeX itself lets pass: missing glyphs and lines that run into the margin.

A missing glyph never fails a LaTeX build: the PDF just shows a blank. An overfull box is text wider than its
line or column. Fails on any missing glyph and on any overfull box wider than --max-overfull points (a few points
do not show); reports the count of all overfull boxes either way.

    check_latex_log.py _build/latex/afghan-civil-war-1996-2001.log
"""
import argparse
import re
import sys
from pathlib import Path

MAX_OVERFULL_PT = 5.0


def missing_characters(log: str) -> list[str]:
    return re.findall(r"^Missing character: .*$", log, flags=re.MULTILINE)


def overfull_boxes(log: str) -> list[tuple[float, str]]:
    """(width in points, the log's line) for each overfull box, e.g. 'Overfull \\hbox (143.9pt too wide) in ...'."""
    return [(float(m.group(1)), m.group(0)) for m in
            re.finditer(r"^Overfull \\[hv]box \(([0-9.]+)pt too (?:wide|high)\).*$", log, flags=re.MULTILINE)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="the LaTeX log, e.g. _build/latex/BOOK.log")
    parser.add_argument("--max-overfull", type=float, default=MAX_OVERFULL_PT, metavar="PT",
                        help=f"widest overfull box allowed, in points (default {MAX_OVERFULL_PT})")
    args = parser.parse_args(argv)
    if not args.log.is_file():
        parser.error(f"no such log: {args.log}")
    path = args.log
    log = path.read_text(encoding="utf-8", errors="replace")
    failed = False
    missing = missing_characters(log)
    for line in missing:
        print(f"{path}: {line}", file=sys.stderr)
    if missing:
        print(f"{path}: {len(missing)} missing glyph(s): the PDF would show blanks; fix the fonts", file=sys.stderr)
        failed = True
    boxes = overfull_boxes(log)
    too_wide = [(width, line) for width, line in boxes if width > args.max_overfull]
    for _, line in too_wide:
        print(f"{path}: {line}", file=sys.stderr)
    print(f"{path}: {len(boxes)} overfull box(es)" + (f", widest {max(boxes)[0]}pt" if boxes else ""))
    if too_wide:
        print(f"{path}: {len(too_wide)} overfull box(es) wider than {args.max_overfull}pt: text runs into the margin;"
              " fix their causes (the log's line numbers point into the .tex)", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
