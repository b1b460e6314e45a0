"""``{dated-events}``: the book's timeline, from one YAML file of every event the article dates.

The data (``timeline_data``, default ``docs/_data/timeline.yaml``) is read and checked once per build, before any
page is rendered: a bad date, an unknown precision or era, two events out of order, a malformed term give an
error naming the file, the line and the event. Section labels (and glossary terms, when ``timeline_link_terms``
is on) are checked once all pages are read.

A date is shown exactly as precisely as the article gives it ("May 1997", "late 1996", "the 1980s"), never with
a day or weekday it does not give. sphinx-timeline lays out the HTML list (it needs full ISO dates: we give it the
first day of each period, only for sorting, and strip that date from the output). PDF, EPUB and text get a dated
table (date | event | told in) instead, through ``only`` nodes, so one doctree serves every builder.
"""
from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

import evidence
import yaml_lines

logger = logging.getLogger(__name__)

PRECISIONS = ("day", "month", "year", "early", "mid", "late", "decade")
# Where a period starts, for sorting only (never shown): "late 1996" sorts after "27 September 1996".
PART_START_MONTH = {"early": 1, "mid": 5, "late": 10}
DATE_FORMS = {
    "day": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^(\d{4})$"),
    "early": re.compile(r"^(\d{4})$"),
    "mid": re.compile(r"^(\d{4})$"),
    "late": re.compile(r"^(\d{4})$"),
    "decade": re.compile(r"^(\d{3}0)$"),
}
DATE_FORM_HELP = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "decade": "the decade's first year, YYY0"}
QUALIFIERS = ("by",)
KEYS = {"id", "date", "precision", "end", "end_precision", "year_from_context", "qualifier", "text", "section",
        "also", "terms", "era", "conflict", "evidence"}
REQUIRED = ("id", "date", "precision", "text", "section")
ID_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TERM_FORBIDDEN = set("<>`{}[]|*_\\\n\t")
MONTHS = list(calendar.month_name)  # English, whatever the locale of the build machine: [""] + January...


class TimelineDataError(Exception):
    """A problem in the data file, at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


# -- Dates ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Point:
    """One end of an event's date: as written in the data, with its precision."""

    text: str
    precision: str
    year_from_context: bool = False

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(int(p) for p in DATE_FORMS[self.precision].match(self.text).groups())

    def first_day(self) -> dt.date:
        year, *rest = self.parts
        if self.precision == "day":
            return dt.date(year, rest[0], rest[1])
        if self.precision == "month":
            return dt.date(year, rest[0], 1)
        return dt.date(year, PART_START_MONTH.get(self.precision, 1), 1)

    def shown(self) -> str:
        """The date as the reader sees it: no more precise than the data."""
        year, *rest = self.parts
        year_text = f"[{year}]" if self.year_from_context else str(year)
        if self.precision == "day":
            return f"{rest[1]} {MONTHS[rest[0]]} {year_text}"
        if self.precision == "month":
            return f"{MONTHS[rest[0]]} {year_text}"
        if self.precision == "decade":
            return f"the {year_text}s"
        if self.precision in PART_START_MONTH:
            return f"{self.precision} {year_text}"
        return year_text

    def machine(self) -> str | None:
        """An HTML ``<time datetime>`` value of the same precision, or None where HTML has none (a decade)."""
        if self.precision == "decade":
            return None
        if self.precision in ("day", "month"):
            return self.text
        return self.text[:4]


def check_point(value, precision, what: str) -> Point:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown {what}precision {precision!r} (known: {', '.join(PRECISIONS)})")
    if isinstance(value, dt.date):  # YAML reads an unquoted 1997-05-25 as a date
        value = value.isoformat()
    value = str(value)
    match = DATE_FORMS[precision].match(value)
    if not match:
        form = DATE_FORM_HELP.get(precision, "YYYY")
        raise ValueError(f"bad {what}date {value!r}: a {precision!r} date is written {form}")
    point = Point(value, precision)
    try:
        point.first_day()
    except ValueError as exc:
        raise ValueError(f"bad {what}date {value!r}: {exc}") from None
    return point


