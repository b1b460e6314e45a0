"""The timeline: its data covers the article's dates, bad data fails with file, line and event, and no shown
date is more precise than the data behind it (HTML, EPUB, PDF)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BOOK, ROOT, shared, sphinx_build

DATA = ROOT / "docs" / "_data" / "timeline.yaml"
ARTICLE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
ROOTS = ROOT / "tests" / "roots"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(day|sday|nesday|rsday|urday)?\b")


def events() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["events"]


def points(event: dict) -> list[tuple[str, str]]:
    """(date as written, precision) for the start and, for a range, the end."""
    result = [(str(event["date"]), event["precision"])]
    if "end" in event:
        result.append((str(event["end"]), event["end_precision"]))
    return result


def assert_no_more_precise(shown: str, event: dict) -> None:
    """What a reader sees may say less than the data, never more: no day, month or weekday the data lacks."""
    where = f"event {event['id']!r} shows {shown!r}"
    precisions = [p for _, p in points(event)]
    assert not WEEKDAYS.search(shown), where
    days = re.findall(r"(?<![\d\[])\d{1,2}(?![\d\]s])", shown)
    assert len(days) <= precisions.count("day"), where
    months = [m for m in re.findall(r"[A-Z][a-z]+", shown) if m in MONTHS]
    assert len(months) <= precisions.count("day") + precisions.count("month"), where
    for part in ("early", "mid", "late"):
        assert shown.count(part) <= precisions.count(part), where
    years = {date[:4] for date, _ in points(event)}
    assert set(re.findall(r"\d{4}", shown)) <= years, where
    assert ("[" in shown) == bool(event.get("year_from_context")), where


# -- The data ------------------------------------------------------------------------------------------------
def test_the_data_file_passes_the_extensions_checks():
    from booklib import timeline_events
    timeline = timeline_events.load_timeline(DATA)
    assert [str(p) for p in timeline.problems] == []
    assert len(timeline.events) == len(events())


def test_every_full_date_and_month_in_the_article_body_is_in_the_timeline():
    """How the events were found, kept as a check: every "9 September 2001" / "September 9, 2001" and every
    "May 1997" of the article (before its See also and Bibliography) starts or ends some event."""
    body = ARTICLE.read_text(encoding="utf-8").split("==See also==")[0]
    month = "|".join(MONTHS)
    days = {f"{y}-{MONTHS.index(m) + 1:02d}-{int(d):02d}"
            for m, d, y in re.findall(rf"\b({month}) (\d{{1,2}}), (\d{{4}})", body)}
    days |= {f"{y}-{MONTHS.index(m) + 1:02d}-{int(d):02d}"
             for d, m, y in re.findall(rf"\b(\d{{1,2}}) ({month}) (\d{{4}})", body)}
    months = {f"{y}-{MONTHS.index(m) + 1:02d}" for m, y in re.findall(rf"\b({month}) (\d{{4}})", body)}
    dates = {date for event in events() for date, _ in points(event)}
    assert len(days) > 10 and len(months) > 5  # the patterns do find dates
    assert days - dates == set()
    assert {m for m in months if not any(d.startswith(m) for d in dates)} == set()


def test_every_year_in_the_article_body_falls_in_some_event():
    body = ARTICLE.read_text(encoding="utf-8").split("==See also==")[0]
    body = body.replace("approximately 2000 men", "")  # a head count, not a year
    body = body.replace("the IMU in the late 1990s was", "")  # a strength estimate, not an event
    years = {int(y) for y in re.findall(r"(?<![\d,])(19[6-9]\d|20[0-2]\d)(?!\d)", body)}
    spans = [(int(str(e["date"])[:4]), int(str(e.get("end", e["date"]))[:4]) + (9 if e["precision"] == "decade" else 0))
             for e in events()]
    assert len(years) > 15  # the pattern does find years
    assert {y for y in years if not any(a <= y <= b for a, b in spans)} == set()


def test_terms_are_spelled_as_in_the_article():
    """Terms are glossary canonical names: the article's own spelling, so each occurs in it verbatim."""
    article = ARTICLE.read_text(encoding="utf-8")
    missing = {t for e in events() for t in e.get("terms", []) if t not in article}
    assert missing == set()


