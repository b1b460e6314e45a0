"""Every word of the article is in the built book, in order; a dropped or altered word fails."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, sphinx_build
from booklib import article_words
from scripts import check_lossless
from ext import lossless_check

SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
CORRECTIONS = ROOT / "sources" / "corrections.toml"


@pytest.mark.slow
def test_the_book_keeps_every_word_of_the_article(html_dir):
    assert check_lossless.check(html_dir, SOURCE, CORRECTIONS) == []


def test_the_article_stream_covers_infobox_lead_sections_lists_and_interlanguage():
    words = [t.word for t in article_words.article_stream(SOURCE)]
    text = " ".join(words)
    assert text.startswith("Afghan Civil War 1996 2001 Islamic State of Afghanistan Third Afghan Civil War")
    assert "35 775 killed The 1996 2001 Afghan Civil War" in text  # infobox, then the lead
    assert "War on terror Bibliography Casting Shadows" in text  # see also, then the bibliography lines
    assert text.endswith("ja アフガニスタン紛争 1989年 2001年")
    assert "Partof" not in words and "Combatant1" not in words  # template keys are not article words


TINY = ROOT / "tests" / "roots" / "book-of-a-tiny-article"  # a tiny article, and a tiny book made of it


def tiny_book(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the tiny book with one planted change in its chapter."""
    docs = tmp_path / "docs"
    shutil.copytree(TINY, docs, ignore=shutil.ignore_patterns("conf.py", "article.txt"))
    chapter = docs / "chapters" / "kabul.md"
    text = chapter.read_text(encoding="utf-8")
    assert old in text
    chapter.write_text(text.replace(old, new, 1), encoding="utf-8")
    return docs


def build_tiny(docs: Path, out: Path):
    return sphinx_build(docs, out, confdir=TINY, settings=(f"lossless_corrections={docs / 'corrections.toml'}",))


def test_a_changed_word_fails_the_build_at_the_chapter_line_and_its_advice_records_the_change(tmp_path):
    docs = tiny_book(tmp_path, "3,000 fighter of", "3,000 fighters of")
    result = build_tiny(docs, tmp_path / "html")
    assert result.returncode == 1
    article = "tests/roots/book-of-a-tiny-article/article.txt"
    corrections = docs / "corrections.toml"
    advice = (f'[[correction]]\nchapter = "{docs}/chapters/kabul.md"\narticle = "3,000 fighter of"\n'
              f'book = "3,000 fighters of"\nreason = "why, in one sentence"\n')
    assert result.stderr == (
        f"{docs}/chapters/kabul.md:5: WARNING: the article's words changed: the article has 'in 1996 A further 3 "
        f"000 [fighter] of the regular army' ({article}:7); the book has 'in 1996 A further 3 000 [fighters] of "
        f"the regular army'. Restore the article's words (our own words go in an editor's note); or, if the "
        f"change is deliberate, record it in {corrections}:\n{advice}and build again [book.lossless]\n")
    corrections.write_text(advice.replace("why, in one sentence", "a test"), encoding="utf-8")  # as advised
    again = build_tiny(docs, tmp_path / "html")
    assert (again.returncode, again.stderr) == (0, "")


def test_a_deleted_word_fails_the_build_at_the_chapter_line(tmp_path):
    docs = tiny_book(tmp_path, "Central Asian militants", "Asian militants")
    result = build_tiny(docs, tmp_path / "html")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{docs}/chapters/kabul.md:5: WARNING: the article's words lost: the article has 'the regular army were "
        "Arab and [Central] Asian militants the article' (tests/roots/book-of-a-tiny-article/article.txt:7); the book "
        "lacks the words in brackets."), result.stderr


def test_article_text_swallowed_by_an_unclosed_note_is_an_error_with_file_and_line(tmp_path):
    docs = tiny_book(tmp_path, "quoted.\n:::\n", "quoted.\n")  # the note's closing line is missing...
    chapter = docs / "chapters" / "kabul.md"
    with chapter.open("a", encoding="utf-8") as text:  # ...so the next note's ':::' closes it
        text.write("\n:::{editor-note}\nA second note.\n:::\n")
    result = build_tiny(docs, tmp_path / "html")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{chapter}:13: WARNING: ':::{{editor-note}}' opens inside ':::{{editor-note}}' of line 7, which is still "
        "open here, so the next ':::' closes that block and this one is swallowed into it with the text between: "
        "close the block of line 7 with a ':::' line above this one (to nest on purpose, give the outer block the "
        "longer fence, '::::') [book.fence]",
        f"{chapter}:11: WARNING: the article's own text ('The city changed hands again in 2001 when ...', 20 "
        "words) is inside an editor's note or another block of ours, so it reads as ours: is a ':::' missing "
        "above it, or misplaced? Each block closes with its own ':::' line before the article's text goes on "
        "[book.lossless]"]


def book_of(entries: list[tuple[str, int, int]]) -> lossless_check.BookWords:
    """The book's words, as the build gathers them, from (word, line, flags) of one page, c.md."""
    page = lossless_check.Page("c.md")
    page.words, page.lines, page.flags = (list(column) for column in zip(*entries))
    book = lossless_check.BookWords()
    book.add(page)
    return book


def test_a_note_quoting_the_article_is_fine_and_the_quotation_check_can_fail():
    words = "a b c d e f g h i j k l m".split()
    ours = lossless_check.Page.OURS
    book = book_of([("x", 1, 0)] + [(w, 2, ours | lossless_check.Page.QUOTED) for w in words])
    where = lossless_check.subsequence(words, book.words)
    assert lossless_check.swallowed(words, book, where) == []
    unquoted = book_of([("x", 1, 0)] + [(w, 2, ours) for w in words])
    assert len(lossless_check.swallowed(words, unquoted, where)) == 1


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
