"""``{dated-events}``: the book's timeline, from one YAML file of every event the article dates.

The data (``timeline_data``, default ``docs/_data/timeline.yaml``) is read and checked by
booklib/timeline_events.py (plain Python) once per build, before any page is rendered, and written out as MyST text
by booklib/timeline_text.py: a bad date, an unknown precision or era, two events out of order, a malformed term or
one that names no entry of the glossary's data give an error naming the file, the line and the event. Section
labels are checked once all pages are read.

A date is shown exactly as precisely as the article gives it ("May 1997", "late 1996", "the 1980s"), never with
a day or weekday it does not give. sphinx-timeline lays out the HTML list (it needs full ISO dates: we give it the
first day of each period, only for sorting, and strip that date from the output). PDF, EPUB and text get a dated
table (date | event | told in) instead, through ``only`` nodes, so one doctree serves every builder.
"""
from __future__ import annotations

import json
import re

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from booklib import named_things  # the data layer, no Sphinx in it
from booklib import timeline_text  # the events as MyST text: escaping, grouping, the table
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
        if chapter:  # inside a chapter: a rubric (no new heading or label), one list / one table
            title = "Dated events in this chapter"
            intro = "From the book's timeline, in our words."
            if self.config.timeline_page:
                intro = f"From the book's {{doc}}`timeline </{self.config.timeline_page}>`, in our words."
            intro_nodes = self.parse_text_to_nodes(intro)
            for node in intro_nodes:
                node["classes"].append("our-words")  # not the article's text (ext/evidence_links.py)
            return [nodes.rubric(text=title, classes=["timeline-rubric"]),
                    *intro_nodes, *self.render(events, caption=title, notes=False)]
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

    # The two renderings; ``only`` keeps one per builder (EPUB is an HTML builder, but gets the table).
    def render(self, events: list[Event], caption: str, notes: bool = True) -> list[nodes.Node]:
        """``notes``: show date conflicts as editor's notes (the timeline page); a chapter has its own note."""
        html = addnodes.only(expr="html and not epub")
        html += self.html_list(events)
        table = addnodes.only(expr="epub or not html")
        table += self.parse_text_to_nodes(self.text_of().table(events, caption))
        for node in (html, table):
            for xref in node.findall(addnodes.pending_xref):
                xref["timeline_event"] = True  # see unlinked_reference
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

    def text_of(self) -> timeline_text.EventText:
        """How an event's words are written in this book: terms linked or not, evidence links or not."""
        return timeline_text.EventText(link_terms=self.config.timeline_link_terms,
                                       evidence="ext.evidence_links" in self.env.app.extensions)

    def html_list(self, events: list[Event]) -> list[nodes.Node]:
        from sphinx_timeline.main import TimelineDirective, TimelineDiv

        rows = [self.text_of().row(event) for event in events]
        # One line of JSON: sphinx-timeline 0.2.1 re-parses its inline data after every content line.
        content = [json.dumps(rows, ensure_ascii=False), "---",
                   '**{{ e.date }}**', "",
                   "{{ e.text }}", "",
                   '{% if e.terms %}{{ e.terms }} {% endif %}Told in: {{ e.told }}.{{ e.evidence }}',
                   "{% if e.conflict %}", ""]
        content += ["**Dates conflict in the article:** {{ e.conflict }}"]
        content += ["{% endif %}"]
        directive = TimelineDirective(
            "timeline", [], {"reversed": None, "style": "none", "class": ["book-timeline"], "events-format": "json"},
            StringList("\n".join(content).splitlines(), self.get_source_info()[0]),
            self.lineno, self.content_offset, "", self.state, self.state_machine)
        result = directive.run()
        by_start = iter(events)  # sphinx-timeline keeps our order (the data is sorted, its sort is stable)
        for div in result[0].findall(TimelineDiv):
            if "tl-item" in div["classes"]:
                div.attributes.pop("dt", None)  # its full ISO date would be more precise than the article
                event = next(by_start)
                div["ids"].append(f"event-{event.id}")
                div["classes"].append("tl-conflict" if event.conflict else "tl-plain")
        return result


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
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
