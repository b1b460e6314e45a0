"""The PDF has the editor's notes as labelled boxes, each chapter's sources, and the bibliography in its own
chapter (not moved to an unnumbered one at the end), with back-links that resolve."""
from __future__ import annotations

import re
import subprocess

import pytest

from conftest import BOOK

pytestmark = [pytest.mark.tex, pytest.mark.slow]


@pytest.fixture(scope="module")
def pages(pdf_build):
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_build / "pdf" / f"{BOOK}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [" ".join(p.split()) for p in out.split("\f")]


def test_notes_sources_and_bibliography_are_in_the_pdf(pages, pdf_build):
    text = " ".join(pages)
    assert text.count("Editor’s note") + text.count("Editor's note") >= 30
    assert text.count("Sources cited in this chapter") >= 8
    # the bibliography is the chapter before "Editor's notes", not an unnumbered chapter at the very end
    bib = [n for n, p in enumerate(pages) if "Cited in:" in p]
    about = [n for n, p in enumerate(pages) if "This page is written by the editors of this book" in p]
    assert bib and about and max(bib) < max(about), (bib, about)
    assert "[Coll 2004]" in text.replace("[ Coll 2004 ]", "[Coll 2004]") or "Coll 2004" in text
    log = (pdf_build / "latex" / f"{BOOK}.log").read_text(encoding="utf-8", errors="replace")
    assert re.findall(r"Reference `[^']*' on page \d+ undefined", log) == []
