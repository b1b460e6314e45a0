#!/usr/bin/env python3
"""Time the book's builds and tests, as medians of several runs, and compare with a bare Sphinx (make bench).

Timed, each as the wall-clock time of the command a person would run:
  html clean        a full HTML build from nothing (output and doctrees removed first)
  html no change    the same build again, nothing changed
  html one chapter  a rebuild after editing one chapter (a copy of it: the real chapter is never touched)
  bare clean        the same chapter text, clean build, with a bare configuration: no extension but myst_parser
                    (same MyST syntax options), Sphinx's default theme
  theme clean       the bare configuration with the book's theme (html_theme): what the theme alone costs, for context
  pdf               make pdf from nothing (LaTeX sources + LuaLaTeX), into a temporary build folder
  tests             make test-fast (or, with --full-tests, make test)
then the ratio html clean / bare clean. Targets (issue 8): ratio <= 1.3, one-chapter rebuild <= 1.5 s.
The map cache (next to the doctrees) is kept between rounds, so only the first clean build draws the maps.
Figures are medians of wall-clock seconds, with the commands' CPU seconds and the load average beside them:
on a shared machine the wall clock grows with other people's work, the CPU time much less.
The HTML builds run on a copy of docs/ in _build/bench/ with the Makefile's flags (-n -W --keep-going -j 1).
"""
from __future__ import annotations

import argparse
import os
import resource
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
import sys
sys.path.insert(0, {root!r})
from conf import exclude_patterns, myst_enable_extensions, myst_substitutions, project, language, root_doc
extensions = ["myst_parser"]
'''


CPU: dict[str, list[float]] = {}  # CPU seconds (user + sys) of the same runs: less sensitive to a busy machine


def run(cmd: list[str], name: str, **kwargs) -> float:
    """Wall-clock seconds the command took (its CPU seconds go to CPU); stops the benchmark if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
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
    theme_conf = work / "theme-conf"
    theme_conf.mkdir()
    (theme_conf / "conf.py").write_text(BARE_CONF.format(root=str(ROOT)) + "from conf import html_theme\n",
                                        encoding="utf-8")

    times: dict[str, list[float]] = {}
    load_before = os.getloadavg()[0]
    out = work / "html"
    bare_out = work / "bare"
    theme_out = work / "theme"
    original = chapter.read_text(encoding="utf-8")
    for i in range(args.runs):
        print(f"bench: HTML round {i + 1}/{args.runs}", file=sys.stderr)
        clean(out)
        times.setdefault("html clean", []).append(run(sphinx(src, out), "html clean"))
        times.setdefault("html no change", []).append(run(sphinx(src, out), "html no change"))
        chapter.write_text(original + f"\nA sentence added by the benchmark, round {i + 1}.\n", encoding="utf-8")
        times.setdefault("html one chapter", []).append(run(sphinx(src, out), "html one chapter"))
        clean(bare_out)
        times.setdefault("bare clean", []).append(run(sphinx(src, bare_out, bare_conf, strict=False), "bare clean"))
        clean(theme_out)
        times.setdefault("theme clean", []).append(
            run(sphinx(src, theme_out, theme_conf, strict=False), "theme clean"))
    chapter.write_text(original, encoding="utf-8")

    if "pdf" not in args.skip:
        pdf_build = work / "pdfbuild"
        for i in range(args.slow_runs):
            print(f"bench: PDF round {i + 1}/{args.slow_runs}", file=sys.stderr)
            shutil.rmtree(pdf_build, ignore_errors=True)
            times.setdefault("pdf", []).append(
                run(["make", "--no-print-directory", "pdf", f"BUILDDIR={pdf_build}", "SPHINXOPTS=-q"], "pdf"))
    test_target = "test" if args.full_tests else "test-fast"
    if "tests" not in args.skip:
        name = f"tests (make {test_target})"
        for i in range(args.slow_runs):
            print(f"bench: make {test_target} round {i + 1}/{args.slow_runs}", file=sys.stderr)
            times.setdefault(name, []).append(
                run(["make", "--no-print-directory", test_target], name, env=dict(os.environ, PYTEST_ADDOPTS="-q")))

    load_after = os.getloadavg()[0]
    busy = max(load_before, load_after) > (os.cpu_count() or 1)
    print(f"Benchmark on {os.cpu_count()} cores, load average {load_before:.1f} at the start and {load_after:.1f} "
          f"at the end" + (": above the core count, so other work slowed these runs" if busy else ""))
    print(f"Largest chapter, the one edited: {chapter.name}. Seconds, wall clock; cpu = user + sys of the command")
    print(f"{'what':<28} {'runs':>4} {'median':>7} {'min':>7} {'max':>7} {'cpu':>7}")
    for name, values in times.items():
        print(f"{name:<28} {len(values):>4} {statistics.median(values):>7.2f} {min(values):>7.2f} "
              f"{max(values):>7.2f} {statistics.median(CPU[name]):>7.2f}")
    ratio = statistics.median(times["html clean"]) / statistics.median(times["bare clean"])
    one = statistics.median(times["html one chapter"])
    cpu_ratio = statistics.median(CPU["html clean"]) / statistics.median(CPU["bare clean"])
    print(f"\nratio html clean / bare clean: {ratio:.2f} wall clock, {cpu_ratio:.2f} CPU (target <= {TARGET_RATIO})")
    theme, bare = statistics.median(times["theme clean"]), statistics.median(times["bare clean"])
    print(f"of the difference, {theme - bare:.2f} s is the theme (bare + the book's theme: ratio {theme / bare:.2f}) "
          f"and {statistics.median(times['html clean']) - theme:.2f} s the book's extensions and the pages they make")
    print(f"one-chapter rebuild: {one:.2f} s wall clock, {statistics.median(CPU['html one chapter']):.2f} s CPU "
          f"(target <= {TARGET_ONE_CHAPTER} s)")
    missed = ratio > TARGET_RATIO or one > TARGET_ONE_CHAPTER
    print("Targets missed (wall clock)." if missed else "All targets met.")
    shutil.rmtree(work, ignore_errors=True)
    return 0  # a benchmark reports; it fails only when a command does


if __name__ == "__main__":
    sys.exit(main())
