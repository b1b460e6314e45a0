"""The book's sources: verified fields only, every entry cited, every citation resolved; bad citations are clear
errors with file and line; per-chapter source lists and one bibliography with back-links."""
from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import NOT_THE_BOOK, ROOT, run_sphinx, sphinx_build
from scripts import check_sources

REFS = ROOT / "docs" / "refs.bib"
VERIFIED = ROOT / "sources" / "verified-sources.bib"
ROOTS = ROOT / "tests" / "roots"


def test_every_field_of_every_entry_is_verified():
    assert check_sources.unverified(REFS, VERIFIED) == []


def test_a_planted_unverified_field_fails(tmp_path):
    planted = tmp_path / "refs.bib"
    text = REFS.read_text(encoding="utf-8")
    assert "  year      = {1999},\n" in text  # matinuddin1999taliban
    planted.write_text(text.replace("  year      = {1999},\n", "  year      = {1999},\n  isbn      = {0-00-000000-0},\n"),
                       encoding="utf-8")
    assert check_sources.unverified(planted, VERIFIED) == [f"{planted}: matinuddin1999taliban: field 'isbn' is not verified"]


def test_a_planted_changed_field_and_an_unknown_entry_fail(tmp_path):
    planted = tmp_path / "refs.bib"
    text = REFS.read_text(encoding="utf-8").replace("{The Penguin Press}", "{Penguin}")
    planted.write_text(text + "\n@book{doe2000made,\n  author = {Doe, Jane},\n  title = {Made Up},\n  year = {2000}\n}\n",
                       encoding="utf-8")
    assert check_sources.unverified(planted, VERIFIED) == [
        f"{planted}: coll2004ghost: field 'publisher' differs from the verified value",
        f"{planted}: entry 'doe2000made' is not in verified-sources.bib"]


def test_every_entry_is_cited_and_every_citation_resolves():
    assert check_sources.cited_problems(REFS, ROOT / "docs") == []
    cited = {key for key, _ in check_sources.citations(ROOT / "docs")}
    assert len(cited) >= 10


def test_an_uncited_entry_and_an_unknown_key_are_reported(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("One {cite:p}`coll2004ghost,nosuchkey2001`.\n", encoding="utf-8")
    problems = check_sources.cited_problems(REFS, docs)
    assert problems[0] == f"{docs / 'a.md'}:1: cites 'nosuchkey2001', which is not in refs.bib"
    assert f"{REFS}: entry 'saikal2004modern' is never cited" in problems


@pytest.mark.slow
@pytest.mark.parametrize("scenario, line, role", [
    ("malformed-citation-spaces", 3, "{cite:p}`coll2004ghost saikal2004modern`"),
    ("malformed-citation-prepost", 4, "{cite:p}`{see coll2004ghost`"),
])
def test_a_malformed_citation_is_an_error_with_file_and_line(tmp_path, scenario, line, role):
    result = sphinx_build(ROOTS / scenario, tmp_path / "html")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Exception occurred" not in result.stderr, result.stderr
    assert (f"{ROOTS / scenario / 'index.md'}:{line}: WARNING: malformed citation {role}: write keys separated by "
            "commas, with pre- and post-text in braces: {cite:p}`{see}key1,key2{p. 3}` [bibtex.malformed_citation]"
            ) in result.stderr, result.stderr


@pytest.mark.slow
def test_a_planted_unknown_key_fails_the_build(tmp_path):
    result = sphinx_build(ROOTS / "unknown-citation-key", tmp_path / "html")
    assert result.returncode != 0
    assert (f'{ROOTS / "unknown-citation-key" / "index.md"}:3: WARNING: could not find bibtex key "nosuchkey2001"'
            ) in result.stderr, result.stderr


def page(html_dir, name):
    return BeautifulSoup((html_dir / name).read_text(encoding="utf-8"), "html.parser").select_one("article[role=main]")


@pytest.mark.slow
def test_chapters_list_their_sources_and_the_bibliography_links_back(html_dir):
    cited_by_page = {}
    for key, where in check_sources.citations(ROOT / "docs"):
        path = where.rsplit(":", 1)[0]
        name = str(__import__("pathlib").Path(path).relative_to(ROOT / "docs").with_suffix(".html"))
        cited_by_page.setdefault(name, set()).add(key)
    assert "chapters/pakistan.html" in cited_by_page
    bib = page(html_dir, "bibliography.html")
    entries = bib.select("div.citation")
    assert len(entries) == len(check_sources.entries(REFS))
    for entry in entries:
        back = entry.select("p.cited-in a[href]")
        assert back, entry.get_text(" ")
        for a in back:
            target, anchor = a["href"].split("#")
            assert page(html_dir, target).find(id=anchor) is not None, a["href"]
    for name, keys in cited_by_page.items():
        main = page(html_dir, name)
        title = main.select("p.rubric.chapter-sources-title")
        assert [t.get_text() for t in title] == ["Sources cited in this chapter"], name
        assert len(main.select("ul.chapter-sources > li")) == len(keys), name
    # a citation in the text links to the entry in the one bibliography
    link = page(html_dir, "chapters/taliban-rise-to-power.html").select_one("span.bibtex-citation a[href]")
    assert link["href"].startswith("../bibliography.html#") and "Saikal" in link.get_text()


def test_pybtex_plugin_lookup_is_cached_and_registering_clears_it():
    import pybtex.plugin
    from ext import pybtex_cache
    pybtex_cache.setup(None)
    lookup = pybtex.plugin._load_entry_point
    lookup.cache_clear()
    first = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")
    assert pybtex.plugin.find_plugin("pybtex.backends", "plaintext") is first
    assert lookup.cache_info().hits == 1 and lookup.cache_info().misses == 1
    pybtex.plugin.register_plugin("pybtex.backends", "plaintext-test-alias", first)
    assert lookup.cache_info().currsize == 0


def test_plugin_lookups_of_pybtex_and_sphinxcontrib_bibtex_share_one_scan_of_the_installed_packages(monkeypatch):
    import importlib.metadata

    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    from ext import pybtex_cache
    pybtex_cache.setup(None)
    pybtex_cache.installed_entry_points.cache_clear()
    scans, scan = [], importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda **selection: scans.append(selection) or scan(**selection))
    backends = list(pybtex.plugin.enumerate_plugin_names("pybtex.backends"))
    style = sphinxcontrib.bibtex.plugin.find_plugin("sphinxcontrib.bibtex.style.referencing", "author_year")
    assert {e.name for e in scan(group="pybtex.backends")} <= set(backends) and "plaintext" in backends
    assert style.__name__ == "AuthorYearReferenceStyle"
    assert scans == [{}]  # one scan of every group, for both


