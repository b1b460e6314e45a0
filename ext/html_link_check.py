"""After every HTML build: every internal href and src resolves, every #anchor exists, no public anchor vanished.

Fast enough for every build: each page's ids and links are read once and kept (with the page's size and time)
in the doctree folder, so a build reads again only the pages it wrote; then every link of every page is checked
against the kept ids, which is set lookups. So a changed page is checked, and so is every page that links to it.
External links (http, https, mailto...) are `make linkcheck`; `make check-html` (scripts/check_links.py, run by
`make test` and CI) checks the whole book again with LinkChecker, independently of this.

``html_link_check = False`` switches the check off; ``html_link_check_anchors``: the committed list of public
anchors (public-anchors.txt, relative to the folder of conf.py; "" for none). Messages:
``page.html:line: broken link 'target': reason`` and
``list: public anchor 'page#id' vanished from the build (run 'make anchors' if that is deliberate)``.
"""
from __future__ import annotations

import html
import os
import pickle
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sphinx.util import logging

from ext.config_paths import config_path

logger = logging.getLogger(__name__)
CACHE = "html-link-check.pickle"
VERSION = 3


TAG = re.compile(r"<(?!!--)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Starting with the literal '<' lets the regular expression engine jump from one '<' to the next.
SKIPPED = re.compile(r"<(?:!--.*?-->|(?i:(script\b[^>]*>).*?(?=</script>)|(style\b[^>]*>).*?(?=</style>)))", re.S)


def read_page(path: Path) -> tuple[set[str], list[tuple[int, str]], bool]:
    """The ids (and a names) of a page, its href and src values with their lines, and whether it has a <base>.
    A regular expression over the tags, not a full HTML parser: Sphinx writes well-formed attributes, and this
    is several times faster, which matters in every build."""
    # comments, and the text of scripts and styles, hold no tags: blanked, keeping their lines
    def blank(m: re.Match) -> str:
        opening = m.group(1) or m.group(2)  # a script's or style's start tag stays: it may have a src
        return ("<" + opening if opening else "") + "\n" * m.group().count("\n")

    text = SKIPPED.sub(blank, path.read_text(encoding="utf-8"))
    ids, links, base = set(), [], False
    line, at = 1, 0
    for tag in TAG.finditer(text):
        name, attributes = tag.groups()
        name = name.lower()
        if name == "base":
            base = True
            continue
        # a value in double quotes, single quotes or none: the two others are ""
        for key, double, single, bare in ATTRIBUTE.findall(attributes):
            key = key.lower()
            if key == "id" or (key == "name" and name == "a"):
                ids.add(html.unescape(double or single or bare))
            elif key in ("href", "src"):
                line += text.count("\n", at, tag.start())
                at = tag.start()
                links.append((line, html.unescape(double or single or bare)))
    return ids, links, base


def pages_of(outdir: Path, cache: dict) -> dict[str, tuple[set[str], list, bool]]:
    """Every page's ids and links; reads only pages that are new or changed since the cached reading."""
    pages = {}
    for dirpath, dirnames, filenames in os.walk(outdir):
        dirnames[:] = [d for d in dirnames if d not in ("_static", "_sources", "_images", "_downloads")]
        for name in filenames:
            if not name.endswith(".html"):
                continue
            path = Path(dirpath, name)
            stat = path.stat()
            key = path.relative_to(outdir).as_posix()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if key not in cache or cache[key][0] != stamp:
                cache[key] = (stamp, *read_page(path))
            pages[key] = cache[key][1:]
    return pages


def broken_links(outdir: Path, pages: dict) -> list[str]:
    problems = []
    exists: dict[str, bool] = {}  # each name's answer from the disk, asked once
    is_dir: dict[str, bool] = {}
    for page, (ids, links, root_relative) in pages.items():
        base = "" if root_relative else page.rpartition("/")[0]
        for line, target in links:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("//", "data:")):
                continue  # another host, or an address that is not a file: make linkcheck
            path = unquote(parts.path)
            if path:
                name = os.path.normpath(os.path.join(base, path)).replace(os.sep, "/")
                if name.startswith("../"):
                    problems.append(f"{page}:{line}: broken link '{target}': outside the book")
                    continue
            else:
                name = page
            if name not in pages and name not in is_dir:
                is_dir[name] = Path(outdir, name).is_dir()
            if name.endswith("/") or (name not in pages and is_dir[name]):
                name = name.rstrip("/") + "/index.html"
            if name not in pages:
                if name not in exists:
                    exists[name] = Path(outdir, name).is_file()
                if not exists[name]:
                    problems.append(f"{page}:{line}: broken link '{target}': no such file")
                continue
            fragment = unquote(parts.fragment)
            if fragment and fragment not in pages[name][0]:
                problems.append(f"{page}:{line}: broken link '{target}': no element with id '{fragment}'")
    return sorted(set(problems))


def vanished_anchors(listed: Path, pages: dict) -> list[str]:
    problems = []
    for line in listed.read_text(encoding="utf-8").splitlines():
        anchor = line.strip()
        if not anchor or anchor.startswith("#"):
            continue
        name, _, fragment = anchor.partition("#")
        if name not in pages or (fragment and fragment not in pages[name][0]):
            problems.append(f"{listed}: public anchor '{anchor}' vanished from the build "
                            "(run 'make anchors' if that is deliberate)")
    return problems


def check(app, exception):
    if exception or app.builder.name != "html" or not app.config.html_link_check:
        return
    outdir = Path(app.outdir)
    cache_file = Path(app.doctreedir) / CACHE
    cache = {}
    if cache_file.is_file():
        try:
            saved = pickle.loads(cache_file.read_bytes())
            if saved.get("version") == VERSION and saved.get("outdir") == str(outdir):
                cache = saved["pages"]
        except Exception:  # an unreadable cache is read again from the pages: nothing is lost
            cache = {}
    pages = pages_of(outdir, cache)
    cache = {k: v for k, v in cache.items() if k in pages}
    cache_file.write_bytes(pickle.dumps({"version": VERSION, "outdir": str(outdir), "pages": cache}))
    for problem in broken_links(outdir, pages):
        location, _, message = problem.partition(": ")
        logger.warning(message, location=f"{outdir / location.rpartition(':')[0]}:{location.rpartition(':')[2]}",
                       type="book", subtype="internal_link")
    if app.config.html_link_check_anchors:
        for problem in vanished_anchors(config_path(app, app.config.html_link_check_anchors), pages):
            location, _, message = problem.partition(": ")
            logger.warning(message, location=location, type="book", subtype="public_anchor")


def setup(app):
    app.add_config_value("html_link_check", True, "html", bool)
    app.add_config_value("html_link_check_anchors", "", "html", str)
    app.connect("build-finished", check, priority=900)  # after the extensions that write pages when finishing
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
