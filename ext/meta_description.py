"""Give every HTML page a <meta name="description">: the start of its first paragraph of running text.

Search engines show it under the page's title (Lighthouse's SEO audit asks for one). A page whose MyST front
matter already sets a description (html_meta) keeps its own. Paragraphs inside notes, tables, footnotes and
the like are skipped: the description is the page's own opening words.
"""
from html import escape

from docutils import nodes
from sphinx import addnodes

from ext.tree_walks import ancestors

MAX_CHARS = 160  # what search engines show before they cut
NOT_RUNNING_TEXT = (nodes.Admonition, nodes.table, nodes.footnote, nodes.citation, nodes.topic, nodes.sidebar,
                    nodes.field_list, addnodes.compact_paragraph, addnodes.toctree)


def first_paragraph_text(doctree: nodes.Node) -> str:
    for para in doctree.findall(nodes.paragraph):
        if any(isinstance(parent, NOT_RUNNING_TEXT) for parent in ancestors(para)):
            continue
        text = " ".join(para.astext().split())
        if text:
            return text
    return ""


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """Cut at the last whole word within the limit and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def add_description(app, pagename, templatename, context, doctree):
    if doctree is None or 'name="description"' in context.get("metatags", ""):
        return
    text = first_paragraph_text(doctree)
    if text:
        close = " />" if app.builder.format == "html" and app.builder.name.startswith("epub") else ">"  # XHTML
        context["metatags"] = context.get("metatags", "") + f'\n<meta name="description" content="{escape(shorten(text))}"{close}'


def setup(app):
    app.connect("html-page-context", add_description)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
