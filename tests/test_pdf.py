"""The PDF: real glyphs for every script in the article, embedded fonts, parts and chapters, attribution, front
matter, metadata, an index that sorts accented names, and the same bytes from two builds of one commit.

Most checks live in scripts/check_pdf.py (which `make pdf` runs too); the planted-fault test shows they fail on a
PDF that lost a font and a chapter.
"""
from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BOOK, ROOT, shared, sphinx_build
from scripts import check_latex_log
from scripts import check_pdf
from scripts import check_pdf_fonts

META = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
CONF = runpy.run_path(str(ROOT / "conf.py"))


def test_the_log_check_finds_a_missing_glyph_and_a_wide_overfull_box(tmp_path, capsys):
    log = "Some line\nMissing character: There is no ア (U+30A2) in font [NotoSerif-Regular.ttf]:mode=node;!\nEnd\n"
    assert check_latex_log.missing_characters(log) == [
        "Missing character: There is no ア (U+30A2) in font [NotoSerif-Regular.ttf]:mode=node;!"]
    assert check_latex_log.missing_characters("Overfull \\hbox\n") == []
    boxes = "Overfull \\hbox (143.9054pt too wide) in paragraph at lines 884--887\nOverfull \\hbox (1.5pt too wide) in x\n"
    assert [w for w, _ in check_latex_log.overfull_boxes(boxes)] == [143.9054, 1.5]
    (tmp_path / "narrow.log").write_text("Overfull \\hbox (1.5pt too wide) in x\n", encoding="utf-8")
    (tmp_path / "wide.log").write_text(boxes, encoding="utf-8")
    assert check_latex_log.main([str(tmp_path / "narrow.log")]) == 0
    assert check_latex_log.main([str(tmp_path / "wide.log")]) == 1
    assert "1 overfull box(es) wider than 5.0pt" in capsys.readouterr().err


