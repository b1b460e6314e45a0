"""Accessibility of the EPUB (what Ace by DAISY checks) and text alternatives everywhere.

- Every image needs a text alternative, in every format: an image without one is a warning at its file and line.
- EPUB: every page's <html> carries ``lang`` and ``xml:lang`` (Sphinx's EPUB writes neither); before the EPUB is
  zipped, a page without a language is a warning naming the file.
- EPUB: content.opf gets the schema.org accessibility metadata, from what the book holds (an index, images with
  text alternatives) and from ``epub_accessibility_summary`` (conf.py), and the table of contents' ``<nav>`` gets
  the ARIA role that matches its ``epub:type``.
- HTML and EPUB: bibliography entries are list items (docutils writes the deprecated role ``doc-biblioentry``).
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
HTML_ROOT = re.compile(r"<html\b[^>]*>")
FEATURES = ["tableOfContents", "readingOrder", "structuralNavigation", "displayTransformability"]


def check_alternatives(app, doctree) -> None:
    """An image without alt text tells a reader who cannot see it nothing: a warning at its place."""
    for image in doctree.findall(nodes.image):
        if not image.get("alt", "").strip():
            holder = image  # MyST may give an image line 0: its paragraph or figure has the line
            while holder is not None and not holder.line:
                holder = holder.parent
            logger.warning(f"image without a text alternative: {image['uri']!r} (give it alt text, or a "
                           "'figure' with ':alt:'; readers who cannot see it get only that text)",
                           location=(app.env.docname, holder.line if holder is not None else None),
                           type="book", subtype="alt_text")


def epub_page_language(app) -> None:
    if app.builder.name.startswith("epub"):
        lang = escape(app.config.epub_language, quote=True)
        app.builder.html_tag = app.builder.html_tag.replace(">", f' lang="{lang}" xml:lang="{lang}">', 1)
        build_epub = app.builder.build_epub

        def finish_then_zip() -> None:  # the last step of the EPUB builder: the files are written, not yet zipped
            prepare_package(app)
            build_epub()
        app.builder.build_epub = finish_then_zip


def bibliography_list_items(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:  # docutils: <div role="list"> of <div role="doc-biblioentry">, deprecated in DPUB-ARIA 1.1
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def content_documents(opf: str) -> list[str]:
    return re.findall(r'href="([^"]+)" media-type="application/xhtml\+xml"', opf)


def metadata(app, pages: list[str], images: list[str]) -> str:
    """The schema.org accessibility properties of this EPUB (EPUB Accessibility 1.1), as content.opf lines."""
    features = list(FEATURES)
    if "genindex.xhtml" in pages:
        features.append("index")
    if images:  # every image has a text alternative: check_alternatives fails the build otherwise
        features.append("alternativeText")
    modes = ["textual"] + (["visual"] if images else [])
    sufficient = ["textual"] + ([",".join(modes)] if images else [])
    lines = [f'<meta property="schema:accessMode">{m}</meta>' for m in modes]
    lines += [f'<meta property="schema:accessModeSufficient">{s}</meta>' for s in sufficient]
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += [f'<meta property="schema:accessibilityHazard">{h}</meta>' for h in app.config.epub_accessibility_hazards]
    lines.append(f'<meta property="schema:accessibilitySummary">{escape(app.config.epub_accessibility_summary)}</meta>')
    return "\n    ".join(lines)


def at_file(path: Path, line: int) -> nodes.Element:
    """A warning's location in a file of the output, not a document (Sphinx would add '.rst' to a name)."""
    node = nodes.Element()
    node.source, node.line = str(path), line
    return node


def prepare_package(app) -> None:
    out = Path(app.builder.outdir)
    opf_path = out / "content.opf"
    opf = opf_path.read_text(encoding="utf-8")
    pages = content_documents(opf)
    for page in pages:
        html = (out / page).read_text(encoding="utf-8")
        root = HTML_ROOT.search(html)
        line = html.count("\n", 0, root.start()) + 1 if root else 1
        if root is None or not re.search(r'\slang="[^"]+"', root[0]) or "xml:lang=" not in root[0]:
            logger.warning(f"EPUB page without a language: {page} (its <html> needs lang and xml:lang; screen "
                           "readers choose their voice by it)", location=at_file(out / page, line), type="book",
                           subtype="epub_lang")
    if not app.config.epub_accessibility_summary:
        logger.warning("epub_accessibility_summary is empty: say in plain words what a reader with a screen "
                       "reader gets", type="book", subtype="epub_a11y")
    images = re.findall(r'href="([^"]+)" media-type="image/', opf)
    opf_path.write_text(opf.replace("</metadata>", f"  {metadata(app, pages, images)}\n  </metadata>", 1),
                        encoding="utf-8")
    nav = out / "nav.xhtml"
    nav.write_text(nav.read_text(encoding="utf-8").replace('<nav epub:type="toc">',
                                                           '<nav epub:type="toc" role="doc-toc">'), encoding="utf-8")


def setup(app):
    app.add_config_value("epub_accessibility_summary", "", "epub")  # plain words: what a screen reader user gets
    app.add_config_value("epub_accessibility_hazards", ["none"], "epub")  # schema.org accessibilityHazard values
    app.connect("doctree-read", check_alternatives)
    app.connect("builder-inited", epub_page_language)
    app.connect("html-page-context", bibliography_list_items)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