# -- Events --------------------------------------------------------------------------------------------------
@dataclass
class Event:
    id: str
    line: int
    start: Point
    end: Point | None
    qualifier: str
    text: str
    section: str
    also: list[str]
    terms: list[str]
    era: str | None
    conflict: str
    evidence: list[str] | None = None  # passages of the article that support it (ext/evidence.py)

    @property
    def labels(self) -> list[str]:
        return [self.section, *self.also]

    def sort_key(self) -> dt.date:
        return self.start.first_day()

    def shown(self) -> str:
        return "".join(text for text, _ in self.shown_parts())

    def shown_parts(self) -> list[tuple[str, str | None]]:
        """(text, machine-readable date or None) pieces; a range as "start – end", sharing a common year."""
        start = self.start.shown()
        if self.end is not None:
            end = self.end.shown()
            year = end.rsplit(" ", 1)[-1]
            if self.start.precision in ("day", "month") and start.endswith(" " + year) and " " in end:
                start = start[: -len(year) - 1]
            parts = [(start, self.start.machine()), (" – ", None), (end, self.end.machine())]
        else:
            parts = [(start, self.start.machine())]
        if self.qualifier:
            parts.insert(0, (f"{self.qualifier} ", None))
        return parts


@dataclass
class Timeline:
    path: Path
    eras: dict[str, str] = field(default_factory=dict)  # id -> title, in order
    events: list[Event] = field(default_factory=list)
    problems: list[TimelineDataError] = field(default_factory=list)


def check_term(term) -> str:
    if not isinstance(term, str) or not term.strip():
        raise ValueError(f"term {term!r} is not a name")
    if term != term.strip() or "  " in term or TERM_FORBIDDEN & set(term):
        raise ValueError(f"term {term!r} is not a canonical name (plain words, single spaces, no markup)")
    return term


def load_timeline(path: Path) -> Timeline:
    """Read and check the data file. Problems are collected (with their line), not raised."""
    timeline = Timeline(path)
    try:
        data = yaml_lines.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        timeline.problems.append(TimelineDataError(0, f"cannot read the timeline data: {exc.strerror}"))
        return timeline
    except yaml_lines.YAMLError as exc:
        timeline.problems.append(TimelineDataError(yaml_lines.error_line(exc, 0), yaml_lines.error_text(exc)))
        return timeline
    if not isinstance(data, dict) or not isinstance(data.get("events"), list) or not data["events"]:
        timeline.problems.append(TimelineDataError(1, "the timeline data needs a non-empty list 'events'"))
        return timeline
    for era in data.get("eras") or []:
        if not isinstance(era, dict) or set(era) - {"__line__"} != {"id", "title"}:
            line = era.get("__line__", 1) if isinstance(era, dict) else 1
            timeline.problems.append(TimelineDataError(line, "each era needs exactly an 'id' and a 'title'"))
            continue
        timeline.eras[str(era["id"])] = str(era["title"])

    seen: dict[str, int] = {}
    previous: Event | None = None
    finished_eras: set[str] = set()
    for number, item in enumerate(data["events"], 1):
        if not isinstance(item, dict):
            timeline.problems.append(TimelineDataError(1, f"event {number} is not a mapping of keys to values"))
            continue
        line = item.pop("__line__")
        name = item.get("id", f"number {number}")
        try:
            event = check_event(item, line, timeline)
        except ValueError as exc:
            timeline.problems.append(TimelineDataError(line, f"timeline event {name!r}: {exc}"))
            continue
        if event.id in seen:
            timeline.problems.append(TimelineDataError(
                line, f"timeline event {event.id!r}: the id is already used on line {seen[event.id]}"))
        seen[event.id] = line
        if previous is not None:
            if event.sort_key() < previous.sort_key():
                timeline.problems.append(TimelineDataError(line, (
                    f"timeline event {event.id!r}: out of order: {event.shown()} comes before "
                    f"{previous.shown()} (event {previous.id!r}, line {previous.line}); keep the events oldest first")))
            if event.era != previous.era:
                finished_eras.add(previous.era)
                if event.era in finished_eras:
                    timeline.problems.append(TimelineDataError(line, (
                        f"timeline event {event.id!r}: era {event.era!r} resumes after era {previous.era!r}; "
                        "the events of an era must be consecutive")))
        previous = event
        timeline.events.append(event)
    return timeline


