"""A rebuild's search index is the clean build's: Sphinx 9 lost the index entries (glossary terms) of every page a
rebuild did not write again (ext/search_index_entries.py)."""
from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx

PAGES = {
    "index.md": "# Tiny\n\n```{toctree}\na\nb\nc\n```\n",
    "a.md": "# A\n\n```{index} Kabul\n```\n\n```{glossary}\nTaliban\n  A movement.\n```\n",
    "b.md": "# B\n\nNo entries here.\n",
    "c.md": "# C\n\n```{index} Kabul\n```\n\nText of C.\n",
}


def build(source: Path, out: Path) -> dict:
    app = Sphinx(source, source, out / "html", out / "doctrees", "html", status=None, warning=None,
                 confoverrides={"extensions": ["myst_parser", "ext.search_index_entries"]})
    app.build()
    text = (out / "html" / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1:text.rindex(")")])


def test_a_rebuild_keeps_the_index_entries_of_the_pages_it_does_not_write(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text("", encoding="utf-8")
    for name, text in PAGES.items():
        (source / name).write_text(text, encoding="utf-8")
    build(source, tmp_path / "edited")
    for page in ("c.md", "b.md"):  # a page with entries (written again after those kept), then one without
        (source / page).write_text(PAGES[page] + "\nOne sentence more.\n", encoding="utf-8")
        rebuilt = build(source, tmp_path / "edited")
        clean = build(source, tmp_path / f"clean-{page}")
        assert rebuilt == clean
        assert set(clean["indexentries"]) == {"kabul", "taliban"}  # both pages' entries, "kabul" on two pages
        assert [place[0] for place in clean["indexentries"]["kabul"]] == [0, 2]  # the pages a and c, in order
