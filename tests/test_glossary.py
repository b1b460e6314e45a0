"""The glossary: its data, the linking script, the checks (each against a planted fault) and the back-links."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MAP_CACHE, ROOT, run_sphinx, shared_result, sphinx_build
import subprocess

from booklib.entities import Matcher, link_text, load_entities, scan_markdown
from scripts import link_terms
from booklib import named_things

ENTITIES = ROOT / "docs" / "entities"
CHAPTERS = sorted((ROOT / "docs" / "chapters").glob("*.md"))
FAULTS = ROOT / "tests" / "roots" / "glossary-faults"
ARTICLE = (ROOT / "sources" / "afghan-civil-war-1996-2001.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def entities():
    found, problems = load_entities(ENTITIES)
    assert problems == []
    return found


# -- The data ------------------------------------------------------------------------------------------------
def test_every_recorded_spelling_is_the_articles_own(entities):
    """Names and variants are spelled as the article spells them: each occurs in the article as a whole word."""
    for e in entities.items:
        for spelling in e.spellings:
            assert re.search(r"(?<![\w-])" + re.escape(spelling) + r"(?!\w)", ARTICLE), (e.name, spelling)


def test_the_glossary_covers_the_three_kinds_with_one_entry_per_name(entities):
    kinds = [e.kind for e in entities.items]
    assert kinds.count("person") > 50 and kinds.count("organisation") > 30 and kinds.count("state") >= 10
    names = [e.name.casefold() for e in entities.items]
    assert len(names) == len(set(names))


def test_every_commander_in_the_infobox_has_an_entry(entities):
    named = set()
    for line in ARTICLE.splitlines():
        if line.startswith(("- Commander1:", "- Commander2:")):
            named |= {n.strip().removesuffix("KIA").strip() for n in line.split(":", 1)[1].split(",")}
    assert len(named) == 17
    assert named <= {s for e in entities.items for s in e.spellings}


def test_bad_entity_files_are_reported_with_file_and_line(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "entities:\n"
        "- name: One\n  kind: person\n  about: x\n  variants: [Uno]\n  colour: red\n"
        "- name: Two\n  kind: person\n  about: y\n  variants: [Uno]\n  belongs_to: [Nobody]\n"
        "- name: Three\n  kind: planet\n  about: z\n"
        "not_entries:\n- {name: Kabul}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("entities:\n- name: [unclosed\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("# a file without entries\ncolours: [red]\n", encoding="utf-8")
    _, problems = load_entities(tmp_path)
    a, b, c = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    assert [p for p in problems if not p.startswith(f"{b}:")] == [
        f"{a}:16: missing required key 'reason'",
        f"{a}:2: unknown key 'colour' (known: about, belongs_to, evidence, kind, name, unclear, variants)",
        f"{a}:12: unknown kind 'planet' (known: person, organisation, state, place)",
        f"{c}:1: unknown key 'colours' (known: entities, ignore, not_entries)",
        f"{c}:1: missing required key 'entities'",
        f"{a}:7: duplicate spelling 'Uno' (already at {a}:2, the entry 'One')",
        f"{a}:7: belongs_to names 'Nobody', which has no entry",
    ]
    assert any(p.startswith(f"{b}:") and "not valid YAML" in p for p in problems)


def test_the_one_data_layer_reads_the_book_s_entities_places_and_events_without_a_problem():
    data = ROOT / "docs" / "_data"
    things = named_things.load(ENTITIES, data / "places.yaml", data / "geo", data / "timeline.yaml")
    assert (things.entity_problems, things.place_problems, things.timeline.problems) == ([], [], [])
    names = {e.name for e in things.entities.items}
    assert things.places.places and {p.name for p in things.places.places} <= names  # a place is an entity
    assert things.timeline.events


def test_a_spelling_is_owned_once_across_the_entity_files_and_the_places_list(tmp_path):
    folder = tmp_path / "entities"
    folder.mkdir()
    (folder / "e.yaml").write_text("entities:\n- name: Kabul Shura\n  kind: organisation\n  about: x\n"
                                   "  variants: [Kabul]\n", encoding="utf-8")
    places = tmp_path / "places.yaml"
    places.write_text("places:\n  - name: Kabul\n    kind: city\n    about: x\n", encoding="utf-8")
    things = named_things.load(folder, places, ROOT / "docs" / "_data" / "geo")
    assert things.entity_problems == [
        f"{places}:2: duplicate spelling 'Kabul' (already at {folder / 'e.yaml'}:2, the entry 'Kabul Shura')"]


# -- Finding mentions and linking ----------------------------------------------------------------------------
SAMPLE = """(chapter)=
# Taliban and Sharif

<!-- Taliban -->
:::{list-table} Taliban
:header-rows: 1
* - Taliban
:::

:::{editor-note}
The Taliban, in our words.
:::

```text
Taliban
```

