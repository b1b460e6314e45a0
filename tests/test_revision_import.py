"""Taking a newer revision of the article into the edited book: merge, report, changes page, refusals.

The newer revisions are made here, from the received export, by the kinds of edit Wikipedia articles get
(a sentence reworded, a paragraph added, a citation fragment, a section renamed, split or removed, the infobox
repaired, a lost quotation restored, whitespace and punctuation churn). Added text is marked as the tests' own:
no article text is invented. The book is a copy of docs/ and sources/ in a temporary folder, with local edits
on top of the book's own (term links, citations, notes): a deliberate correction, a chapter renamed by a person.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import MAP_CACHE_SETTINGS, ROOT, sphinx_build
from booklib.article import parse
from booklib.article_markdown import render
from scripts import import_article
from scripts import revision_merge

SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
ROLE = re.compile(r"\{(?:term|cite:p|cite:t|ref)\}`[^`]*`")

# (what the export has, what the newer revision has)
REWORDED = ("In total there were believed to be 28,000", "In total there were reported to be 28,000")
ADDED_PARAGRAPH = ("Sharp contrasts existed regarding life and structures in different areas.\n",
                   "Sharp contrasts existed regarding life and structures in different areas.\n\n"
                   "On 3 March 1999 a paragraph the newer revision adds, naming Kabul (a test's own words).\n")
CITATION = ("involved in planning major Taliban military operations.",
            "involved in planning major Taliban military operations.[34]")
RENAMED = ("=== Al-Qaeda ===", "=== Al-Qaeda in Afghanistan ===")
SPLIT = ("\nIn over 26 years Massoud", "\n=== Assassination of Massoud: aftermath ===\nIn over 26 years Massoud")
REMOVED = ("=== U.S. invasion===", None)  # the section and its paragraph go
INFOBOX = ("- Date: 27 September 1996 – 7 October 2001, ()", "- Date: 27 September 1996 – 7 October 2001")
QUOTATION = ("Human Rights Watch wrote in 2000:\n",
             "Human Rights Watch wrote in 2000:\n\nA quotation the newer revision restores (a test's own words).\n")
CHURN = ("Sharp contrasts existed regarding life and structures in different areas.",
         "Sharp  contrasts existed regarding life, and structures, in different areas. ")
PERSON_RENAMED_EDIT = ("two former archenemies, created", "two former archenemies, formed")


def revise(text: str, *edits: tuple[str, str | None]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, old
        if new is None:  # remove the section: its heading and everything up to the next heading
            start = text.index(old)
            end = text.index("\n=", start + len(old))
            text = text[:start] + text[end + 1:]
        else:
            text = text.replace(old, new)
    return text


@pytest.fixture
def book(tmp_path):
    """A copy of the book (docs/, sources/) to import into."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return tmp_path


def newer(book: Path, *edits, name: str = "newer.txt") -> Path:
    path = book / name
    path.write_text(revise(SOURCE.read_text(encoding="utf-8"), *edits), encoding="utf-8")
    return path


def run(book: Path, source: Path, *flags: str) -> int:
    return import_article.main([str(source), "--docs", str(book / "docs"), "--manifest",
                                str(book / "sources" / "import-manifest.json"), "--report", str(book / "report.md"),
                                "--received", "2026-12-01", *flags])


def snapshot(book: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for folder in ("docs", "sources") for p in sorted((book / folder).rglob("*"))
            if p.is_file()}


def person_lines(book: Path) -> dict[str, list[str]]:
    """Per file, the lines a person wrote: in the book but not in what the importer wrote."""
    manifest = json.loads((book / "sources" / "import-manifest.json").read_text(encoding="utf-8"))
    base = book / "sources" / manifest["base"]
    out = {}
    for rel in manifest["files"]:
        ours = book / "docs" / rel
        if ours.exists():
            imported = set((base / rel).read_text(encoding="utf-8").splitlines())
            out[rel] = [line for line in ours.read_text(encoding="utf-8").splitlines()
                        if line.strip() and line not in imported]
    return out


def kept(line: str, text: str) -> bool:
    """A person's line survives: word for word, or (merged word by word with the article's edit) every link,
    citation and reference it carried is still there."""
    roles = ROLE.findall(line)
    return line in text.splitlines() or (bool(roles) and all(role in text for role in roles))


