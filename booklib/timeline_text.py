"""The timeline's events as MyST text: escaped, filtered to a chapter, grouped by era, as a table or list rows.

Plain Python: ext/book_timeline.py turns this text into nodes (the table for PDF, EPUB and text; the rows for
sphinx-timeline's HTML list). A date is shown exactly as precisely as the article gives it.
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
class EventText:
    """How an event is written: link_terms, its people and groups as glossary terms; evidence, an {evidence} link."""

    link_terms: bool
    evidence: bool

    def terms(self, event: Event) -> str:
        if not event.terms:
            return ""
        if self.link_terms:
            names = [f"{{term}}`{term}`" for term in event.terms]
        else:
            names = [md(term) for term in event.terms]
        return "Involved: " + ", ".join(names) + "."

    def told_in(self, event: Event) -> str:
        return ", ".join(f"{{ref}}`{label}`" for label in event.labels)

    def evidence_link(self, event: Event) -> str:
        """Links to the event's evidence (ext/evidence_links.py), in a book that checks evidence."""
        return f" {{evidence}}`event:{event.id}`" if self.evidence else ""

    def row(self, event: Event) -> dict[str, str]:
        """One event of sphinx-timeline's list (its JSON data)."""
        # dates hold only letters, digits, spaces, square brackets and dashes: no escaping inside the role
        date = "".join(f"{{timeline-date}}`{text} <{machine}>`" if machine else md(text)
                       for text, machine in event.shown_parts())
        return {"start": event.sort_key().isoformat(), "id": event.id, "date": date,
                "text": md(event.text), "terms": self.terms(event), "told": self.told_in(event),
                "conflict": md(event.conflict), "evidence": self.evidence_link(event)}

    def table(self, events: list[Event], caption: str) -> str:
        """The dated table (date | event | told in) as a MyST list-table."""
        lines = [f":::{{list-table}} {md(caption)}", ":header-rows: 1", ":widths: 4 8 5",
                 ":class: longtable timeline-table", "", "* - Date", "  - Event", "  - Told in"]
        for event in events:
            what = md(event.text)
            if event.terms:
                what += " " + self.terms(event)
            if event.conflict:
                what += " **Dates conflict in the article:** " + md(event.conflict)
            lines += [f"* - {md(event.shown())}", f"  - {what}", f"  - {self.told_in(event)}{self.evidence_link(event)}"]
        lines.append(":::")
        return "\n".join(lines)