See [the Taliban](https://example.org) and `Taliban` and the anti-Taliban front in Mazar-i-Sharif.
Later the Taliban met Sharif; then the Taliban again, and Sharif.
"""


def test_linking_touches_only_prose_and_only_first_mentions(tmp_path):
    entities, problems = load_entities(FAULTS / "entities")
    matcher = Matcher(entities)
    first = matcher.first_mentions(scan_markdown(SAMPLE))
    assert [(m.line, m.text) for m in first] == [(7, "Taliban"), (19, "Sharif")]
    linked = link_text(SAMPLE, first)
    changed = [(a, b) for a, b in zip(SAMPLE.split("\n"), linked.split("\n")) if a != b]
    assert changed == [("* - Taliban", "* - {term}`Taliban`"),
                       ("Later the Taliban met Sharif; then the Taliban again, and Sharif.",
                        "Later the Taliban met {term}`Sharif <Navaz Sharif>`; then the Taliban again, and Sharif.")]
    assert link_text(linked, matcher.first_mentions(scan_markdown(linked))) == linked  # idempotent


def test_the_chapters_are_linked_and_linking_again_changes_nothing(entities):
    matcher = Matcher(entities)
    for chapter in CHAPTERS:
        text = chapter.read_text(encoding="utf-8")
        assert link_text(text, matcher.first_mentions(scan_markdown(text))) == text, chapter
    assert link_terms.main(["--check"]) == 0


def test_the_check_script_reports_an_unlinked_first_mention_and_a_misspelling(tmp_path, capsys):
    chapter = tmp_path / "pakistan.md"
    text = (ROOT / "docs" / "chapters" / "pakistan.md").read_text(encoding="utf-8")
    assert "{term}`Navaz Sharif`" in text
    chapter.write_text(text.replace("{term}`Navaz Sharif`", "Nawaz Sharif"), encoding="utf-8")
    line = next(n for n, l in enumerate(chapter.read_text().splitlines(), 1) if "Nawaz Sharif" in l)
    assert link_terms.main(["--check", str(chapter)]) == 1
    err = capsys.readouterr().err
    assert (f"{chapter}:{line}: first mention of 'Navaz Sharif' (as 'Sharif') is not linked to the glossary "
            f"(run 'make link-terms')") in err
    assert (f"{chapter}:{line}: 'Nawaz Sharif' looks like 'Navaz Sharif' (Navaz Sharif) but matches none of "
            f"its recorded spellings") in err


# -- The checks in the build (a tiny book with planted faults) -----------------------------------------------
@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory):
    return shared_result(tmp_path_factory, "glossary-faults",
                         lambda folder: sphinx_build(FAULTS, folder / "html", "html", confdir=FAULTS))[1]


def test_an_unlinked_first_mention_fails_the_build_naming_file_and_line(faulty_build):
    assert faulty_build.returncode != 0
    assert (f"{FAULTS}/chapters/one.md:3: WARNING: first mention of 'Navaz Sharif' (as 'Navaz Sharif') is not "
            f"linked to the glossary (run 'make link-terms') [entity.unlinked]") in faulty_build.stderr


def test_a_misspelled_name_fails_the_build(faulty_build):
    assert (f"{FAULTS}/chapters/two.md:6: WARNING: 'Nawaz Sharif' looks like 'Navaz Sharif' (Navaz Sharif) but "
            f"matches none of its recorded spellings [entity.spelling]") in faulty_build.stderr


def test_an_orphan_entry_fails_the_build(faulty_build):
    assert (f"{FAULTS}/entities/entities.yaml:8: WARNING: glossary entry 'Orphan Person' is never referenced "
            f"from the book (an orphan) [entity.orphan]") in faulty_build.stderr
    assert "'Taliban' is never referenced" not in faulty_build.stderr


def test_an_unknown_term_fails_the_build(faulty_build):
    assert re.search(rf"{re.escape(str(FAULTS))}/chapters/two.md:\d+: WARNING: term not in glossary: 'Talibann'",
                     faulty_build.stderr)
    # the hint is to correct the role (not to run make link-terms, which would link the next mention instead)
    assert (f"{FAULTS}/chapters/two.md:7: WARNING: {{term}}`Talibann` names no glossary entry: did you mean "
            "{term}`Taliban`? Correct the name in the role ('make link-terms' links plain text; it does not change "
            "roles) [entity.misnamed]") in faulty_build.stderr


def test_following_the_hint_for_a_misspelt_term_fixes_it():
    from ext.entity_glossary import misnamed_terms

    entities, _problems = load_entities(ROOT / "docs" / "entities", ROOT / "docs" / "_data" / "places.yaml")
    wrong = "Kabul fell.\nThe {term}`Talibann` came, and {term}`the leader <Mullah Omarr>` too.\n"
    found = list(misnamed_terms(wrong, entities))
    assert [(line, name) for line, name, _ in found] == [(2, "Talibann"), (2, "Mullah Omarr")]
    fixed = wrong
    for _line, name, meant in found:  # what the message says to do
        fixed = fixed.replace(name, meant)
    assert list(misnamed_terms(fixed, entities)) == []
    assert all(meant.casefold() in {e.name.casefold() for e in entities.items} for *_, meant in found)


# -- "Mentioned in": equal to the term links of the built chapters, after full, parallel and incremental builds
def mentioned_in(html: Path) -> dict[str, set[str]]:
    """Glossary entry id -> the chapter pages#sections its "Mentioned in" list links to."""
    page = BeautifulSoup((html / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    out = {}
    for dt in page.select("dl.glossary > dt[id]"):
        dd = dt.find_next_sibling("dd")
        out[dt["id"]] = {a["href"] for a in dd.select(".entity-mentioned-in a[href]")}
    return out


def term_links(html: Path) -> dict[str, set[str]]:
    """Glossary entry id -> page#section of every term link in the chapters and the timeline (the enclosing
    section's id)."""
    out: dict[str, set[str]] = {}
    for path in sorted((html / "chapters").glob("*.html")) + [html / "timeline.html"]:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for a in page.select("article[role=main] a[href*='glossary.html#term-']"):
            section = a.find_parent("section")
            ids = [section["id"]] + [s["id"] for s in section.find_all("span", id=True, recursive=False)]
            anchor = next((i for i in ids if i.startswith(path.stem)), ids[0])
            out.setdefault(a["href"].split("#")[1], set()).add(f"{path.relative_to(html).as_posix()}#{anchor}")
    return out


def build(srcdir: Path, outdir: Path, jobs: str) -> subprocess.CompletedProcess:
    """sphinx_build of conftest, with parallel jobs."""
    return run_sphinx(["-c", str(ROOT), *MAP_CACHE, "-n", "-W", "--keep-going", "-q", "-j", jobs,
                       "-d", str(outdir.parent / f"doctrees-{outdir.name}"), "-b", "html", str(srcdir), str(outdir)])


def add_paragraph_after(text: str, phrase: str, paragraph: str) -> str:
    """The Markdown with a new paragraph after the one that holds `phrase`."""
    end = text.find("\n\n", text.index(phrase))
    end = len(text) if end < 0 else end
    return text[:end] + "\n\n" + paragraph + text[end:]


@pytest.mark.slow  # whole-book builds
def test_mentioned_in_lists_stay_right_with_parallel_reading_and_incremental_builds(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    html = tmp_path / "html"
    for jobs in ("2", "1"):  # a full build reading in parallel, edits, rebuilds; then the same serially
        result = build(docs, html, jobs)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        listed, linked = mentioned_in(html), term_links(html)
        assert listed == {k: linked.get(k, set()) for k in listed}
        assert all(listed.values())
        # edit one chapter: a reference moves to another section, another one appears
        chapter = docs / "chapters" / "al-qaeda.md"
        text = chapter.read_text(encoding="utf-8")
        # (new paragraphs of their own: the article's paragraphs, and the evidence that quotes them, stay whole)
        text = text.replace("{term}`Tahir Yuldashev`", "Tahir Yuldashev", 1)
        text = add_paragraph_after(text, " was a member of the prominent", "{term}`Tahir Yuldashev`")
        text = add_paragraph_after(text, "Today there are", "{term}`Kabul University`")
        chapter.write_text(text, encoding="utf-8")
        result = build(docs, html, jobs)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        after, linked = mentioned_in(html), term_links(html)
        assert after == {k: linked.get(k, set()) for k in after}
        assert any(h.startswith("chapters/al-qaeda.html") for h in after["term-Kabul-University"])
        shutil.copy2(ROOT / "docs" / "chapters" / "al-qaeda.md", chapter)


def test_the_checklist_of_names_without_an_entry_is_the_articles_and_gives_reasons(entities):
    assert entities.not_entries
    for item in entities.not_entries:
        assert item["name"] in ARTICLE and item["reason"], item
    entry_spellings = {s for e in entities.items for s in e.spellings}
    assert not {item["name"] for item in entities.not_entries} & entry_spellings


@pytest.mark.slow
def test_each_glossary_term_has_its_own_definition(html_dir):
    """One term per definition: a hover preview shows no description for the first of two terms sharing one."""
    page = BeautifulSoup((html_dir / "glossary.html").read_text(encoding="utf-8"), "html.parser")
    terms = page.select("dl.glossary > dt")
    assert len(terms) == len(load_entities(ENTITIES)[0].items)
    for dt in terms:
        assert dt.find_next_sibling().name == "dd", dt["id"]


def test_an_entity_file_that_does_not_parse_is_one_message_not_hundreds(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(FAULTS, docs, ignore=shutil.ignore_patterns("conf.py"))
    data = docs / "entities" / "entities.yaml"
    text = data.read_text(encoding="utf-8")
    assert "\n  kind: person\n  variants: [Sharif]" in text
    data.write_text(text.replace("\n  kind: person\n  variants: [Sharif]", "\n   kind: person\n  variants: [Sharif]",
                                 1), encoding="utf-8")  # one bad indent
    result = sphinx_build(docs, tmp_path / "html", "html", confdir=FAULTS)
    assert result.returncode != 0
    assert result.stderr.splitlines() == [
        f"{data}:4: WARNING: not valid YAML: mapping values are not allowed here [entity.data]"]
