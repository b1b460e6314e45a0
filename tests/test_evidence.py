"""Evidence: every statement of ours points at the article's words; a passage that does not occur, a statement
without evidence, a number or name its evidence lacks, a dropped hedge fail the build with file and line; the
links reach the exact paragraph in HTML, EPUB and PDF, and a reader can follow one and come back."""
from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from bs4 import BeautifulSoup

from booklib import evidence
from conftest import ROOT, shared_result, sphinx_build

ROOTS = ROOT / "tests" / "roots"
PLANTED = ROOTS / "evidence-faults"
GOOD = ROOTS / "evidence-that-resolves"


# -- Planted faults: one tiny book, one fault per entry or note, each message exact --------------------------
@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> list[str]:
    _, result = shared_result(tmp_path_factory, "evidence-planted",
                              lambda folder: sphinx_build(PLANTED, folder / "html", confdir=PLANTED))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


ENTITIES = PLANTED / "entities" / "entities.yaml"
FAULTS = {
    "a passage that does not occur: file, line, passage and the closest text":
        f"{ENTITIES}:6: WARNING: evidence passage of glossary entry 'Dostum' is not in the chapters' text: "
        "'Dostum fled to Turky'; the closest text in the chapters is 'Dostum fled to Turkey' (chapters/one) "
        "[evidence.not_found]",
    "an entry without evidence":
        f"{ENTITIES}:8: WARNING: glossary entry 'Malik' has no evidence: add 'evidence', a list of the article's "
        "words that support it [evidence.missing]",
    "a number its evidence lacks":
        f"{ENTITIES}:12: WARNING: glossary entry 'Rabbani' says '1996', which its evidence does not [evidence.lint]",
    "a number written out that its evidence lacks":
        f"{ENTITIES}:36: WARNING: glossary entry 'Ghani' says 'two', 'thousand', which its evidence does not "
        "[evidence.lint]",
    "a dropped hedge":
        f"{ENTITIES}:18: WARNING: glossary entry 'Hekmatyar' drops the hedge 'alleged' of its evidence; keep it in "
        "our words [evidence.lint]",
    "a passage across two paragraphs":
        f"{ENTITIES}:28: WARNING: evidence passage of glossary entry 'Massoud' runs across two paragraphs "
        "(chapters/one#p-massoud-defended-the-valley, chapters/one#p-he-held-it-in-1997): "
        "'defended the valley. He held it'; give one passage per paragraph [evidence.not_found]",
    "a timeline event without evidence":
        f"{PLANTED / 'timeline.yaml'}:2: WARNING: timeline event 'city-falls' has no evidence: add 'evidence', a "
        "list of the article's words that support it [evidence.missing]",
    "a note without passages":
        f"{PLANTED / 'chapters' / 'one.md'}:16: WARNING: editor's note has no evidence: give the article's words it "
        "discusses in its options, 'evidence: |' and one passage per line [evidence.missing]",
    "an exception no longer needed":
        f"{PLANTED / 'evidence-exceptions.yaml'}:6: WARNING: exception for 'Rabbani' (entities/entities.yaml) is "
        "not needed for 'Kabul': remove it [evidence.exceptions]",
    "an exception naming no entry":
        f"{PLANTED / 'evidence-exceptions.yaml'}:10: WARNING: exception for 'Nobody' names no statement of "
        "entities/entities.yaml: correct or remove it [evidence.exceptions]",
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_planted_fault_fails_the_build_with_its_file_line_and_message(planted, fault):
    assert FAULTS[fault] in planted, "\n".join(planted)


def test_the_planted_book_reports_nothing_else(planted):
    """The reviewed exception excuses Omar's "Kandahar"; the mistyped passage is not linted as well."""
    assert sorted(planted) == sorted(FAULTS.values())


# -- The clean tiny book: links in HTML, EPUB and LaTeX ----------------------------------------------------------
@pytest.fixture(scope="module")
def good_html(tmp_path_factory):
    """The clean tiny book's HTML, built once per test run; read it, never change it."""
    folder, result = shared_result(tmp_path_factory, "evidence-good",
                                   lambda folder: sphinx_build(GOOD, folder / "html", confdir=GOOD))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return folder / "html"


def evidence_links(page) -> list[tuple[str, str]]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [(a["href"], a.get("title", "")) for a in soup.select(".evidence-sources a.evidence-link")]


def test_each_entry_event_and_note_links_the_paragraph_of_each_passage(good_html):
    glossary = evidence_links(good_html / "glossary.html")
    assert glossary == [
        ("chapters/one.html#p-massoud-was-reported-to-have-led",
         "The article: “was reported to have led the defence of the valley in 1997.”"),
        ("chapters/one.html#p-the-taliban-took-the-city-on", "The article: “took the city on 27 September 1996”")]
    # the event, and the editor's note on its conflicting dates, which rests on the event's evidence
    assert [h for h, _ in evidence_links(good_html / "timeline.html")] == [
        "chapters/one.html#p-the-taliban-took-the-city-on"] * 2
    # the note's two passages stand in one paragraph: one link, both passages in its title
    assert evidence_links(good_html / "chapters" / "one.html") == [
        ("#p-the-taliban-took-the-city-on",
         "The article: “took the city on 27 September 1996” … “ordered a retreat the day before”")]
    chapter = BeautifulSoup((good_html / "chapters" / "one.html").read_text(encoding="utf-8"), "html.parser")
    for href, title in glossary:
        paragraph = chapter.find(id=href.split("#")[1])
        assert paragraph is not None and paragraph.name == "p"
        assert title.split("“")[1].rstrip("”") in paragraph.get_text(" ").replace(" .", ".")
    # the note's paragraphs and the table's header row and column (our labels) get no anchor: only the
    # article's text is evidence
    assert [p["id"] for p in chapter.select("p[id]")] == ["p-massoud-was-reported-to-have-led",
                                                          "p-the-taliban-took-the-city-on", "p-the-valley"]


def test_an_incremental_build_follows_a_paragraph_whose_first_words_changed(tmp_path):
    """Only the chapter changes; the pages that link its paragraphs are written again, with the new anchors."""
    source = tmp_path / "src"
    shutil.copytree(GOOD, source, ignore=shutil.ignore_patterns("conf.py"))
    out = tmp_path / "html"
    assert sphinx_build(source, out, confdir=GOOD).returncode == 0
    chapter = source / "chapters" / "one.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("{term}`Massoud` was", "Then {term}`Massoud` was")
                       .replace("The {term}`Taliban` took", "The city fell.\nThe {term}`Taliban` took"), encoding="utf-8")
    result = sphinx_build(source, out, confdir=GOOD)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert evidence_links(out / "glossary.html")[0][0] == "chapters/one.html#p-then-massoud-was-reported-to-have"
    assert evidence_links(out / "timeline.html")[0][0] == "chapters/one.html#p-the-city-fell-the-taliban-took"