def test_formatted_entries_are_kept_between_builds_and_formatted_again_when_anything_they_show_changes(monkeypatch):
    """ext/book_bibliography.py keeps each entry it formatted with the environment; the next build takes it from
    there, unless the entry's label, a field or a name changed, or the code that formats it did."""
    from types import SimpleNamespace

    from pybtex.database import Person, parse_string
    from pybtex.style.formatting.plain import Style as PlainStyle

    from ext import book_bibliography
    formatted = []
    format_entry = PlainStyle.format_entry
    monkeypatch.setattr(PlainStyle, "format_entry",
                        lambda self, *args: formatted.append(args[1].key) or format_entry(self, *args))
    entries = parse_string(REFS.read_text(encoding="utf-8"), "bibtex").entries
    entry = entries[next(key for key, e in entries.items() if e.persons.get("author") and e.fields.get("year"))]
    env = SimpleNamespace()
    app = SimpleNamespace(env=env)

    def build(label="Author 2000"):
        """One build's formatting of the entry (formatted twice, as sphinxcontrib-bibtex does for tooltips)."""
        monkeypatch.setattr(book_bibliography, "FORMATTED", book_bibliography.FormattedEntries())
        book_bibliography.FORMATTED.start(app)
        style = book_bibliography.BookStyle()
        first = style.format_entry(label, entry)
        assert style.format_entry(label, entry) is first
        book_bibliography.FORMATTED.store(app, env)
        return f"[{first.label}] {first.text.render_as('text')}"

    shown = build()
    assert formatted == [entry.key]  # once in the first build
    assert build() == shown and formatted == [entry.key]  # none in the next: kept with the environment
    monkeypatch.setattr(PlainStyle, "format_entry", format_entry)
    monkeypatch.setattr(book_bibliography, "FORMATTED", book_bibliography.FormattedEntries())  # none remembered
    unremembered = book_bibliography.BookStyle().format_entry("Author 2000", entry)
    assert shown == f"[Author 2000] {unremembered.text.render_as('text')}"
    monkeypatch.setattr(PlainStyle, "format_entry",
                        lambda self, *args: formatted.append(args[1].key) or format_entry(self, *args))
    assert build("Author 2000b") != shown and len(formatted) == 2  # another label
    entry.fields["title"] = entry.fields["title"] + " (second edition)"
    assert "second edition" in build("Author 2000b") and len(formatted) == 3  # a field
    entry.persons["author"][0] = Person("Someone, Else")
    assert "Someone" in build("Author 2000b") and len(formatted) == 4  # a name
    build("Author 2000b")
    assert len(formatted) == 4
    monkeypatch.setattr(book_bibliography, "code_version", lambda: "book_bibliography.py, edited")
    build("Author 2000b")
    assert len(formatted) == 5  # other code


def test_a_new_citation_rewrites_the_bibliography_s_back_links_without_reading_it_again(tmp_path):
    """After a chapter edit the bibliography page is written again (its back-links come from every page), but not
    read again: its doctree already holds every entry."""
    src, out = tmp_path / "src", tmp_path / "html"
    src.mkdir()
    (src / "index.md").write_text("# A tiny book\n\n```{toctree}\nchapter\nbibliography\n```\n", encoding="utf-8")
    (src / "bibliography.md").write_text("(bibliography)=\n# Bibliography\n\n:::{bibliography}\n:::\n",
                                         encoding="utf-8")
    chapter = src / "chapter.md"
    chapter.write_text("# A chapter\n\nA sentence citing one work. {cite:p}`saikal2004modern`\n", encoding="utf-8")

    def build() -> str:
        result = run_sphinx(["-c", str(ROOT), *[a for s in NOT_THE_BOOK for a in ("-D", s)], "-n", "-W",
                             "--keep-going", "-d", str(tmp_path / "doctrees"), "-b", "html", str(src), str(out)])
        assert result.returncode == 0 and not result.stderr, result.stderr
        return result.stdout

    def cited_from(author: str) -> list[str]:
        page = BeautifulSoup((out / "bibliography.html").read_text(encoding="utf-8"), "html.parser")
        entry = [e for e in page.select("div.citation") if author in e.select_one(".label").get_text()]
        return [a.get_text() for a in entry[0].select("p.cited-in a")] if entry else []

    build()
    assert cited_from("Saikal") == ["A chapter"] and cited_from("Tomsen") == []
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA second one. {cite:p}`tomsen2011wars`\n",
                       encoding="utf-8")
    log = build()
    read = re.findall(r"reading sources\.\.\. \[[ \d]+%\] (\S+)", log)
    written = re.findall(r"writing output\.\.\. \[[ \d]+%\] (\S+)", log)
    assert read == ["chapter"], log
    assert "bibliography" in written, log
    assert cited_from("Tomsen") == ["A chapter"]