def test_the_stored_base_is_what_the_importer_writes_from_the_received_export():
    manifest = json.loads((ROOT / "sources" / "import-manifest.json").read_text(encoding="utf-8"))
    meta = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
    assert manifest["source_sha256"] == meta["sha256"] == meta["revisions"][-1]["sha256"]
    rendered = render(parse(SOURCE), SOURCE, manifest["source"])[0]
    base = ROOT / "sources" / manifest["base"]
    stored = {p.relative_to(base).as_posix(): p.read_text(encoding="utf-8") for p in base.rglob("*.md")}
    assert revision_merge.apply_renames(rendered, manifest["renamed"]) == stored
    for rel, digest in manifest["files"].items():
        assert revision_merge.sha256(stored[rel].encode("utf-8")) == digest


def test_every_revision_taken_in_is_kept_in_sources():
    meta = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
    for rev in meta["revisions"]:
        assert revision_merge.sha256((ROOT / "sources" / rev["file"]).read_bytes()) == rev["sha256"]
    assert (ROOT / "sources" / meta["file"]).read_bytes() == (ROOT / "sources" / meta["revisions"][-1]["file"]).read_bytes()


def test_check_import_passes_on_the_books_expected_drift_and_fails_on_a_changed_word(tmp_path, capsys):
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "check-import"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "only the expected drift" in result.stdout
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    chapter = tmp_path / "docs" / "chapters" / "pakistan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(*REWORDED), encoding="utf-8")
    status = import_article.main(["--check", "--docs", str(tmp_path / "docs")])
    out = capsys.readouterr().out
    assert status == 1
    assert re.search(rf"{re.escape(str(chapter))}:\d+: the imported words 'believed' became 'reported'", out), out


def test_a_recorded_correction_is_expected_drift(tmp_path, capsys):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    chapter = tmp_path / "docs" / "chapters" / "pakistan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("3,000 fighter of", "3,000 fighters of"),
                       encoding="utf-8")
    args = ["--check", "--docs", str(tmp_path / "docs"), "--manifest", str(tmp_path / "sources" / "import-manifest.json"),
            str(tmp_path / "sources" / "afghan-civil-war-1996-2001.txt")]
    assert import_article.main(args) == 1
    with (tmp_path / "sources" / "corrections.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[correction]]\nchapter = "pakistan.md"\narticle = "fighter of"\nbook = "fighters of"\n'
                 'reason = "a test"\n')
    assert import_article.main(args) == 0
    assert "only the expected drift" in capsys.readouterr().out


def merged_book(book: Path, capsys, *edits) -> tuple[int, str, dict[str, list[str]]]:
    before = person_lines(book)
    status = run(book, newer(book, *edits), "--no-build-check")
    return status, capsys.readouterr().out, before


def test_a_reworded_sentence_merges_with_the_books_term_link(book, capsys):
    status, out, _ = merged_book(book, capsys, REWORDED)
    assert status == 0, out
    text = (book / "docs" / "chapters" / "pakistan.md").read_text(encoding="utf-8")
    assert ("In total there were reported to be 28,000 Pakistani nationals fighting inside {term}`Afghanistan` "
            "against the forces of Massoud.") in text.splitlines()
    assert "merged cleanly: docs/chapters/pakistan.md (1 line(s) from the article; 1 overlap(s) merged word by word)" in out
    assert "CONFLICT" not in out