def test_an_edit_that_moves_no_evidence_rewrites_no_other_page(tmp_path):
    """A contributor's usual edit (words added to one chapter, no evidence moved): the pages that show evidence are
    not written again."""
    source = tmp_path / "src"
    shutil.copytree(GOOD, source, ignore=shutil.ignore_patterns("conf.py"))
    out = tmp_path / "html"
    assert sphinx_build(source, out, confdir=GOOD).returncode == 0
    written = {page: (out / page).stat().st_mtime_ns for page in ("glossary.html", "timeline.html")}
    chapter = source / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA paragraph no evidence names.\n", encoding="utf-8")
    result = sphinx_build(source, out, confdir=GOOD)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert {page: (out / page).stat().st_mtime_ns for page in written} == written


def test_the_epub_links_reach_the_paragraph(tmp_path):
    out = tmp_path / "epub"
    result = sphinx_build(GOOD, out, "epub", confdir=GOOD)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    with zipfile.ZipFile(next(out.glob("*.epub"))) as book:
        glossary = BeautifulSoup(book.read("glossary.xhtml"), "html.parser")
        chapter = BeautifulSoup(book.read("chapters/one.xhtml"), "html.parser")
    hrefs = [a["href"] for a in glossary.select("a.evidence-link")]
    assert hrefs and all(h.startswith("chapters/one.xhtml#p-") for h in hrefs)
    assert all(chapter.find(id=h.split("#")[1]) is not None for h in hrefs)


def test_the_pdf_gives_the_page_of_each_paragraph(tmp_path):
    """Built twice: the second build reads nothing (no check runs) and must still link every paragraph."""
    out = tmp_path / "latex"
    for _ in range(2):
        result = sphinx_build(GOOD, out, "latex", confdir=GOOD)
        assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    target = r"\detokenize{chapters/one:p-massoud-was-reported-to-have-led}"
    assert rf"\phantomsection\label{{{target}}}" in tex  # the paragraph is a target...
    assert rf"\hyperref[{target}]{{\sphinxcrossref{{One \P{{}}}}}}}} (\autopageref*{{{target}}})" in tex  # ...with its page


# -- The rules, on their own ---------------------------------------------------------------------------------
def statement(text: str, passages: list[str], **more) -> evidence.Statement:
    return evidence.Statement(key="entity:X", what="entry 'X'", entry="X", file="f.yaml", line=1, text=text,
                              passages=passages, **more)


def lint(text, passages, ordinary=("leader", "except"), names=(), **more):
    return evidence.lint(statement(text, passages, **more), set(ordinary), set(names), set())


