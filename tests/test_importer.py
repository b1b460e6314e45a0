"""The importer: structure of the imported book, safety of re-imports, and line-numbered errors on bad input."""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT
from scripts import import_article

SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"


def run(tmp_path: Path, source: Path, *flags: str) -> int:
    return import_article.main([str(source), "--docs", str(tmp_path / "docs"),
                                "--manifest", str(tmp_path / "manifest.json"), *flags])


@pytest.fixture
def imported(tmp_path, capsys):
    assert run(tmp_path, SOURCE) == 0
    capsys.readouterr()
    return tmp_path / "docs"


def test_help_runs_as_a_command():
    result = subprocess.run([sys.executable, "-m", "scripts.import_article", "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert "--check" in result.stdout and "Exit status" in result.stdout


def test_the_copied_article_matches_its_recorded_hash():
    meta = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
    assert (ROOT / "sources" / meta["file"]) == SOURCE
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == meta["sha256"]


def test_parts_and_chapters_follow_the_article_headings(imported):
    index = (imported / "index.md").read_text(encoding="utf-8")
    captions = re.findall(r"^:caption: (.*)$", index, flags=re.M)
    levels = [(len(m.group(1)), m.group(2).strip()) for m in
              re.finditer(r"^(=+)\s*(.*?)\s*=+\s*$", SOURCE.read_text(encoding="utf-8"), flags=re.M)]
    parts = [t for n, t in levels if n == 2 and t not in ("See also", "Bibliography")]
    assert captions == parts + ["Back matter"]
    chapter_titles = {f.read_text(encoding="utf-8").split("\n# ", 1)[1].split("\n")[0]
                      for f in (imported / "chapters").glob("*.md")}
    for n, title in levels:
        if n == 3:
            assert title in chapter_titles, title


def test_sections_without_text_do_not_become_empty_pages(imported):
    """'Background and history' is only a caption; chapters without own text open with their first section."""
    for page in (imported / "chapters").glob("*.md"):
        body = [line for line in page.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith(("<!--", "(", "#"))]
        assert body, f"{page.name} has no text"
    assert not (imported / "chapters" / "background-and-history.md").exists()


def test_every_heading_has_an_explicit_label_and_labels_are_unique(imported):
    labels = []
    for page in sorted((imported / "chapters").glob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("#"):
                assert re.fullmatch(r"\([a-z0-9-]+\)=", lines[i - 1]), f"{page.name}: no label above {line!r}"
                labels.append(lines[i - 1])
    assert len(labels) == len(set(labels)) > 20


def test_one_sentence_per_line(imported):
    text = (imported / "chapters" / "united-front-northern-alliance.md").read_text(encoding="utf-8")
    assert "\nHis followers also call him Āmer Sāheb-e Shahīd (Our Beloved Martyred Commander).\n" in text
    assert "\nOn September 9, 2001, two days before" in text
    assert "Barack Obama." in (imported / "chapters" / "islamic-emirate-of-afghanistan-taliban.md").read_text()
    # an abbreviation does not end a sentence
    assert "by the U.S. in 2001" in (imported / "chapters" / "introduction.md").read_text(encoding="utf-8")


def test_infobox_is_an_at_a_glance_table_and_back_matter_is_further_reading(imported):
    intro = (imported / "chapters" / "introduction.md").read_text(encoding="utf-8")
    assert ":::{list-table} At a glance" in intro
    assert "  - 35,775 killed" in intro
    further = (imported / "chapters" / "further-reading.md").read_text(encoding="utf-8")
    assert "## See also" in further and "## Bibliography" in further
    assert "(ja): [アフガニスタン紛争 (1989年-2001年)](https://ja.wikipedia.org/wiki/" in further


def test_reimport_without_edits_writes_nothing_new(tmp_path, imported, capsys):
    assert run(tmp_path, SOURCE) == 0
    assert "0 written" in capsys.readouterr().out


def test_reimport_merges_a_changed_source_into_an_edited_chapter(tmp_path, imported, capsys):
    chapter = imported / "chapters" / "pakistan.md"
    edited = chapter.read_text(encoding="utf-8") + "\nA contributor's new sentence.\n"
    chapter.write_text(edited, encoding="utf-8")
    # a changed source changes another chapter; the edited one keeps its new line
    changed = tmp_path / "changed.txt"
    changed.write_text(SOURCE.read_text(encoding="utf-8").replace("Sharp contrasts", "Sharp  contrast"), encoding="utf-8")
    assert run(tmp_path, changed, "--no-build-check") == 0
    out = capsys.readouterr().out
    assert "merged cleanly: docs/chapters/main-participants.md" in out
    assert chapter.read_text(encoding="utf-8") == edited
    main = (imported / "chapters" / "main-participants.md").read_text(encoding="utf-8")
    assert "Sharp  contrast existed" in main


def test_a_file_the_importer_did_not_write_is_never_overwritten(tmp_path, capsys):
    person = tmp_path / "docs" / "chapters" / "pakistan.md"
    person.parent.mkdir(parents=True)
    person.write_text("Written by a person.\n", encoding="utf-8")
    assert run(tmp_path, SOURCE) == 1
    assert "Nothing was written" in capsys.readouterr().err
    assert person.read_text(encoding="utf-8") == "Written by a person.\n"
    assert not (tmp_path / "docs" / "index.md").exists()


def test_check_reports_drift_without_writing(tmp_path, imported, capsys):
    assert run(tmp_path, SOURCE, "--check") == 0
    chapter = imported / "chapters" / "al-qaeda.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Osama", "Usama", 1), encoding="utf-8")
    snapshot = {p: p.read_bytes() for p in imported.rglob("*.md")}
    assert run(tmp_path, SOURCE, "--check") == 1
    out = capsys.readouterr().out
    assert f"{chapter}:6: the imported words 'Osama' became 'Usama'" in out, out
    assert snapshot == {p: p.read_bytes() for p in imported.rglob("*.md")}


BAD_ARTICLES = {
    "empty": (b"", 1, "the file is empty"),
    "blank": (b"\n  \n", 1, "the file is empty"),
    "not-utf8": ("= T =\n\nLead.\n\n== A ==\nText\n".encode() + b"caf\xe9\n", 7, "not UTF-8"),
    "no-title": (b"Just a lead.\n\n== A ==\nText.\n", 1, "expected the title"),
    "skipped-level": (b"= T =\n\nLead.\n\n== A ==\nText.\n==== Deep ====\nText.\n", 7, "skips a level"),
    "unbalanced": (b"= T =\n\nLead.\n\n== A ===\nText.\n", 5, "unbalanced heading"),
    "unclosed": (b"= T =\n\nLead.\n\n== A\nText.\n", 5, "no closing"),
    "duplicate": (b"= T =\n\nLead.\n\n== A ==\n=== B ===\nText.\n=== B ===\nMore.\n", 8,
                  "duplicate section 'B' at the same place (first at line 6)"),
    "second-title": (b"= T =\n\nLead.\n\n= U =\nText.\n", 5, "second title"),
}


@pytest.mark.parametrize("name", sorted(BAD_ARTICLES))
def test_a_damaged_article_gets_a_line_numbered_error_and_nothing_is_written(tmp_path, capsys, name):
    data, line, message = BAD_ARTICLES[name]
    source = tmp_path / f"{name}.txt"
    source.write_bytes(data)
    assert run(tmp_path, source) == 2
    err = capsys.readouterr().err
    assert f"{source}:{line}: " in err, err
    assert message in err, err
    assert not (tmp_path / "docs").exists() and not (tmp_path / "manifest.json").exists()


def test_same_title_in_different_places_is_fine(tmp_path):
    source = tmp_path / "ok.txt"
    source.write_text("= T =\n\nLead.\n\n== A ==\n=== X ===\nOne.\n== B ==\n=== Y ===\n==== X ====\nTwo.\n",
                      encoding="utf-8")
    assert run(tmp_path, source) == 0
