"""The book's places: read docs/_data/places.yaml and the geo data it points at, and find places in text.

Not a Sphinx extension: a small library that the gazetteer and place_maps extensions, the tests and the glossary's
data (booklib/entities.py, which also finds the places in text) use. Bad input raises PlacesError with "file:line: what".
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from booklib import entry_schema
from booklib import evidence
from booklib import yaml_lines


class PlacesError(ValueError):
    """A problem in the places list or the geo data, with the file and line in its message."""


@dataclass
class Place:
    name: str
    kind: str
    about: str
    line: int
    where: str = ""  # "file:line" of the entry
    variants: list[str] = field(default_factory=list)  # the article's other spellings
    map_spellings: list[str] = field(default_factory=list)  # the map data's own spellings, never the article's
    not_in: list[str] = field(default_factory=list)
    point: str | None = None  # row name in places.csv
    province: str | None = None  # polygon name in afghanistan-provinces.geojson
    country: str | None = None  # outline name in neighbours.geojson
    lonlat: tuple[float, float] | None = None  # filled by load(): the map point, if the data has one
    no_data: str = ""  # filled by load(): why the place is on no map
    evidence: list[str] | None = None  # passages of the article that support `about` (booklib/evidence.py)

    @property
    def spellings(self) -> list[str]:
        """The names under which the article mentions the place."""
        return [self.name, *self.variants]

    @property
    def on_map(self) -> bool:
        return self.lonlat is not None or self.country is not None


@dataclass
class Gazetteer:
    places: list[Place]
    path: Path
    geo_dir: Path
    points: dict[str, dict]  # places.csv rows by name
    provinces: dict  # GeoJSON FeatureCollection
    countries: dict  # GeoJSON FeatureCollection

    def by_name(self) -> dict[str, Place]:
        return {p.name: p for p in self.places}

    def lookup(self, spelling: str) -> Place | None:
        """The place whose name or other spelling is `spelling`."""
        for place in self.places:
            if spelling in place.spellings:
                return place
        return None


def load(path: Path, geo_dir: Path | None = None, on_error=None) -> Gazetteer:
    """Read the places list and the geo data; check every key, name and reference.

    A bad entry raises PlacesError, or, if `on_error` is given, is passed to it and left out.
    """
    path = Path(path)
    geo_dir = Path(geo_dir) if geo_dir else path.parent / "geo"
    try:
        data = yaml_lines.load(path.read_text(encoding="utf-8"))
    except yaml_lines.YAMLError as exc:
        raise PlacesError(f"{path}:{yaml_lines.error_line(exc)}: {yaml_lines.error_text(exc)}") from None
    found, usable = entry_schema.check(data, entry_schema.PLACES_FILE, "the file")
    problems = [PlacesError(f"{path}:1: {p}") for p in found]
    fatal = problems.pop() if not usable else None  # the last: an unknown key comes before it
    for problem in problems:
        (_raise if on_error is None else on_error)(problem)
    if fatal is not None:
        raise fatal

    points = _read_points(geo_dir / "places.csv")
    provinces = json.loads((geo_dir / "afghanistan-provinces.geojson").read_text(encoding="utf-8"))
    countries = json.loads((geo_dir / "neighbours.geojson").read_text(encoding="utf-8"))
    province_names = {f["properties"]["name"] for f in provinces["features"]}
    country_names = {f["properties"]["name"] for f in countries["features"]}

    places: list[Place] = []
    spellings = entry_schema.Register("spelling")
    for entry in data["places"]:
        place, problems = _entry(entry, path, geo_dir, points, province_names, country_names, spellings)
        for problem in problems:
            if on_error is None:
                raise problem
            on_error(problem)
        if place is not None:
            places.append(place)
    return Gazetteer(places, path, geo_dir, points, provinces, countries)


def load_or_empty(path: Path, geo_dir: Path | None = None, on_error=None) -> Gazetteer:
    """Like load(), but a list that cannot be read as a whole (not valid YAML, no 'places') is passed to
    `on_error` too and gives no places, with the map data: what a build carries on with."""
    try:
        return load(path, geo_dir, on_error=on_error)
    except PlacesError as exc:
        if on_error is None:
            raise
        on_error(exc)
        geo_dir = Path(geo_dir) if geo_dir else Path(path).parent / "geo"
        return empty(path, geo_dir)


def empty(path: Path, geo_dir: Path) -> Gazetteer:
    """No places, but the map data: what a build carries on with after a fatal error in the list."""
    provinces = json.loads((geo_dir / "afghanistan-provinces.geojson").read_text(encoding="utf-8"))
    countries = json.loads((geo_dir / "neighbours.geojson").read_text(encoding="utf-8"))
    return Gazetteer([], Path(path), Path(geo_dir), _read_points(geo_dir / "places.csv"), provinces, countries)


def _entry(entry, path, geo_dir, points, province_names, country_names,
           spellings: entry_schema.Register) -> tuple[Place | None, list[PlacesError]]:
    """The place of one entry (None if it cannot be used) and the problems found in it."""
    line = entry.pop("__line__") if isinstance(entry, dict) else 1
    where = f"{path}:{line}"
    found, usable = entry_schema.check(entry, entry_schema.PLACE, "an entry of 'places'")
    problems = [PlacesError(f"{where}: {p}") for p in found]
    if not usable:
        return None, problems
    place = Place(name=entry["name"], kind=entry["kind"], about=" ".join(entry["about"].split()), line=line,
                  where=where, variants=entry.get("variants") or [], map_spellings=entry.get("map_spellings") or [],
                  not_in=entry.get("not_in") or [],
                  point=entry.get("point"), province=entry.get("province"), country=entry.get("country"))
    try:
        place.evidence = evidence.check_passage_list(entry.get("evidence"))
    except ValueError as exc:
        problems.append(PlacesError(f"{where}: {exc}"))
    for spelling in place.spellings:
        problem = spellings.claim(spelling, where, place.name)
        if problem:
            problems.append(PlacesError(f"{where}: {problem}"))
    if place.point is not None:
        row = points.get(place.point)
        if row is None:
            problems.append(PlacesError(f"{where}: point {place.point!r} is not a row of {geo_dir / 'places.csv'}"))
        elif row["lat"] and row["lon"]:
            place.lonlat = (float(row["lon"]), float(row["lat"]))
        else:
            place.no_data = f"the map data has no coordinates for it (searched: {row['source']})"
    if place.province is not None and place.province not in province_names:
        problems.append(PlacesError(f"{where}: province {place.province!r} is not in afghanistan-provinces.geojson"))
    if place.country is not None and place.country not in country_names:
        problems.append(PlacesError(f"{where}: country {place.country!r} is not in neighbours.geojson"))
    if place.point is None and place.country is None:
        place.no_data = "the map data has no point or outline for it"
    return (None if len(problems) > len(found) else place), problems


def _raise(problem: PlacesError):
    raise problem


def _read_points(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["name"]: row for row in rows}
