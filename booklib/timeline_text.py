"""The timeline's events as inline pieces: filtered to a chapter, grouped by era, as a list entry or a table row.

Plain Python: ext/book_timeline.py turns the pieces into docutils nodes, with no text parsed again. A piece is plain
text (a ``str``, shown exactly as it is), a ``Role`` (one of the book's roles with its text, called as a page's
``{name}`\\`text\\``` would call it) or a ``Strong`` (bold pieces). A date is shown exactly as precisely as the
article gives it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from booklib.timeline_events import Event

ESCAPE = re.compile(r"([\\`*_{}\[\]<>()#+!|~$:.-])")  # "-" and "." too: "1." or "- " could start a list


def md(text: str) -> str:
    """Plain text, safe inside MyST (every markup character escaped)."""
    return ESCAPE.sub(r"\\\1", text)


def in_chapter(events: list[Event], chapter: str | None) -> list[Event]:
    """The events told in that chapter (a label of it or of one of its sections); all of them without one."""
    return [e for e in events
            if not chapter or any(label == chapter or label.startswith(chapter + "-") for label in e.labels)]


def by_era(events: list[Event]) -> list[tuple[str | None, list[Event]]]:
    """Runs of consecutive events of one era, in order."""
    groups: list[tuple[str | None, list[Event]]] = []
    for event in events:
        if not groups or groups[-1][0] != event.era:
            groups.append((event.era, []))
        groups[-1][1].append(event)
    return groups


@dataclass(frozen=True)
class Role:
    """A role of the book (term, ref, doc, evidence, timeline-date) and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class Strong:
    parts: tuple


CONFLICT = Strong(("Dates conflict in the article:",))


@dataclass(frozen=True)
class EventText:
    """How an event is written: link_terms, its people and groups as glossary terms; evidence, an {evidence} link."""

    link_terms: bool
    evidence: bool

    def date(self, event: Event) -> list:
        # dates hold only letters, digits, spaces, square brackets and dashes: nothing to escape inside the role
        return [Role("timeline-date", f"{text} <{machine}>") if machine else text
                for text, machine in event.shown_parts()]

    def terms(self, event: Event) -> list:
        """"Involved: a, b." (empty without terms)."""
        if not event.terms:
            return []
        if not self.link_terms:
            return ["Involved: " + ", ".join(event.terms) + "."]
        parts: list = ["Involved: "]
        for number, term in enumerate(event.terms):
            parts += [", "] if number else []
            parts.append(Role("term", term))
        return parts + ["."]

    def told_in(self, event: Event) -> list:
        parts: list = []
        for number, label in enumerate(event.labels):
            parts += [", "] if number else []
            parts.append(Role("ref", label))
        return parts

    def evidence_link(self, event: Event) -> list:
        """Links to the event's evidence (ext/evidence_links.py), in a book that checks evidence."""
        return [" ", Role("evidence", f"event:{event.id}")] if self.evidence else []

    def entry(self, event: Event) -> list[list]:
        """One event of the HTML list, as paragraphs: date, text, who and where told, the article's conflict."""
        terms = self.terms(event)
        paragraphs = [[Strong(tuple(self.date(event)))], [event.text],
                      [*terms, *([" "] if terms else []), "Told in: ", *self.told_in(event), ".",
                       *self.evidence_link(event)]]
        if event.conflict:
            paragraphs.append([CONFLICT, " " + event.conflict])
        return paragraphs

    def row(self, event: Event) -> list[list]:
        """One row of the dated table (date | event | told in), a paragraph per cell."""
        what = [event.text]
        if event.terms:
            what += [" ", *self.terms(event)]
        if event.conflict:
            what += [" ", CONFLICT, " " + event.conflict]
        return [[event.shown()], what, [*self.told_in(event), *self.evidence_link(event)]]


TABLE_HEADER = [["Date"], ["Event"], ["Told in"]]
TABLE_WIDTHS = (4, 8, 5)
TABLE_CLASSES = ["longtable", "timeline-table"]