def test_a_capital_that_only_opens_a_sentence_is_not_a_name():
    assert lint("Leader of the group. Except for one.", ["the group"]) == []
    # capitalised where no sentence starts: a name, even if ordinary elsewhere
    assert lint("The group of the Leader.", ["the group"]) == ["entry 'X' says 'Leader', which its evidence does not"]
    # opening a sentence, a word the texts capitalise elsewhere and never write in lowercase is a name
    assert lint("Kandahar was his city.", ["his city"], names={"Kandahar"}) == [
        "entry 'X' says 'Kandahar', which its evidence does not"]


def test_numbers_months_and_names_must_be_in_the_evidence_or_the_entry_names():
    assert lint("Killed 4,000 in May 1997.", ["killed 4000 people in May 1997"]) == []
    assert lint("May 1997: it ended.", ["it ended"]) == ["entry 'X' says '1997', 'May', which its evidence does not"]
    assert lint("Ally of {term}`Dostum <Abdul Rashid Dostum>`, led by Ismail.", ["an ally"],
                own_names=["Ismail Khan"]) == []
    assert lint("Part of the Taliban.", ["part of it"], linked_names=["Taliban"]) == []
    assert lint("See {ref}`Pakistan <pakistan>` and {cite:p}`rashid2000taliban`.", ["see"]) == []


def test_numbers_written_out_count_as_their_digits_where_our_words_tell_history():
    assert lint("He led two thousand men.", ["he led 2 thousand men"]) == []
    assert lint("He led twenty-two men.", ["he led his men"]) == ["entry 'X' says 'twenty-two', which its evidence does not"]
    assert lint("Thousands fled.", ["many fled"]) == ["entry 'X' says 'Thousands', which its evidence does not"]
    assert lint("It was led by the two.", ["led by the 13th and the 50th"]) == []  # points back: no figure
    # what our words say about the article itself counts its passages ("the article gives two dates")
    assert lint("He led his men.\n\nThe article gives two dates.", ["he led his men"],
                history="He led his men.") == []
    assert lint("He led his men.\n\nThe article gives 2 dates.", ["he led his men"],
                history="He led his men.") == ["entry 'X' says '2', which its evidence does not"]


def test_a_hedge_of_the_evidence_must_be_kept_in_some_form():
    assert lint("He reportedly fled.", ["he was reported to have fled"]) == []
    assert lint("He fled.", ["he is said to have fled"]) == ["entry 'X' drops the hedge 'said' of its evidence; keep it in our words"]
    assert lint("He fled, according to the group.", ["according to the group, he fled"]) == []


def test_passages_and_paragraphs_compare_without_markup_whitespace_or_typographic_quotes():
    assert evidence.reduce_markup("{term}`the group <Taliban>` *took*\n  the **city** {cite:p}`k`")[0] == \
        "the group took the city"
    assert evidence.normalise("called him “the Afghan who won”") == 'called him "the Afghan who won"'
    corpus = evidence.Corpus([evidence.Paragraph("a", "p-1", "One two three."),
                              evidence.Paragraph("b", "p-2", "Four five.")])
    assert corpus.find("two three").anchor == "p-1"
    assert corpus.find("three. Four") is None
    assert [p.anchor for p in corpus.spanned("three. Four")] == ["p-1", "p-2"]


def test_paragraph_anchors_come_from_the_first_words_and_do_not_move_when_paragraphs_are_added():
    taken: set[str] = set()
    first = evidence.paragraph_anchor("The Taliban took Kabul on 27 September 1996.", taken)
    assert first == "p-the-taliban-took-kabul-on-27"
    taken.add(first)
    # same first six words: more words; the same paragraph again: a number
    second = evidence.paragraph_anchor("The Taliban took Kabul on 27 September, again.", taken)
    assert second == "p-the-taliban-took-kabul-on-27-september"
    taken.add(second)
    third = evidence.paragraph_anchor("The Taliban took Kabul on 27 September 1996.", taken)
    assert third == "p-the-taliban-took-kabul-on-27-september-1996"
    taken.add(third)
    assert evidence.paragraph_anchor("The Taliban took Kabul on 27 September 1996.", taken) == \
        "p-the-taliban-took-kabul-on-27-september-1996-2"
    assert evidence.paragraph_anchor("Ḥaqqānī’s men", set()) == "p-haqqani-s-men"


def test_the_book_exception_list_is_well_formed_and_every_exception_has_a_reason():
    items, problems = evidence.load_exceptions(ROOT / "docs" / "_data" / "evidence-exceptions.yaml")
    assert problems == []
    assert all(e.reason and e.words for e in items)


