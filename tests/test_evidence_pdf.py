"""Evidence in the PDF: under each glossary entry, "In the article:" gives the page of each paragraph its
evidence stands in, and the article's words are on that page."""
from __future__ import annotations

import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import BOOK, ROOT
from booklib.entities import load_entities

pytestmark = [pytest.mark.tex, pytest.mark.slow]


def squeeze_lines(text: str) -> str:
    """Text with line breaks as spaces: a sentence survives TeX's line breaking."""
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """Letters and digits only: the words survive line breaks, hyphenation and typographic quotes."""
    return re.sub(r"[\W_]+", "", text)


@pytest.fixture(scope="module")
def pages(pdf_build) -> list[str]:
    pdf = pdf_build / "pdf" / f"{BOOK}.pdf"
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return out.split("\f")


def test_each_glossary_entry_gives_the_pages_where_its_evidence_stands(pdf_build, pages):
    labels = PdfReader(pdf_build / "pdf" / f"{BOOK}.pdf").page_labels  # printed page number of each page
    entities, _ = load_entities(ROOT / "docs" / "entities")
    start = next(i for i, p in enumerate(pages) if "and states that the article names, with what the article says of each" in squeeze_lines(p))
    text = "\n".join(pages[start:])
    checked = 0
    for e in (e for e in entities.items if e.evidence):
        at = text.find(f"\n{e.name}\n")
        assert at >= 0, e.name
        lead = text.find("In the article:", at)
        end = text.find("Mentioned in:", lead)
        numbers = [int(n) for n in re.findall(r"page\s+(\d+)", text[lead:end])]
        assert numbers, e.name
        for n in numbers:
            index = max(i for i, label in enumerate(labels) if label == str(n))  # the title pages are 1, 2 too
            # the paragraph starts on page n; a passage in it is there or on the next page (its first words:
            # TeX may set a citation's label between them)
            there = squeeze("".join(pages[index:index + 2]))
            assert any(all(squeeze(w) in there for w in p.split()[:6]) for p in e.evidence), (e.name, n)
            checked += 1
    assert checked >= len([e for e in entities.items if e.evidence])
