#!/usr/bin/env python3
"""Time the commands a person runs, beside a bare Sphinx on the same pages, in one run (make bench).

Timed, each as the wall-clock time of the whole command, checks included:
  make html clean        `make html` from nothing (its output and doctrees removed first)
  make html no change    `make html` again, nothing changed
  make html one chapter  `make html` after editing one chapter (of a copy of docs/: the real one is never touched)
  bare clean             sphinx-build of the same pages with a bare configuration: no extension but myst_parser
                         (same MyST syntax options), Sphinx's default theme, no check
  bare no change         the same bare build again, nothing changed
  bare clean -j auto     the bare clean build on every core, as make html runs (JOBS=auto): a like comparison
  theme clean            the bare configuration with the book's theme: what the theme alone costs, for context
  make pdf               from nothing (LaTeX sources, LuaLaTeX, the PDF's checks), into a temporary build folder
  make test-fast         the quick tests
  make test              every test, as CI runs them
And once, where a clean build's time goes: each page, each extension's listeners, each directive
(scripts/build_profile.py, as make profile): what the book's own pages and checks cost.
And how much text each clean build renders (the words of the pages' main elements): the bare build renders the
book's own directives (glossary, gazetteer, timeline, editor's notes, maps) as nothing.
Targets: one-chapter `make html` <= 2 x bare no change; clean `make html` <= 1.5 x bare clean; `make test-fast`
< 20 s; `make test` <= 240 s.
The map cache (next to the doctrees) is kept between rounds, so only the first clean build draws the maps.
Figures are medians of wall-clock seconds, with the commands' CPU seconds and the load average beside them:
on a shared machine the wall clock grows with other people's work, the CPU time much less.
The HTML builds run on a copy of docs/ in _build/bench/ (make html DOCS=... BUILDDIR=...).
"""
from __future__ import annotations

import argparse
import html.parser
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
TARGETS = {"one chapter / bare no change": 2.0, "clean / bare clean": 1.5, "make test-fast": 20.0,
           "make test": 240.0}
# The bare configuration: what Sphinx needs to read these Markdown files the same way, and nothing else.
BARE_CONF = '''
import sys
sys.path.insert(0, {root!r})
from conf import exclude_patterns, myst_enable_extensions, myst_substitutions, project, language, root_doc
extensions = ["myst_parser"]
'''


FAILED: list[str] = []  # commands that failed, with the end of their output
CPU: dict[str, list[float]] = {}  # CPU seconds (user + sys) of the same runs: less sensitive to a busy machine


def run(cmd: list[str], name: str, **kwargs) -> float:
    """Wall-clock seconds the command took (its CPU seconds go to CPU); stops the benchmark if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:  # reported, and the benchmark exits 1 at the end; the other figures still count
        FAILED.append(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return seconds


def bare(src: Path, out: Path, confdir: Path, jobs: str = "1") -> list[str]:
    return [PYTHON, "-m", "sphinx", "-c", str(confdir), "-j", jobs, "-q",
            "-d", str(out.parent / f"doctrees-{out.name}"), "-b", "html", str(src), str(out)]


def make_html(src: Path, build: Path) -> list[str]:
    return ["make", "--no-print-directory", "html", f"DOCS={src}", f"BUILDDIR={build}", "SPHINXOPTS=-q"]


def clean(out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f"doctrees-{out.name}", ignore_errors=True)


class MainText(html.parser.HTMLParser):
    """The text of a page's main element (role="main": furo's article, the default theme's body), scripts and
    styles left out: the page's own text, without the theme's navigation. Inline elements join their text to the
    words around them ("<em>paragraph</em>." is one word); every other tag separates words."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # open elements inside the main one (0: outside it)
        self.skip = 0  # open script or style elements inside it
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in VOID
            self.skip += tag in ("script", "style")
            self.text.append("" if tag in INLINE else " ")
        elif dict(attrs).get("role") == "main":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in VOID:
            self.depth -= 1
            self.skip -= tag in ("script", "style") and self.skip > 0
            self.text.append("" if tag in INLINE else " ")

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)

    @property
    def words(self) -> int:
        return len("".join(self.text).split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub",
          "sup", "u", "var"}


def words_on_pages(html_dir: Path) -> int:
    """The words of every page's main element: how much text a build renders, whatever its theme."""
    total = 0
    for page in sorted(html_dir.rglob("*.html")):
        reader = MainText()
        reader.feed(page.read_text(encoding="utf-8"))
        total += reader.words
    return total


