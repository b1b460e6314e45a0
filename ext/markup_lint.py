"""Report the markup mistakes that Sphinx and MyST accept silently, with file and line.

- A ``:::`` fence that ended up as paragraph text (the ``colon_fence`` extension is off, or the fence is
  malformed): the directive silently vanishes and its markup shows to readers.
- A ``:::`` or backtick fence left open: it silently swallows the rest of the page.
- A ``:::{directive}`` opened inside an open ``:::`` block with a fence as long: the next ``:::`` closes the
  outer block, so this directive and the article's text before it silently end up inside (an editor's note).
- A Markdown link shown as text, ``[text](destination)``: markdown-it refuses some destinations (``javascript:``,
  spaces) and prints the markup instead.
- In chapters (``chapters/*``), a heading without its stable label (``(<slug>)=`` for the chapter,
  ``(<slug>-<section-slug>)=`` for a section): other pages, data files and other sites link to those.
"""
import re

from docutils import nodes
from sphinx.util import logging

from booklib.fences import unclosed, walk

logger = logging.getLogger(__name__)
LINK_AS_TEXT = re.compile(r"!?\[[^\]\n]+\]\([^)\n]*\)")
CODE = (nodes.literal, nodes.literal_block, nodes.raw, nodes.comment)


def swallowed_directives(lines):
    """(line, its fence, line of the open block, its fence) for each ':::{directive}' that opens while a ':::'
    block of the same or a shorter fence is still open: the next ':::' line closes the outer block, not this
    one, so this directive and the text after it end up inside the outer block (an editor's note, say)."""
    found = []
    for step in walk(lines):
        fence = step.fence
        if step.event != "open" or fence.char != ":" or not fence.info:
            continue
        outer = next((b for b in reversed(step.around) if b.char == ":" and b.length <= fence.length), None)
        if outer is not None:
            found.append((step.number, fence.text, outer.number, outer.text))
    return found


def check_source(app, docname, source):
    lines = source[0].splitlines()
    colons = "colon_fence" in app.config.myst_enable_extensions
    for number, fence, outer_line, outer in swallowed_directives(lines) if colons else ():
        logger.warning("%r opens inside %r of line %d, which is still open here, so the next ':::' closes that "
                       "block and this one is swallowed into it with the text between: close the block of line %d "
                       "with a ':::' line above this one (to nest on purpose, give the outer block the longer "
                       "fence, '::::')", fence, outer, outer_line, outer_line, location=(docname, number),
                       type="book", subtype="fence")
    block = unclosed(lines, colons=colons)
    if block is not None:
        logger.warning("this fence (%r) is never closed: it swallows the rest of the page; close it with a line "
                       "of the same characters", block.text, location=(docname, block.number),
                       type="book", subtype="fence")


def check_doctree(app, doctree):
    for para in doctree.findall(nodes.paragraph):
        if para.astext().lstrip().startswith(":::"):
            logger.warning("a ':::' fence rendered as text: the colon_fence MyST extension is off, or the fence "
                           "is malformed (':::{directive}' on its own line, closed by ':::')", location=para,
                           type="book", subtype="fence")
    for text in doctree.findall(nodes.Text):
        if isinstance(text.parent, CODE) or not LINK_AS_TEXT.search(text):
            continue
        where = text.parent
        while where.line is None and where.parent is not None:
            where = where.parent
        logger.warning("a Markdown link shown as text: %r (its destination is refused: a link goes to a label, "
                       "a page or an http(s) address)", LINK_AS_TEXT.search(text).group(), location=where,
                       type="book", subtype="link")
    docname = app.env.docname
    if not docname.startswith("chapters/"):
        return
    slug = docname.split("/", 1)[1]
    for section in doctree.findall(nodes.section):
        explicit = [n for n in section["names"] if doctree.nametypes.get(n)]
        title = section[0].astext() if section.children else ""
        top = section.parent is doctree
        want = slug if top else f"{slug}-..."
        if not explicit:
            logger.warning("heading %r has no label: put '(%s)=' on the line above it (labels never change "
                           "when a title does)", title, want, location=section[0], type="book", subtype="label")
        elif top and slug not in explicit:
            logger.warning("the chapter's label should be '(%s)=', the file's name (found %s)", slug,
                           ", ".join(f"'({n})='" for n in explicit), location=section[0], type="book",
                           subtype="label")


def setup(app):
    app.connect("source-read", check_source)
    app.connect("doctree-read", check_doctree)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
