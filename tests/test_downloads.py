"""The three formats joined: every HTML page offers the PDF and the EPUB of its edition, with their sizes, and the
links work in a browser; the EPUB names the HTML's web address when one is set; nothing is offered that the
build did not find, or that is of another edition.

The book is built as `make book` builds it: the PDF (the session's PDF build), then the EPUB, then the HTML that
offers both, all in one build folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BOOK, ROOT, shared
from ext import book_downloads

URL = "https://book.example.org/afghan-civil-war/"


def build(builder: str, out: Path, env: dict) -> str:
    """sphinx-build as the Makefile runs it (warnings are errors), with the environment `make html` gives it; its
    warnings, or "" if it passed."""
    cmd = [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-n", "-W", "--keep-going", "-q",
           "-d", str(out.parent / f"doctrees-{out.name}"), "-b", builder, str(ROOT / "docs"), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    return "" if result.returncode == 0 and result.stderr.strip() == "" else f"{builder}: {result.stderr}"


@pytest.fixture(scope="module")
def published(pdf_build, tmp_path_factory) -> Path:
    """The EPUB and the HTML, built once per run into the PDF's build folder (under a lock: with pytest-xdist every
    worker that runs a test of this module asks for them, and two builds into one folder collide)."""
    def make(_marker: Path) -> str:
        epoch = (pdf_build / "source-date-epoch").read_text(encoding="utf-8")  # the PDF's own date
        env = dict(os.environ, SOURCE_DATE_EPOCH=epoch, BOOK_BASE_URL=URL)
        return (build("epub", pdf_build / "epub", env)
                or build("html", pdf_build / "html", dict(env, BOOK_DOWNLOADS_FROM=str(pdf_build))))
    shared(tmp_path_factory, "book-published", make)
    return pdf_build


def downloads_of(page: Path) -> dict[str, tuple[str, str]]:
    nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("nav.sidebar-downloads")
    if nav is None:
        return {}
    return {li.a.get_text(): (li.a["href"], li.get_text().split("(")[-1].rstrip(")")) for li in nav.select("li")}


@pytest.mark.tex
@pytest.mark.slow
def test_every_page_offers_the_pdf_and_the_epub_of_its_edition_with_their_sizes(published):
    html = published / "html"
    built = {"PDF": published / "pdf" / f"{BOOK}.pdf", "EPUB": published / "epub" / f"{BOOK}.epub"}
    pages = sorted(html.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        offered = downloads_of(page)
        assert set(offered) == set(built), page
        for label, (href, size) in offered.items():
            target = (page.parent / href).resolve()
            assert target.read_bytes() == built[label].read_bytes(), (page, href)
            assert size == book_downloads.size_text(built[label].stat().st_size)


@pytest.mark.tex
@pytest.mark.slow
def test_a_reader_s_browser_downloads_them(published, tmp_path):
    """In Chromium: the sidebar's links download the very files, and the sidebar passes axe-core."""
    from scripts.book_server import serve
    from scripts.browser_tools import describe_violations, launch, run_axe
    from playwright.sync_api import sync_playwright
    expected = {"PDF": (published / "pdf" / f"{BOOK}.pdf").read_bytes(),
                "EPUB": (published / "epub" / f"{BOOK}.epub").read_bytes()}
    with serve(published / "html") as url, sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(accept_downloads=True)
            page.goto(f"{url}chapters/pakistan.html")
            got = {}
            for label in expected:
                link = page.locator("nav.sidebar-downloads a", has_text=label)
                with page.expect_download() as download:
                    link.click()
                saved = tmp_path / download.value.suggested_filename
                download.value.save_as(saved)
                got[label] = saved.read_bytes()
            violations = run_axe(page)
        finally:
            browser.close()
    assert got == expected
    assert not violations, describe_violations(violations)


@pytest.mark.tex
@pytest.mark.slow
def test_the_epub_names_the_web_address_of_the_html(published):
    with zipfile.ZipFile(published / "epub" / f"{BOOK}.epub") as epub:
        title_page = epub.read("index.xhtml").decode("utf-8")
    assert f'This book online: <a class="reference external" href="{URL}">{URL}</a>' in title_page


def test_the_latex_names_the_web_address_when_it_is_set():
    def facts(**env):
        out = subprocess.run([sys.executable, "-c", "import runpy; print(runpy.run_path('conf.py')"
                              "['latex_elements']['preamble'])"], cwd=ROOT, capture_output=True, text=True,
                             env=dict(os.environ, **env), check=True).stdout
        return [line for line in out.splitlines() if "BookWebURL" in line]
    assert facts(BOOK_BASE_URL=URL) == [f"\\newcommand{{\\BookWebURL}}{{{URL}}}"]
    assert facts(BOOK_BASE_URL="") == ["\\newcommand{\\BookWebURL}{}"]


@pytest.mark.slow
def test_a_plain_html_build_offers_nothing(html_dir):
    """The session's HTML is built by a bare sphinx-build, which finds no PDF or EPUB: no section, no dead link."""
    assert downloads_of(html_dir / "index.html") == {}
    assert "sidebar-downloads" not in (html_dir / "index.html").read_text(encoding="utf-8")


def test_a_file_of_another_edition_or_none_is_not_offered(tmp_path, monkeypatch):
    def epub(path: Path, modified: str) -> None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("content.opf", f'<meta property="dcterms:modified">{modified}</meta>')
    epub(tmp_path / "this.epub", "2026-11-25T01:00:00Z")  # an earlier commit of the same day: the same edition
    epub(tmp_path / "older.epub", "2026-11-24T05:18:26Z")
    downloads = [("EPUB", "this.epub"), ("Older", "older.epub"), ("PDF", "missing.pdf")]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795583906")  # 2026-11-25T05:18:26Z
    assert [d["label"] for d in book_downloads.offered(str(tmp_path), downloads)] == ["EPUB"]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # outside a git checkout there is no edition to compare
    assert [d["label"] for d in book_downloads.offered(str(tmp_path), downloads)] == ["EPUB", "Older"]


def test_sizes_read_as_people_write_them():
    assert [book_downloads.size_text(n) for n in (300, 1_499, 612_345, 2_345_678)] == \
        ["1 kB", "1 kB", "612 kB", "2.3 MB"]