# -- Planted faults: tiny books under tests/roots/ -----------------------------------------------------------
FAULTS = {
    "timeline-bad-date": [
        "timeline.yaml:8: ERROR: timeline event 'kabul-falls': bad date '1996-09-31': day is out of range for month",
        "timeline.yaml:16: ERROR: timeline event 'mazar-entered': bad date '1997-13': month must be in 1..12",
    ],
    "timeline-unknown-precision": [
        "timeline.yaml:16: ERROR: timeline event 'mazar-entered': unknown precision 'week' "
        "(known: day, month, year, early, mid, late, decade)",
    ],
    "timeline-unknown-label": [
        "timeline.yaml:16: ERROR: timeline event 'mazar-entered': unknown section label 'tiny-herat'",
    ],
    "timeline-unknown-term": [
        "timeline.yaml:21: ERROR: timeline event 'mazar-entered': unknown glossary term 'Northern Alliance'",
    ],
    "timeline-bad-keys": [
        "timeline.yaml:6: ERROR: timeline event 'kabul-falls': unknown key 'colour' (known: also, conflict, date, "
        "end, end_precision, era, evidence, id, precision, qualifier, section, terms, text, year_from_context)",
        "timeline.yaml:14: ERROR: timeline event 'mazar-entered': missing required key 'text'",
        "timeline.yaml:20: ERROR: timeline event 'herat': 'terms' must be a list of strings",
        "timeline.yaml:28: ERROR: timeline event 'kabul-falls': duplicate id 'kabul-falls' (already at {root}/"
        "timeline.yaml:6)",
    ],
    "timeline-bad-term": [
        "timeline.yaml:16: ERROR: timeline event 'mazar-entered': term '{term}`Taliban`' is not a canonical name "
        "(plain words, single spaces, no markup)",
    ],
    "timeline-out-of-order": [
        "timeline.yaml:16: ERROR: timeline event 'kabul-falls': out of order: 27 September 1996 comes before "
        "May 1997 (event 'mazar-entered', line 8); keep the events oldest first",
    ],
    "timeline-era-split": [
        "timeline.yaml:24: ERROR: timeline event 'later': era 'war' resumes after era 'after'; "
        "the events of an era must be consecutive",
    ],
}


@pytest.mark.parametrize("scenario", sorted(FAULTS))
def test_a_planted_fault_fails_the_build_naming_file_line_and_event(scenario, tmp_path):
    root = ROOTS / scenario
    result = sphinx_build(root, tmp_path / "html", "html", confdir=root)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    messages = [line.split(" [timeline.data]")[0] for line in result.stderr.splitlines()]
    assert messages == [f"{root}/{expected}".replace("{root}", str(root)) for expected in FAULTS[scenario]]