def check_event(item: dict, line: int, timeline: Timeline) -> Event:
    unknown = set(item) - KEYS
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))} (known: {', '.join(sorted(KEYS))})")
    missing = [key for key in REQUIRED if item.get(key) in (None, "")]
    if missing:
        raise ValueError(f"missing: {', '.join(missing)}")
    event_id = str(item["id"])
    if not ID_FORM.match(event_id):
        raise ValueError("an id is lowercase letters, digits and single hyphens")
    start = check_point(item["date"], item["precision"], "")
    if item.get("year_from_context"):
        start = Point(start.text, start.precision, year_from_context=True)
    end = None
    if "end" in item or "end_precision" in item:
        if "end" not in item or "end_precision" not in item:
            raise ValueError("a range needs both 'end' and 'end_precision'")
        end = check_point(item["end"], item["end_precision"], "end ")
        if end.first_day() <= start.first_day():
            raise ValueError(f"the range ends ({end.shown()}) before it starts ({start.shown()})")
    qualifier = item.get("qualifier", "")
    if qualifier and qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r} (known: {', '.join(QUALIFIERS)})")
    for key in ("text", "conflict"):
        if key in item and (not isinstance(item[key], str) or "\n" in item[key].strip()):
            raise ValueError(f"'{key}' must be one line of plain text")
    labels = [item["section"], *(item.get("also") or [])]
    for label in labels:
        if not isinstance(label, str) or not LABEL_FORM.match(label):
            raise ValueError(f"section label {label!r} is not of the form chapter-slug or chapter-slug-section-slug")
    terms = item.get("terms") or []
    if not isinstance(terms, list):
        raise ValueError("'terms' must be a list of glossary names")
    for term in terms:
        check_term(term)
    era = item.get("era")
    if era is not None and str(era) not in timeline.eras:
        raise ValueError(f"unknown era {era!r} (known: {', '.join(timeline.eras) or 'none'})")
    return Event(id=event_id, line=line, start=start, end=end, qualifier=qualifier, text=item["text"].strip(),
                 section=item["section"], also=list(item.get("also") or []), terms=list(terms),
                 era=None if era is None else str(era), conflict=(item.get("conflict") or "").strip(),
                 evidence=evidence.check_passage_list(item.get("evidence")))


# -- Sphinx --------------------------------------------------------------------------------------------------
def data_path(app) -> Path:
    return (Path(app.confdir) / app.config.timeline_data).resolve()


def report(timeline: Timeline, problem: TimelineDataError) -> None:
    location = f"{timeline.path}:{problem.line}" if problem.line else str(timeline.path)
    logger.error(str(problem), location=location, type="timeline", subtype="data")


_loaded: dict[str, Timeline] = {}  # the data of this build; forked parallel readers inherit it


def load_once(app) -> None:
    """builder-inited: read and check the data once per build."""
    timeline = _loaded["current"] = load_timeline(data_path(app))
    if not timeline.path.exists():
        return  # reported where a timeline is shown: a book without one needs no data file
    for problem in timeline.problems:
        report(timeline, problem)


def check_references(app, env) -> None:
    """env-check-consistency: every section label (and glossary term, when linked) must exist in the book."""
    if app.config.timeline_page and app.config.timeline_page not in env.found_docs:
        return  # a book without the timeline page (the tiny test books) does not answer for its data
    timeline = _loaded["current"]
    std = env.domains.standard_domain
    terms = {name for (kind, name) in std.objects if kind == "term"}
    for event in timeline.events:
        for label in event.labels:
            if label not in std.labels:
                report(timeline, TimelineDataError(
                    event.line, f"timeline event {event.id!r}: unknown section label {label!r}"))
        if app.config.timeline_link_terms and not getattr(env, "entity_data_unreadable", False):
            for term in event.terms:
                if term not in terms:
                    report(timeline, TimelineDataError(
                        event.line, f"timeline event {event.id!r}: unknown glossary term {term!r}"))


