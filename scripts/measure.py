#!/usr/bin/env python3
"""Measure the built HTML book in Debian's Chromium, the way a reader on a phone gets it (make measure).

Serves the book from 127.0.0.1 with gzip (scripts/book_server.py), then for the title page and the largest
chapter runs Lighthouse (mobile, the default) and axe-core, and checks the targets:
  Lighthouse performance >= 95, accessibility 100, best practices 100, SEO >= 95;
  axe-core: no violations; at most 150 KB transferred; no request to another host; no console error.
Prints one table and exits 1 when a target is missed. Lighthouse and axe-core come from scripts/browser
(npm ci: make node-modules); Chromium is /usr/bin/chromium (make browser). Nothing is downloaded here.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from scripts.book_server import serve
from scripts.browser_tools import CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, PageWatch, describe_violations, launch, run_axe

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CATEGORIES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95}  # minimum scores
MAX_BYTES = 150_000  # transferred (gzip) per page


def pages_to_measure(html: Path) -> list[str]:
    """The title page and the largest chapter (by built HTML size), as paths relative to the book's root."""
    chapters = sorted((html / "chapters").glob("*.html"), key=lambda p: p.stat().st_size, reverse=True)
    if not chapters:
        raise SystemExit(f"measure: no chapters in {html}/chapters: build the HTML first (make html)")
    return ["index.html", chapters[0].relative_to(html).as_posix()]


def lighthouse(url: str, runs: int) -> dict:
    """Lighthouse's mobile report for url; with several runs, the run with the median performance score."""
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"measure: {LIGHTHOUSE} is missing: run 'make node-modules'")
    reports = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            flags = " ".join(CHROMIUM_ARGS[1:] + ["--headless=new", f"--user-data-dir={profile}"])
            cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
                   f"--chrome-path={CHROMIUM}", f"--chrome-flags={flags}",
                   "--only-categories=" + ",".join(CATEGORIES)]
            done = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=CHROMIUM))
        if done.returncode != 0:
            raise SystemExit(f"measure: Lighthouse failed on {url}:\n{done.stderr[-2000:]}")
        reports.append(json.loads(done.stdout))
    reports.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
    return reports[len(reports) // 2]


def summarise_lighthouse(report: dict, host: str) -> dict:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    failing = {}
    for key, category in report["categories"].items():
        failing[key] = [ref["id"] for ref in category["auditRefs"]
                        if ref["weight"] > 0 and (audits[ref["id"]].get("score") is not None)
                        and audits[ref["id"]]["score"] < 1]
    return {
        "scores": {key: round(c["score"] * 100) for key, c in report["categories"].items()},
        "failing_audits": failing,
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "foreign": [r["url"] for r in requests if urlsplit(r["url"]).netloc not in (host, "")
                    and not r["url"].startswith("data:")],
        "console_errors": [i.get("description", "") for i in audits["errors-in-console"]["details"].get("items", [])],
        "metrics": {m: audits[m]["displayValue"] for m in ("first-contentful-paint", "largest-contentful-paint",
                                                            "total-blocking-time", "cumulative-layout-shift")},
    }


def browser_checks(base: str, paths: list[str]) -> dict[str, dict]:
    """axe-core violations, console errors and other-host requests of each page, in Playwright's Chromium."""
    from playwright.sync_api import sync_playwright
    found = {}
    with sync_playwright() as p:
        browser = launch(p)
        for path in paths:
            page = browser.new_page()
            watch = PageWatch(page, base)
            page.goto(base + path, wait_until="networkidle")
            violations = run_axe(page)
            found[path] = {"axe": violations, "console_errors": watch.console_errors,
                           "foreign": watch.foreign_requests}
            page.close()
        browser.close()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", type=Path, nargs="?", default=ROOT / "_build" / "html",
                        help="the built HTML book (default: _build/html)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is kept (default: 3)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = parser.parse_args()

    paths = pages_to_measure(args.html)
    results, missed = {}, []
    with serve(args.html) as base:
        host = urlsplit(base).netloc
        checks = browser_checks(base, paths)
        for path in paths:
            lh = summarise_lighthouse(lighthouse(base + path, args.runs), host)
            results[path] = {**lh, "axe": checks[path]["axe"],
                             "console_errors": lh["console_errors"] + checks[path]["console_errors"],
                             "foreign": sorted(set(lh["foreign"] + checks[path]["foreign"]))}

    print(f"Lighthouse {args.runs} run(s) per page (median by performance), mobile; axe-core; served with gzip")
    print(f"{'page':<38} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'axe':>4} {'KB':>6} {'req':>4} {'other hosts':>11} {'console':>7}")
    for path, r in results.items():
        s = r["scores"]
        print(f"{path:<38} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4} {s['seo']:>4} "
              f"{len(r['axe']):>4} {r['bytes'] / 1000:>6.1f} {r['requests']:>4} {len(r['foreign']):>11} "
              f"{len(r['console_errors']):>7}")
        print("    " + ", ".join(f"{k} {v}" for k, v in r["metrics"].items()))
        for key, minimum in CATEGORIES.items():
            if s[key] < minimum:
                missed.append(f"{path}: {key} {s[key]} < {minimum} (failing: {', '.join(r['failing_audits'][key])})")
        if r["axe"]:
            missed.append(f"{path}: axe-core violations:\n{describe_violations(r['axe'])}")
        if r["bytes"] > MAX_BYTES:
            missed.append(f"{path}: {r['bytes']} bytes transferred > {MAX_BYTES}")
        if r["foreign"]:
            missed.append(f"{path}: requests to other hosts: {r['foreign']}")
        if r["console_errors"]:
            missed.append(f"{path}: console errors: {r['console_errors']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if missed:
        print("\nTargets missed:\n" + "\n".join(missed))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
