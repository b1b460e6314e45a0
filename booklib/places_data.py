"""The book's places: read docs/_data/places.yaml and the geo data it points at, and find places in text.

Not a Sphinx extension: a small library that the gazetteer and place_maps extensions, the tests and the glossary's
data (ext/entities.py, which also finds the places in text) use. Bad input raises PlacesError with "file:line: what".
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from booklib import evidence
from booklib import yaml_lines

KEYS = {"name", "also", "variants", "not_in", "kind", "point", "province", "country", "about", "evidence"}
KINDS = {"city", "town", "province", "country", "region", "valley", "river", "district", "airbase",
         "neighbourhood", "place"}


class PlacesError(ValueError):
    """A problem in the places list or the geo data, with the file and line in its message."""


@dataclass
class Place:
    name: str
    kind: str
    about: str
    line: int
    where: str = ""  # "file:line" of the entry
    also: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    not_in: list[str] = field(default_factory=list)
    point: str | None = None  # row name in places.csv
    province: str | None = None  # polygon name in afghanistan-provinces.geojson
    country: str | None = None  # outline name in neighbours.geojson
    lonlat: tuple[float, float] | None = None  # filled by load(): the map point, if the data has one
    no_data: str = ""  # filled by load(): why the place is on no map
    evidence: list[str] | None = None  # passages of the article that support `about` (ext/evidence.py)

    @property
    def spellings(self) -> list[str]:
        """The names under which the article mentions the place."""
        return [self.name, *self.also]

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


def _strings(value, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise PlacesError(f"{where}: '{key}' must be a name or a list of names")


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
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise PlacesError(f"{path}:1: expected a mapping with a list under 'places'")

    points = _read_points(geo_dir / "places.csv")
    provinces = json.loads((geo_dir / "afghanistan-provinces.geojson").read_text(encoding="utf-8"))
    countries = json.loads((geo_dir / "neighbours.geojson").read_text(encoding="utf-8"))
    province_names = {f["properties"]["name"] for f in provinces["features"]}
    country_names = {f["properties"]["name"] for f in countries["features"]}

    places: list[Place] = []
    seen: dict[str, str] = {}
    for entry in data["places"]:
        try:
            place = _entry(entry, path, geo_dir, points, province_names, country_names, seen)
        except PlacesError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
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


def _entry(entry, path, geo_dir, points, province_names, country_names, seen) -> Place:
    if not isinstance(entry, dict):
        raise PlacesError(f"{path}:1: every entry under 'places' must be a mapping (name: ..., about: ...)")
    line = entry.pop("__line__")
    where = f"{path}:{line}"
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise PlacesError(f"{where}: unknown key {', '.join(map(repr, unknown))} "
                          f"(known: {', '.join(sorted(KEYS))})")
    for key in ("name", "about", "kind"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise PlacesError(f"{where}: the entry needs '{key}'")
    if entry["kind"] not in KINDS:
        raise PlacesError(f"{where}: unknown kind {entry['kind']!r} (known: {', '.join(sorted(KINDS))})")
    place = Place(name=entry["name"], kind=entry["kind"], about=" ".join(entry["about"].split()), line=line,
                  where=where,
                  also=_strings(entry.get("also"), where, "also"),
                  variants=_strings(entry.get("variants"), where, "variants"),
                  not_in=_strings(entry.get("not_in"), where, "not_in"),
                  point=entry.get("point"), province=entry.get("province"), country=entry.get("country"))
    try:
        place.evidence = evidence.check_passage_list(entry.get("evidence"))
    except ValueError as exc:
        raise PlacesError(f"{where}: {exc}") from None
    for spelling in place.spellings:
        if spelling in seen:
            raise PlacesError(f"{where}: {spelling!r} is already a spelling of {seen[spelling]!r}")
        seen[spelling] = place.name
    if place.point is not None:
        row = points.get(place.point)
        if row is None:
            raise PlacesError(f"{where}: point {place.point!r} is not a row of {geo_dir / 'places.csv'}")
        if row["lat"] and row["lon"]:
            place.lonlat = (float(row["lon"]), float(row["lat"]))
        else:
            place.no_data = f"the map data has no coordinates for it (searched: {row['source']})"
    if place.province is not None and place.province not in province_names:
        raise PlacesError(f"{where}: province {place.province!r} is not in afghanistan-provinces.geojson")
    if place.country is not None and place.country not in country_names:
        raise PlacesError(f"{where}: country {place.country!r} is not in neighbours.geojson")
    if place.point is None and place.country is None:
        place.no_data = "the map data has no point or outline for it"
    return place


def _read_points(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["name"]: row for row in rows}
