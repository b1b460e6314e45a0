"""Every word of the article is in the built book, in order; a dropped or altered word fails."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, sphinx_build
import check_lossless

SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
CORRECTIONS = ROOT / "sources" / "corrections.toml"


@pytest.mark.slow
def test_the_book_keeps_every_word_of_the_article(html_dir):
    assert check_lossless.check(html_dir, SOURCE, CORRECTIONS) == []


def test_the_article_stream_covers_infobox_lead_sections_lists_and_interlanguage():
    words = [t.word for t in check_lossless.article_stream(SOURCE)]
    text = " ".join(words)
    assert text.startswith("Afghan Civil War 1996 2001 Islamic State of Afghanistan Third Afghan Civil War")
    assert "35 775 killed The 1996 2001 Afghan Civil War" in text  # infobox, then the lead
    assert "War on terror Bibliography Casting Shadows" in text  # see also, then the bibliography lines
    assert text.endswith("ja アフガニスタン紛争 1989年 2001年")
    assert "Partof" not in words and "Combatant1" not in words  # template keys are not article words


@pytest.mark.slow
def test_deleting_one_word_from_a_chapter_fails_with_file_and_line(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    chapter = docs / "chapters" / "united-front-northern-alliance.md"
    text = chapter.read_text(encoding="utf-8")
    assert "` engineering student turned military leader" in text
    chapter.write_text(text.replace("` engineering student", "` student"), encoding="utf-8")
    result = sphinx_build(docs, tmp_path / "html")
    # the build itself reports only the evidence that quoted the deleted word (not found any more)
    warnings = [w for w in result.stderr.splitlines() if "WARNING" in w]
    assert all("[evidence.not_found]" in w and "engineering" in w for w in warnings), result.stderr
    problems = check_lossless.check(tmp_path / "html", SOURCE, CORRECTIONS)
    line = next(n for n, l in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), 1)
                if "engineering student" in l)
    assert problems == [f"{SOURCE}:{line}: missing from the book: 'engineering' (after 'Shah Massoud a Kabul "
                        f"University'; page chapters/united-front-northern-alliance.html)"]


def book(tmp_path: Path, intro: str, chapter: str) -> Path:
    """A hand-made 'built book': index.html with an introduction, then a part with one chapter."""
    tmp_path.mkdir()
    toc = ('<div class="toctree-wrapper"><ul><li class="toctree-l1"><a href="intro.html">x</a></li></ul></div>'
           '<div class="toctree-wrapper"><p class="caption"><span class="caption-text">Part</span></p>'
           '<ul><li class="toctree-l1"><a href="chapter.html#top">x</a></li></ul></div>')
    (tmp_path / "index.html").write_text(
        f'<article role="main"><h1>Afghan Civil War (1996–2001)<a class="headerlink">¶</a></h1>{toc}</article>',
        encoding="utf-8")
    for name, body in (("intro.html", intro), ("chapter.html", chapter)):
        (tmp_path / name).write_text(f'<article role="main">{body}</article>', encoding="utf-8")
    return tmp_path


def tiny_article(tmp_path: Path) -> Path:
    source = tmp_path / "article.txt"
    source.write_text("= Afghan Civil War (1996–2001) =\n\nThe lead has five words.\n\n== Part ==\n"
                      "=== Chapter ===\nKabul fell in 1996.\n", encoding="utf-8")
    return source


def test_insertions_are_fine_but_an_altered_word_is_not(tmp_path):
    source = tiny_article(tmp_path)
    html = book(tmp_path / "ok", "<p>The lead has five words.</p>",
                "<h1>Chapter</h1><p>Kabul <a class=\"reference\">[Coll, 2004]</a> fell in 1996.</p>"
                "<div class=\"editor-note\">Editor's note: our words.</div>")
    assert check_lossless.check(html, source, tmp_path / "none.toml") == []
    html = book(tmp_path / "bad", "<p>The lead has five words.</p>", "<h1>Chapter</h1><p>Kabul fell in 1997.</p>")
    assert check_lossless.check(html, source, tmp_path / "none.toml") == [
        f"{source}:7: altered in the book: '1996' became '1997' (after 'Part Chapter Kabul fell in'; page chapter.html)"]


def test_a_recorded_correction_is_accepted_and_an_unrecorded_one_is_not(tmp_path):
    source = tiny_article(tmp_path)
    html = book(tmp_path / "b", "<p>The lead has five words.</p>", "<h1>Chapter</h1><p>Kabul fell in 1997.</p>")
    corrections = tmp_path / "corrections.toml"
    corrections.write_text('[[correction]]\nchapter = "a.md"\narticle = "fell in 1996"\nbook = "fell in 1997"\n'
                           'reason = "a test"\n', encoding="utf-8")
    assert check_lossless.check(html, source, corrections) == []
    corrections.write_text('[[correction]]\nchapter = "a.md"\narticle = "fell in 1995"\nbook = "fell in 1997"\n'
                           'reason = "a test"\n', encoding="utf-8")
    problems = check_lossless.check(html, source, corrections)
    assert problems[0] == f"{corrections}: correction 1: the article has no 'fell in 1995'"