def test_every_kind_of_article_edit_with_the_books_edits(book, capsys):
    # a person renamed a chapter (file and labels), and corrected a word, recorded as a correction
    old = book / "docs" / "chapters" / "creation-of-the-united-front-northern-alliance.md"
    renamed = old.with_name("united-front-formed.md")
    renamed.write_text(old.read_text(encoding="utf-8").replace("(creation-of-the-united-front-northern-alliance",
                                                               "(united-front-formed"), encoding="utf-8")
    old.unlink()
    index = book / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "chapters/creation-of-the-united-front-northern-alliance", "chapters/united-front-formed"), encoding="utf-8")
    pakistan = book / "docs" / "chapters" / "pakistan.md"
    pakistan.write_text(pakistan.read_text(encoding="utf-8").replace("3,000 fighter of", "3,000 fighters of"),
                        encoding="utf-8")
    status, out, before = merged_book(book, capsys, REWORDED, ADDED_PARAGRAPH, CITATION, RENAMED, SPLIT, REMOVED,
                                      INFOBOX, QUOTATION, CHURN, PERSON_RENAMED_EDIT)
    assert status == 1, out  # conflicts to resolve
    docs = book / "docs"
    # no line a person wrote is lost (counted before and after)
    after_text = {rel: (docs / rel).read_text(encoding="utf-8") for rel in before if (docs / rel).exists()}
    after_text["chapters/creation-of-the-united-front-northern-alliance.md"] = renamed.read_text(encoding="utf-8")
    lost = [(rel, line) for rel, person in before.items() for line in person
            if not kept(line, after_text.get(rel, ""))]
    assert sum(map(len, before.values())) > 300 and lost == []
    lines = {line.strip() for line in out.splitlines()}
    # what merged, and where
    for clean in ("docs/chapters/main-participants.md", "docs/chapters/united-front-formed.md",
                  "docs/chapters/al-qaeda.md", "docs/chapters/introduction.md", "docs/index.md"):
        assert any(line.startswith(f"merged cleanly: {clean} ") for line in lines), (clean, out)
    # which conflicts: the citation fragment against the book's citation; the restored quotation against the
    # book's note; the split-off paragraph against the book's term links in it
    conflicts = {line.split(":")[1].strip() for line in lines if line.startswith("CONFLICT: ")}
    assert conflicts == {"docs/chapters/pakistan.md", "docs/chapters/assassination-of-massoud.md"}, out
    pakistan_text = pakistan.read_text(encoding="utf-8")
    assert pakistan_text.count("\n<<<<<<< ") == 2 and "military operations.[34]" in pakistan_text
    # new, retired, renamed: reported, nothing dropped
    assert ("new chapter: docs/chapters/assassination-of-massoud-aftermath.md (a section the article added; 3 of 3 "
            "sentences were in docs/chapters/assassination-of-massoud.md: split or moved)") in lines
    assert any(line.startswith("retired: docs/chapters/u-s-invasion.md: the article removed this section") for line in lines)
    assert (docs / "chapters" / "u-s-invasion.md").exists()
    assert "chapters/u-s-invasion" not in index.read_text(encoding="utf-8")
    assert ("renamed by the article: section 'al-qaeda-in-afghanistan' is docs/chapters/al-qaeda.md, whose file and "
            "labels stay (links keep working)") in lines
    al_qaeda = (docs / "chapters" / "al-qaeda.md").read_text(encoding="utf-8")
    assert "(al-qaeda)=\n# Al-Qaeda in Afghanistan\n" in al_qaeda
    assert not (docs / "chapters" / "al-qaeda-in-afghanistan.md").exists()
    assert ("renamed by a person: docs/chapters/creation-of-the-united-front-northern-alliance.md is "
            "docs/chapters/united-front-formed.md; merged there") in lines
    assert not old.exists() and "two former archenemies, formed" in renamed.read_text(encoding="utf-8")
    # the infobox repair, the whitespace churn and the correction merged into the book's lines
    intro = (docs / "chapters" / "introduction.md").read_text(encoding="utf-8")
    assert "  - 27 September 1996 – 7 October 2001\n" in intro
    assert "Sharp  contrasts existed regarding life, and structures, in different areas." in (
        docs / "chapters" / "main-participants.md").read_text(encoding="utf-8").splitlines()
    assert "3,000 fighters of" in pakistan_text
    # which checks fired (the build's own run in the slow test below)
    assert "docs/chapters/pakistan.md:" in out and "a merge conflict to resolve" in out
    assert re.search(r"docs/chapters/introduction\.md:\d+: an editor's note on damage \(kind: lost\) stands next "
                     r"to text the new revision changed", out), out
    assert re.search(r"docs/chapters/pakistan\.md:\d+: an editor's note on damage", out), out
    assert re.search(r"docs/chapters/main-participants\.md:\d+: a date new to this chapter, '3 March 1999'", out), out
    # the record: the revision, its export kept, the changes page's data
    meta = tomllib.loads((book / "sources" / "article.toml").read_text(encoding="utf-8"))
    assert [r["received"] for r in meta["revisions"]] == ["2026-11-24", "2026-12-01"]
    assert (book / "sources" / meta["revisions"][1]["file"]).read_bytes() == (book / "newer.txt").read_bytes()
    assert (book / "sources" / meta["file"]).read_bytes() == (book / "newer.txt").read_bytes()
    assert (book / "sources" / meta["revisions"][0]["file"]).read_bytes() == SOURCE.read_bytes()
    changes = json.loads((docs / "_data" / "article-changes.json").read_text(encoding="utf-8"))["changes"][0]
    by_chapter = {c["chapter"]: c for c in changes["chapters"]}
    assert changes["to"]["received"] == "2026-12-01" and changes["from"] == meta["revisions"][0]
    assert any("reported to be 28,000" in s for s in by_chapter["pakistan"]["added"])
    assert any("believed to be 28,000" in s for s in by_chapter["pakistan"]["removed"])
    assert by_chapter["u-s-invasion"]["status"] == "removed"
    assert by_chapter["al-qaeda"]["old_title"] == "Al-Qaeda"


