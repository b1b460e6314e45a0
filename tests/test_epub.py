"""The EPUB: valid by EPUBCheck, accessible by Ace by DAISY (with metadata true of the book), a cover drawn from our
own title, a navigable table of contents with every chapter, and pages that fit a phone's screen."""
from __future__ import annotations

import re
import runpy
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import BOOK, ROOT, shared_result, sphinx_build
from scripts import check_epub_accessibility
from scripts import check_pdf

from ext.epub_cover import cover_svg

pytestmark = pytest.mark.slow
OPF = "{http://www.idpf.org/2007/opf}"
CONF = runpy.run_path(str(ROOT / "conf.py"))


@pytest.fixture(scope="module")
def epub(epub_dir) -> Path:
    return epub_dir


def test_epubcheck_finds_no_errors(epub):
    result = subprocess.run([str(ROOT / "scripts" / "epubcheck"), str(epub / f"{BOOK}.epub")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def one_page_epub(tmp_path_factory) -> Path:
    """A one-page EPUB made with the book's configuration, for the planted faults: EPUBCheck and Ace take seconds
    on it, a minute on the whole book."""
    folder, result = shared_result(tmp_path_factory, "one-page-epub", lambda folder: sphinx_build(
        ROOT / "tests" / "roots" / "one-page-book", folder / "epub", "epub"))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return folder / "epub" / f"{BOOK}.epub"


def altered(epub: Path, copy: Path, name: str, change) -> Path:
    """A copy of the EPUB whose member `name` is change(its bytes)."""
    with zipfile.ZipFile(epub) as src, zipfile.ZipFile(copy, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == name else data)
    return copy


def test_epubcheck_fails_on_a_broken_epub(one_page_epub, tmp_path):
    """The check is real: an EPUB whose package file lost its spine is refused."""
    broken = altered(one_page_epub, tmp_path / "broken.epub", "content.opf",
                     lambda opf: re.sub(rb"<spine.*?</spine>", b"", opf, flags=re.DOTALL))
    result = subprocess.run([str(ROOT / "scripts" / "epubcheck"), str(broken)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "spine" in result.stdout + result.stderr


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


# -- accessibility: Ace by DAISY, the metadata, the pages' language ------------------------------------------


def test_ace_by_daisy_reports_no_violations(epub, capsys):
    """Ace by DAISY (in Debian's Chromium), every impact level; its report stays in _build/ace/."""
    status = check_epub_accessibility.main([str(epub / f"{BOOK}.epub"), "--report", str(ROOT / "_build" / "ace")])
    assert status == 0, capsys.readouterr().err
    assert "Ace by DAISY: 0 violations" in capsys.readouterr().out


def test_ace_names_the_page_that_lost_its_language(one_page_epub, tmp_path, capsys):
    """The check is real: a page whose <html> lost lang and xml:lang is reported, by Ace, with its file."""
    broken = altered(one_page_epub, tmp_path / "broken.epub", "index.xhtml",
                     lambda page: page.replace(b' lang="en" xml:lang="en"', b"", 1))
    assert check_epub_accessibility.main([str(broken), "--report", str(tmp_path / "ace")]) == 1
    err = capsys.readouterr().err
    assert "index.xhtml: serious: html-has-lang" in err, err


def test_the_accessibility_metadata_is_true_of_this_book(epub):
    """What content.opf claims, checked against the EPUB itself: textual sufficiency needs every image to have a
    text alternative; 'index' needs the index; 'tableOfContents' the navigation document."""
    opf = ElementTree.parse(epub / "content.opf").getroot()
    meta = {}
    for m in opf.iter(f"{OPF}meta"):
        if (m.get("property") or "").startswith("schema:"):
            meta.setdefault(m.get("property"), []).append(m.text)
    assert set(meta["schema:accessMode"]) == {"textual", "visual"}
    assert "textual" in meta["schema:accessModeSufficient"]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["schema:accessibilitySummary"] == [CONF["epub_accessibility_summary"]]
    features = set(meta["schema:accessibilityFeature"])
    assert {"tableOfContents", "index", "alternativeText", "readingOrder"} <= features
    assert (epub / "genindex.xhtml").is_file() and (epub / "nav.xhtml").is_file()
    images = 0
    for page in epub.glob("**/*.xhtml"):
        for img in ElementTree.parse(page).getroot().iter("{http://www.w3.org/1999/xhtml}img"):
            images += 1
            assert (img.get("alt") or "").strip(), f"{page.relative_to(epub)}: {img.get('src')} has no alt text"
    assert images > 10


def test_every_page_has_its_language(epub):
    opf = (epub / "content.opf").read_text(encoding="utf-8")
    pages = re.findall(r'href="([^"]+)" media-type="application/xhtml\+xml"', opf)
    assert len(pages) > 10
    for page in pages:
        root = ElementTree.parse(epub / page).getroot()
        assert root.get("lang") == "en" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en", page


def test_a_page_without_a_language_fails_the_build_naming_it(tmp_path):
    root = ROOT / "tests" / "roots" / "epub-page-without-language"
    result = sphinx_build(ROOT / "tests" / "roots" / "one-page-book", tmp_path / "epub", "epub", confdir=root)
    assert result.returncode != 0
    assert (f"{tmp_path / 'epub' / 'stray.xhtml'}:3: WARNING: EPUB page without a language: stray.xhtml (its <html> "
            "needs lang and xml:lang; screen readers choose their voice by it) [book.epub_lang]") in result.stderr, \
        result.stderr
    assert "Traceback" not in result.stderr
