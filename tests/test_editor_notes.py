"""Editor's notes: a distinct element in HTML, every note listed on the "Editor's notes" page, bad input named."""
from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, sphinx_build

pytestmark = pytest.mark.slow
ROOTS = ROOT / "tests" / "roots"


def main(html_dir, name):
    return BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser").select_one("article[role=main]")


def source_notes():
    """(chapter, kind) for every note in the chapter sources."""
    found = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r":::\{editor-note\}\n(.*?)\n:::", text, re.S):
            # the kind as a field (":kind: lost") or in the YAML options block ("---", "kind: lost", ..., "---")
            kind = re.match(r":kind: (\w+)", block) or re.match(r"---\n(?:.*\n)*?kind: (\w+)\n", block)
            found.append((path.stem, kind.group(1) if kind else "other"))
    timeline = (ROOT / "docs" / "_data" / "timeline.yaml").read_text(encoding="utf-8")
    found += [("timeline", "tension")] * len(re.findall(r"^    conflict:", timeline, re.M))  # shown as notes
    return found


def test_every_note_is_a_distinct_element_and_listed_with_a_link(html_dir):
    notes = source_notes()
    assert len(notes) >= 30
    rendered = []
    pages = [f"chapters/{p.name}" for p in sorted((html_dir / "chapters").glob("*.html"))] + ["timeline.html"]
    for page in pages:
        for div in main(html_dir, page).select(".editor-note"):
            assert div.name == "div" and div.get("id", "").startswith("editor-note-")
            assert div.select_one(".admonition-title").get_text().replace("’", "'").startswith("Editor's note")
            rendered.append(f"{page}#{div['id']}")
    assert len(rendered) == len(notes)
    listing = main(html_dir, "editor-notes.html")
    links = [a["href"] for a in listing.select("ol.editor-note-list a[href]")]
    assert sorted(links) == sorted(rendered)
    for kind in ("lost", "tension", "spelling", "unverified"):
        count = sum(1 for _, k in notes if k == kind)
        assert count > 0, kind
        assert listing.select_one(f"p.rubric.editor-note-list-{kind}").get_text().endswith(f"({count})")


def test_the_css_styles_notes_in_light_and_dark_mode(html_dir):
    css = (html_dir / "_static" / "book.css").read_text(encoding="utf-8")
    assert "div.admonition.editor-note" in css and 'body[data-theme="dark"]' in css


def test_an_unknown_kind_is_an_error_with_file_and_line(tmp_path):
    result = sphinx_build(ROOTS / "editor-note-bad-kind", tmp_path / "html")
    assert result.returncode != 0
    assert (f"{ROOTS / 'editor-note-bad-kind' / 'index.md'}:5: WARNING: editor-note: unknown :kind: 'guess'; use one "
            "of: lost, tension, spelling, unverified, source, other [editor_notes.kind]") in result.stderr, result.stderr


def test_the_list_page_is_written_again_when_a_note_changes_and_only_then(tmp_path):
    """The list is filled in when its page is written: an edit of the article's text leaves it as it was; a new
    note appears in it at the next build."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "editor-notes-list", source, ignore=shutil.ignore_patterns("conf.py"))
    out = tmp_path / "html"
    confdir = ROOTS / "editor-notes-list"
    assert sphinx_build(source, out, confdir=confdir).returncode == 0
    listed = (out / "notes.html").stat().st_mtime_ns
    chapter = source / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe city changed hands again.\n", encoding="utf-8")
    assert sphinx_build(source, out, confdir=confdir).returncode == 0
    assert (out / "notes.html").stat().st_mtime_ns == listed
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n:::{editor-note}\n:kind: spelling\nA second note.\n:::\n",
                       encoding="utf-8")
    result = sphinx_build(source, out, confdir=confdir)
    assert result.returncode == 0, result.stderr
    assert "The book has 2 editor's notes" in (out / "notes.html").read_text(encoding="utf-8")
