"""The EPUB: valid by EPUBCheck, a cover drawn from our own title, a navigable table of contents with every chapter,
and pages that fit a phone's screen."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import BOOK, ROOT, sphinx_build
import check_pdf

from epub_cover import cover_svg

pytestmark = pytest.mark.slow
OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture(scope="module")
def epub(epub_dir) -> Path:
    return epub_dir


def test_epubcheck_finds_no_errors(epub):
    result = subprocess.run([str(ROOT / "scripts" / "epubcheck"), str(epub / f"{BOOK}.epub")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_epubcheck_fails_on_a_broken_epub(epub, tmp_path):
    """The check is real: an EPUB whose package file lost its spine is refused."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub / f"{BOOK}.epub") as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "content.opf":
                data = re.sub(rb"<spine.*?</spine>", b"", data, flags=re.DOTALL)
            dst.writestr(item, data)
    result = subprocess.run([str(ROOT / "scripts" / "epubcheck"), str(broken)], capture_output=True, text=True)
    assert result.returncode != 0


def test_the_cover_is_our_own_image_and_opens_the_book(epub):
    opf = ElementTree.parse(epub / "content.opf").getroot()
    items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
    cover_id = next(m.get("content") for m in opf.iter(f"{OPF}meta") if m.get("name") == "cover")
    assert items[cover_id].get("href") == "_static/cover.svg"
    assert items[cover_id].get("media-type") == "image/svg+xml"
    first = items[next(opf.iter(f"{OPF}itemref")).get("idref")].get("href")
    assert first == "epub-cover.xhtml"
    page = (epub / first).read_text(encoding="utf-8")
    assert 'src="_static/cover.svg"' in page and 'alt="Afghan Civil War (1996–2001)"' in page
    svg = (epub / "_static" / "cover.svg").read_text(encoding="utf-8")
    ElementTree.fromstring(svg.encode())  # well-formed
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing from elsewhere
    assert ">Afghan Civil War<" in svg and ">(1996–2001)<" in svg


def test_the_cover_wraps_a_long_title_and_escapes_it():
    svg = cover_svg("A & B " * 10, "sub", "author")
    ElementTree.fromstring(svg.encode())
    assert svg.count("font-size=\"56\"") > 2 and "A &amp; B" in svg


def test_the_table_of_contents_lists_every_chapter_and_its_links_resolve(epub):
    nav = ElementTree.parse(epub / "nav.xhtml").getroot()
    # titles as Sphinx sets them: with typographic apostrophes ("Editor’s notes")
    links = {a.text.strip().replace("’", "'"): a.get("href")
             for a in nav.iter("{http://www.w3.org/1999/xhtml}a") if a.text}
    for tree in check_pdf.toctrees(ROOT / "docs"):
        for chapter in tree.chapters:
            assert chapter.title in links, (chapter.title, sorted(links))
            assert links[chapter.title].split("#")[0] == f"{chapter.docname}.xhtml"
    for href in links.values():
        assert (epub / href.split("#")[0]).is_file(), href


def test_no_page_needs_a_wide_screen(epub):
    """Each page, shown 360 pixels wide (a small phone), is no wider than the screen: nothing scrolls sideways."""
    from playwright.sync_api import sync_playwright
    pages = sorted(epub.glob("**/*.xhtml"))
    assert len(pages) > 10
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            view = browser.new_page(viewport={"width": 360, "height": 640})
            view.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # nothing from the network
            wide = {}
            for page in pages:
                view.goto(page.as_uri())
                width = view.evaluate("document.documentElement.scrollWidth")
                if width > 360:
                    wide[str(page.relative_to(epub))] = width
        finally:
            browser.close()
    assert wide == {}
