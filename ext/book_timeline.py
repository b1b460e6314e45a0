"""``{dated-events}``: the book's timeline, from one YAML file of every event the article dates.

The data (``timeline_data``, default ``docs/_data/timeline.yaml``) is read and checked by
booklib/timeline_events.py (plain Python) once per build, before any page is rendered: a bad date, an unknown
precision or era, two events out of order, a malformed term or one that names no entry of the glossary's data give
an error naming the file, the line and the event. Section labels are checked once all pages are read.

booklib/timeline_text.py writes each event as inline pieces (plain text, the book's roles, bold), and this extension
makes the nodes from them directly: no MyST text is written and parsed again, and nothing the data holds is read as
markup (a term or a label is only ever the text of a role of the book).

A date is shown exactly as precisely as the article gives it ("May 1997", "late 1996", "the 1980s"), never with
a day or weekday it does not give. The HTML list is made of sphinx-timeline's nodes (its classes, styled by
book.css), without its full ISO dates. PDF, EPUB and text get a dated table (date | event | told in) instead,
inside ``only`` nodes. A page's doctree holds only the rendering of the builder that read it (the other one would
only be carried through every transform and dropped): a builder of the other kind that finds the page in the same
doctree folder reads it again (``env-get-outdated``).
"""
from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import roles
from docutils.parsers.rst.languages import get_language
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_timeline.main import TimelineDiv  # its HTML list's node (and its HTML): book.css styles the classes

from booklib import named_things  # the data layer, no Sphinx in it
from booklib import timeline_text  # the events as inline pieces: grouping, the list entry, the table row
from booklib.timeline_events import Event, Timeline, TimelineDataError
from ext.library_internals import event_handlers

logger = logging.getLogger(__name__)


# -- Sphinx --------------------------------------------------------------------------------------------------
def report(timeline: Timeline, problem: TimelineDataError) -> None:
    location = f"{timeline.path}:{problem.line}" if problem.line else str(timeline.path)
    logger.error(str(problem), location=location, type="timeline", subtype="data")


def timeline_of(app) -> Timeline:
    """The timeline of this book: read once per change of the data file (booklib/named_things.py caches it, as it
    does the glossary's entries and the places), so every page and extension gets the same one."""
    return named_things.of_config(app.confdir, app.srcdir, app.config).timeline


def load_once(app) -> None:
    """builder-inited: read and check the data once per build."""
    timeline = timeline_of(app)
    if not timeline.path.exists():
        return  # reported where a timeline is shown: a book without one needs no data file
    for problem in timeline.problems:
        report(timeline, problem)


def check_references(app, env) -> None:
    """env-check-consistency: every section label must exist in the book (the terms are checked with the data,
    against the glossary's entries: booklib/named_things.py)."""
    if app.config.timeline_page and app.config.timeline_page not in env.found_docs:
        return  # a book without the timeline page (the tiny test books) does not answer for its data
    timeline = timeline_of(app)
    std = env.domains.standard_domain
    for event in timeline.events:
        for label in event.labels:
            if label not in std.labels:
                report(timeline, TimelineDataError(
                    event.line, f"timeline event {event.id!r}: unknown section label {label!r}"))


def unlinked_reference(app, env, node, contnode):
    """missing-reference: a timeline label or term, already reported with its event, is shown unlinked."""
    if node.get("timeline_event"):
        return contnode
    return None


