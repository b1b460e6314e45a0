"""Hover previews: pointing at a link to a glossary entry, a place, a section, a figure or an editor's note shows
that target in a popup (Tippy.js), on the HTML pages only.

Replaces sphinx-tippy, which cost most of the build (BeautifulSoup parsed every page, then every preview again for
each page linking to it) and of a chapter's loading (it sent every chapter its own copy of every preview and made a
popup for every link at load).
Here, while a page is written, its *targets* are read once from its HTML (a regular expression over its tags; the
standard library's parser for anything but Sphinx's plain HTML) and saved as ``_static/previews/<page>.js``: a
small script holding the page's previews by id. A page's file is rewritten with the page, so parallel and
incremental builds need nothing more. In the browser,
``static/hover-previews.js`` (3 KB) waits for the reader: the first time a link in the page's text (not in its
navigation) is pointed at or focused, it loads the target page's previews and, if there is one for the link, the
vendored Popper and Tippy (hover_previews_js), and shows it. A page that nobody points at loads nothing; every
file is on the book's own host.

What a target shows (as sphinx-tippy did): a term (``dt``) with its description's paragraphs (not its lists); a
section or a page (a link without ``#``) its heading and first paragraph; figures, tables, paragraphs and notes
(hover_previews_selector) themselves.
"""
from __future__ import annotations

import functools
import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.errors import ConfigError

STATIC = Path(__file__).with_name("static")  # hover-previews.js
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
ID = re.compile(r'(<[a-z][a-z0-9]*\b[^>]*?) id="[^"]*"')  # in a start tag (text has no raw quotes or '<')


@dataclass(eq=False)  # an element is itself: found in its parent's children by identity
class Element:
    tag: str
    attrs: dict[str, str]
    start: int
    end: int = -1
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)

    def following(self) -> list["Element"]:
        """The elements after this one in its parent."""
        siblings = self.parent.children if self.parent else []
        return siblings[siblings.index(self) + 1:]


class _Tree(HTMLParser):
    """The elements of an HTML fragment with their offsets in it (Sphinx's output closes every element)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.root = Element("#root", {}, 0, len(text))
        self.stack = [self.root]
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs, closed=False):
        element = Element(tag, {k: v or "" for k, v in attrs}, self._offset(), parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if closed or tag in VOID:
            element.end = self.text.index(">", element.start) + 1
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closed=True)

    def handle_endtag(self, tag):
        if not any(e.tag == tag for e in self.stack[1:]):
            return  # a stray end tag: nothing to close
        end = self.text.index(">", self._offset()) + 1
        while True:
            element = self.stack.pop()
            element.end = end
            if element.tag == tag:
                return


# The fast reading: Sphinx writes tags of one plain form (attributes name="value", or a bare name), and comments
# without "--" inside, so one regular expression finds them all. A page with anything else in a tag, or with an
# element whose text is not HTML (script, style...) or another declaration, is read by _Tree instead.
_NAME = r"[a-zA-Z][a-zA-Z0-9]*"
_ATTRIBUTE_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
TAG = re.compile(rf'<!--(?:(?!--).)*-->'  # a comment, or a start tag (name, attributes, '/'), or an end tag
                 rf'|<(?:({_NAME})((?:\s+{_ATTRIBUTE_NAME}(?:="[^"]*")?)*)\s*(/?)|/({_NAME})\s*)>', re.S)
ATTRIBUTE = re.compile(rf'\s+({_ATTRIBUTE_NAME})(?:="([^"]*)")?')
RAW_TEXT = re.compile(r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"
                      r"|<!(?!--)|<\?", re.I)


def _tree(text: str) -> Element:
    """The root of the fragment's elements, as _Tree reads them: with one regular expression when every '<' opens
    a tag of the plain form, else with the standard library's HTML parser."""
    if RAW_TEXT.search(text):
        return _Tree(text).root
    root = Element("#root", {}, 0, len(text))
    stack, open_tags, at = [root], [], 0  # open_tags: the tag names of stack[1:]
    for m in TAG.finditer(text):
        if text.find("<", at, m.start()) >= 0:
            return _Tree(text).root  # a '<' that is not a plain tag
        at = m.end()
        name, attributes, slash, end_name = m.groups()
        if name is None and end_name is None:
            continue  # a comment
        if end_name is not None:
            end_name = end_name.lower()
            if end_name not in open_tags:
                continue  # a stray end tag: nothing to close
            end = text.index(">", m.start()) + 1
            while True:
                element = stack.pop()
                open_tags.pop()
                element.end = end
                if element.tag == end_name:
                    break
            continue
        tag = name.lower()
        attrs = {}
        if attributes:
            for a in ATTRIBUTE.finditer(attributes):
                attrs[a.group(1).lower()] = html.unescape(a.group(2)) if a.group(2) else ""
        element = Element(tag, attrs, m.start(), parent=stack[-1])
        stack[-1].children.append(element)
        if slash or tag in VOID:
            element.end = text.index(">", m.start()) + 1
        else:
            stack.append(element)
            open_tags.append(tag)
    if text.find("<", at) >= 0:
        return _Tree(text).root
    return root


def _walk(element: Element):
    for child in element.children:
        yield child
        yield from _walk(child)


