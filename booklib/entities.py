"""The glossary's entities (people, organisations, states, and the places) and how chapters mention them.

Plain Python, no Sphinx: part of the data layer that booklib/named_things.py reads in one go for the extensions and
``scripts/link_terms.py``.

- ``load_entities(folder)`` reads every ``*.yaml`` file of the folder (format: see the header of
  ``docs/entities/people-organisations-states.yaml``) and returns the entities and a list of problems, each
  naming file and line.
- ``scan_markdown(text)`` finds the prose of a MyST chapter where a name may be linked: not headings, labels,
  comments, directive fences and options, code, ``{editor-note}`` blocks, existing roles or links.
- ``Matcher`` finds mentions of entities in that prose (any recorded variant, longest first), the first
  mention of each entity, and spellings that look like a recorded name but match none of its variants.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from booklib import entry_schema
from booklib import evidence
from booklib import places_data
from booklib import yaml_lines
from booklib.fences import Fence, FenceWalker

# Directives whose content is not the article's prose (our notes, code, data, templates).
SKIP_DIRECTIVES = {"editor-note", "code-block", "code", "sourcecode", "literalinclude", "raw", "math", "toctree",
                   "include", "bibliography", "timeline", "glossary", "entity-glossary", "article-corrections",
                   "eval-rst", "mermaid", "csv-table"}


@dataclass
class Entity:
    name: str
    kind: str
    about: str
    variants: list[str] = field(default_factory=list)
    belongs_to: list[str] = field(default_factory=list)
    unclear: str = ""
    where: str = ""  # "file:line" of the entry
    evidence: list[str] | None = None  # passages of the article that support `about` (booklib/evidence.py)

    @property
    def spellings(self) -> list[str]:
        return [self.name, *self.variants]


@dataclass
class Entities:
    items: list[Entity]
    ignore: list[str]  # phrases that contain a recorded spelling but are not mentions (e.g. "Mazar-i Sharif")
    not_entries: list[dict] = field(default_factory=list)  # other names of the article, each with a reason

    def by_name(self) -> dict[str, Entity]:
        return {e.name.casefold(): e for e in self.items}

    def fingerprint(self) -> str:
        """Changes when a name, variant or ignored phrase changes (not when a description does)."""
        data = repr(sorted((e.name, tuple(e.variants)) for e in self.items)) + repr(sorted(self.ignore))
        return hashlib.sha256(data.encode()).hexdigest()


def place_entities(places: list[places_data.Place], known: set[str]) -> tuple[list[Entity], list[str]]:
    """The gazetteer's places (read and checked by places_data.load, the one loader of docs/_data/places.yaml) as
    entities of kind "place", with the same `variants` (the article's other spellings); the map data's own
    spellings and the `not_in` phrases are ignored phrases. A place that is already an entity (a state) stays that
    entity."""
    items, ignore = [], []
    for place in places:
        if place.name.casefold() in known:
            continue
        items.append(Entity(name=place.name, kind="place", about=place.about, variants=list(place.variants),
                            where=place.where))
        ignore += [*place.map_spellings, *place.not_in]
    return items, ignore


def load_entities(folder: Path | None,
                  places: Path | places_data.Gazetteer | None = None) -> tuple[Entities, list[str]]:
    """The entities of every *.yaml file of `folder`, and the places (a places list's path, or the list already
    loaded), with the problems found, each "file:line: what"."""
    items: list[Entity] = []
    ignore: list[str] = []
    not_entries: list[dict] = []
    problems: list[str] = []
    for path in sorted(Path(folder).glob("*.yaml")) if folder else []:
        try:
            data = yaml_lines.load(path.read_text(encoding="utf-8"))
        except yaml_lines.YAMLError as exc:
            problems.append(f"{path}:{yaml_lines.error_line(exc)}: {yaml_lines.error_text(exc)}")
            continue
        found, usable = entry_schema.check(data, entry_schema.ENTITY_FILE, "the file")
        problems += [f"{path}:1: {p}" for p in found]
        if not usable:
            continue
        ignore += data.get("ignore") or []
        for raw in data.get("not_entries") or []:
            line = raw.get("__line__", 1) if isinstance(raw, dict) else 1
            found, usable = entry_schema.check(raw, entry_schema.NOT_ENTRY, "an entry of 'not_entries'")
            problems += [f"{path}:{line}: {p}" for p in found]
            if usable:
                not_entries.append(raw)
        for raw in data["entities"]:
            line = raw.get("__line__", 1) if isinstance(raw, dict) else 1
            where = f"{path}:{line}"
            found, usable = entry_schema.check(raw, entry_schema.ENTITY, "an entry of 'entities'")
            problems += [f"{where}: {p}" for p in found]
            if not usable:
                continue
            try:
                passages = evidence.check_passage_list(raw.get("evidence"))
            except ValueError as exc:
                problems.append(f"{where}: {exc}")
                passages = None
            items.append(Entity(name=raw["name"], kind=raw["kind"], about=raw["about"].strip(),
                                variants=raw.get("variants") or [], belongs_to=raw.get("belongs_to") or [],
                                unclear=(raw.get("unclear") or "").strip(), where=where, evidence=passages))
    if isinstance(places, Path) and places.is_file():  # the gazetteer (ext/gazetteer.py) reports its problems
        places = places_data.load_or_empty(places, on_error=lambda exc: None)
    if isinstance(places, places_data.Gazetteer):
        place_items, place_ignore = place_entities(places.places, {e.name.casefold() for e in items})
        items += place_items
        ignore += place_ignore
    problems += _check_consistency(items)
    return Entities(items, ignore, not_entries), problems


def _check_consistency(items: list[Entity]) -> list[str]:
    problems = []
    spellings = entry_schema.Register("spelling")
    names = {e.name.casefold() for e in items}
    for e in items:
        for spelling in e.spellings:
            problem = spellings.claim(spelling, e.where, e.name)
            if problem:
                problems.append(f"{e.where}: {problem}")
        for parent in e.belongs_to:
            if parent.casefold() not in names:
                problems.append(f"{e.where}: belongs_to names {parent!r}, which has no entry")
    return problems


# -- Markdown prose ------------------------------------------------------------------------------------------
HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
LABEL = re.compile(r"^\s*\([^()\s]+\)=\s*$")
OPTION = re.compile(r"^\s*:[\w-]+:")
# Inline constructs whose text is not linkable: roles, code, links and images, autolinks, HTML, substitutions.
ROLE = re.compile(r"\{(?P<role>[\w:.-]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)")
INLINE_SKIP = re.compile(r"(`+).*?\1|!?\[[^\]]*\]\([^)]*\)|!?\[[^\]]*\]\[[^\]]*\]|<[a-zA-Z/!][^>]*>|\{\{.*?\}\}")
TERM_BODY = re.compile(r"^(?P<shown>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


@dataclass
class Prose:
    """One line of a chapter with the spans (start, end) that are not linkable, and the {term} roles in it."""
    number: int  # 1-based
    text: str
    masked: str  # the line with non-linkable spans replaced by NUL characters
    terms: list[tuple[int, int, str, str]]  # (start, end, shown text, target)


def term_target(body: str) -> tuple[str, str]:
    m = TERM_BODY.match(body)
    return (m["shown"], m["target"].strip()) if m else (body, body.strip())


def not_prose(block: Fence) -> bool:
    """Whether a block's content is not the chapter's prose: code, or a directive in SKIP_DIRECTIVES."""
    return block.literal or block.directive in SKIP_DIRECTIVES


def scan_markdown(text: str) -> list[Prose]:
    out: list[Prose] = []
    lines = text.split("\n")
    fences = FenceWalker()
    in_comment = False
    options = False
    start = 0
    if lines and lines[0].strip() == "---":  # front matter
        for j in range(1, len(lines)):
            if lines[j].strip() == "---":
                start = j + 1
                break
    for index in range(start, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in line
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped[4:]
            continue
        step = fences.step(index + 1, line)
        if step.event is not None:  # a fence line; the options of a directive follow the line that opens it
            options = step.event == "open"
            continue
        if any(not_prose(block) for block in step.around):
            continue
        if options:
            if OPTION.match(line):
                continue
            options = False
        if HEADING.match(line) or LABEL.match(line) or stripped.startswith("%"):
            continue
        masked = list(line)
        terms = []
        for m in ROLE.finditer(line):
            masked[m.start():m.end()] = "\0" * (m.end() - m.start())
            if m["role"] in ("term", "std:term"):
                shown, target = term_target(m["body"])
                terms.append((m.start(), m.end(), shown, target))
        masked_text = "".join(masked)
        for m in INLINE_SKIP.finditer(masked_text):
            masked[m.start():m.end()] = "\0" * (m.end() - m.start())
        out.append(Prose(index + 1, line, "".join(masked), terms))
    return out


# -- Mentions ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    line: int
    start: int
    end: int
    text: str
    entity: Entity
    linked: bool  # already a {term} role


@dataclass(frozen=True)
class Misspelling:
    line: int
    text: str
    entity: Entity
    variant: str


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _letter_bits(text: str) -> int:
    """The letters of a text as bits of an integer, one bit per character code modulo 64: two letters may share a
    bit, so the bits one text has and another lacks are never more than the letters it has and the other lacks."""
    bits = 0
    for c in set(text):
        bits |= 1 << (ord(c) & 63)
    return bits


class Matcher:
    def __init__(self, entities: Entities):
        self.entities = entities
        self.owner: dict[str, Entity | None] = {}
        for e in entities.items:
            for s in e.spellings:
                self.owner[s] = e
        for phrase in entities.ignore:
            self.owner.setdefault(phrase, None)
        self.names = entities.by_name()
        alternatives = sorted(self.owner, key=len, reverse=True)
        # A mention is a whole word sequence: not glued to letters, and not the tail of a hyphenated compound
        # ("anti-Taliban", "Mazar-i-Sharif"); a trailing hyphen is fine ("Najibullah-regime").
        self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)"
                                  if alternatives else r"(?!)")  # a book with no entities: nothing matches
        # Spellings checked for near misses: five letters or more, grouped by word count, then by length (a
        # spelling more than two letters longer or shorter than a phrase is never within reach of it).
        self.fuzzy: dict[int, dict[int, list[tuple[int, str, Entity, frozenset[str]]]]] = {}
        for order, (s, e) in enumerate(self.owner.items()):
            if e is not None and len(s) >= 5:
                self.fuzzy.setdefault(len(s.split()), {}).setdefault(len(s), []).append(
                    (order, s, e, frozenset(s), _letter_bits(s)))
        self.fuzzy_reach = {count: {length + d for length in by_length for d in range(-2, 3)}
                            for count, by_length in self.fuzzy.items()}  # the phrase lengths _near can match

    def mentions(self, prose: list[Prose]) -> list[Mention]:
        found: list[Mention] = []
        for p in prose:
            for start, end, shown, target in p.terms:
                entity = self.names.get(target.casefold())
                if entity is not None:
                    found.append(Mention(p.number, start, end, shown, entity, True))
            for m in self.pattern.finditer(p.masked):
                entity = self.owner[m.group()]
                if entity is not None:
                    found.append(Mention(p.number, m.start(), m.end(), m.group(), entity, False))
        found.sort(key=lambda m: (m.line, m.start))
        return found

    @classmethod
    def of_places(cls, places: list[places_data.Place]) -> "Matcher":
        """A matcher of the places alone (for the chapter maps): the article's spellings of each place, with its
        `not_in` phrases ignored (a name inside one is not a mention of it)."""
        items = [Entity(name=p.name, kind="place", about=p.about, variants=list(p.variants), where=p.where)
                 for p in places]
        return cls(Entities(items, [phrase for p in places for phrase in p.not_in]))

    def counts(self, text: str) -> dict[str, int]:
        """How often each entity is mentioned in a plain text (the same rule as in prose: longer spellings win,
        "South Waziristan" is not also "Waziristan"; an ignored phrase mentions nothing)."""
        found: dict[str, int] = {}
        for m in self.pattern.finditer(text):
            entity = self.owner[m.group()]
            if entity is not None:
                found[entity.name] = found.get(entity.name, 0) + 1
        return found

    def first_mentions(self, prose: list[Prose]) -> list[Mention]:
        seen: set[str] = set()
        first = []
        for m in self.mentions(prose):
            if m.entity.name not in seen:
                seen.add(m.entity.name)
                first.append(m)
        return first

    def misspellings(self, prose: list[Prose]) -> list[Misspelling]:
        """Word sequences that are not a recorded spelling but are one or two letters away from one."""
        found = []
        word = re.compile(r"[^\W\d_][\w'’.-]*")
        for p in prose:
            text = p.masked
            exact = [m.span() for m in self.pattern.finditer(text)]  # in order, never overlapping
            exact_starts = [s for s, _ in exact]
            words = [(m.start(), m.end()) for m in word.finditer(text)]
            for i, (start, _) in enumerate(words):
                if not text[start].isupper():
                    continue
                for count, by_length in self.fuzzy.items():
                    if i + count > len(words):
                        continue
                    end = words[i + count - 1][1]
                    phrase = text[start:end].rstrip(".'’-")
                    if len(phrase) not in self.fuzzy_reach[count]:
                        continue  # no spelling of this many words is within two letters of its length
                    if "\0" in phrase or " ".join(phrase.split()) != phrase:
                        continue
                    k = bisect.bisect_right(exact_starts, start) - 1  # the only match that can hold it
                    if k >= 0 and start + len(phrase) <= exact[k][1]:
                        continue  # part of a recorded spelling ("Rashid Dostum" in "Abdul Rashid Dostum")
                    near = self._near(phrase, by_length)
                    if near is not None:
                        found.append(Misspelling(p.number, phrase, near[1], near[0]))
        return found

    def _near(self, phrase: str, by_length) -> tuple[str, Entity] | None:
        """The first recorded spelling (in the entities' order) one or two letters away from phrase, if any."""
        letters = frozenset(phrase)
        bits = _letter_bits(phrase)
        best = None
        for length in range(len(phrase) - 2, len(phrase) + 3):
            for order, spelling, entity, spelling_letters, spelling_bits in by_length.get(length, ()):
                limit = 1 if length <= 8 else 2
                # each letter of one that the other lacks costs an edit: a cheap test before the real distance
                # (the bits first: they never count more missing letters than the sets do)
                if (bits & ~spelling_bits).bit_count() > limit or (spelling_bits & ~bits).bit_count() > limit:
                    continue
                if len(letters - spelling_letters) > limit or len(spelling_letters - letters) > limit:
                    continue
                if phrase.startswith(spelling) or spelling.startswith(phrase):
                    continue  # a derived form ("Pakistani") or a shorter name, not a misspelling
                if (best is None or order < best[0]) and _distance(phrase, spelling, limit) <= limit:
                    best = (order, spelling, entity)
        return None if best is None else (best[1], best[2])


def link_text(text: str, first: list[Mention]) -> str:
    """Turn the unlinked first mentions into {term} roles, changing no other character."""
    lines = text.split("\n")
    for m in sorted((m for m in first if not m.linked), key=lambda m: (m.line, m.start), reverse=True):
        line = lines[m.line - 1]
        role = f"{{term}}`{m.text}`" if m.text == m.entity.name else f"{{term}}`{m.text} <{m.entity.name}>`"
        lines[m.line - 1] = line[:m.start] + role + line[m.end:]
    return "\n".join(lines)