# -- In the browser: follow an evidence link from the glossary to its paragraph, and come back ----------------
@pytest.mark.slow
def test_a_reader_follows_an_evidence_link_to_its_paragraph_and_comes_back(good_html):
    from playwright.sync_api import sync_playwright

    from scripts.book_server import serve
    from scripts.browser_tools import launch

    with serve(good_html) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.goto(url + "glossary.html")
        link = page.locator("a.evidence-link").first
        passage = link.get_attribute("title").split("“")[1].rstrip("”")
        link.click()
        page.wait_for_url(re.compile(r"chapters/one\.html#p-massoud-was-reported-to-have-led$"))
        target = page.locator(":target")
        assert target.evaluate("e => e.tagName") == "P"
        assert passage in target.inner_text()
        assert target.is_visible()
        # the paragraph is marked as the place the reader came to check
        assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
        page.go_back()
        page.wait_for_url(re.compile(r"glossary\.html$"))
        assert page.locator("a.evidence-link").first.is_visible()
        browser.close()


# -- The loaders accept `evidence` and name the file and line of a malformed one --------------------------------
def test_each_loader_rejects_evidence_that_is_not_a_list_of_passages_with_file_and_line(tmp_path):
    from booklib import timeline_events
    from booklib import entities
    from booklib import places_data

    folder = tmp_path / "entities"
    folder.mkdir()
    (folder / "e.yaml").write_text("entities:\n- name: A\n  kind: person\n  about: x\n  evidence: just words\n",
                                   encoding="utf-8")
    assert entities.load_entities(folder)[1] == [f"{folder / 'e.yaml'}:2: 'evidence' must be a list of strings"]
    (folder / "e.yaml").write_text("entities:\n- name: A\n  kind: person\n  about: x\n  evidence: [\" \"]\n",
                                   encoding="utf-8")
    assert entities.load_entities(folder)[1] == [
        f"{folder / 'e.yaml'}:2: 'evidence' must be a list of passages of the article (non-empty strings)"]

    places = tmp_path / "places.yaml"
    places.write_text("places:\n  - name: Kabul\n    kind: city\n    about: x\n    evidence: [\"\"]\n", encoding="utf-8")
    with pytest.raises(places_data.PlacesError) as error:
        places_data.load(places, ROOT / "docs" / "_data" / "geo")
    assert str(error.value) == (f"{places}:2: 'evidence' must be a list of passages of the article "
                                "(non-empty strings)")

    events = tmp_path / "timeline.yaml"
    events.write_text("events:\n  - id: a\n    date: \"1996\"\n    precision: year\n    text: x\n    section: s\n"
                      "    evidence: []\n", encoding="utf-8")
    assert [(p.line, str(p)) for p in timeline_events.load_timeline(events).problems] == [
        (2, "timeline event 'a': 'evidence' must be a list of passages of the article (non-empty strings)")]


def test_an_exception_names_its_file_from_the_repository_and_matches_any_copy_of_the_book():
    """`make bench` and some tests build a copy of docs/ under another folder name: the exception still applies;
    a file of the same name elsewhere in the book does not."""
    corpus = evidence.Corpus([evidence.Paragraph("chapters/pakistan", "p1", "The Taliban took Kabul in 1996.")])

    def problems(file: str) -> list[str]:
        statement = evidence.Statement("entity:Kabul", "glossary entry 'Kabul'", "Kabul", file, 3,
                                       "A city that Massoud held.", ["The Taliban took Kabul in 1996."])
        exception = evidence.Exception_("docs/chapters/pakistan.md", "Kabul", ["Massoud"], "a reason", 1)
        return [p.message for p in evidence.check([statement], corpus, True, [exception]).problems]

    assert problems("/work/book/docs/chapters/pakistan.md") == []
    assert problems("/tmp/bench/src/chapters/pakistan.md") == []
    assert problems("/tmp/bench/src/chapters/old/pakistan.md") == [
        "glossary entry 'Kabul' says 'Massoud', which its evidence does not"]


def test_a_check_that_remembers_gives_the_same_results_and_notices_what_changed():
    """The build keeps a memo between checks; a statement whose words did not change is not linted again, unless
    the rest of the book changed what a word opening one of its sentences is (here "Kandahar" becomes a name)."""
    s = statement("Kandahar was his city.", ["his city"])
    before = evidence.Corpus([evidence.Paragraph("one", "p-1", "He went to his city.")])
    after = evidence.Corpus([evidence.Paragraph("one", "p-1", "He went to his city."),
                             evidence.Paragraph("two", "p-2", "They came to Kandahar.")])
    memo: dict = {}
    for corpus, expected in ((before, []), (after, ["entry 'X' says 'Kandahar', which its evidence does not"]),
                             (before, [])):
        remembered = [p.message for p in evidence.check([s], corpus, True, memo=memo).problems]
        fresh = [p.message for p in evidence.check([s], corpus, True).problems]
        assert remembered == fresh == expected
    assert any(key[0] == "lint" for key in memo)  # what it remembers: only what the last check used
    assert not any(key[0] == "names" and key[1] == "They came to Kandahar." for key in memo)
