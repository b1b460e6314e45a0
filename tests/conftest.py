"""Shared fixtures: builds of the real book into temporary folders, made once per test session."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

# Sphinx colours its messages when CI=true (as CI and fresh machines set it), and the tests compare messages:
# every build the tests start, directly or through make, writes plain text.
os.environ["NO_COLOR"] = "1"

ROOT = Path(__file__).resolve().parent.parent
BOOK = "afghan-civil-war-1996-2001"
ROOTS = ROOT / "tests" / "roots"
# A tiny book under tests/roots (or a copy of one: pass settings=NOT_THE_BOOK) built with the book's own conf.py is
# not the book: the article's words and the book's public anchors are not checked, nor the built links (a planted
# fault leaves a broken link behind it, a second message), nor do its editor's notes need evidence (it has no
# chapters of the article to find it in); book_settings of tests/roots/roots_conf.py does the same for the roots
# with a conf.py of their own, except evidence, which the evidence roots test.
# The book's maps, drawn once and shared by every build of the book the tests make, of docs/ or of a changed copy
# (and by make html: the same folder). Files are named by a hash of what they show and written atomically, so
# sharing is safe; no test build prunes the shared folder, since a build of a changed copy would delete the maps a
# build running beside it still needs.
MAP_CACHE_SETTINGS = (f"place_maps_cache={ROOT / '_build' / 'place-maps'}", "place_maps_prune_cache=0")
MAP_CACHE = [a for s in MAP_CACHE_SETTINGS for a in ("-D", s)]
NOT_THE_BOOK = ("lossless_article=", "html_link_check_anchors=", "html_link_check=0", "evidence_required=0")


class SphinxServer:
    """tests/sphinx_server.py, started on the first build of this process: each build a child forked from an
    interpreter that has imported Sphinx and the rest once (about 0.6 s of CPU less per build)."""

    def __init__(self, environ: dict):
        self.process: subprocess.Popen | None = None
        self.environ = environ  # the server's environment, and so its children's /proc/self/environ
        self.lock = threading.Lock()

    def serves(self, env: dict) -> bool:
        """Whether a build with this environment can run here: the same as the server's, but for the name of the
        running test, which pytest changes in os.environ (the child gets it all the same)."""
        return {k: v for k, v in env.items() if k != "PYTEST_CURRENT_TEST"} == self.environ

    def run(self, cmd: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
        with self.lock, tempfile.TemporaryDirectory(prefix="sphinx-build-") as folder:
            if self.process is None:
                self.process = subprocess.Popen([sys.executable, "-m", "tests.sphinx_server"], cwd=ROOT,
                                                env=self.environ, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                text=True)
            stdout, stderr = Path(folder, "stdout"), Path(folder, "stderr")
            request = {"args": cmd[3:], "cwd": str(cwd), "env": env, "stdout": str(stdout), "stderr": str(stderr)}
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
                reply = self.process.stdout.readline()
            except BrokenPipeError:
                reply = ""
            if not reply:  # the server died: this build fails, the next one starts a new server
                process, self.process = self.process, None
                process.kill()
                raise RuntimeError(f"tests/sphinx_server.py stopped (exit code {process.wait()})")
            return subprocess.CompletedProcess(cmd, json.loads(reply)["returncode"], stdout.read_text(),
                                               stderr.read_text())

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()
            self.process = None


SERVER = SphinxServer({k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"})


def pytest_sessionfinish():
    SERVER.close()  # waited for, so that its builds' CPU time counts in the test run's (/usr/bin/time)


def run_sphinx(args: list[str], env: dict | None = None, new_interpreter: bool = False,
               cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`python -m sphinx ARGS` in the folder cwd, its output captured as text. It runs in a child of
    tests/sphinx_server.py (the same, without the imports) unless its environment differs from the server's or
    new_interpreter is set: a build whose bytes a test compares with another build's gets an interpreter of its own,
    with its own hash seed, as two runs of make would."""
    cmd = [sys.executable, "-m", "sphinx", *args]
    env = dict(os.environ) if env is None else env
    if new_interpreter or not SERVER.serves(env):
        return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    return SERVER.run(cmd, env, cwd)


def sphinx_build(srcdir: Path, outdir: Path, builder: str = "html", confdir: Path = ROOT,
                 settings: tuple[str, ...] = (), env: dict | None = None,
                 new_interpreter: bool = False) -> subprocess.CompletedProcess:
    """Run sphinx-build the way the Makefile does (warnings are errors) and return the finished process.
    settings: "name=value" overrides of conf.py (sphinx-build -D); env and new_interpreter: as for run_sphinx."""
    tiny_root = confdir == ROOT and ROOTS in srcdir.parents
    if tiny_root:
        settings = (*NOT_THE_BOOK, *settings)
    args = ["-c", str(confdir), *[a for s in settings for a in ("-D", s)], "-n", "-W", "--keep-going", "-q",
            "-d", str(outdir.parent / f"doctrees-{outdir.name}"), "-b", builder, str(srcdir), str(outdir)]
    if confdir == ROOT and not tiny_root and not any(s.startswith("place_maps_cache=") for s in settings):
        args[2:2] = MAP_CACHE
    return run_sphinx(args, env, new_interpreter)


