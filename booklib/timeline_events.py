"""The timeline's data: every event the article dates, read from one YAML file and checked.

Plain Python, no Sphinx (the ``book_timeline`` extension renders it): ``load_timeline(path)`` reads the file
(format: see the header of ``docs/_data/timeline.yaml``) and returns a ``Timeline`` whose ``problems`` each carry
the line they are at. A date is shown exactly as precisely as the article gives it (``Point.shown``).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from booklib import entry_schema
from booklib import evidence
from booklib import yaml_lines

PRECISIONS = entry_schema.PRECISIONS
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
QUALIFIERS = entry_schema.EVENT["qualifier"].choices  # the keys of an event: entry_schema.EVENT
ID_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LABEL_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TERM_FORBIDDEN = set("<>`{}[]|*_\\\n\t")
MONTHS = list(calendar.month_name)  # English, whatever the locale of the build machine: [""] + January...


class TimelineDataError(Exception):
    """A problem in the data file, at a line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line

    def __reduce__(self):  # kept between builds with the rest of the data (booklib/named_things.py)
        return type(self), (self.line, str(self))


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
    evidence: list[str] | None = None  # passages of the article that support it (booklib/evidence.py)
    term_lines: list[int] = field(default_factory=list)  # the line of each of `terms`

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
        text = path.read_text(encoding="utf-8")
        data = yaml_lines.load(text)
    except OSError as exc:
        timeline.problems.append(TimelineDataError(0, f"cannot read the timeline data: {exc.strerror}"))
        return timeline
    except yaml_lines.YAMLError as exc:
        timeline.problems.append(TimelineDataError(yaml_lines.error_line(exc, 0), yaml_lines.error_text(exc)))
        return timeline
    found, usable = entry_schema.check(data, entry_schema.TIMELINE_FILE, "the file")
    timeline.problems += [TimelineDataError(1, f"timeline data: {p}") for p in found]
    if not usable:
        return timeline
    for era in data.get("eras") or []:
        line = era.get("__line__", 1) if isinstance(era, dict) else 1
        found, usable = entry_schema.check(era, entry_schema.ERA, "an entry of 'eras'")
        timeline.problems += [TimelineDataError(line, f"timeline era: {p}") for p in found]
        if usable:
            timeline.eras[era["id"]] = era["title"]

    ids = entry_schema.Register("id")
    previous: Event | None = None
    finished_eras: set[str] = set()
    for number, item in enumerate(data["events"], 1):
        line = item.pop("__line__") if isinstance(item, dict) else 1
        name = item.get("id", f"number {number}") if isinstance(item, dict) else f"number {number}"
        found, usable = entry_schema.check(item, entry_schema.EVENT, "an entry of 'events'")
        timeline.problems += [TimelineDataError(line, f"timeline event {name!r}: {p}") for p in found]
        if not usable:
            continue
        try:
            event = check_event(item, line, timeline)
        except ValueError as exc:
            timeline.problems.append(TimelineDataError(line, f"timeline event {name!r}: {exc}"))
            continue
        problem = ids.claim(event.id, f"{path}:{line}")
        if problem:
            timeline.problems.append(TimelineDataError(line, f"timeline event {event.id!r}: {problem}"))
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
        event.term_lines = _term_lines(text.split("\n"), line, event.terms)
        timeline.events.append(event)
    return timeline


def _term_lines(lines: list[str], start: int, terms: list[str]) -> list[int]:
    """The line of each term of the event whose entry starts at line `start` (the entry's line if not found)."""
    key = next((n for n in range(start, len(lines) + 1) if lines[n - 1].lstrip().startswith("terms:")), start)
    return [next((n for n in range(key, min(key + len(terms), len(lines)) + 1) if term in lines[n - 1]), key)
            for term in terms]


def check_terms(timeline: Timeline, names: set[str]) -> None:
    """Add a problem, at the term's line, for every term of an event that is not one of `names` (the glossary's
    entries and places)."""
    for event in timeline.events:
        for term, line in zip(event.terms, event.term_lines):
            if term not in names:
                timeline.problems.append(TimelineDataError(
                    line, f"timeline event {event.id!r}: unknown glossary term {term!r}"))


def check_event(item: dict, line: int, timeline: Timeline) -> Event:
    """The event of an entry whose keys entry_schema.check found usable: its values checked."""
    event_id = item["id"]
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
        if key in item and "\n" in item[key].strip():
            raise ValueError(f"'{key}' must be one line of plain text")
    labels = [item["section"], *(item.get("also") or [])]
    for label in labels:
        if not isinstance(label, str) or not LABEL_FORM.match(label):
            raise ValueError(f"section label {label!r} is not of the form chapter-slug or chapter-slug-section-slug")
    terms = item.get("terms") or []
    for term in terms:
        check_term(term)
    era = item.get("era")
    if era is not None and str(era) not in timeline.eras:
        raise ValueError(f"unknown era {era!r} (known: {', '.join(timeline.eras) or 'none'})")
    return Event(id=event_id, line=line, start=start, end=end, qualifier=qualifier, text=item["text"].strip(),
                 section=item["section"], also=list(item.get("also") or []), terms=list(terms),
                 era=None if era is None else str(era), conflict=(item.get("conflict") or "").strip(),
                 evidence=evidence.check_passage_list(item.get("evidence")))
