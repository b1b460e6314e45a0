#!/usr/bin/env python3
"""Fail when a LaTeX log shows a missing glyph: LaTeX itself never fails on one, it just prints nothing."""
import re
import sys
from pathlib import Path


def missing_characters(log: str) -> list[str]:
    return re.findall(r"^Missing character: .*$", log, flags=re.MULTILINE)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check_latex_log.py FILE.log", file=sys.stderr)
        return 2
    path = Path(argv[1])
    log = path.read_text(encoding="utf-8", errors="replace")
    missing = missing_characters(log)
    for line in missing:
        print(f"{path}: {line}", file=sys.stderr)
    if missing:
        print(f"{path}: {len(missing)} missing glyph(s): the PDF would show blanks; fix the fonts", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
