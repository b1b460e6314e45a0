#!/usr/bin/env python3
"""Check the book's sources: docs/refs.bib holds only works and fields of sources/verified-sources.bib, every
entry is cited somewhere in docs/, and every citation names an entry.

Usage: check_sources.py [--refs FILE] [--verified FILE] [--docs DIR]
Prints one problem per line (file and line where it can) and exits 1 if there is any.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from pybtex.database import parse_file
from pybtex.scanner import PybtexError

ROOT = Path(__file__).resolve().parent.parent
CITE = re.compile(r"\{cite(?::\w+)?\}`([^`]*)`")
KEY = re.compile(r"(?:\{[^{}]*\})?\s*([^{}\s,]+)\s*(?:\{[^{}]*\})?")


def entries(path: Path) -> dict:
    try:
        return dict(parse_file(str(path), "bibtex").entries)
    except (PybtexError, OSError) as exc:
        raise SystemExit(f"{path}: cannot read: {exc}")


def unverified(refs: Path, verified: Path) -> list[str]:
    """Entries or fields of refs that the verified file does not have, or has differently."""
    ours, theirs = entries(refs), entries(verified)
    problems = []
    for key, entry in ours.items():
        if key not in theirs:
            problems.append(f"{refs}: entry {key!r} is not in {verified.name}")
            continue
        truth = theirs[key]
        if entry.type != truth.type:
            problems.append(f"{refs}: {key}: type @{entry.type} differs from the verified @{truth.type}")
        for name, value in entry.fields.items():
            if name not in truth.fields:
                problems.append(f"{refs}: {key}: field {name!r} is not verified")
            elif str(truth.fields[name]) != str(value):
                problems.append(f"{refs}: {key}: field {name!r} differs from the verified value")
        for role, persons in entry.persons.items():
            if [str(p) for p in persons] != [str(p) for p in truth.persons.get(role, [])]:
                problems.append(f"{refs}: {key}: {role} differs from the verified value")
    return problems


def citations(docs: Path) -> list[tuple[str, str]]:
    """(key, "file:line") for every key cited with a {cite:...} role in the Markdown under docs."""
    found = []
    for path in sorted(docs.rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in CITE.finditer(line):
                for key in KEY.findall(match.group(1)):
                    found.append((key, f"{path}:{number}"))
    return found


def cited_problems(refs: Path, docs: Path) -> list[str]:
    keys = set(entries(refs))
    cited = citations(docs)
    problems = [f"{where}: cites {key!r}, which is not in {refs.name}" for key, where in cited if key not in keys]
    used = {key for key, _ in cited}
    problems += [f"{refs}: entry {key!r} is never cited" for key in sorted(keys - used)]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check docs/refs.bib against the verified sources and the citations.")
    parser.add_argument("--refs", type=Path, default=ROOT / "docs" / "refs.bib")
    parser.add_argument("--verified", type=Path, default=ROOT / "sources" / "verified-sources.bib")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    problems = unverified(args.refs, args.verified) + cited_problems(args.refs, args.docs)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"check_sources: {args.refs} is verified, fully cited, and every citation resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
