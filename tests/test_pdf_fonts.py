"""Fonts a print shop accepts: a planted Type 3 font and a planted unembedded font fail the check, naming the
figures that brought them. The book's own PDF is checked by `make pdf` (and tests/test_pdf.py)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ROOT, sphinx_build
from scripts import check_pdf_fonts

PLANTED = ROOT / "tests" / "roots" / "figures-with-bad-fonts"


def draw_figure(path, **rc) -> None:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(2, 1))
        fig.text(0.1, 0.5, "Kabul")
        fig.savefig(path, format="pdf", metadata={"CreationDate": None})


@pytest.mark.tex
@pytest.mark.slow
def test_a_type3_and_an_unembedded_font_fail_naming_their_figures(tmp_path, capsys):
    book = tmp_path / "book"
    shutil.copytree(PLANTED, book)
    draw_figure(book / "type3.pdf", **{"pdf.fonttype": 3})  # matplotlib's default: Type 3
    draw_figure(book / "unembedded.pdf", **{"pdf.use14corefonts": True})  # Helvetica, referenced, not embedded
    out = tmp_path / "latex"
    result = sphinx_build(book, out, "latex", confdir=book)
    assert result.returncode == 0, result.stderr
    latex = subprocess.run(["make", "-C", str(out), "--no-print-directory", "LATEXMKOPTS=-silent -halt-on-error",
                            "all-pdf"], capture_output=True, text=True)
    assert latex.returncode == 0, latex.stdout[-3000:]
    pdf = out / "planted.pdf"
    assert check_pdf_fonts.main([str(pdf), "--figures", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{pdf}: Type 3 font: " in err
    assert f"{out / 'type3.pdf'}: Type 3 font: " in err and "(this figure brings it into the PDF)" in err
    assert f"{pdf}: font not embedded: Helvetica (Type 1)" in err
    assert f"{out / 'unembedded.pdf'}: font not embedded: Helvetica (Type 1)" in err


def test_a_figure_with_embedded_truetype_passes(tmp_path):
    """The same figure drawn as the maps are drawn (pdf.fonttype 42) passes."""
    figure = tmp_path / "fine.pdf"
    draw_figure(figure, **{"pdf.fonttype": 42})
    assert check_pdf_fonts.problems(figure) == []
    draw_figure(figure, **{"pdf.fonttype": 3})
    problems = check_pdf_fonts.problems(figure)
    assert problems and all(p.startswith("Type 3 font: ") for p in problems)
