"""Shared fixtures: builds of the real book into temporary folders, made once per test session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Sphinx colours its messages when CI=true (as CI and fresh machines set it), and the tests compare messages:
# every build the tests start, directly or through make, writes plain text.
os.environ["NO_COLOR"] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "ext")]  # the scripts and the extensions, for the tests to import
BOOK = "afghan-civil-war-1996-2001"
ROOTS = ROOT / "tests" / "roots"
# A tiny book under tests/roots built with the book's own conf.py is not the book: the article's words and the
# book's public anchors are not checked, nor the built links (a planted fault leaves a broken link behind it, a
# second message); tests/roots/book_conf.py does the same for the roots with a conf.py of their own.
NOT_THE_BOOK = ["-D", "lossless_article=", "-D", "html_link_check_anchors=", "-D", "html_link_check=0"]


def sphinx_build(srcdir: Path, outdir: Path, builder: str = "html", confdir: Path = ROOT,
                 settings: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """Run sphinx-build the way the Makefile does (warnings are errors) and return the finished process.
    settings: "name=value" overrides of conf.py (sphinx-build -D)."""
    cmd = [sys.executable, "-m", "sphinx", "-c", str(confdir), *[a for s in settings for a in ("-D", s)],
           "-n", "-W", "--keep-going", "-q",
           "-d", str(outdir.parent / f"doctrees-{outdir.name}"), "-b", builder, str(srcdir), str(outdir)]
    if confdir == ROOT and ROOTS in srcdir.parents:
        cmd[5:5] = NOT_THE_BOOK
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book") / "html"
    result = sphinx_build(ROOT / "docs", out, "html")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", f"the HTML build printed warnings:\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> Path:
    """The PDF, built through the Makefile's own target into a temporary build folder."""
    build = tmp_path_factory.mktemp("pdfbuild")
    env = dict(os.environ, BUILDDIR=str(build))
    result = subprocess.run(["make", "--no-print-directory", "pdf", f"BUILDDIR={build}", "SPHINXOPTS=-q"],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return build
