"""Evidence in the PDF: under each glossary entry, "In the article:" gives the page of each paragraph its
evidence stands in, and the article's words are on that page."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from booklib.entities import load_entities

pytestmark = [pytest.mark.tex, pytest.mark.slow]


def squeeze(text: str) -> str:
    """Letters and digits only: the words survive line breaks, hyphenation and typographic quotes."""
    return re.sub(r"[\W_]+", "", text)


def test_each_glossary_entry_gives_the_pages_where_its_evidence_stands(pdf_pages, printed_page, glossary_appendix):
    entities, _ = load_entities(ROOT / "docs" / "entities")
    text = "\n".join(pdf_pages[i] for i in glossary_appendix)
    checked = 0
    for e in (e for e in entities.items if e.evidence):
        at = text.find(f"\n{e.name}\n")
        assert at >= 0, e.name
        lead = text.find("In the article:", at)
        end = text.find("Mentioned in:", lead)
        numbers = [int(n) for n in re.findall(r"page\s+(\d+)", text[lead:end])]
        assert numbers, e.name
        for n in numbers:
            index = printed_page(n)
            # the paragraph starts on page n; a passage in it is there or on the next page (its first words:
            # TeX may set a citation's label between them)
            there = squeeze("".join(pdf_pages[index:index + 2]))
            assert any(all(squeeze(w) in there for w in p.split()[:6]) for p in e.evidence), (e.name, n)
            checked += 1
    assert checked >= len([e for e in entities.items if e.evidence])
