r"""Pages carry no code: no raw HTML, no ``{raw}`` blocks, no ``<script>``, no images from another host.

A contributor's pull request changes Markdown; it must not be able to put scripts, trackers or remote images
into readers' pages. Every such node written in a page is reported with file and line (an error under -W)
and dropped from the output. Raw nodes that extensions make themselves (they carry no line) are left alone.
Nor can a page make the builder publish a file from outside docs/: an image or a download that resolves (links
followed) outside it is dropped before Sphinx collects it for copying. Math goes unchecked into the LaTeX
source (where ``\input`` or ``\directlua`` would read files) and loads MathJax from another host, and a
``{tabularcolumns}`` spec goes into LaTeX as it is: both are refused, as is an ``http-equiv`` meta tag. (ext/content_sandbox.py checks what the
parser reads and runs.)
"""
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
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
        elif not image.get("made_by_book") and outside_docs(app.env, image.get("uri", "")):
            logger.warning("image %r is outside docs/: pages may show only files inside docs/, named relative to "
                           "the page", image["uri"], location=image, type="book", subtype="file")
            image.parent.remove(image)
    for download in list(doctree.findall(addnodes.download_reference)):
        target = download.get("reftarget", "")
        if "://" not in target and outside_docs(app.env, target):
            logger.warning("download %r is outside docs/: pages may offer only files inside docs/, named relative "
                           "to the page", target, location=download, type="book", subtype="file")
            download.replace_self(nodes.Text(download.astext()))
    for math in list(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))):
        logger.warning("math in a page: its text would go unchecked into the LaTeX source, and the web pages would "
                       "load MathJax from another host; write it in words", location=math, type="book",
                       subtype="math")
        math.parent.remove(math)
    for meta in list(doctree.findall(nodes.meta)):
        if meta.get("http-equiv"):  # front matter's html_meta: refresh would send readers to another host
            logger.warning("<meta http-equiv=%r> in a page: it acts on the reader's browser (a refresh sends them "
                           "elsewhere); pages may set only name= metadata", meta["http-equiv"],
                           location=(app.env.docname, meta.line or 1), type="book", subtype="meta")
            meta.parent.remove(meta)
    for spec in list(doctree.findall(addnodes.tabular_col_spec)):
        logger.warning("{tabularcolumns} in a page: its spec goes unchecked into the LaTeX source",
                       location=spec, type="book", subtype="latex")
        spec.parent.remove(spec)


def outside_docs(env, uri: str) -> bool:
    """Whether a local image or download resolves, as Sphinx resolves it, outside the source folder."""
    if not uri or REMOTE.match(uri):
        return False
    path = Path(env.relfn2path(uri.replace("*", "_"), env.docname)[1])  # image.*: its folder decides
    return not path.resolve().is_relative_to(Path(env.srcdir).resolve())


def setup(app):
    app.connect("doctree-read", check_page, priority=100)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
