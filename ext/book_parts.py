"""Turn the root document's toctree captions into LaTeX \\part headings (HTML keeps them as captions).

Sphinx inlines the chapters of every toctree into one LaTeX document and drops the captions. This puts a
``\\part{caption}`` before each captioned toctree of the root document, or ``\\appendix`` for the captions
listed in ``book_parts_appendix_captions``.
"""
from docutils import nodes
from sphinx import addnodes
from sphinx.util.texescape import escape


def add_parts(app, doctree):
    if app.builder.format != "latex" or app.env.docname != app.config.root_doc:
        return
    for toctree in list(doctree.findall(addnodes.toctree)):
        caption = toctree.get("caption")
        if not caption:
            continue
        if caption in app.config.book_parts_appendix_captions:
            latex = "\\appendix\n"
        else:
            latex = f"\\part{{{escape(caption)}}}\n"
        wrapper = toctree.parent if isinstance(toctree.parent, nodes.compound) else toctree
        wrapper.parent.insert(wrapper.parent.index(wrapper), nodes.raw("", latex, format="latex"))


def setup(app):
    app.add_config_value("book_parts_appendix_captions", [], "env")
    app.connect("doctree-read", add_parts)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
