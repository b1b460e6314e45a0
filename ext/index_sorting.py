"""Sort accented Latin names in the printed index under their base letter ("Āmer" with the A's).

Sphinx runs xindy with its English rules, which know only the letters A to Z: a name that starts with "Ā" or "Ō"
lands in the non-alphabetical group at the top of the index. This writes an xindy module of merge rules, one per
accented Latin letter, each mapping the letter to its base letter (from Unicode's decompositions), next to the
LaTeX sources, and adds it to XINDYOPTS in the Makefile Sphinx generates there. Merge rules change only the keys
xindy sorts and groups by; the index still prints the names as written.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

MODULE = "book-index.xdy"
# Latin-1 Supplement, Latin Extended-A and -B, Latin Extended Additional (Vietnamese and transliterations)
LATIN_RANGES = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00))


def merge_rules() -> list[str]:
    """One xindy merge rule for each accented Latin letter that decomposes to an ASCII letter plus marks."""
    rules = []
    for block in LATIN_RANGES:
        for code in block:
            letter = chr(code)
            base = unicodedata.normalize("NFD", letter)[0]
            if base != letter and base.isascii() and base.isalpha():
                rules.append(f'(merge-rule "{letter}" "{base}" :string)')
    return rules


def module_text() -> str:
    return (";;; -*- coding: utf-8; -*- Written by ext/index_sorting.py: accented Latin letters sort as their"
            " base letter.\n" + "\n".join(merge_rules()) + "\n")


def write_module(app, exception):
    if exception or app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    (outdir / MODULE).write_text(module_text(), encoding="utf-8")
    makefile = outdir / "Makefile"
    line = f"XINDYOPTS += -M {MODULE}\n"
    text = makefile.read_text(encoding="utf-8")
    if "export XINDYOPTS" not in text:
        raise RuntimeError(f"{makefile}: no 'export XINDYOPTS' line; is latex_use_xindy off? The index needs xindy.")
    if line not in text:
        text = text.replace("# format: pdf or dvi", line + "# format: pdf or dvi", 1)
        if line not in text:
            text += line
        makefile.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("build-finished", write_module)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
