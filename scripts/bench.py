#!/usr/bin/env python3
"""Time the book's builds and tests, as medians of several runs, and compare with a bare Sphinx (make bench).

Timed, each as the wall-clock time of the command a person would run:
  html clean        a full HTML build from nothing (output and doctrees removed first)
  html no change    the same build again, nothing changed
  html one chapter  a rebuild after editing one chapter (a copy of it: the real chapter is never touched)
  bare clean        the same chapter text, clean build, with a bare configuration: no extension but myst_parser
                    (same MyST syntax options), Sphinx's default theme
  pdf               make pdf from nothing (LaTeX sources + LuaLaTeX), into a temporary build folder
  tests             make test-fast (or, with --full-tests, make test)
then the ratio html clean / bare clean. Targets (issue 8): ratio <= 1.3, one-chapter rebuild <= 1.5 s.
The HTML builds run on a copy of docs/ in _build/bench/ with the Makefile's flags (-n -W --keep-going -j 1).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STRICT = ["-n", "-W", "--keep-going", "-j", "1", "-q"]
TARGET_RATIO = 1.3
TARGET_ONE_CHAPTER = 1.5
# The bare configuration: what Sphinx needs to read these Markdown files the same way, and nothing else.
BARE_CONF = '''
import sys, tomllib
sys.path.insert(0, {root!r})
from conf import exclude_patterns, myst_enable_extensions, myst_substitutions, project, language, root_doc
extensions = ["myst_parser"]
'''


def run(cmd: list[str], **kwargs) -> float:
    """Seconds the command took; stops the benchmark with its output if it fails."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return seconds


def sphinx(src: Path, out: Path, confdir: Path = ROOT, strict: bool = True) -> list[str]:
    return [PYTHON, "-m", "sphinx", "-c", str(confdir), *(STRICT if strict else ["-j", "1", "-q"]),
            "-d", str(out.parent / f"doctrees-{out.name}"), "-b", "html", str(src), str(out)]


def clean(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f"doctrees-{out.name}", ignore_errors=True)


def largest_chapter(src: Path) -> Path:
    return max((src / "chapters").glob("*.md"), key=lambda p: p.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each HTML build (default: %(default)s)")
    parser.add_argument("--slow-runs", type=int, default=3, help="runs of the PDF build and the tests (default: %(default)s)")
    parser.add_argument("--skip", action="append", default=[], choices=["pdf", "tests"], help="leave out a slow part")
    parser.add_argument("--full-tests", action="store_true", help="time 'make test' instead of 'make test-fast'")
    args = parser.parse_args()

    work = ROOT / "_build" / "bench"
    shutil.rmtree(work, ignore_errors=True)
    src = work / "src"
    shutil.copytree(ROOT / "docs", src)
    chapter = largest_chapter(src)
    bare_conf = work / "bare-conf"
    bare_conf.mkdir()
    (bare_conf / "conf.py").write_text(BARE_CONF.format(root=str(ROOT)), encoding="utf-8")

    times: dict[str, list[float]] = {}
    out = work / "html"
    bare_out = work / "bare"
    original = chapter.read_text(encoding="utf-8")
    for i in range(args.runs):
        print(f"bench: HTML round {i + 1}/{args.runs}", file=sys.stderr)
        clean(out)
        times.setdefault("html clean", []).append(run(sphinx(src, out)))
        times.setdefault("html no change", []).append(run(sphinx(src, out)))
        chapter.write_text(original + f"\nA sentence added by the benchmark, round {i + 1}.\n", encoding="utf-8")
        times.setdefault("html one chapter", []).append(run(sphinx(src, out)))
        clean(bare_out)
        times.setdefault("bare clean", []).append(run(sphinx(src, bare_out, bare_conf, strict=False)))
    chapter.write_text(original, encoding="utf-8")

    if "pdf" not in args.skip:
        pdf_build = work / "pdfbuild"
        for i in range(args.slow_runs):
            print(f"bench: PDF round {i + 1}/{args.slow_runs}", file=sys.stderr)
            shutil.rmtree(pdf_build, ignore_errors=True)
            times.setdefault("pdf", []).append(
                run(["make", "--no-print-directory", "pdf", f"BUILDDIR={pdf_build}", "SPHINXOPTS=-q"]))
    test_target = "test" if args.full_tests else "test-fast"
    if "tests" not in args.skip:
        for i in range(args.slow_runs):
            print(f"bench: make {test_target} round {i + 1}/{args.slow_runs}", file=sys.stderr)
            times.setdefault(f"tests (make {test_target})", []).append(
                run(["make", "--no-print-directory", test_target], env=dict(os.environ, PYTEST_ADDOPTS="-q")))

    print(f"Benchmark on {os.cpu_count()} cores; largest chapter edited: {chapter.name}; seconds")
    print(f"{'what':<28} {'runs':>4} {'median':>7} {'min':>7} {'max':>7}")
    for name, values in times.items():
        print(f"{name:<28} {len(values):>4} {statistics.median(values):>7.2f} {min(values):>7.2f} {max(values):>7.2f}")
    ratio = statistics.median(times["html clean"]) / statistics.median(times["bare clean"])
    one = statistics.median(times["html one chapter"])
    print(f"\nratio html clean / bare clean: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"one-chapter rebuild: {one:.2f} s (target <= {TARGET_ONE_CHAPTER} s)")
    missed = ratio > TARGET_RATIO or one > TARGET_ONE_CHAPTER
    print("Targets missed." if missed else "All targets met.")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
