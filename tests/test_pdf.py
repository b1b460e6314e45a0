"""The PDF: real glyphs for every script in the article, embedded fonts, parts and chapters, attribution."""
from __future__ import annotations

import subprocess
import tomllib
import unicodedata

import pytest
from pypdf import PdfReader

from conftest import BOOK, ROOT
import check_latex_log

META = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))


def test_the_log_check_finds_a_missing_glyph():
    log = "Some line\nMissing character: There is no ア (U+30A2) in font [NotoSerif-Regular.ttf]:mode=node;!\nEnd\n"
    assert check_latex_log.missing_characters(log) == [
        "Missing character: There is no ア (U+30A2) in font [NotoSerif-Regular.ttf]:mode=node;!"]
    assert check_latex_log.missing_characters("Overfull \\hbox\n") == []


@pytest.fixture(scope="module")
def pdf(pdf_build):
    return PdfReader(pdf_build / "pdf" / f"{BOOK}.pdf")


@pytest.fixture(scope="module")
def text(pdf_build):
    """The PDF's text as poppler's pdftotext extracts it (pypdf drops spaces and the Arabic), NFKC-normalised
    so that Arabic presentation forms compare equal to the letters of the source."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_build / "pdf" / f"{BOOK}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


@pytest.mark.tex
@pytest.mark.slow
def test_no_missing_glyphs_in_the_latex_log(pdf_build):
    log = (pdf_build / "latex" / f"{BOOK}.log").read_text(encoding="utf-8", errors="replace")
    assert "LuaHBTeX" in log  # the engine that sets Arabic and Japanese correctly
    assert check_latex_log.missing_characters(log) == []


@pytest.mark.tex
@pytest.mark.slow
def test_every_font_is_embedded(pdf):
    fonts = {}
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            fonts[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    names = " ".join(fonts)
    for family in ("NotoSerif", "NotoNaskhArabic", "NotoSerifCJK"):
        assert family in names, names


@pytest.mark.tex
@pytest.mark.slow
def test_non_latin_text_is_real_text(text):
    assert "Āmer Sāheb-e Shahīd" in text
    assert "アフガニスタン紛争 (1989年-2001年)" in text
    for word in ("الحاج", "عبد", "القادر"):
        assert word in text, word


@pytest.mark.tex
@pytest.mark.slow
def test_parts_and_chapters_are_bookmarked(pdf):
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(pdf.outline)
    assert "I Main participants" in titles and "II Background and history" in titles  # the two parts
    for title in ("Main participants", "Introduction", "Pakistan", "Excerpts of the war", "Mazar-i-Sharif",
                  "Further reading", "About this book"):
        assert title in titles, titles
    assert 20 <= len(pdf.pages) <= 200


@pytest.mark.tex
@pytest.mark.slow
def test_the_pdf_carries_the_attribution(text, pdf):
    flat = " ".join(text.split())
    for needed in ("This text was modified", META["licence_name"], "revision id", "Wikipedia contributors"):
        assert needed in flat, needed
    links = {a.get_object()["/A"].get("/URI") for page in pdf.pages for a in page.get("/Annots") or []
             if a.get_object().get("/A")}
    assert {META["url"], META["history_url"], META["licence_url"]} <= links