class EventNodes:
    """The nodes of booklib/timeline_text.py's pieces in one directive's page, with no text parsed again: plain text
    becomes a text node and each role is called as a page's ``{name}`text``` calls it (MyST's own call). Text that
    markup could still change (an entity's "&", control characters) takes MyST's way, escaped, to render the same."""

    def __init__(self, directive: SphinxDirective):
        self.state = directive.state
        self.source, self.line = directive.get_source_info()
        self.roles: dict[str, object] = {}
        self.made: dict[tuple[str, str], list[nodes.Node]] = {}  # a role's nodes, copied where it is used again

    def role(self, name: str):
        if name not in self.roles:
            reporter = self.state.document.reporter
            language = get_language(self.state.document.settings.language_code, reporter)
            self.roles[name], _ = roles.role(name, language, self.line, reporter)
        return self.roles[name]

    def text(self, text: str) -> list[nodes.Node]:
        if text.isprintable() and "&" not in text:
            return [nodes.Text(text)]
        return self.state.inline_text(timeline_text.md(text), self.line)[0]

    def inline(self, parts) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        text = ""  # plain pieces in a row make one text node, as MyST makes them
        for part in parts:
            if isinstance(part, str):
                text += part
                continue
            if text:
                result += self.text(text)
                text = ""
            if isinstance(part, timeline_text.Strong):
                result.append(nodes.strong("", "", *self.inline(part.parts)))
            elif (part.name, part.text) in self.made:  # a role gives the same nodes (and notes the same) in a page
                result += [node.deepcopy() for node in self.made[part.name, part.text]]
            else:
                made, messages = self.role(part.name)(part.name, f":{part.name}:`{part.text}`", part.text,
                                                      self.line, self.state.inliner)
                if not messages:
                    self.made[part.name, part.text] = [node.deepcopy() for node in made]
                result += made + messages
        if text:
            result += self.text(text)
        return result

    def paragraph(self, parts, **attributes) -> nodes.paragraph:
        paragraph = nodes.paragraph("", "", *self.inline(parts), **attributes)
        paragraph.source, paragraph.line = self.source, self.line
        return paragraph

    def table(self, rows: list[list[list]], caption: str) -> nodes.table:
        """What MyST's ``{list-table}`` with a header row, the widths and classes of booklib/timeline_text.py makes."""
        table = nodes.table(classes=["colwidths-given", *timeline_text.TABLE_CLASSES])
        title = nodes.title(timeline_text.md(caption), "", *self.text(caption))
        title.source, title.line = self.source, self.line
        table += title
        tgroup = nodes.tgroup(cols=len(timeline_text.TABLE_WIDTHS))
        table += tgroup
        tgroup.extend(nodes.colspec(colwidth=width) for width in timeline_text.TABLE_WIDTHS)
        head, body = nodes.thead(), nodes.tbody()
        for part, cells_of_rows in ((head, [timeline_text.TABLE_HEADER]), (body, rows)):
            for cells in cells_of_rows:
                part += nodes.row("", *(nodes.entry("", self.paragraph(cell)) for cell in cells))
        tgroup += [head, body]
        return table


LIST, TABLE = "html and not epub", "epub or not html"  # the builders of each rendering (EPUB: the table)


def rendering(app) -> str:
    """The expression of the rendering this build shows (the builder's name and format are tags)."""
    return LIST if app.tags.eval_condition(LIST) else TABLE


def note_rendering(env, docname: str, expr: str) -> None:
    if not hasattr(env, "timeline_renderings"):
        env.timeline_renderings = {}  # docname -> the rendering its doctree holds
    env.timeline_renderings[docname] = expr


def pages_of_the_other_rendering(app, env, added, changed, removed) -> list[str]:
    """env-get-outdated: pages whose doctree holds the other rendering (another builder used this doctree folder)."""
    shown = rendering(app)
    return [doc for doc, expr in getattr(env, "timeline_renderings", {}).items()
            if expr != shown and doc not in removed]


def purge_rendering(app, env, docname) -> None:
    getattr(env, "timeline_renderings", {}).pop(docname, None)