def test_a_second_import_of_the_same_revision_changes_nothing(book, capsys):
    source = newer(book, REWORDED, CITATION, SPLIT, REMOVED, RENAMED)
    assert run(book, source, "--no-build-check") == 1
    first = snapshot(book)
    assert run(book, source, "--no-build-check") == 1  # the conflicts are still there to resolve
    assert snapshot(book) == first
    assert "0 written" in capsys.readouterr().out


def test_a_chapter_a_person_deleted_stays_deleted(book, capsys):
    (book / "docs" / "chapters" / "taliban-massacres.md").unlink()
    status, out, _ = merged_book(book, capsys, ("committed systematic massacres", "committed massacres"))
    assert "kept deleted: docs/chapters/taliban-massacres.md (deleted by a person; stays deleted)" in out
    assert not (book / "docs" / "chapters" / "taliban-massacres.md").exists()


def test_the_dry_run_writes_nothing_and_says_what_would_happen(book, capsys):
    before = snapshot(book)
    assert run(book, newer(book, REWORDED, CITATION), "--dry-run", "--no-build-check") == 1
    out = capsys.readouterr().out
    assert "merged cleanly: docs/chapters/" not in out or "CONFLICT: docs/chapters/pakistan.md: 1 conflict(s)" in out
    assert "CONFLICT: docs/chapters/pakistan.md: 1 conflict(s)" in out
    assert "dry run: nothing was written" in out
    before.pop(book / "newer.txt", None)
    assert snapshot(book) == before


@pytest.mark.slow
def test_make_import_dry_run(book):
    source = newer(book, REWORDED)
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "import", f"ARTICLE={source}",
                             "DRY_RUN=1", "RECEIVED=2026-12-01"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "merged cleanly: docs/chapters/pakistan.md" in result.stdout
    assert "dry run: nothing was written" in result.stdout


