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

import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from booklib import kept_between_builds, places_data
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
STORE = "named-things.pickle"  # the remembered result between builds, in the folder a build names (its doctrees)


def input_files(entity_folder: Path | None, places_file: Path | None = None, geo_dir: Path | None = None,
                timeline_file: Path | None = None) -> list[Path]:
    """Every file ``load`` reads: the entity files, the places list, every file of its map data folder, the
    timeline; a file named but missing is listed too (its absence is part of the result)."""
    files = sorted(Path(entity_folder).glob("*.yaml")) if entity_folder else []
    if places_file is not None:
        files.append(Path(places_file))
        geo = Path(geo_dir) if geo_dir else Path(places_file).parent / "geo"
        files += sorted(f for f in geo.glob("*") if f.is_file())
    if timeline_file is not None:
        files.append(Path(timeline_file))
    return files


def code_version() -> str:
    """booklib's code (every module of it) and Python's version: what the result of ``load`` depends on besides
    the files."""
    return kept_between_builds.code_version(*sorted(Path(__file__).parent.glob("*.py")), extra=sys.version)


def content_key(args: tuple, files: list[Path]) -> str:
    """The store's key: the code, the paths asked for, and the name and content of every file read."""
    folder_exists = args[0] is not None and Path(args[0]).is_dir()  # no folder and an empty one differ (see load)
    digest = hashlib.sha256(f"{code_version()}\0{args!r}\0{folder_exists}".encode())
    for f in files:
        digest.update(f"\0{f}\0".encode() + (hashlib.sha256(f.read_bytes()).digest() if f.is_file() else b"missing"))
    return digest.hexdigest()


def cached(entity_folder: Path | None, places_file: Path | None = None, geo_dir: Path | None = None,
           timeline_file: Path | None = None, store: Path | None = None) -> NamedThings:
    """``load``, read again only when a data file changed (its modification time and size), so a build reads each
    once. With ``store`` (a folder: the build's doctrees), the result is also kept there between builds, keyed by
    the content of every file read and by booklib's code, so a build after an unchanged file parses nothing."""
    args = (entity_folder, places_file, geo_dir, timeline_file)
    files = input_files(*args)
    stamp = tuple((str(f), s.st_mtime_ns, s.st_size) if (s := _stat(f)) else (str(f), None) for f in files)
    hit = _CACHE.get(args)
    if hit is not None and hit[0] == stamp and (store is None or (Path(store) / STORE).exists()):
        return hit[1]
    key = content_key(args, files) if store is not None else ""
    things = kept_between_builds.recall(Path(store) / STORE, key) if store is not None else None
    if things is None:
        things = load(*args)
        if store is not None:
            kept_between_builds.keep(Path(store) / STORE, key, things)
    _CACHE[args] = (stamp, things)
    return things


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def of_config(confdir: str | Path, srcdir: str | Path, config, store: Path | None = None) -> NamedThings:
    """The named things of a book from its configuration values (those of the extensions it loads: a book
    without the gazetteer has no places, one without the timeline no events); ``store``: see ``cached``."""
    confdir, srcdir = Path(confdir), Path(srcdir)
    folder = getattr(config, "entity_folder", None)
    places = getattr(config, "places_file", None)
    geo = getattr(config, "places_geo_dir", None)
    timeline = getattr(config, "timeline_data", None)
    return cached(srcdir / folder if folder else None, confdir / places if places else None,
                  confdir / geo if geo else None, (confdir / timeline).resolve() if timeline else None, store)
