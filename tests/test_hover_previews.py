"""Hover previews in a real browser (Debian's Chromium through Playwright), served from 127.0.0.1 only.

The book is built with two jobs (parallel reading and writing), a chapter is edited, and it is rebuilt
incrementally; after each build, hovering a term link shows the glossary entry's description, and no request
leaves the local server.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

pytestmark = pytest.mark.slow
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(docs: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-c", str(ROOT), "-n", "-W", "--keep-going", "-q", "-j", "2",
           "-d", str(out.parent / "doctrees"), "-b", "html", str(docs), str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def definition(html: Path, term_id: str) -> str:
    """The first paragraph of a glossary entry, as the built glossary page has it."""
    page = BeautifulSoup((html / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(page.select_one(f"dt#{term_id}").find_next_sibling("dd").p.get_text().split())


def heading(html: Path, page: str) -> str:
    soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article[role=main] h1").get_text().rstrip("#¶").strip()


def shows(page, selector: str, expected: str) -> bool:
    """Hover the first link matching selector; True if a tooltip containing expected appears."""
    page.mouse.move(0, 0)
    page.locator(selector).first.hover()
    try:
        page.wait_for_function(
            "expected => [...document.querySelectorAll('[data-tippy-root]')].some("
            "t => t.innerText.replace(/\\s+/g, ' ').includes(expected))", arg=expected, timeout=5000)
        return True
    except Exception:
        return False


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_hovering_a_term_shows_its_definition_offline_also_after_an_incremental_build(tmp_path, browser):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    html = tmp_path / "html"
    build(docs, html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=html))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    requests: list[str] = []
    try:
        for round_ in ("full build", "incremental build"):
            context = browser.new_context()
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            # a link written as the canonical name, and one with alternate text ("Dostum")
            page.goto(base + "chapters/pakistan.html")
            assert shows(page, 'a[href$="glossary.html#term-Navaz-Sharif"]',
                         definition(html, "term-Navaz-Sharif")), round_
            page.goto(base + "chapters/assassination-of-massoud.html")
            alternate = page.locator('a[href$="glossary.html#term-Ahmad-Shah-Massoud"]').first
            assert alternate.inner_text() == "Massoud"  # {term}`Massoud <Ahmad Shah Massoud>`
            assert shows(page, 'a[href$="glossary.html#term-Ahmad-Shah-Massoud"]',
                         definition(html, "term-Ahmad-Shah-Massoud")), round_
            # a back-link from the glossary to a chapter that the incremental build does not rewrite
            page.goto(base + "glossary.html")
            assert shows(page, 'a[href="chapters/introduction.html#introduction"]',
                         heading(html, "chapters/introduction.html")), round_
            context.close()
            if round_ == "full build":
                chapter = docs / "chapters" / "pakistan.md"
                chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOur test sentence.\n", encoding="utf-8")
                build(docs, html)
                assert "Our test sentence" in (html / "chapters" / "pakistan.html").read_text(encoding="utf-8")
    finally:
        server.shutdown()
    assert requests and all(url.startswith(base) for url in requests), \
        [url for url in requests if not url.startswith(base)]
