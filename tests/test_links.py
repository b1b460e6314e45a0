"""Internal links and anchors of the built HTML, the committed public anchors, and no request to another host."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from scripts import check_anchors
from scripts import check_links


def page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html>\n<html><head><title>t</title></head>\n<body>\n{body}\n</body></html>\n",
                    encoding="utf-8")


def test_a_broken_link_and_a_missing_anchor_are_reported_with_page_and_target(tmp_path):
    page(tmp_path / "index.html", '<a href="chapters/kabul.html">Kabul</a>\n<a href="chapters/kabul.html#the-city">'
         'the city</a>\n<a href="https://example.org/">outside: not checked here</a>')
    page(tmp_path / "chapters" / "kabul.html", '<section id="kabul"><h1>Kabul</h1>\n<p><a href="../index.html#top">'
         'back</a> <a href="mazar.html">Mazar</a> <img src="../_static/map.png" alt="map"></p></section>')
    assert check_links.check(tmp_path) == [
        "chapters/kabul.html:5: broken link '../_static/map.png': no such file",
        "chapters/kabul.html:5: broken link '../index.html#top': no element with id 'top'",
        "chapters/kabul.html:5: broken link 'mazar.html': no such file",
        "index.html:5: broken link 'chapters/kabul.html#the-city': no element with id 'the-city'",
    ]
    page(tmp_path / "chapters" / "mazar.html", "<p>Mazar</p>")
    assert "mazar.html" not in " ".join(check_links.check(tmp_path))


def test_the_command_exits_1_on_a_broken_link(tmp_path, capsys):
    page(tmp_path / "index.html", '<a href="nowhere.html">x</a>')
    assert check_links.main([str(tmp_path)]) == 1
    assert "index.html:4: broken link 'nowhere.html': no such file" in capsys.readouterr().out
    assert check_links.main([str(tmp_path / "missing")]) == 2


@pytest.mark.slow
def test_every_internal_link_and_anchor_of_the_book_resolves_and_a_planted_broken_one_is_found(html_dir, tmp_path):
    """The whole book with LinkChecker (independently of the build's own check), once: a copy of the real book
    with one bad link and one bad anchor added has exactly those two problems, and no other."""
    copy = tmp_path / "html"
    shutil.copytree(html_dir, copy)
    chapter = copy / "chapters" / "pakistan.html"
    html = chapter.read_text(encoding="utf-8")
    line = html[:html.index('<section id="pakistan">')].count("\n") + 1
    html = html.replace('<section id="pakistan">', '<section id="pakistan"><a href="al-qaeda.html#no-such-label">'
                        'x</a><a href="no-such-chapter.html">y</a>', 1)
    chapter.write_text(html, encoding="utf-8")
    assert check_links.check(copy) == [
        f"chapters/pakistan.html:{line}: broken link 'al-qaeda.html#no-such-label': no element with id 'no-such-label'",
        f"chapters/pakistan.html:{line}: broken link 'no-such-chapter.html': no such file",
    ]


# -- public anchors ---------------------------------------------------------------------------------------------

def test_a_vanished_public_anchor_is_reported(tmp_path):
    page(tmp_path / "html" / "index.html", '<section id="kabul"><h1>Kabul</h1></section><dl><dt id="term-Massoud">'
         'Massoud</dt></dl>')
    listed = tmp_path / "anchors.txt"
    listed.write_text("# a comment\nindex.html\nindex.html#kabul\nindex.html#term-Massoud\n", encoding="utf-8")
    assert check_anchors.vanished(tmp_path / "html", listed) == []
    assert check_anchors.main([str(tmp_path / "html"), "--list", str(listed)]) == 0
    page(tmp_path / "html" / "index.html", '<section id="kabul-city"><h1>Kabul</h1></section>')
    listed.write_text(listed.read_text(encoding="utf-8") + "chapters/gone.html\n", encoding="utf-8")
    assert check_anchors.vanished(tmp_path / "html", listed) == [
        f"{listed}: public anchor '{a}' vanished from the build (run 'make anchors' if that is deliberate)"
        for a in ("chapters/gone.html", "index.html#kabul", "index.html#term-Massoud")]
    assert check_anchors.main([str(tmp_path / "html"), "--list", str(listed)]) == 1


def labels_of_the_chapters() -> list[str]:
    return [f"chapters/{chapter.stem}.html#{label}" for chapter in sorted((ROOT / "docs" / "chapters").glob("*.md"))
            for label in re.findall(r"^\(([a-z0-9-]+)\)=$", chapter.read_text(encoding="utf-8"), flags=re.M)]


def test_the_committed_list_names_every_label_of_the_chapters():
    listed = check_anchors.read_list(check_anchors.ANCHORS)
    assert len(labels_of_the_chapters()) > 20
    assert set(labels_of_the_chapters()) <= listed


@pytest.mark.slow
def test_the_list_is_written_from_the_books_inventory(html_dir, tmp_path):
    listed = tmp_path / "anchors.txt"
    assert check_anchors.main([str(html_dir), "--list", str(listed), "--update"]) == 0
    anchors = check_anchors.read_list(listed)
    assert set(labels_of_the_chapters()) <= anchors
    assert {"index.html", "about.html", "chapters/pakistan.html"} <= anchors
    assert not any("#id" in a for a in anchors)  # docutils' numbered ids are no promise


@pytest.mark.slow
def test_no_public_anchor_vanished_from_the_book(html_dir):
    assert check_anchors.vanished(html_dir) == []


# -- nothing from another host ----------------------------------------------------------------------------------

# the attributes through which a page makes the browser fetch something (links in <a> are the reader's choice)
FETCHING = {"script": ["src"], "link": ["href"], "img": ["src", "srcset"], "source": ["src", "srcset"],
            "iframe": ["src"], "frame": ["src"], "embed": ["src"], "object": ["data"], "video": ["src", "poster"],
            "audio": ["src"], "track": ["src"], "input": ["src"], "image": ["href", "xlink:href"],
            "use": ["href", "xlink:href"], "form": ["action"], "meta": ["content"]}
FETCHED_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "modulepreload",
                "preconnect", "dns-prefetch", "manifest", "mask-icon"}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


def remote(url: str) -> bool:
    url = url.strip()
    return bool(urlsplit(url).netloc) or url.startswith("//")


def requests_to_other_hosts(html_dir: Path) -> list[str]:
    found = []
    for path in sorted(html_dir.rglob("*.html")):
        name = path.relative_to(html_dir).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag_name, attributes in FETCHING.items():
            for tag in soup.find_all(tag_name):
                for attribute in attributes:
                    value = tag.get(attribute)
                    if not value:
                        continue
                    if tag_name == "link" and not FETCHED_RELS & set(tag.get("rel") or []):
                        continue  # rel=canonical, next, prev...: a link, not a request
                    if tag_name == "meta":  # <meta http-equiv="refresh" content="0; url=...">
                        if (tag.get("http-equiv") or "").lower() != "refresh":
                            continue
                        value = value.split("url=", 1)[-1]
                    urls = [part.split()[0] for part in value.split(",")] if attribute == "srcset" else [value]
                    found += [f"{name}: <{tag_name} {attribute}={u}>" for u in urls if remote(u)]
        for style in soup.find_all("style") + soup.find_all(style=True):
            css = style.get("style") or style.get_text()
            found += [f"{name}: CSS url({u})" for u in CSS_URL.findall(css) if remote(u)]
    for path in sorted(html_dir.rglob("*.css")):
        css = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(html_dir).as_posix()}: url({u})" for u in CSS_URL.findall(css) if remote(u)]
    return found


def test_the_scan_finds_requests_to_other_hosts(tmp_path):
    page(tmp_path / "index.html", '<script src="https://cdn.example.org/x.js"></script>'
         '<link rel="stylesheet" href="//fonts.example.org/f.css"><link rel="canonical" href="https://example.org/"><img srcset="a.png 1x, https://img.example.org/b.png 2x">'
         '<iframe src="https://video.example.org/"></iframe><a href="https://example.org/">a link is fine</a>'
         '<div style="background: url(https://img.example.org/bg.png)"></div>'
         '<meta http-equiv="refresh" content="0; url=https://example.org/">')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.css").write_text("@import 'https://fonts.example.org/x.css';\n"
                                                "p { background: url(\"../img/local.png\") }")
    assert requests_to_other_hosts(tmp_path) == [
        "index.html: <script src=https://cdn.example.org/x.js>",
        "index.html: <link href=//fonts.example.org/f.css>",
        "index.html: <img srcset=https://img.example.org/b.png>",
        "index.html: <iframe src=https://video.example.org/>",
        "index.html: <meta content=https://example.org/>",
        "index.html: CSS url(https://img.example.org/bg.png)",
        "_static/a.css: url(https://fonts.example.org/x.css)",
    ]


@pytest.mark.slow
def test_the_built_book_requests_nothing_from_another_host(html_dir):
    assert requests_to_other_hosts(html_dir) == []


# -- The check in every build (ext/html_link_check.py): the same findings as LinkChecker, in a fraction of the time
def test_the_build_s_own_check_finds_what_linkchecker_finds(tmp_path):
    from ext import html_link_check

    page(tmp_path / "index.html", '<a href="chapters/kabul.html">Kabul</a>\n<a href="chapters/kabul.html#the-city">'
         'the city</a>\n<a href="https://example.org/">outside: not checked here</a>')
    page(tmp_path / "chapters" / "kabul.html", '<section id="kabul"><h1>Kabul</h1>\n<p><a href="../index.html#top">'
         'back</a> <a href="mazar.html">Mazar</a> <img src="../_static/map.png" alt="map"></p></section>')
    page(tmp_path / "404.html", '<base href="/">\n<a href="chapters/kabul.html#kabul">relative to the root</a>')
    cache = {}
    pages = html_link_check.pages_of(tmp_path, cache)
    assert html_link_check.broken_links(tmp_path, pages) == check_links.check(tmp_path) == [
        "chapters/kabul.html:5: broken link '../_static/map.png': no such file",
        "chapters/kabul.html:5: broken link '../index.html#top': no element with id 'top'",
        "chapters/kabul.html:5: broken link 'mazar.html': no such file",
        "index.html:5: broken link 'chapters/kabul.html#the-city': no element with id 'the-city'",
    ]
    listed = tmp_path / "anchors.txt"
    listed.write_text("# header\nindex.html\nchapters/kabul.html#kabul\nchapters/kabul.html#gone\n", encoding="utf-8")
    assert html_link_check.vanished_anchors(listed, pages) == [
        f"{listed}: public anchor 'chapters/kabul.html#gone' vanished from the build (run 'make anchors' if that "
        "is deliberate)"]


@pytest.mark.slow
def test_every_build_checks_the_links_of_the_pages_it_did_not_rewrite(tmp_path):
    """Built twice: the second build rewrites nothing, yet finds a link broken in a page since the first."""
    from conftest import sphinx_build

    tiny = ROOT / "tests" / "roots" / "book-of-a-tiny-article"
    out = tmp_path / "html"
    first = sphinx_build(tiny, out, confdir=tiny)
    assert (first.returncode, first.stderr) == (0, "")
    chapter = out / "chapters" / "kabul.html"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("<h1>", '<h1><a href="../index.html#no-such-id">x</a>', 1), encoding="utf-8")
    line = next(n for n, l in enumerate(chapter.read_text(encoding="utf-8").splitlines(), 1) if "no-such-id" in l)
    again = sphinx_build(tiny, out, confdir=tiny)
    assert again.returncode == 1
    assert again.stderr == (f"{chapter}:{line}: WARNING: broken link '../index.html#no-such-id': no element with id "
                            "'no-such-id' [book.internal_link]\n")
