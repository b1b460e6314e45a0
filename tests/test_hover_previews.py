"""Hover previews (ext/hover_previews.py): what a preview holds, and, in a real browser (Debian's Chromium through
Playwright) served from 127.0.0.1 only, that they show.

The book is built with two jobs (parallel reading and writing), a chapter is edited, and it is rebuilt
incrementally; after each build, hovering (or focusing) a term link shows the glossary entry's description,
nothing of the previews loads before a reader points at a link, and no request leaves the local server.
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MAP_CACHE, ROOT, run_sphinx
from ext.hover_previews import previews

SELECTOR = "figure, table, p, aside, div.admonition"
BODY = """<section id="intro">
<h1>Intro<a class="headerlink" href="#intro" title="Link">¶</a></h1>
<figure class="map"><img src="m.svg" alt="m"/></figure>
<p>First.</p>
<p>Second &amp; <a href="other.html#x">more</a>.</p>
<p>Third.</p>
<dl class="glossary">
<dt id="term-A">A<a class="headerlink" href="#term-A">¶</a></dt>
<dd><p>Alpha.</p><ul><li>Mentioned in</li></ul><p>Beta.</p></dd>
<dt id="term-B">B</dt>
<dt id="term-C">C</dt><dd><p>Gamma.</p></dd>
</dl>
<div class="admonition note" id="note-1"><p class="admonition-title">Note</p><p>Ours.</p></div>
<section id="later"><h2>Later</h2><section id="deeper"><h3>Deeper</h3></section></section>
</section>"""


def test_a_preview_is_its_targets_own_html_without_pilcrows_ids_or_lists():
    tips = previews(BODY, SELECTOR)
    heading = '<h1 class="hover-preview-heading">Intro</h1>'
    # a section or the page: its heading and its first two paragraphs (a figure between them is skipped)
    assert tips[""] == tips["intro"] == heading + '<p>First.</p><p>Second &amp; <a href="other.html#x">more</a>.</p>'
    # a term: itself and its description's paragraphs, not its lists
    assert tips["term-A"] == "<dt>A</dt><dd><p>Alpha.</p><p>Beta.</p></dd>"
    assert tips["term-B"] == "<dt>B</dt>"  # two terms sharing one description: the first shows only itself
    assert tips["term-C"] == "<dt>C</dt><dd><p>Gamma.</p></dd>"
    assert tips["note-1"] == '<div class="admonition note"><p class="admonition-title">Note</p><p>Ours.</p></div>'
    # a section without a paragraph: its heading and the next section's
    assert tips["later"] == '<h2 class="hover-preview-heading">Later</h2><h3>Deeper</h3>'
    assert not any(' id="' in tip or "headerlink" in tip for tip in tips.values())


def test_a_preview_selector_is_tags_and_classes_only():
    from sphinx.errors import ConfigError
    with pytest.raises(ConfigError, match=r"hover_previews_selector: 'div > p' is not a tag name"):
        previews(BODY, "figure, div > p")
def test_the_quick_reading_of_tags_gives_the_parsers_elements_and_leaves_anything_else_to_the_parser(monkeypatch):
    from ext import hover_previews

    def shape(e):
        return e.tag, e.attrs, e.start, e.end, [shape(c) for c in e.children]

    plain = [BODY,
             BODY.replace("<p>Third.</p>", '<!-- a <p id="x">b</p> --><p>Third &amp; <b class="&quot;q">last</p>'),
             '<p id="a&amp;b">A<br>b<img src="i.svg"/></p></div><details open><summary>S</summary></details>']
    other = [BODY.replace("<p>Third.</p>", "<p data-x=unquoted>Third.</p>"), BODY + "<script>var a = '<p>';</script>",
             BODY.replace("<p>Third.</p>", "<!-- a -- b --><p>Third.</p>"), "<!DOCTYPE html>" + BODY]
    for body in plain + other:
        assert shape(hover_previews._tree(body)) == shape(hover_previews._Tree(body).root)
    monkeypatch.setattr(hover_previews, "_Tree", None)  # Sphinx's plain HTML never reaches the parser
    for body in plain:
        hover_previews._tree(body)
    for body in other:
        with pytest.raises(TypeError):
            hover_previews._tree(body)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(docs: Path, out: Path) -> None:
    result = run_sphinx(["-c", str(ROOT), *MAP_CACHE, "-n", "-W", "--keep-going", "-q", "-j", "2",
                         "-d", str(out.parent / "doctrees"), "-b", "html", str(docs), str(out)])
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
    return appears(page, expected)


def appears(page, expected: str) -> bool:
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


def preview_requests(requests: list[str]) -> list[str]:
    return [url for url in requests if "/_static/previews/" in url or "/_static/vendor/" in url]


@pytest.mark.slow
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
            before = len(requests)
            page = context.new_page()
            # a link written as the canonical name, and one with alternate text ("Dostum")
            page.goto(base + "chapters/pakistan.html")
            page.wait_for_load_state("load")
            assert preview_requests(requests[before:]) == [], "previews load before anyone points at a link"
            page.locator(".sidebar-tree a").last.hover()  # the navigation gets no previews
            page.wait_for_timeout(300)
            assert preview_requests(requests[before:]) == [], "a navigation link loaded previews"
            assert shows(page, 'a[href$="glossary.html#term-Navaz-Sharif"]',
                         definition(html, "term-Navaz-Sharif")), round_
            assert any("/_static/previews/glossary.js" in url for url in preview_requests(requests[before:]))
            # a keyboard reader: focusing a link shows its preview too
            page.mouse.move(0, 0)
            page.locator('a[href$="glossary.html#term-Taliban"]').first.focus()
            assert appears(page, definition(html, "term-Taliban")), round_
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
