"""What the HTML gives a reader besides the text: description, page dates, edit link, favicon, 404 page."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import NOT_THE_BOOK, ROOT, sphinx_build
from ext.git_last_updated import commit_dates
from ext.meta_description import shorten


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def chapter_pages(html_dir: Path) -> list[Path]:
    return sorted((html_dir / "chapters").glob("*.html"))


def first_running_paragraph(page: BeautifulSoup):
    """The article's first paragraph outside tables, notes, footnotes and tables of contents."""
    for p in page.select("article[role=main] p"):
        if not p.find_parent(["table", "aside", "figure"]) and not p.find_parent(class_=["admonition", "toctree-wrapper", "footnote"]):
            return p
    raise AssertionError("the page has no paragraph of running text")


@pytest.mark.slow
def test_every_page_describes_itself_with_its_opening_words(html_dir):
    for path in [html_dir / "index.html", html_dir / "about.html", *chapter_pages(html_dir)]:
        page = soup(path)
        metas = page.select('meta[name="description"]')
        assert len(metas) == 1, path.name
        description = metas[0]["content"]
        assert 0 < len(description) <= 160, path.name
        opening = " ".join(first_running_paragraph(page).get_text().split())  # links join their text as written
        assert opening.startswith(description.removesuffix("…")), (path.name, description)


def test_a_long_description_is_cut_at_a_word():
    text = "word " * 60
    cut = shorten(text.strip())
    assert len(cut) <= 160 and cut.endswith("word…")
    assert shorten("short") == "short"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.slow
def test_pages_are_dated_by_their_last_commit(html_dir):
    dirty = git("status", "--porcelain", "--", "docs", cwd=ROOT)
    clean = [p for p in chapter_pages(html_dir) if f"docs/chapters/{p.stem}.md" not in dirty]
    assert clean, "every chapter has uncommitted changes: commit one to test its date"
    for page in clean:
        source = f"docs/chapters/{page.stem}.md"
        expected = git("log", "-1", "--format=%cs", "--", source, cwd=ROOT)
        assert soup(page).select_one(".last-updated").get_text(strip=True) == f"Last updated on {expected}", source


def test_outside_git_there_are_no_commit_dates(tmp_path):
    (tmp_path / "page.md").write_text("# A page\n", encoding="utf-8")
    assert commit_dates(tmp_path) == ({}, set())


def test_an_uncommitted_file_is_seen_as_changed(tmp_path):
    git("init", "-q", cwd=tmp_path)
    for name in ("kept.md", "edited.md"):
        (tmp_path / name).write_text("# A page\n", encoding="utf-8")
    git("add", ".", cwd=tmp_path)
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "first",
        "--date=2001-02-03T04:05:06+00:00", cwd=tmp_path)
    (tmp_path / "edited.md").write_text("# A page, edited\n", encoding="utf-8")
    dates, changed = commit_dates(tmp_path)
    top = Path(git("rev-parse", "--show-toplevel", cwd=tmp_path))
    assert set(dates) == {top / "kept.md", top / "edited.md"}
    assert changed == {top / "edited.md"}


def test_commit_dates_are_kept_for_the_commit_checked_out_and_read_again_after_another(tmp_path, monkeypatch):
    """A build at the commit of the last one takes the dates kept next to its doctrees, without `git log`; a new
    commit (or a checkout of another) is read again."""
    from ext import git_last_updated
    repo, store = tmp_path / "repo", tmp_path / "doctrees"
    repo.mkdir()
    git("init", "-q", cwd=repo)

    def commit(name: str, year: int) -> None:
        (repo / name).write_text(f"# A page of {year}\n", encoding="utf-8")
        git("add", name, cwd=repo)
        date = f"{year}-02-03T04:05:06+00:00"
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", name],
                       cwd=repo, check=True, env={**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date})
    commit("old.md", 2001)
    assert commit_dates(repo, store) == commit_dates(repo)
    asked, run = [], subprocess.run
    monkeypatch.setattr(git_last_updated.subprocess, "run", lambda args, **kw: asked.append(args[1]) or run(args, **kw))
    dates, changed = commit_dates(repo, store)
    assert "log" not in asked and {p.name: d.year for p, d in dates.items()} == {"old.md": 2001}
    commit("old.md", 2002)
    commit("new.md", 2003)
    dates, changed = commit_dates(repo, store)
    assert asked.count("log") == 1 and {p.name: d.year for p, d in dates.items()} == {"old.md": 2002, "new.md": 2003}
    assert (dates, changed) == commit_dates(repo)


