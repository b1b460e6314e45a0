"""The book's named things, read in one go: the data layer of the glossary, the gazetteer, the chapter maps and the
timeline. Plain Python, no Sphinx: the extensions that render these things (entity_glossary, gazetteer,
place_maps, book_timeline) and scripts/link_terms.py all read them through ``load`` or ``cached``.

- the glossary's people, organisations and states: ``docs/entities/*.yaml`` (booklib/entities.py: the entries, the
  one ``Matcher`` of names in text, the prose of a chapter);
- the gazetteer's places: ``docs/_data/places.yaml`` and its map data (booklib/places_data.py: the place fields);
  each place is also an entity of kind "place" (a state stays its glossary entry), so its names are matched and
  checked like every other name, and a spelling is owned by one entry of either file;
- the timeline's dated events: ``docs/_data/timeline.yaml`` (booklib/timeline_events.py: dates and events); the
  ``terms`` of an event must be names of the entries above.

The keys of an entry of each kind are described once, in booklib/entry_schema.py, and checked by it.

Every file is parsed by booklib/yaml_lines.py and every entry's ``evidence`` is checked by booklib/evidence.py, so a
problem always names its file and line. Problems are collected, one list per file kind, for the extension that
shows that kind to report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from booklib import places_data
from booklib.entities import Entities, Matcher, load_entities
from booklib.timeline_events import Timeline, check_terms, load_timeline


@dataclass
class NamedThings:
    entities: Entities  # the glossary's entries and the places as entities of kind "place"
    matcher: Matcher  # finds any of them in a chapter's prose
    places: places_data.Gazetteer | None  # None: the book has no places list
    timeline: Timeline | None  # None: the book names no timeline data
    entity_problems: list[str] = field(default_factory=list)  # "file:line: what"
    place_problems: list[places_data.PlacesError] = field(default_factory=list)  # each "file:line: what"


def load(entity_folder: Path | None, places_file: Path | None = None, geo_dir: Path | None = None,
         timeline_file: Path | None = None) -> NamedThings:
    """Read and check every data file named (a missing places list is no places; a missing entity folder, no
    entries; a missing timeline file is a problem of the timeline, reported where a timeline is shown)."""
    place_problems: list[places_data.PlacesError] = []
    places = None
    if places_file is not None and Path(places_file).is_file():
        places = places_data.load_or_empty(places_file, geo_dir, on_error=place_problems.append)
    entities, entity_problems = load_entities(entity_folder, places)
    timeline = load_timeline(Path(timeline_file)) if timeline_file is not None else None
    # a timeline's terms name entries: checked where the book has an entity folder (a tiny test book built with
    # the book's configuration has none), unless a data file does not parse (then every name it holds would be a
    # follow-on problem)
    unreadable = any(": not valid YAML: " in str(p) for p in [*entity_problems, *place_problems])
    if timeline is not None and entity_folder is not None and Path(entity_folder).is_dir() and not unreadable:
        check_terms(timeline, {e.name for e in entities.items})
    return NamedThings(entities, Matcher(entities), places, timeline, entity_problems, place_problems)


_CACHE: dict[tuple, tuple[tuple, NamedThings]] = {}  # per process, one entry per book


def cached(entity_folder: Path | None, places_file: Path | None = None, geo_dir: Path | None = None,
           timeline_file: Path | None = None) -> NamedThings:
    """``load``, read again only when a data file changed (its modification time), so a build reads each once."""
    key = (entity_folder, places_file, geo_dir, timeline_file)
    files = sorted(Path(entity_folder).glob("*.yaml")) if entity_folder else []
    files += [f for f in (places_file, timeline_file) if f is not None]
    stamp = tuple((str(f), f.stat().st_mtime_ns if f.exists() else None) for f in files)
    hit = _CACHE.get(key)
    if hit is None or hit[0] != stamp:
        hit = _CACHE[key] = (stamp, load(entity_folder, places_file, geo_dir, timeline_file))
    return hit[1]


def of_config(confdir: str | Path, srcdir: str | Path, config) -> NamedThings:
    """The named things of a book from its configuration values (those of the extensions it loads: a book
    without the gazetteer has no places, one without the timeline no events)."""
    confdir, srcdir = Path(confdir), Path(srcdir)
    folder = getattr(config, "entity_folder", None)
    places = getattr(config, "places_file", None)
    geo = getattr(config, "places_geo_dir", None)
    timeline = getattr(config, "timeline_data", None)
    return cached(srcdir / folder if folder else None, confdir / places if places else None,
                  confdir / geo if geo else None, (confdir / timeline).resolve() if timeline else None)