def pytest_collection_modifyitems(items):
    """The longest first, so that pytest-xdist's workers finish together (make test: --dist worksteal, which gives
    each worker one half of this list and lets an idle worker take the end of the other's): the tests of the PDF
    (its build is the longest; the first worker starts it at once, and the PDF's other tests follow it there), then
    the slow tests, then the quick ones, which fill the gaps at the end. Without xdist the order does not matter."""
    items.sort(key=lambda item: ("pdf_build" not in item.fixturenames, item.get_closest_marker("slow") is None))


def shared(tmp_path_factory, name: str, make) -> Path:
    """A build made once per test run and read by every test that needs it, also across pytest-xdist's workers
    (the first worker to ask builds it, under a lock; the others wait and read). make(folder) builds into folder
    and returns an error message, or "" on success; a failed build fails every test that asks for it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, which the workers share
    folder, error_file = base / name, base / f"{name}.error"
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".built").exists() and not error_file.exists():
            folder.mkdir(parents=True, exist_ok=True)
            error = make(folder)
            if error:
                error_file.write_text(error, encoding="utf-8")
            else:
                (folder / ".built").touch()
    if error_file.exists():
        pytest.fail(f"the shared {name} build failed:\n{error_file.read_text(encoding='utf-8')}")
    return folder


def shared_result(tmp_path_factory, name: str, build) -> tuple[Path, subprocess.CompletedProcess]:
    """A build made once per test run as shared() makes it, whose result the tests read, failed or not (a tiny book
    with planted faults): module fixtures alone would build it once in each pytest-xdist worker that runs one of
    their tests. build(folder) builds into folder and returns the finished process; returned: the folder and it."""
    def make(folder: Path) -> str:
        result = build(folder)
        record = {"args": result.args, "returncode": result.returncode, "stdout": result.stdout,
                  "stderr": result.stderr}
        (folder / "result.json").write_text(json.dumps(record), encoding="utf-8")
        return ""
    folder = shared(tmp_path_factory, name, make)
    return folder, subprocess.CompletedProcess(**json.loads((folder / "result.json").read_text(encoding="utf-8")))


def book_build(builder: str):
    def make(folder: Path) -> str:
        # as published by default: no repository address, so no "edit" links (tests/test_reader_html.py)
        env = {k: v for k, v in os.environ.items() if k != "BOOK_REPOSITORY_URL"}
        result = sphinx_build(ROOT / "docs", folder / builder, builder, env=env)
        if result.returncode != 0 or result.stderr.strip():
            return f"the {builder} build printed warnings or failed:\n{result.stderr}"
        return ""
    return make


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory) -> Path:
    """The book's HTML, built once per test run (strict, no warning); read it, never change it."""
    return shared(tmp_path_factory, "book-html", book_build("html")) / "html"


@pytest.fixture(scope="session")
def epub_dir(tmp_path_factory) -> Path:
    """The book's EPUB build folder (the .epub and its unpacked pages), built once per test run; read only."""
    return shared(tmp_path_factory, "book-epub", book_build("epub")) / "epub"


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> Path:
    """The PDF, built through the Makefile's own target into a temporary build folder, once per test run."""
    def make(build: Path) -> str:
        # the dates in the PDF are the last commit's: fixed here, so that a commit made while the tests run cannot
        # give the tests that rebuild it (the same bytes twice) another date than this build's
        epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
        (build / "source-date-epoch").write_text(epoch, encoding="utf-8")
        env = dict(os.environ, BUILDDIR=str(build), SOURCE_DATE_EPOCH=epoch)
        result = subprocess.run(["make", "--no-print-directory", "pdf", f"BUILDDIR={build}",
                                 "SPHINXOPTS=-q " + " ".join(MAP_CACHE)],
                                cwd=ROOT, capture_output=True, text=True, env=env)
        return "" if result.returncode == 0 else result.stdout[-3000:] + result.stderr[-3000:]
    return shared(tmp_path_factory, "book-pdf", make)


@pytest.fixture(scope="session")
def pdf_pages(pdf_build) -> list[str]:
    """The PDF's text as pdftotext reads it, one string a page (the index is the page's, not its printed number)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_build / "pdf" / f"{BOOK}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


@pytest.fixture(scope="session")
def printed_page(pdf_build):
    """printed_page(n): the index of the page that prints the page number n (the title pages are 1 and 2 too: the
    last page so numbered is the body's)."""
    from pypdf import PdfReader
    labels = PdfReader(pdf_build / "pdf" / f"{BOOK}.pdf").page_labels
    return lambda n: max(i for i, label in enumerate(labels) if label == str(n))


@pytest.fixture(scope="session")
def glossary_appendix(pdf_pages) -> range:
    """The glossary in the PDF: from the page of its first sentence to the last page with a "Mentioned in"."""
    start = next(i for i, p in enumerate(pdf_pages)
                 if "and states that the article names, with what the article says of each" in " ".join(p.split()))
    end = max(i for i, p in enumerate(pdf_pages) if "Mentioned in:" in p)
    assert start <= end
    return range(start, end + 1)
