"""The three formats joined: the HTML offers the PDF and the EPUB of its own edition; those name the HTML's address.

HTML: ``book_downloads`` (conf.py) lists (label, file) pairs, the files as `make pdf` and `make epub` leave them.
Each one that exists and is of this edition is copied into the output folder's root and listed, with its size, by
the sidebar template ``sidebar/downloads.html`` (``book_downloads`` in the page context). A file's edition is its
date's day, compared with the day of SOURCE_DATE_EPOCH (the last commit's): the edition date the title page prints
(LaTeX is not rerun for a commit that changes no page, so the PDF may keep an earlier commit's time of that day).
A missing file, or one of another edition, is left out, never linked: `make book` builds both before the HTML.

EPUB: when ``book_web_url`` is set, the title page says where the book is online (the PDF's copyright page does
the same, through latex/book.sty).
"""
from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def file_edition(path: Path) -> str | None:
    """The file's own date, as YYYYMMDD (UTC): the PDF's /ModDate, the EPUB's dcterms:modified."""
    try:
        if path.suffix == ".pdf":
            from pypdf import PdfReader
            return re.sub(r"\D", "", str((PdfReader(path).metadata or {}).get("/ModDate", "")))[:8] or None
        with zipfile.ZipFile(path) as epub:
            modified = re.search(r'<meta property="dcterms:modified">([^<]+)<', epub.read("content.opf").decode())
        return re.sub(r"\D", "", modified[1])[:8] if modified else None
    except Exception:  # unreadable or not what it should be: not offered  # noqa: BLE001
        return None


def size_text(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{max(1, round(size / 1e3))} kB"


def offered(confdir: str, downloads: list) -> list[dict]:
    """The downloads that exist and are of this build's edition: label, file name, size, path."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    edition = time.strftime("%Y%m%d", time.gmtime(int(epoch))) if epoch else None
    found = []
    for label, file in downloads:
        path = Path(confdir) / file
        if not path.is_file():
            logger.info(f"book_downloads: no {label} at {path}: not offered (make book builds it first)")
            continue
        if edition and file_edition(path) != edition:
            logger.info(f"book_downloads: {path} is of another edition than this build: not offered")
            continue
        found.append({"label": label, "file": path.name, "size": size_text(path.stat().st_size), "path": str(path)})
    return found


def find_downloads(app, config) -> None:
    """Found once per build, into a config value: when what is offered changes, Sphinx rewrites every page."""
    config.book_downloads_offered = offered(app.confdir, config.book_downloads)


def add_to_context(app, pagename, templatename, context, doctree) -> None:
    if not app.builder.name.startswith("epub"):
        context["book_downloads"] = app.config.book_downloads_offered


def copy_files(app, exception) -> None:
    if exception is None and app.builder.format == "html" and not app.builder.name.startswith("epub"):
        for download in app.config.book_downloads_offered:
            shutil.copyfile(download["path"], Path(app.outdir) / download["file"])


def name_the_web_address(app, doctree, docname) -> None:
    """EPUB: the title page ends with the book's web address, when it has one."""
    url = app.config.book_web_url
    if not url or docname != app.config.root_doc or not app.builder.name.startswith("epub"):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    paragraph = nodes.paragraph(classes=["book-web-address"])
    paragraph += nodes.Text("This book online: ")
    paragraph += nodes.reference(url, url, refuri=url)
    first_subsection = next((i for i, child in enumerate(section) if isinstance(child, nodes.section)), len(section))
    section.insert(first_subsection, paragraph)


def setup(app):
    app.add_config_value("book_downloads", [], "html")  # [(label, file relative to conf.py), ...]
    app.add_config_value("book_downloads_offered", [], "html")  # set by find_downloads; not for conf.py
    app.add_config_value("book_web_url", "", "env")  # the HTML book's web address; '' = not published
    app.connect("config-inited", find_downloads)
    app.connect("html-page-context", add_to_context)
    app.connect("build-finished", copy_files)
    app.connect("doctree-resolved", name_the_web_address)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