@pytest.mark.slow
def test_no_edit_link_while_the_repository_address_is_unknown(html_dir):  # built without BOOK_REPOSITORY_URL
    assert not soup(html_dir / "chapters" / "pakistan.html").select("a[rel=edit]")


def test_the_edit_link_points_at_the_chapter_source(tmp_path, monkeypatch):
    """A tiny book laid out as docs/ is (a chapter in chapters/), built with the book's conf.py: the link is made
    from the page's name and conf.py's settings alone, as for every chapter of the book (this one has no map to
    draw: conf.py's place_maps_skip)."""
    monkeypatch.setenv("BOOK_REPOSITORY_URL", "https://github.com/example-owner/example-book/")
    docs, out = tmp_path / "docs", tmp_path / "html"
    (docs / "chapters").mkdir(parents=True)
    (docs / "index.md").write_text("# A tiny book\n\n```{toctree}\nchapters/further-reading\n```\n", encoding="utf-8")
    (docs / "chapters" / "further-reading.md").write_text("(further-reading)=\n# Further reading\n\nA sentence.\n",
                                                         encoding="utf-8")
    result = sphinx_build(docs, out, settings=NOT_THE_BOOK)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    links = soup(out / "chapters" / "further-reading.html").select("a[rel=edit]")
    assert [a["href"] for a in links] == [
        "https://github.com/example-owner/example-book/edit/main/docs/chapters/further-reading.md"]
    assert (ROOT / "docs" / "chapters" / "further-reading.md").is_file()


@pytest.mark.slow
def test_favicon_and_404_page(html_dir):
    index = soup(html_dir / "index.html")
    icon = index.select_one('link[rel~="icon"]')
    assert icon and (html_dir / icon["href"]).is_file()
    page = soup(html_dir / "404.html")
    assert page.select_one("base")["href"] == "/"
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.h1.get_text(strip=True) == "Page not found"


def test_a_base_path_without_slashes_is_refused(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Title\n\nText.\n", encoding="utf-8")
    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "extensions = ['myst_parser', 'ext.not_found_page']\nhtml_additional_pages = {'404': 'page.html'}\n"
        "not_found_base_path = 'book'\n", encoding="utf-8")
    result = sphinx_build(docs, tmp_path / "html", confdir=tmp_path)
    assert result.returncode != 0
    assert "not_found_base_path must start and end with '/', got 'book' (conf.py)" in result.stderr


def test_a_shallow_clone_leaves_older_pages_undated_rather_than_wrongly_dated(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    for name, year in (("old.md", 2001), ("mid.md", 2002), ("new.md", 2003)):
        (repo / name).write_text("# A page\n", encoding="utf-8")
        git("add", name, cwd=repo)
        date = f"{year}-02-03T04:05:06+00:00"
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", name],
                       cwd=repo, check=True, env={**os.environ, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date})
    full, _ = commit_dates(repo)
    assert {p.name: d.year for p, d in full.items()} == {"old.md": 2001, "mid.md": 2002, "new.md": 2003}
    clone = tmp_path / "clone"
    git("clone", "-q", "--depth", "2", f"file://{repo}", str(clone), cwd=tmp_path)
    dates, changed = commit_dates(clone)
    # the clone's oldest commit seems to add old.md too, which would date it 2002: no date is better
    assert {p.name: d.year for p, d in dates.items()} == {"new.md": 2003}
    assert changed == set()