def largest_chapter(src: Path) -> Path:
    return max((src / "chapters").glob("*.md"), key=lambda p: p.stat().st_size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each HTML build (default: %(default)s)")
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of the PDF build and the tests (default: %(default)s)")
    parser.add_argument("--skip", action="append", default=[], choices=["pdf", "test-fast", "test"],
                        help="leave out a slow part")
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
    build = work / "build"
    out = build / "html"
    bare_out = work / "bare"
    theme_out = work / "theme"
    original = chapter.read_text(encoding="utf-8")

    def timed(name, cmd, **kwargs):
        times.setdefault(name, []).append(run(cmd, name, **kwargs))

    for i in range(args.runs):
        print(f"bench: HTML round {i + 1}/{args.runs}", file=sys.stderr)
        clean(out)
        timed("make html clean", make_html(src, build))
        timed("make html no change", make_html(src, build))
        chapter.write_text(original + f"\nA sentence added by the benchmark, round {i + 1}.\n", encoding="utf-8")
        timed("make html one chapter", make_html(src, build))
        clean(bare_out)
        timed("bare clean", bare(src, bare_out, bare_conf))
        timed("bare no change", bare(src, bare_out, bare_conf))
        clean(bare_out)  # make html runs -j auto (JOBS): the bare build on every core too, for a like comparison
        timed("bare clean -j auto", bare(src, bare_out, bare_conf, jobs="auto"))
        clean(theme_out)
        timed("theme clean", bare(src, theme_out, theme_conf))
    chapter.write_text(original, encoding="utf-8")
    book_words, bare_words = words_on_pages(out), words_on_pages(bare_out)  # (the book's: with the round's sentence)
    # where a clean build's time goes, once, in one process (the maps' cache is the rounds': next to the doctrees)
    print("bench: where a clean build's time goes", file=sys.stderr)
    profiled = subprocess.run([PYTHON, "-m", "scripts.build_profile", "--top", "6", "-c", str(ROOT), "-j", "1", "-q",
                               "-n", "-W", "--keep-going", "-d", str(build / "doctrees-profile"), "-b", "html",
                               str(src), str(build / "profile")], cwd=ROOT, capture_output=True, text=True)
    if profiled.returncode != 0:
        FAILED.append(f"scripts.build_profile failed ({profiled.returncode}):\n{profiled.stderr[-3000:]}")

    if "pdf" not in args.skip:
        pdf_build = work / "pdfbuild"
        for i in range(args.slow_runs):
            print(f"bench: PDF round {i + 1}/{args.slow_runs}", file=sys.stderr)
            shutil.rmtree(pdf_build, ignore_errors=True)
            timed("make pdf", ["make", "--no-print-directory", "pdf", f"BUILDDIR={pdf_build}", "SPHINXOPTS=-q"])
    for target in ("test-fast", "test"):
        if target in args.skip:
            continue
        for i in range(args.slow_runs):
            print(f"bench: make {target} round {i + 1}/{args.slow_runs}", file=sys.stderr)
            timed(f"make {target}", ["make", "--no-print-directory", target],
                  env=dict(os.environ, PYTEST_ADDOPTS="-q"))

    load_after = os.getloadavg()[0]
    busy = max(load_before, load_after) > (os.cpu_count() or 1)
    print(f"Benchmark on {os.cpu_count()} cores, load average {load_before:.1f} at the start and {load_after:.1f} "
          f"at the end" + (": above the core count, so other work slowed these runs" if busy else ""))
    print(f"Largest chapter, the one edited: {chapter.name}. Seconds, wall clock; cpu = user + sys of the command")
    print(f"{'what':<28} {'runs':>4} {'median':>7} {'min':>7} {'max':>7} {'cpu':>7}")
    for name, values in times.items():
        print(f"{name:<28} {len(values):>4} {statistics.median(values):>7.2f} {min(values):>7.2f} "
              f"{max(values):>7.2f} {statistics.median(CPU[name]):>7.2f}")

    def median(name, of=times):
        return statistics.median(of[name])

    results = {
        "one chapter / bare no change": (median("make html one chapter") / median("bare no change"),
                                         median("make html one chapter", CPU) / median("bare no change", CPU)),
        "clean / bare clean": (median("make html clean") / median("bare clean"),
                               median("make html clean", CPU) / median("bare clean", CPU)),
    }
    print()
    for name, (wall, cpu) in results.items():
        print(f"make html {name}: {wall:.2f} wall clock, {cpu:.2f} CPU (target <= {TARGETS[name]})")
    print(f"make html clean / bare clean -j auto (both on every core): "
          f"{median('make html clean') / median('bare clean -j auto'):.2f} wall clock, "
          f"{median('make html clean', CPU) / median('bare clean -j auto', CPU):.2f} CPU")
    theme, plain = median("theme clean"), median("bare clean")
    print(f"of the clean difference, {theme - plain:.2f} s is the theme (bare + the book's theme: ratio "
          f"{theme / plain:.2f}) and {median('make html clean') - theme:.2f} s the book's extensions, checks and "
          "the pages they make")
    print(f"text rendered (words in the pages' main elements): the book {book_words:,}, the bare build "
          f"{bare_words:,}, {book_words / bare_words:.1f} times as many: the bare build knows none of the book's "
          "directives, so its glossary, gazetteer, timeline, editor's notes and maps are empty. Seconds per 1,000 "
          f"words, start-up included: clean make html {1000 * median('make html clean') / book_words:.3f}, "
          f"bare clean {1000 * plain / bare_words:.3f}")
    print("where a clean make html's time goes (one build, -j 1, in the Sphinx process; a page's time includes "
          "its listeners and directives):")
    print("\n".join(f"  {line}" for line in profiled.stdout.splitlines()))
    missed = [name for name, (wall, _cpu) in results.items() if wall > TARGETS[name]]
    for target in ("make test-fast", "make test"):
        if target in times:
            print(f"{target}: {median(target):.1f} s (target <= {TARGETS[target]:.0f} s)")
            if median(target) > TARGETS[target]:
                missed.append(target)
    print(f"Targets missed (wall clock): {', '.join(missed)}." if missed else "All targets met.")
    shutil.rmtree(work, ignore_errors=True)
    for failure in FAILED:
        print(f"\nbench: {failure}", file=sys.stderr)
    return 1 if FAILED else 0  # a benchmark reports; it fails only when a command does


if __name__ == "__main__":
    sys.exit(main())
