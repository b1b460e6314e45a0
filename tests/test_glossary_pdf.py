"""The glossary in the PDF: an appendix that term links point to, whose "Mentioned in" lists give page numbers."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import BOOK, ROOT
from booklib.entities import load_entities

pytestmark = [pytest.mark.tex, pytest.mark.slow]


def squeeze(text: str) -> str:
    """Text without spaces, line breaks and hyphens: names survive TeX's line breaking and hyphenation."""
    return re.sub(r"[\s\-‐]+", "", text)


def test_mentioned_in_page_numbers_point_at_pages_that_mention_the_entry(pdf_pages, printed_page,
                                                                         glossary_appendix):
    entities, _ = load_entities(ROOT / "docs" / "entities")
    glossary = glossary_appendix
    text = "\n".join(pdf_pages[i] for i in glossary)
    checked = 0
    for e in entities.items:
        start = text.find(f"\n{e.name}\n")
        assert start >= 0, e.name
        mentioned = text.find("Mentioned in:", start)
        end = text.find(".", text.find(")", mentioned))
        numbers = [int(n) for n in re.findall(r"page\s+(\d+)", text[mentioned:end + 1])]
        assert numbers, e.name
        for n in numbers:
            index = printed_page(n)
            assert index not in glossary
            # the number is where the mentioning section starts; the mention is there or on the next pages (a
            # period of the timeline, a table with each event's evidence, runs over several)
            section = squeeze("".join(pdf_pages[index:index + 6]))
            assert any(squeeze(s) in section for s in e.spellings), (e.name, n)
            checked += 1
    assert checked > len(entities.items)


def test_term_links_in_the_chapters_point_into_the_glossary_appendix(pdf_build, glossary_appendix):
    reader = PdfReader(pdf_build / "pdf" / f"{BOOK}.pdf")
    glossary = glossary_appendix
    named = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    into_glossary = 0
    for number, page in enumerate(reader.pages):
        if number in glossary:
            continue
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/S") == "/GoTo" and named.get(str(action.get("/D"))) in glossary:
                into_glossary += 1
    roles = sum(len(re.findall(r"\{term\}`", p.read_text(encoding="utf-8")))
                for p in (ROOT / "docs" / "chapters").glob("*.md"))
    assert into_glossary >= roles > 200