BAD = {
    "truncated": (lambda text: text[: len(text) * 2 // 5], "looks truncated or damaged"),
    "missing-headings": (lambda text: "\n".join(line for i, line in enumerate(text.splitlines())
                                                if i == 0 or not line.startswith("=")), "no section headings"),
    "binary-garbage": (lambda text: text.replace("Sharp contrasts", "Sharp \x00\x01\x02 contrasts"), "binary data"),
    "different-article": (lambda text: text.replace("= Afghan Civil War (1996–2001) =", "= Another article ="),
                          "a different article"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_damaged_newer_export_is_refused_before_anything_is_written(book, capsys, name):
    damage, message = BAD[name]
    source = book / f"{name}.txt"
    source.write_text(damage(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(book)
    assert run(book, source, "--no-build-check") == 2
    err = capsys.readouterr().err
    assert f"import_article: error: {source}:" in err and message in err and "Nothing was written." in err, err
    assert snapshot(book) == before


def test_bytes_that_are_not_utf8_are_refused(book, capsys):
    source = book / "garbage.txt"
    source.write_bytes(SOURCE.read_bytes()[:4000] + bytes(range(128, 256)) + SOURCE.read_bytes()[4000:])
    assert run(book, source, "--no-build-check") == 2
    assert "not UTF-8" in capsys.readouterr().err


@pytest.mark.slow
def test_the_build_rejects_conflict_markers_naming_file_and_line(tmp_path):
    root = ROOT / "tests" / "roots" / "merge-conflict"
    result = sphinx_build(root, tmp_path / "html")
    assert result.returncode != 0
    assert (f"{root / 'index.md'}:4: ERROR: a merge conflict starts here: keep the right text, delete the lines "
            "'<<<<<<<', '|||||||', '=======' and '>>>>>>>'") in result.stderr, result.stderr


@pytest.mark.slow
def test_the_report_lists_what_the_build_says_and_the_changes_page_shows_the_articles_edits(book, capsys):
    (book / "docs" / "chapters" / "taliban-massacres.md").unlink()  # deleted by a person: the article's words go
    status = run(book, newer(book, REWORDED, CITATION, ADDED_PARAGRAPH, ("committed systematic massacres",
                                                                        "committed systematic, repeated massacres")))
    out = capsys.readouterr().out
    assert status == 1
    report = (book / "report.md").read_text(encoding="utf-8")
    # a name the glossary knows, new in a chapter that did not link it; the every-word check against the new export
    assert re.search(r"- \[ \] docs/chapters/main-participants\.md:\d+: warning: first mention of 'Kabul'", report)
    assert re.search(r"- \[ \] \S*newer\.txt:\d+: (missing from|altered in) the book: .*repeated massacres.* \[every word\]",
                     report), report
    # the build's own check of conflict markers, with file and line, in the report's checklist
    assert re.search(r"- \[ \] docs/chapters/pakistan\.md:\d+: error: a merge conflict starts here", report), report
    assert "a date new to this chapter, '3 March 1999'" in report
    assert re.search(r"Took \d+\.\d s\.", report)
    # the changes page of the merged book, with the new revision's attribution (conf.py reads sources/article.toml)
    meta = tomllib.loads((book / "sources" / "article.toml").read_text(encoding="utf-8"))
    conf = book / "conf"
    conf.mkdir()
    (conf / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tests' / 'roots')!r})\n"
        "from roots_conf import book_settings\nglobals().update(book_settings())\n"
        f"article_revisions = {meta['revisions']!r}\n"
        f"article_changes_file = {str(book / 'docs' / '_data' / 'article-changes.json')!r}\n", encoding="utf-8")
    build = sphinx_build(book / "docs", book / "html", confdir=conf, settings=MAP_CACHE_SETTINGS)
    from bs4 import BeautifulSoup
    page = BeautifulSoup((book / "html" / "changes.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "From the revision received 2026-11-24 (SHA-256 25a8b0e9e4b3) to the revision received 2026-12-01" in text, \
        build.stderr[-2000:]
    assert "In total there were reported to be 28,000" in text and "In total there were believed to be 28,000" in text
    assert page.select_one('a[href="chapters/pakistan.html#pakistan"]') or page.select_one('a[href^="chapters/pakistan.html"]')
    about = " ".join(BeautifulSoup((book / "html" / "about.html").read_text(encoding="utf-8"),
                                   "html.parser").get_text(" ").split())
    assert "received 2026-11-24" in about and "received 2026-12-01" in about and meta["sha256"] in about


def test_every_revision_is_named_in_the_pdf_and_epub_metadata():
    sys.path.insert(0, str(ROOT / "tests" / "roots"))
    from roots_conf import book_settings
    conf = book_settings()
    assert conf["article_revisions"] and "history" in conf["epub_description"]
    for rev in conf["article_revisions"]:
        assert rev["received"] in conf["epub_description"] and rev["sha256"] in conf["epub_description"]
        assert f"received {rev['received']}, SHA-256 {rev['sha256'][:4]}\\allowbreak{{}}" in conf["latex_elements"]["preamble"]
    assert "\\BookRevisions" in (ROOT / "latex" / "book.sty").read_text(encoding="utf-8")


def test_a_section_the_article_moved_to_another_part_is_reported_and_follows(book, capsys):
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("===Taliban massacres===")
    section = text[start:text.index("\n=", start + 3) + 1]
    moved = text.replace(section, "").replace("==Background and history==", section + "\n==Background and history==")
    source = book / "moved.txt"
    source.write_text(moved, encoding="utf-8")
    assert run(book, source, "--no-build-check") == 0
    out = capsys.readouterr().out
    assert ("moved by the article: chapters/taliban-massacres from part 'Background and history' to part "
            "'Main participants'") in out
    index = (book / "docs" / "index.md").read_text(encoding="utf-8")
    main_part = index[index.index(":caption: Main participants"):index.index(":caption: Background and history")]
    assert "chapters/taliban-massacres\n" in main_part and index.count("chapters/taliban-massacres\n") == 1