def unlinked_reference(app, env, node, contnode):
    """missing-reference: a timeline label or term, already reported with its event, is shown unlinked."""
    if node.get("timeline_event"):
        return contnode
    return None


ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:.-])")  # "-" and "." too: "1." or "- " could start a list


def md(text: str) -> str:
    """Plain text, safe inside MyST (every markup character escaped)."""
    return ESCAPE.sub(r"\\\1", text)


class DatedEvents(SphinxDirective):
    """The timeline: one section per era; events filtered to one chapter with ``:chapter: <slug>``."""

    option_spec = {"chapter": str}

    def run(self) -> list[nodes.Node]:
        timeline = _loaded["current"]
        self.env.note_dependency(str(timeline.path))
        if timeline.problems:
            if not timeline.path.exists():  # not reported when the build started (see load_once)
                for problem in timeline.problems:
                    report(timeline, problem)
            return [nodes.paragraph(text="The timeline data has errors (see the build log): it is not shown.")]
        chapter = self.options.get("chapter")
        events = [e for e in timeline.events
                  if not chapter or any(label == chapter or label.startswith(chapter + "-") for label in e.labels)]
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
        groups: list[tuple[str | None, list[Event]]] = []
        for event in events:
            if not groups or groups[-1][0] != event.era:
                groups.append((event.era, []))
            groups[-1][1].append(event)
        for era, members in groups:
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
        table += self.parse_text_to_nodes(self.table_text(events, caption))
        for node in (html, table):
            for xref in node.findall(addnodes.pending_xref):
                xref["timeline_event"] = True  # see unlinked_reference
        result = [html, table]
        if notes:  # one editor's note per conflict, after the list or table, the same in every format
            for event in events:
                if event.conflict:
                    note = self.parse_text_to_nodes(
                        f":::{{editor-note}}\n:kind: tension\nDates conflict in the article, for the event of "
                        f"{md(event.shown())} ({md(event.text)}): {md(event.conflict)}\n:::")
                    for node in note:
                        node["evidence_of"] = f"event:{event.id}"  # its evidence is the event's
                    result += note
        return result

    def term_text(self, event: Event) -> str:
        if not event.terms:
            return ""
        if self.config.timeline_link_terms:
            names = [f"{{term}}`{term}`" for term in event.terms]
        else:
            names = [md(term) for term in event.terms]
        return "Involved: " + ", ".join(names) + "."

    def told_in(self, event: Event) -> str:
        return ", ".join(f"{{ref}}`{label}`" for label in event.labels)

    def evidence_text(self, event: Event) -> str:
        """Links to the event's evidence (ext/evidence_links.py), in a book that checks evidence."""
        return f" {{evidence}}`event:{event.id}`" if "evidence_links" in self.env.app.extensions else ""

    def html_list(self, events: list[Event]) -> list[nodes.Node]:
        from sphinx_timeline.main import TimelineDirective, TimelineDiv

        rows = []
        for event in events:
            # dates hold only letters, digits, spaces, square brackets and dashes: no escaping inside the role
            date = "".join(f"{{timeline-date}}`{text} <{machine}>`" if machine else md(text)
                           for text, machine in event.shown_parts())
            rows.append({"start": event.sort_key().isoformat(), "id": event.id, "date": date,
                         "text": md(event.text), "terms": self.term_text(event), "told": self.told_in(event),
                         "conflict": md(event.conflict), "evidence": self.evidence_text(event)})
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

    def table_text(self, events: list[Event], caption: str) -> str:
        lines = [f":::{{list-table}} {md(caption)}", ":header-rows: 1", ":widths: 4 8 5",
                 ":class: longtable timeline-table", "", "* - Date", "  - Event", "  - Told in"]
        for event in events:
            what = md(event.text)
            if event.terms:
                what += " " + self.term_text(event)
            if event.conflict:
                what += " **Dates conflict in the article:** " + md(event.conflict)
            lines += [f"* - {md(event.shown())}", f"  - {what}", f"  - {self.told_in(event)}{self.evidence_text(event)}"]
        lines.append(":::")
        return "\n".join(lines)


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
        for listener in list(app.events.listeners.get(event_name, [])):
            if listener.handler in (add_html_assets, load_html_assets):
                app.disconnect(listener.id)

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