def test_us_letter_is_one_variable_away():
    env = dict(os.environ, PAPER="letter")
    out = subprocess.run([sys.executable, "-c", "import runpy; print(runpy.run_path('conf.py')"
                          "['latex_elements']['papersize'])"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "letterpaper", out.stderr
    assert CONF["latex_elements"]["papersize"] == ("letterpaper" if os.environ.get("PAPER") == "letter" else "a4paper")
    assert "export PAPER" in (ROOT / "Makefile").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_path(pdf_build) -> Path:
    return pdf_build / "pdf" / f"{BOOK}.pdf"


@pytest.fixture(scope="module")
def pdf(pdf_path):
    return PdfReader(pdf_path)


@pytest.fixture(scope="module")
def text(pdf_path):
    return check_pdf.pdf_text(pdf_path)


@pytest.mark.tex
@pytest.mark.slow
def test_the_latex_log_is_clean(pdf_build):
    log = pdf_build / "latex" / f"{BOOK}.log"
    assert "LuaHBTeX" in log.read_text(encoding="utf-8", errors="replace")  # sets Arabic and Japanese correctly
    assert check_latex_log.main([str(log), "--max-overfull", "5"]) == 0


@pytest.mark.tex
@pytest.mark.slow
def test_the_pdf_passes_every_check(pdf_build, pdf_path):
    assert check_pdf.problems(pdf_path, pdf_build / "latex") == []


@pytest.mark.tex
@pytest.mark.slow
def test_non_latin_text_is_real_text(text):
    assert "Āmer Sāheb-e Shahīd" in text
    assert "アフガニスタン紛争 (1989年-2001年)" in text
    for word in ("الحاج", "عبد", "القادر"):
        assert word in text, word


@pytest.mark.tex
@pytest.mark.slow
def test_parts_chapters_and_appendices_are_bookmarked_in_order(pdf):
    titles = check_pdf.outline_titles(pdf)
    assert "I Main participants" in titles and "II Background and history" in titles  # the two parts
    for title in ("Main participants", "Introduction", "Pakistan", "Excerpts of the war", "Mazar-i-Sharif",
                  "Further reading", "About this book"):
        assert title in titles, titles
    # the back matter comes after both parts, as appendices (lettered in the table of contents)
    assert titles.index("II Background and history") < titles.index("Further reading") < titles.index("About this book")
    assert 20 <= len(pdf.pages) <= 200


@pytest.mark.tex
@pytest.mark.slow
def test_front_matter_half_title_title_copyright_contents(pdf_path):
    pages = [" ".join(check_pdf.pdf_text(pdf_path, n, n).split()) for n in range(1, 6)]
    assert pages[0] == META["title"]  # half-title: the title alone
    assert pages[1] == ""  # its blank back
    assert pages[2].startswith(META["title"]) and CONF["author"] in pages[2]  # title page
    assert "This text was modified" in pages[3] and META["licence"] in pages[3]  # copyright page
    assert "CONTENTS" in pages[4].upper()
    # the contents give page numbers: "5 Pakistan 11"
    assert re.search(r"\bPakistan (\d+)\b", pages[4] + " " + check_pdf.pdf_text(pdf_path, 6, 6))


@pytest.mark.tex
@pytest.mark.slow
def test_running_heads_name_the_chapter_and_the_book(pdf_path, pdf):
    layout = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True,
                            text=True, check=True).stdout
    heads = [" ".join(page.strip().splitlines()[0].split()) for page in layout.split("\f") if page.strip()]
    assert any(re.fullmatch(rf"\d+ {re.escape(META['title'])}", h) for h in heads), heads
    assert any(re.fullmatch(r"Chapter \d+\. Excerpts of the war \d+", h) for h in heads), heads


@pytest.mark.tex
@pytest.mark.slow
def test_document_metadata(pdf):
    assert pdf.metadata["/Title"] == CONF["project"]
    assert pdf.metadata["/Author"] == "Wikipedia contributors and the editors of this book"
    assert META["title"] in pdf.metadata["/Subject"]
    assert pdf.trailer["/Root"]["/Lang"] == "en"
    assert round(float(pdf.pages[0].mediabox.width)) == 595  # A4 unless PAPER=letter


@pytest.mark.tex
@pytest.mark.slow
def test_the_pdf_carries_xmp_metadata_with_its_language_and_licence(pdf):
    xmp = pdf.xmp_metadata
    assert xmp is not None, "no XMP metadata"
    assert xmp.dc_title == {CONF["language"]: CONF["project"]}
    assert xmp.dc_language == [CONF["language"]]
    packet = xmp.stream.get_data().decode("utf-8")
    assert META["licence_url"] in packet and META["licence"] in packet


@pytest.mark.tex
@pytest.mark.slow
def test_no_type3_or_unembedded_font_and_the_maps_letter_in_noto(pdf_build, pdf_path):
    """What print shops' preflight checks: pdffonts (which also sees the maps' fonts) lists no Type 3 font and no
    font that is not embedded; the maps' lettering is the book's Noto Sans, subset, as TrueType."""
    assert check_pdf_fonts.problems(pdf_path) == []
    assert not [f for f in check_pdf_fonts.fonts(pdf_path) if "DejaVu" in f["name"]]
    maps = sorted((pdf_build / "latex").glob("overview-*.pdf"))
    assert maps
    for font in check_pdf_fonts.fonts(maps[0]):
        assert re.fullmatch(r"[A-Z]{6}\+NotoSans(Symbols2)?-\w+", font["name"]), font
        assert font["type"] == "CID TrueType" and font["emb"] == "yes" and font["sub"] == "yes", font


@pytest.mark.tex
@pytest.mark.slow
def test_the_pdf_carries_the_attribution(text, pdf):
    flat = " ".join(text.split())
    for needed in ("This text was modified", META["licence_name"], "revision id", "Wikipedia contributors"):
        assert needed in flat, needed
    links = {a.get_object()["/A"].get("/URI") for page in pdf.pages for a in page.get("/Annots") or []
             if a.get_object().get("/A")}
    assert {META["url"], META["history_url"], META["licence_url"]} <= links


def latexmk(folder: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Sphinx's own LaTeX Makefile (latexmk, LuaLaTeX, xindy), as `make pdf` runs it."""
    return subprocess.run(["make", "-C", str(folder), "--no-print-directory", "LATEXMKOPTS=-silent -halt-on-error",
                           "all-pdf"], capture_output=True, text=True, env=env)


# Names from the article, in no order, as Sphinx writes a glossary term's index entry (it indexes every term)
INDEX_NAMES = ["Burhanuddin Rabbani", "Āmer Sāheb-e Shahīd", "Ismail Khan", "Ahmad Shah Massoud"]


@pytest.fixture(scope="module")
def altered_copy(pdf_build, tmp_path_factory) -> Path:
    """The book's LaTeX sources, altered and built again (one LuaLaTeX build serves two tests, to save a minute):
    two planted faults, the Japanese font and the chapter "Pakistan" gone; and four index entries, so that the index
    prints before the glossary brings the real ones. Built once per test run (shared: the two tests may run in two
    pytest-xdist workers)."""
    return shared(tmp_path_factory, "altered-pdf", lambda folder: alter_and_build(pdf_build, folder)) / "latex"


def alter_and_build(pdf_build: Path, folder: Path) -> str:
    latex = folder / "latex"
    shutil.copytree(pdf_build / "latex", latex)
    tex = latex / f"{BOOK}.tex"
    source = tex.read_text(encoding="utf-8")
    altered = re.sub(r"^\\babelfont\[japanese\]\{(rm|sf)\}\{[^}]+\}$", "", source, flags=re.MULTILINE)
    altered = re.sub(r"\\chapter\{Pakistan\}.*?(?=\\chapter\{)", "", altered, flags=re.DOTALL)
    assert altered.count("\\babelfont[japanese]") == 0 and "\\chapter{Pakistan}" not in altered
    entries = "".join(f"\\index{{{name}@\\spxentry{{{name}}}|spxpagem}}" for name in INDEX_NAMES)
    altered = altered.replace("\\chapter{Introduction}", "\\chapter{Introduction}" + entries, 1)
    tex.write_text(altered, encoding="utf-8")
    result = latexmk(latex)
    return "" if result.returncode == 0 else result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.tex
@pytest.mark.slow
def test_the_checks_fail_on_a_pdf_that_lost_a_font_and_a_chapter(altered_copy):
    found = check_pdf.problems(altered_copy / f"{BOOK}.pdf", altered_copy)
    assert "outline: no bookmark for the chapter 'Pakistan' (chapters/pakistan)" in found
    assert "font missing: Noto Serif CJK JP (japanese text) is not in the PDF" in found
    assert any(p.startswith("text missing: 'アフガニスタン紛争'") for p in found), found
    log = (altered_copy / f"{BOOK}.log").read_text(encoding="utf-8", errors="replace")
    assert check_latex_log.missing_characters(log)


@pytest.mark.tex
@pytest.mark.slow
def test_the_index_prints_and_sorts_accented_names_with_their_letter(altered_copy):
    pdf = altered_copy / f"{BOOK}.pdf"
    assert "Index" in check_pdf.outline_titles(PdfReader(pdf))
    assert not any(p.startswith("index:") for p in check_pdf.problems(pdf, altered_copy))
    index = re.split(r"^\f*INDEX$", check_pdf.pdf_text(pdf), flags=re.MULTILINE)[-1]  # the chapter, not a running head
    lines = [line.strip() for line in unicodedata.normalize("NFC", index).splitlines() if line.strip()]
    names = [re.sub(r"(,\s*\d+)+$", "", line) for line in lines if re.search(r",\s*\d+$", line)]
    names = list(dict.fromkeys(n for n in names if n in INDEX_NAMES))  # the planted ones, among the glossary's
    unaccented = {n: "".join(c for c in unicodedata.normalize("NFD", n) if not unicodedata.combining(c)) for n in names}
    assert names == sorted(INDEX_NAMES, key=lambda n: unaccented.get(n, n)), lines
    groups = [line for line in lines if re.fullmatch(r"[A-Z]|Symbols|Non-alphabetical|default", line)]
    assert {"A", "B", "I"} <= set(groups), lines


@pytest.mark.tex
@pytest.mark.slow
def test_two_builds_of_one_commit_give_the_same_bytes(pdf_build, tmp_path, monkeypatch):
    """The LaTeX sources come out the same from a second Sphinx build, and one more LuaLaTeX run on a copy of them,
    in another folder, writes the very same PDF: no clock, no path in the bytes. The dates are the commit's."""
    epoch = (pdf_build / "source-date-epoch").read_text(encoding="utf-8")  # the first build's: the last commit's
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    monkeypatch.setenv("FORCE_SOURCE_DATE", "1")
    again = sphinx_build(ROOT / "docs", tmp_path / "latex-again", "latex", new_interpreter=True)
    assert again.returncode == 0, again.stderr
    first = pdf_build / "latex" / f"{BOOK}.tex"
    assert (tmp_path / "latex-again" / f"{BOOK}.tex").read_bytes() == first.read_bytes()

    copy = tmp_path / "copy"
    shutil.copytree(pdf_build / "latex", copy)
    (copy / f"{BOOK}.pdf").unlink()  # latexmk runs LuaLaTeX once more, on converged auxiliary files
    result = latexmk(copy, env=dict(os.environ))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert (copy / f"{BOOK}.pdf").read_bytes() == (pdf_build / "pdf" / f"{BOOK}.pdf").read_bytes()

    created = PdfReader(copy / f"{BOOK}.pdf").metadata["/CreationDate"]
    assert created.startswith("D:" + time.strftime("%Y%m%d%H%M%S", time.gmtime(int(epoch))))
