"""Pages carry no code: no raw HTML, no ``{raw}`` blocks, no ``<script>``, no images from another host.

A contributor's pull request changes Markdown; it must not be able to put scripts, trackers or remote images
into readers' pages. Every such node written in a page is reported with file and line (an error under -W)
and dropped from the output. Raw nodes that extensions make themselves (they carry no line) are left alone.
"""
import re

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
COMMENT = re.compile(r"<!--.*?-->", re.S)  # HTML comments (the importer's notes) run nothing: allowed
REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)  # any scheme (http:, data:, javascript:) or //host


def describe(raw: nodes.raw) -> str:
    text = raw.astext().strip()
    if re.search(r"<\s*script", text, re.I):
        return "a <script>"
    if re.search(r"\son[a-z]+\s*=", text, re.I):
        return "an HTML event handler (on...=)"
    first = text.splitlines()[0] if text else ""
    return f"raw {raw.get('format', 'content')} {first[:40]!r}"


def check_page(app, doctree):
    for raw in list(doctree.findall(nodes.raw)):
        if raw.line is None:  # made by an extension (book_parts' \part), not written in a page
            continue
        if raw.get("format") == "html" and not COMMENT.sub("", raw.astext()).strip():
            continue
        logger.warning("%s in a page: pages may not carry raw HTML or code; use Markdown and the book's "
                       "directives", describe(raw), location=raw, type="book", subtype="raw")
        raw.parent.remove(raw)
    for image in list(doctree.findall(nodes.image)):
        if REMOTE.match(image.get("uri", "")):
            logger.warning("image from another host %r: the book loads nothing from other hosts; put the file "
                           "under docs/ and link it by path", image["uri"], location=image, type="book",
                           subtype="remote_image")
            image.parent.remove(image)


def setup(app):
    app.connect("doctree-read", check_page, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
