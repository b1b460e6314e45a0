#!/usr/bin/env python3
"""Check a PDF's fonts as a print shop's preflight does: every font embedded, none of Type 3 (bitmap-like glyph
procedures, which preflight checks refuse). Read with poppler's pdffonts, which also sees the fonts of included
figures (the maps); when a problem is found, the figures in --figures (the PDFs that LaTeX included) are checked
too, to name the file that brought the font. Prints one line per problem; exit status 1 when there is any.

    check_pdf_fonts.py _build/latex/afghan-civil-war-1996-2001.pdf --figures _build/latex
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path


def fonts(pdf: Path) -> list[dict]:
    """pdffonts' table as dicts: name, type, emb ("yes"/"no")."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    header, rule = out[0], out[1]
    # columns are fixed-width; their widths are the runs of dashes of the second line
    spans, start = [], 0
    for run in rule.split(" "):
        spans.append((start, start + len(run)))
        start += len(run) + 1
    if header.split()[:3] != ["name", "type", "encoding"]:
        raise SystemExit(f"check_pdf_fonts: pdffonts printed an unexpected table: {header!r}")
    rows = []
    for line in out[2:]:
        cells = [line[a:b].strip() for a, b in spans]
        rows.append(dict(zip(["name", "type", "encoding", "emb", "sub", "uni"], cells)))
    return rows


def problems(pdf: Path) -> list[str]:
    found = []
    for font in fonts(pdf):
        if font["type"] == "Type 3":
            found.append(f"Type 3 font: {font['name'] or '(unnamed)'}")
        if font["emb"] != "yes":
            found.append(f"font not embedded: {font['name'] or '(unnamed)'} ({font['type']})")
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--figures", type=Path, help="folder of the PDF figures LaTeX included (the LaTeX build)")
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        parser.error(f"no such PDF: {args.pdf}")
    found = problems(args.pdf)
    for problem in found:
        print(f"{args.pdf}: {problem}", file=sys.stderr)
    if found and args.figures:
        for figure in sorted(args.figures.glob("*.pdf")):
            if figure.resolve() != args.pdf.resolve():
                for problem in problems(figure):
                    print(f"{figure}: {problem} (this figure brings it into the PDF)", file=sys.stderr)
    if found:
        print("Print shops refuse Type 3 and unembedded fonts: draw figures with TrueType or OpenType fonts, "
              "embedded (matplotlib: pdf.fonttype 42)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