def merge_renderings(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in getattr(other, "timeline_renderings", {}):
            note_rendering(env, docname, other.timeline_renderings[docname])


class DatedEvents(SphinxDirective):
    """The timeline: one section per era; events filtered to one chapter with ``:chapter: <slug>``."""

    option_spec = {"chapter": str}

    def run(self) -> list[nodes.Node]:
        timeline = timeline_of(self.env.app)
        self.env.note_dependency(str(timeline.path))
        if timeline.problems:
            if not timeline.path.exists():  # not reported when the build started (see load_once)
                for problem in timeline.problems:
                    report(timeline, problem)
            return [nodes.paragraph(text="The timeline data has errors (see the build log): it is not shown.")]
        chapter = self.options.get("chapter")
        events = timeline_text.in_chapter(timeline.events, chapter)
        if not events:
            return [nodes.paragraph(text="The article dates no event in this chapter.")]
        self.nodes = EventNodes(self)
        self.words = timeline_text.EventText(link_terms=self.config.timeline_link_terms,
                                             evidence="ext.evidence_links" in self.env.app.extensions)
        self.env.metadata[self.env.docname]["timeline"] = True  # as sphinx-timeline marks a page with a timeline
        if chapter:  # inside a chapter: a rubric (no new heading or label), one list / one table
            title = "Dated events in this chapter"
            intro = ["From the book's timeline, in our words."]
            if self.config.timeline_page:
                intro = ["From the book's ", timeline_text.Role("doc", f"timeline </{self.config.timeline_page}>"),
                         ", in our words."]
            # not the article's text (ext/evidence_links.py)
            intro_node = self.nodes.paragraph(intro, classes=["our-words"])
            return [nodes.rubric(text=title, classes=["timeline-rubric"]),
                    intro_node, *self.render(events, caption=title, notes=False)]
        output = []
        for era, members in timeline_text.by_era(events):
            if era is None:
                output.extend(self.render(members, caption="Events"))
                continue
            section = nodes.section(ids=[f"timeline-{era}"], names=[nodes.fully_normalize_name(f"timeline-{era}")])
            section += nodes.title(text=timeline.eras[era])
            section.extend(self.render(members, caption=timeline.eras[era]))
            self.state.document.note_implicit_target(section)
            output.append(section)
        return output

    # The two renderings, each in its ``only`` node; the one of this builder is made (see the module's docstring).
    def render(self, events: list[Event], caption: str, notes: bool = True) -> list[nodes.Node]:
        """``notes``: show date conflicts as editor's notes (the timeline page); a chapter has its own note."""
        shown = rendering(self.env.app)
        note_rendering(self.env, self.env.docname, shown)
        html, table = addnodes.only(expr=LIST), addnodes.only(expr=TABLE)
        if shown == LIST:
            html += self.html_list(events)
        else:
            table += self.nodes.table([self.words.row(event) for event in events], caption)
        for node in (html, table):
            for xref in node.findall(addnodes.pending_xref):
                xref["timeline_event"] = True  # see unlinked_reference
            # Each node knows its document, as a node appended to the page does: otherwise every later lookup
            # (Sphinx's transforms ask for each text node) climbs through all its ancestors.
            for descendant in node.findall():
                descendant.document = self.state.document
        result = [html, table]
        if notes:  # one editor's note per conflict, after the list or table, the same in every format
            for event in events:
                if event.conflict:
                    note = self.parse_text_to_nodes(
                        f":::{{editor-note}}\n:kind: tension\nDates conflict in the article, for the event of "
                        f"{timeline_text.md(event.shown())} ({timeline_text.md(event.text)}): "
                        f"{timeline_text.md(event.conflict)}\n:::")
                    for node in note:
                        node["evidence_of"] = f"event:{event.id}"  # its evidence is the event's
                    result += note
        return result

    def html_list(self, events: list[Event]) -> list[nodes.Node]:
        """The list sphinx-timeline would lay out (its nodes, its classes: book.css styles them), oldest first."""
        entries = nodes.enumerated_list(classes=["timeline-none", "book-timeline"])
        self.set_source_info(entries)
        for event in events:
            item = nodes.list_item(classes=["timeline"])
            self.set_source_info(item)
            content = TimelineDiv(classes=["tl-item-content"])
            content.extend(self.nodes.paragraph(paragraph) for paragraph in self.words.entry(event))
            # no data-dt: sphinx-timeline's full ISO date would be more precise than the article
            item += TimelineDiv("", content, classes=["tl-item", "tl-conflict" if event.conflict else "tl-plain"],
                                ids=[f"event-{event.id}"])
            entries += item
        return [TimelineDiv("", entries)]


class timeline_date(nodes.inline):
    """A date with its machine-readable form: ``<time datetime="1997-05">May 1997</time>`` in HTML."""


def timeline_date_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    match = re.match(r"^(.*) <([0-9-]+)>$", text, re.DOTALL)
    if not match:
        msg = inliner.reporter.error(f"timeline-date needs 'shown text <YYYY[-MM[-DD]]>', not {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [timeline_date(match.group(1), match.group(1), datetime=match.group(2))], []


def visit_timeline_date_html(self, node):
    self.body.append(f'<time datetime="{self.attval(node["datetime"])}">')


def depart_timeline_date_html(self, node):
    self.body.append("</time>")


def visit_passthrough(self, node):
    pass


def setup(app):
    app.setup_extension("sphinx_timeline")
    # sphinx-timeline's own assets are its horizontal scroller (replaced by book.css) and a script that marks
    # dates past or future; its page hook also adds them to every later page. We use neither.
    from sphinx_timeline.main import add_html_assets, load_html_assets
    for event_name in ("builder-inited", "html-page-context"):
        for listener_id, handler in event_handlers(app, event_name):
            if handler in (add_html_assets, load_html_assets):
                app.disconnect(listener_id)

    app.add_config_value("timeline_data", "docs/_data/timeline.yaml", "env", str)
    app.add_config_value("timeline_link_terms", False, "env", bool)
    app.add_config_value("timeline_page", "", "env", str)  # docname of the whole timeline, linked from chapters
    app.add_node(timeline_date, html=(visit_timeline_date_html, depart_timeline_date_html),
                 latex=(visit_passthrough, visit_passthrough), text=(visit_passthrough, visit_passthrough))
    app.add_role("timeline-date", timeline_date_role)
    app.add_css_file("timeline.css")  # in docs/_static (html_static_path)
    app.add_directive("dated-events", DatedEvents)
    app.connect("builder-inited", load_once)
    app.connect("env-check-consistency", check_references)
    app.connect("missing-reference", unlinked_reference)
    app.connect("env-get-outdated", pages_of_the_other_rendering)
    app.connect("env-purge-doc", purge_rendering)
    app.connect("env-merge-info", merge_renderings)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