def test_the_tiny_book_with_good_data_builds_clean_and_links_its_terms(tmp_path):
    root = ROOTS / "timeline-valid-with-linked-terms"
    for builder in ("html", "epub", "latex"):
        result = sphinx_build(root, tmp_path / builder, builder, confdir=root)
        assert result.returncode == 0 and result.stderr == "", result.stderr
    page = BeautifulSoup((tmp_path / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = page.select("ol.book-timeline > li")
    assert [li.div["id"] for li in items] == ["event-kabul-falls", "event-mazar-entered", "event-later"]
    assert items[0].select_one("a[href='#term-Taliban']") is not None  # timeline_link_terms = True here
    assert items[0].select_one("a[href='#tiny-kabul']") is not None
    assert page.select("table.timeline-table") == []
    epub = (tmp_path / "epub" / "index.xhtml").read_text(encoding="utf-8")
    assert "timeline-table" in epub and "book-timeline" not in epub
    [tex_file] = (tmp_path / "latex").glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert r"\begin{longtable}" in tex and "27 September 1996" in tex


@pytest.fixture
def markup_book(tmp_path_factory) -> Path:
    """The tiny book whose events hold markup, built as HTML (kept as first.html), then LaTeX, then HTML again, in
    one output and doctree folder."""
    root = ROOTS / "timeline-markup-in-data"

    def make(folder: Path) -> str:
        for builder in ("html", "latex", "html"):
            result = sphinx_build(root, folder / "out", builder, confdir=root)
            if result.returncode != 0 or result.stderr:
                return result.stderr
            if not (folder / "first.html").exists():
                (folder / "first.html").write_bytes((folder / "out" / "index.html").read_bytes())
        return ""
    return shared(tmp_path_factory, "timeline-markup-in-data", make)


def longtables(folder: Path) -> str:
    [tex_file] = (folder / "out").glob("*.tex")
    return "".join(re.findall(r"\\begin\{longtable\}.*?\\end\{longtable\}", tex_file.read_text(encoding="utf-8"),
                              re.DOTALL))


def test_a_builder_of_the_other_kind_reads_the_timeline_again_from_a_shared_doctree_folder(markup_book):
    """A page's doctree holds only its builder's rendering (the HTML list, or the table of LaTeX, EPUB and text):
    HTML, then LaTeX, then HTML again in one output and doctree folder each show their own."""
    assert "27 September 1996" in longtables(markup_book) and "May 1997" in longtables(markup_book)
    for html in (markup_book / "first.html", markup_book / "out" / "index.html"):
        page = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        assert len(page.select("ol.book-timeline > li")) == 2 and page.select("table.timeline-table") == []


def test_markup_in_the_data_is_shown_as_plain_text_and_never_run(markup_book):
    """An event's words, a conflict and an era's title are plain text in the HTML list and the LaTeX table: no
    emphasis, role, link, HTML or template in them is rendered or evaluated (no 49, no 42)."""
    text = "The *Taliban* {term}`Taliban` take `Kabul` {{ 7 * 7 }} <b>x</b> [link](https://example.org) AT&T"
    conflict = "Dates conflict in the article: **Not bold** {ref}`tiny-mazar` {{ 6 * 7 }}"
    era = "The *war* of [AT&T](https://example.org)"
    page = BeautifulSoup((markup_book / "out" / "index.html").read_text(encoding="utf-8"), "html.parser")
    [item] = page.select("#event-kabul-falls")
    assert text in item.get_text() and conflict in item.get_text()
    assert item.select("em, b, code, a.reference.external, span.problematic") == []
    assert "49" not in item.get_text() and "42" not in item.get_text()
    assert [a.get_text() for a in item.select("a.reference.internal")][:1] == ["Taliban"]  # the data's term
    assert page.select_one("section#timeline-war").find(re.compile("^h[1-6]$")).get_text().startswith(era)
    tables = longtables(markup_book)
    assert r"The *Taliban* \{term\}\textasciigrave{}Taliban\textasciigrave{} take" in tables
    assert r"\sphinxstylestrong{Dates conflict in the article:} **Not bold** \{ref\}" in tables
    assert r"The *war* of {[}AT\&T{]}(https://example.org)" in tables  # the table's caption
    for rendered in (r"\sphinxstyleemphasis", r"\sphinxcode", r"\sphinxhref", r"\sphinxurl", "49", "42"):
        assert rendered not in tables, rendered


# -- The book ------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_timeline_page_shows_every_event_no_more_precisely_than_its_data(html_dir):
    page = BeautifulSoup((html_dir / "timeline.html").read_text(encoding="utf-8"), "html.parser")
    main = page.select_one("article[role=main]")
    items = main.select("ol.book-timeline > li")
    assert [li.div["id"] for li in items] == [f"event-{e['id']}" for e in events()]
    for event, item in zip(events(), items):
        shown = item.select_one(".tl-item-content > p").get_text()
        assert_no_more_precise(shown, event)
        written = [date for date, _ in points(event)]
        for time in item.select("time"):
            assert any(date.startswith(time["datetime"]) for date in written), (event["id"], time)
        assert ("Dates conflict in the article:" in item.get_text()) == ("conflict" in event)
        links = [a["href"] for a in item.select("a.reference.internal")
                 if "glossary.html#" not in a["href"] and "evidence-link" not in a.get("class", [])]
        assert len(links) == 1 + len(event.get("also", [])), event["id"]
    assert main.select("[data-dt]") == []  # sphinx-timeline's full ISO dates are stripped
    assert main.select(".timeline-default") == []  # not its horizontal scroller
    for tag in page.select("link[href], script[src], img[src]"):
        assert not re.match(r"(https?:)?//", tag.get("href") or tag.get("src")), tag


@pytest.mark.slow
def test_the_epub_timeline_is_a_dated_table(epub_dir):
    with zipfile.ZipFile(epub_dir / f"{BOOK}.epub") as epub:
        page = BeautifulSoup(epub.read("timeline.xhtml").decode(), "html.parser")
        assert not any("sphinx_timeline" in name for name in epub.namelist())
    assert page.select("ol.book-timeline") == []
    rows = [row for table in page.select("table.timeline-table") for row in table.select("tbody tr")]
    assert [th.get_text() for th in page.select("table.timeline-table")[0].select("thead th")] == [
        "Date", "Event", "Told in"]
    assert len(rows) == len(events())
    for event, row in zip(events(), rows):
        assert_no_more_precise(row.td.get_text(), event)


@pytest.mark.tex
def test_the_pdf_timeline_is_a_dated_table(pdf_build):
    import subprocess
    text = subprocess.run(["pdftotext", "-layout", str(pdf_build / "pdf" / f"{BOOK}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    appendix = text[text.index("This page is ours, not the article"):]
    assert re.search(r"Date\s+Event\s+Told in", appendix)
    # the cells, read from the LaTeX source (the PDF's text interleaves the columns)
    tex = (pdf_build / "latex" / f"{BOOK}.tex").read_text(encoding="utf-8")
    start = tex.index(r"\begin{longtable}", tex.index(r"\chapter{Timeline}"))
    part = tex[start:tex.index(r"\chapter{", start)]
    tables = re.findall(r"\\begin\{longtable\}.*?\\end\{longtable\}", part, re.S)  # not the notes between
    cells = [c for t in tables for c in re.findall(r"\\sphinxAtStartPar\n(.*?)\n\\sphinxbeforeendvarwidth", t, re.S)]
    rows = [cells[i:i + 3] for i in range(0, len(cells), 3)]
    rows = [row for row in rows if row != ["Date", "Event", "Told in"]]
    assert len(rows) == len(events())
    for event, (date, what, told) in zip(events(), rows):
        assert_no_more_precise(date.replace("{[}", "[").replace("{]}", "]"), event)
        assert ("Dates conflict in the article:" in what) == ("conflict" in event)
        told = told.split("In the article:")[0]  # then the links to the event's evidence
        assert told.count(r"\hyperref") == 1 + len(event.get("also", []))


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.slow
def test_the_timeline_reads_on_a_phone_and_by_keyboard_with_nothing_from_other_hosts(html_dir):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            requests = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto((html_dir / "timeline.html").as_uri())
            assert page.evaluate("document.scrollingElement.scrollWidth") <= 360  # no sideways scrolling
            assert page.evaluate("Math.max(...[...document.querySelectorAll('ol.book-timeline')]"
                                 ".map(o => o.scrollWidth - o.clientWidth))") <= 0
            assert [url for url in requests if not url.startswith("file:")] == []
            # Tab moves through the events' links in order, starting with the first "Told in" link
            first = page.locator("ol.book-timeline a.reference").first.get_attribute("href")
            seen = []
            for _ in range(60):
                page.keyboard.press("Tab")
                href = page.evaluate("document.activeElement.closest('ol.book-timeline') && "
                                     "document.activeElement.getAttribute('href')")
                if href:
                    seen.append(href)
                    break
            assert seen == [first]
        finally:
            browser.close()


@pytest.mark.slow
def test_each_chapter_lists_the_events_told_in_it(html_dir):
    """A chapter's own list holds exactly the events whose section labels that chapter defines."""
    chapter_of = {}
    for chapter in (ROOT / "docs" / "chapters").glob("*.md"):
        for label in re.findall(r"^\(([a-z0-9-]+)\)=$", chapter.read_text(encoding="utf-8"), re.M):
            chapter_of[label] = chapter.stem
    listed = {}
    for page in (html_dir / "chapters").glob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        listed[page.stem] = [li.div["id"] for li in soup.select("ol.book-timeline > li")]
    expected = {stem: [f"event-{e['id']}" for e in events()
                       if stem in {chapter_of[label] for label in [e["section"], *e.get("also", [])]}]
                for stem in listed}
    assert listed == expected
    assert sum(1 for ids in listed.values() if ids) >= 10