def _matches(element: Element, selectors) -> bool:
    classes = set(element.attrs.get("class", "").split())
    return any(element.tag == tag and wanted <= classes for tag, wanted in selectors)


@functools.lru_cache(maxsize=None)  # read once per build, not once per page
def _selectors(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """'figure, div.admonition' -> (('figure', {}), ('div', {'admonition'})): tag names with classes only."""
    out = []
    for item in filter(None, (s.strip() for s in text.split(","))):
        if not re.fullmatch(r"[a-z][a-z0-9]*(\.[\w-]+)*", item):
            raise ConfigError(f"hover_previews_selector: {item!r} is not a tag name with optional .classes")
        tag, *classes = item.split(".")
        out.append((tag, frozenset(classes)))
    return tuple(out)


def previews(body: str, selector: str) -> dict[str, str]:
    """Preview HTML by element id ('' for the page itself) from a page's body HTML."""
    root = _tree(body)
    text = body

    def source(element: Element) -> str:
        """The element's HTML without its ¶ links and ids (a shown preview must not repeat the page's ids)."""
        return ID.sub(r"\1", HEADERLINK.sub("", text[element.start:element.end]))

    def heading(element: Element) -> str:
        """A heading, then the first paragraph (and the next, if a paragraph) or the next section's heading."""
        start = text.index(">", element.start)
        out = f'<{element.tag} class="hover-preview-heading"' + source(element)[start - element.start:]
        following = element.following()
        for i, sibling in enumerate(following):
            if sibling.tag == "section":
                sub = next((c for c in sibling.children if c.tag in HEADINGS), None)
                return out + (source(sub) if sub else "")
            if sibling.tag == "p":
                out += source(sibling)
                if i + 1 < len(following) and following[i + 1].tag == "p":
                    out += source(following[i + 1])
                return out
        return out

    wanted = _selectors(selector)
    found: dict[str, str] = {}
    first_heading = next((e for e in _walk(root) if e.tag in HEADINGS), None)
    if first_heading is not None:
        found[""] = heading(first_heading)
    for element in _walk(root):
        ident = element.attrs.get("id")
        if not ident:
            continue
        if element.tag == "dt":
            after = element.following()
            tip = source(element)
            if after and after[0].tag == "dd":
                paragraphs = [c for c in after[0].children if c.tag == "p"][:6]
                tip += "<dd>" + "".join(source(p) for p in paragraphs) + "</dd>"
            found[ident] = tip
        elif element.tag == "section":
            head = next((c for c in element.children if c.tag in HEADINGS), None)
            if head is not None:
                found[ident] = heading(head)
        elif _matches(element, wanted):
            found[ident] = source(element)
    return found


def aliases(doctree: nodes.document) -> dict[str, str]:
    """An element's further ids -> its first: docutils puts only the first on the element itself."""
    out = {}
    for node in doctree.findall(nodes.Element):
        for other in node["ids"][1:]:
            out[other] = node["ids"][0]
    return out


def preview_file(app, pagename: str) -> Path:
    return Path(app.outdir, "_static", "previews", *f"{pagename}.js".split("/"))


def write_page_previews(app, pagename, templatename, context, doctree):
    if app.builder.name != "html" or doctree is None or "body" not in context:
        return
    data = previews(context["body"], app.config.hover_previews_selector)
    path = preview_file(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    # JSON in a script (not fetched JSON): it loads from file:// too. '</' cannot end the script early.
    arguments = ", ".join(json.dumps(x, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
                          for x in (pagename, data, aliases(doctree)))
    path.write_text(f"bookPreviews({arguments});\n", encoding="utf-8")


def check_config(app):
    for script in app.config.hover_previews_js:
        if "://" in script or script.startswith("//"):
            raise ConfigError("hover_previews_js must name files under _static (vendored), not URLs: the book "
                              "loads nothing from another host")
    _selectors(app.config.hover_previews_selector)
    if app.builder.name == "html":  # the script is copied when the build finishes (copy_script)
        app.add_js_file("hover-previews.js", loading_method="defer",
                        **{"data-libraries": " ".join(app.config.hover_previews_js)})


def copy_script(app, exception):
    """Our script into _static, without adding to html_static_path (a setting changed while building would
    make every next build say "the configuration has changed")."""
    if exception or app.builder.name != "html":
        return
    from sphinx.util.fileutil import copy_asset_file
    copy_asset_file(STATIC / "hover-previews.js", Path(app.outdir, "_static"), force=True)


def remove_stale_previews(app, exception):
    """Remove the previews of pages the book no longer has."""
    if exception or app.builder.name != "html":
        return
    folder = Path(app.outdir, "_static", "previews")
    for path in folder.rglob("*.js"):
        if path.relative_to(folder).with_suffix("").as_posix() not in app.env.all_docs:
            path.unlink()


def setup(app):
    # the vendored Popper and Tippy, under _static, loaded in this order on the first preview shown
    app.add_config_value("hover_previews_js", (), "html", [list, tuple])
    app.add_config_value("hover_previews_selector", "figure, table, p, aside, div.admonition", "html")
    app.connect("builder-inited", check_config)
    app.connect("html-page-context", write_page_previews)
    app.connect("build-finished", copy_script)
    app.connect("build-finished", remove_stale_previews)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
