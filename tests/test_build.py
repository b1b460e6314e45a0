"""The HTML book: a title page, a table of contents in two parts, chapters, and the attribution."""
from __future__ import annotations

import re
import tomllib
import zipfile

import pytest
from bs4 import BeautifulSoup

from conftest import BOOK, ROOT, sphinx_build

META = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.slow


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_index_is_a_title_page_with_a_table_of_contents_in_two_parts(html_dir):
    index = soup(html_dir / "index.html")
    main = index.select_one("article[role=main]")
    assert main.h1.get_text(strip=True).rstrip("#¶") == META["title"]
    captions = [c.get_text(strip=True) for c in main.select(".toctree-wrapper .caption-text")]
    assert captions == ["Main participants", "Background and history", "Back matter"]
    chapters = [a["href"] for a in main.select(".toctree-wrapper li.toctree-l1 > a")]
    assert chapters[0] == "chapters/introduction.html" and "about.html" in chapters
    assert len(chapters) == 20  # 13 chapters, glossary, places, timeline, bibliography, editor's notes, changes, about
    assert chapters.index("glossary.html") < chapters.index("about.html")  # back matter, before about
    assert "places.html" in chapters
    assert "CC BY-SA 4.0" in main.get_text()


def test_about_page_carries_the_attribution(html_dir):
    about = soup(html_dir / "about.html")
    hrefs = {a["href"] for a in about.select("a[href]")}
    assert {META["url"], META["history_url"], META["licence_url"]} <= hrefs
    text = about.get_text(" ")
    for needed in ("This text was modified", "revision id", META["received"], META["sha256"],
                   META["licence_name"], "Wikipedia contributors"):
        assert needed in text, needed


def test_chapters_have_stable_anchors(html_dir):
    page = soup(html_dir / "chapters" / "excerpts-of-the-war.html")
    ids = {tag.get("id") for tag in page.select("[id]")}
    assert {"excerpts-of-the-war", "excerpts-of-the-war-mazar-i-sharif", "excerpts-of-the-war-panjshir"} <= ids


def test_contributing_s_examples_build_and_a_warning_fails_the_build(tmp_path):
    """CONTRIBUTING.md's Markdown examples, as written, in a chapter of a copy of the book: the build passes. Then
    the strict flags are real: a broken reference fails the rebuild, naming file and line."""
    import shutil
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    note = re.search(r"```markdown\n(:::\{editor-note\}.*?:::)\n```", text, re.S).group(1)
    roles = [m for m in re.findall(r"``(\{(?:cite:p|ref|term)\}`[^`]+`) ``", text)
             if "..." not in m and "Canonical Name" not in m]
    assert len(roles) >= 3, roles  # a citation and two cross-references
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    chapter = docs / "chapters" / "pakistan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + note + "\n\nOur words: " + ", ".join(roles)
                       + ".\n", encoding="utf-8")
    result = sphinx_build(docs, tmp_path / "html")
    assert (result.returncode, result.stderr) == (0, "")
    lines = chapter.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "See {ref}`no-such-label`.")
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = sphinx_build(docs, tmp_path / "html")
    assert result.returncode != 0
    assert f"{chapter}:6: WARNING: undefined label: 'no-such-label'" in result.stderr


def test_epub_builds_without_warnings(epub_dir):  # the shared build fails on any warning
    with zipfile.ZipFile(epub_dir / f"{BOOK}.epub") as epub:
        names = epub.namelist()
        assert "mimetype" == names[0]
        assert any(n.endswith("chapters/pakistan.xhtml") for n in names)
        nav = epub.read("nav.xhtml").decode()
        assert "Main participants" in nav


def test_the_build_reads_no_file_of_the_tests():
    """The tests read the book, never the other way round: no setting of conf.py and no line of the Makefile's
    building targets names a file under tests/ (the public anchors live beside conf.py)."""
    import runpy
    conf = runpy.run_path(str(ROOT / "conf.py"))
    named = [v for v in conf.values() if isinstance(v, str)] + \
            [x for v in conf.values() if isinstance(v, (list, tuple)) for x in v if isinstance(x, str)]
    assert [v for v in named if (ROOT / v).resolve().is_relative_to(ROOT / "tests")] == []
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    building = [line for line in makefile[:makefile.index("\ntest:")].splitlines() if not line.startswith("#")]
    assert [line for line in building if "tests/" in line] == []  # the targets before the tests' own
    assert (ROOT / conf["html_link_check_anchors"]).is_file()
