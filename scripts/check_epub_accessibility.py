#!/usr/bin/env python3
"""Check an EPUB with Ace by DAISY, the accessibility checker e-book publishers use, in Debian's Chromium.

Ace (npm @daisy/ace-cli, from scripts/browser/package-lock.json: make node-modules) writes its report (report.html,
report.json) into --report; this prints one line per violation, at every impact level (critical, serious,
moderate, minor), with the file it is in, and exits 1 when there is any.

    check_epub_accessibility.py _build/epub/afghan-civil-war-1996-2001.epub --report _build/ace
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACE = ROOT / "scripts" / "browser" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


def run_ace(epub: Path, report: Path) -> dict:
    if not ACE.exists():
        raise SystemExit(f"check_epub_accessibility: Ace is not installed ({ACE}): run make node-modules")
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=CHROMIUM, PUPPETEER_SKIP_DOWNLOAD="1")
    result = subprocess.run([str(ACE), "--force", "--silent", "--outdir", str(report), str(epub)],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0 or not (report / "report.json").is_file():
        raise SystemExit(f"check_epub_accessibility: Ace failed (exit {result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return json.loads((report / "report.json").read_text(encoding="utf-8"))


def violations(report: dict) -> list[dict]:
    """Every violation of Ace's report: rule, impact, file and what Ace says."""
    found = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            test = assertion["earl:test"]
            found.append({"rule": test["dct:title"], "impact": test["earl:impact"],
                          "file": document.get("earl:testSubject", {}).get("url", "?"),
                          "message": test.get("dct:description", "")})
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("epub", type=Path)
    parser.add_argument("--report", type=Path, required=True, help="folder for Ace's report (replaced)")
    args = parser.parse_args(argv)
    if not args.epub.is_file():
        parser.error(f"no such EPUB: {args.epub}")
    found = violations(run_ace(args.epub, args.report))
    for v in found:
        print(f"{args.epub}: {v['file']}: {v['impact']}: {v['rule']}: {v['message']}", file=sys.stderr)
    counts = collections.Counter(v["impact"] for v in found)
    summary = ", ".join(f"{counts[i]} {i}" for i in ("critical", "serious", "moderate", "minor"))
    print(f"Ace by DAISY: {len(found)} violations ({summary}); report: {args.report / 'report.html'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
