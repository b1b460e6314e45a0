"""A role's own line: errors in ``{cite}``, ``{ref}``, ``{term}``, links and inline images name the line of the
mistake, not the first line of its paragraph.

MyST gives every inline node of a paragraph the paragraph's first line; with one sentence per line that points
at the wrong sentence. The lines of a paragraph are its soft breaks (a newline in its text), so each inline node
gets the paragraph's line plus the breaks before it. Runs when a page has been read, before Sphinx's own
collectors (images) and before any reference is resolved.
"""
from docutils import nodes


def set_lines(app, doctree):
    for block in doctree.findall(nodes.TextElement):
        if isinstance(block, nodes.Inline) or not block.line:
            continue
        source = block.source or doctree.get("source")
        number_inline(block, block.line, source)


def number_inline(node, line: int, source) -> int:
    for child in node.children:
        if isinstance(child, nodes.Text):
            line += child.count("\n")
        elif isinstance(child, nodes.Inline) or isinstance(child, nodes.image):
            child.line = line
            child.source = child.source or source  # a message names a node's file only with its line
            line = number_inline(child, line, source)
    return line


def setup(app):
    app.connect("doctree-read", set_lines, priority=100)  # before the image collector (500) reads image nodes
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
