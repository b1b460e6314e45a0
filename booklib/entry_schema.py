"""The keys of every kind of entry in the book's data files, described once, and the one check of them.

Plain Python, no Sphinx. The loaders of the named things (booklib/entities.py for docs/entities/*.yaml,
booklib/places_data.py for docs/_data/places.yaml, booklib/timeline_events.py for docs/_data/timeline.yaml) check each
file and entry with ``check`` and each name or id with a ``Register``, and put the file and line
(booklib/yaml_lines.py) in front of the message, so every rule has one wording in every file:

    unknown key 'colour' (known: about, belongs_to, ...)
    missing required key 'about'
    'variants' must be a list of strings
    an entry of 'places' must be a mapping
    unknown kind 'planet' (known: person, organisation, state, place)
    duplicate spelling 'Uno' (already at file:line, the entry 'One')

The keys every named thing (a person, an organisation, a state, a place) has mean the same in every file:
``name`` (the book's spelling), ``kind``, ``variants`` (the other spellings the article uses), ``about`` (what the
article says, in our words) and ``evidence`` (the article's passages that support ``about``, booklib/evidence.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The types a value may have, as the messages name them.
STRING = "a string"
STRINGS = "a list of strings"
MAPPING = "a mapping"
LIST = "a list"
DATE = "a date"  # YYYY, YYYY-MM or YYYY-MM-DD, quoted or not (YAML reads 1996 as a number, 1996-09-27 as a date)
FLAG = "true or false"

_IS = {
    STRING: lambda v: isinstance(v, str),
    STRINGS: lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
    MAPPING: lambda v: isinstance(v, dict),
    LIST: lambda v: isinstance(v, list),
    DATE: lambda v: isinstance(v, (str, int, dt.date)) and not isinstance(v, bool),
    FLAG: lambda v: isinstance(v, bool),
}


@dataclass(frozen=True)
class Key:
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()  # the values allowed, if only some are


# -- The files: a mapping of lists ---------------------------------------------------------------------------
ENTITY_FILE = {  # docs/entities/*.yaml
    "entities": Key(LIST, required=True),  # of ENTITY entries
    "ignore": Key(STRINGS),  # phrases that contain a recorded spelling but are not mentions
    "not_entries": Key(LIST),  # of NOT_ENTRY entries
}
PLACES_FILE = {"places": Key(LIST, required=True)}  # docs/_data/places.yaml: PLACE entries
TIMELINE_FILE = {"eras": Key(LIST), "events": Key(LIST, required=True)}  # docs/_data/timeline.yaml: ERA, EVENT


# -- The entries ---------------------------------------------------------------------------------------------
ENTITY_KINDS = ("person", "organisation", "state", "place")
PLACE_KINDS = ("airbase", "city", "country", "district", "neighbourhood", "place", "province", "region", "river",
               "town", "valley")

NAMED = {  # the keys of every named thing
    "name": Key(STRING, required=True),
    "kind": Key(STRING, required=True),
    "variants": Key(STRINGS),
    "about": Key(STRING, required=True),
    "evidence": Key(STRINGS),
}

ENTITY = {  # docs/entities/*.yaml: people, organisations, states
    **NAMED,
    "kind": Key(STRING, required=True, choices=ENTITY_KINDS),
    "belongs_to": Key(STRINGS),  # names of other entries
    "unclear": Key(STRING),  # where the article is unclear or contradicts itself
}

NOT_ENTRY = {  # docs/entities/*.yaml: another name of the article that deliberately has no entry
    "name": Key(STRING, required=True),
    "reason": Key(STRING, required=True),
}

PLACE = {  # docs/_data/places.yaml
    **NAMED,
    "kind": Key(STRING, required=True, choices=PLACE_KINDS),
    "map_spellings": Key(STRINGS),  # the map data's own spellings, never in the article
    "not_in": Key(STRINGS),  # longer names that contain the name but do not mention the place
    "point": Key(STRING),  # a row of geo/places.csv
    "province": Key(STRING),  # a polygon of geo/afghanistan-provinces.geojson
    "country": Key(STRING),  # an outline of geo/neighbours.geojson
}

PRECISIONS = ("day", "month", "year", "early", "mid", "late", "decade")
EVENT = {  # docs/_data/timeline.yaml: the dated events
    "id": Key(STRING, required=True),
    "date": Key(DATE, required=True),
    "precision": Key(STRING, required=True, choices=PRECISIONS),
    "end": Key(DATE),
    "end_precision": Key(STRING, choices=PRECISIONS),
    "year_from_context": Key(FLAG),
    "qualifier": Key(STRING, choices=("by",)),
    "text": Key(STRING, required=True),
    "section": Key(STRING, required=True),
    "also": Key(STRINGS),  # further section labels
    "terms": Key(STRINGS),  # glossary names
    "era": Key(STRING),
    "conflict": Key(STRING),
    "evidence": Key(STRINGS),
}

ERA = {"id": Key(STRING, required=True), "title": Key(STRING, required=True)}  # docs/_data/timeline.yaml


# -- The check -----------------------------------------------------------------------------------------------
def check(entry, schema: dict[str, Key], what: str = "an entry") -> tuple[list[str], bool]:
    """The problems of one entry or file (a mapping read by booklib/yaml_lines.py; `what` names it if it is not one),
    and whether it can be used all the same: an unknown key is reported but harms nothing; a missing key, a wrong
    type or value makes it unusable."""
    if not isinstance(entry, dict):
        return [f"{what} must be {MAPPING}"], False
    problems = []
    known = ", ".join(sorted(schema))
    for key in entry:
        if key != "__line__" and key not in schema:
            problems.append(f"unknown key {key!r} (known: {known})")
    usable = True
    for key, rule in schema.items():
        value = entry.get(key)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):  # absent or empty
            if rule.required:
                problems.append(f"missing required key {key!r}")
                usable = False
        elif not _IS[rule.type](value):
            problems.append(f"{key!r} must be {rule.type}")
            usable = False
        elif rule.choices and value not in rule.choices:
            problems.append(f"unknown {key} {value!r} (known: {', '.join(rule.choices)})")
            usable = False
    return problems, usable


class Register:
    """One owner for each name, spelling or id: a second one is a problem."""

    def __init__(self, what: str):
        self.what = what  # "spelling", "id"
        self.owners: dict[str, tuple[str, str | None]] = {}

    def claim(self, value: str, where: str, owner: str | None = None) -> str | None:
        """None if `value` was free (it is `owner`'s now, at `where`), else the problem."""
        first = self.owners.get(value)
        if first is None:
            self.owners[value] = (where, owner)
            return None
        first_where, first_owner = first
        whose = f", the entry {first_owner!r}" if first_owner is not None else ""
        return f"duplicate {self.what} {value!r} (already at {first_where}{whose})"
