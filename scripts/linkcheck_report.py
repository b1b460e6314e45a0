#!/usr/bin/env python3
"""Turn Sphinx's linkcheck output (output.json, one JSON object a line) into a readable Markdown report.

    linkcheck_report.py _build/linkcheck/output.json > _build/linkcheck/report.md

Problems come first (broken, timeout, redirected), each with the chapter file and line to edit; then a count of
the links that work or were ignored. Exit status: 0 report written; 2 the file is missing or not linkcheck output.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ORDER = ["broken", "timeout", "redirected", "rate-limited", "working", "ignored", "unchecked"]
ADVICE = {
    "broken": "the page is gone or the anchor is missing: find the new address or remove the link",
    "timeout": "the server did not answer in time: usually temporary; check by hand if it persists",
    "redirected": "the page moved: use the new address (or allow the redirect in conf.py, with a reason)",
    "rate-limited": "the server asked us to slow down: check again later",
}


def report(rows: list[dict]) -> str:
    by_status = defaultdict(list)
    for row in rows:
        by_status[row["status"]].append(row)
    lines = ["# External links", ""]
    counts = ", ".join(f"{len(by_status[s])} {s}" for s in ORDER if by_status.get(s))
    lines += [f"{len(rows)} links: {counts or 'none'}.", ""]
    for status in ORDER[:4]:
        if not by_status.get(status):
            continue
        lines += [f"## {status.capitalize()} ({len(by_status[status])})", "", ADVICE[status] + ".", ""]
        for row in sorted(by_status[status], key=lambda r: (r["filename"], r["lineno"])):
            info = f" {row.get('text', '')} to {row['info']}" if status == "redirected" else (
                f": {row['info']}" if row.get("info") else "")
            lines.append(f"- `{row['filename']}:{row['lineno']}` {row['uri']}{info}")
        lines.append("")
    if not any(by_status.get(s) for s in ORDER[:4]):
        lines += ["Every external link works.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output_json", type=Path, help="Sphinx linkcheck's output.json")
    args = parser.parse_args(argv)
    try:
        text = args.output_json.read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        print(f"{args.output_json}: cannot read linkcheck output: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
