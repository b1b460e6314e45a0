"""Maps drawn at build time from the book's open data (docs/_data/geo/), with matplotlib.

- ``{place-map} overview``: Afghanistan, its provinces and neighbours, and every place of the gazetteer that
  the data can place; the places it cannot place are listed under the map.
- ``{place-map} statement`` with ``:chapter:`` and ``:sentence:`` (the sentence's first words): the article's own
  statement of who held what ("... in provinces such as A, B and parts of C, D ..."), read from the chapter,
  provinces held shaded, "parts of" hatched, and the sentence as the caption.
- Every chapter gets a locator map (after its opening text) highlighting the places it mentions (found in the chapter's text
  by their names and other spellings), unless it mentions none that is on the map or is in place_maps_skip.

SVG for HTML and EPUB (labels stay text), PDF for LaTeX. Files are cached by a hash of what they show, the data
and the drawing code (place_maps_cache, default: the folder next to the doctrees): an unchanged map is not
redrawn, and an unchanged chapter is not even re-read.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from booklib import map_drawing
from booklib import places_data
from booklib.entities import Matcher
from ext.gazetteer import gazetteer_of
from ext.tree_walks import ancestors
from ext.config_paths import config_path

logger = logging.getLogger(__name__)
PROVINCES_NOTE = ("The province borders are today's 34 provinces, not necessarily the divisions of 1996–2001. "
                  "North is up; the scale bar is true at 34° N.")
STATEMENT = re.compile(r"provinces such as (?P<whole>.+?) and parts of (?P<parts>.+?)\.")


def cache_dir(app) -> Path:
    if app.config.place_maps_cache:
        return config_path(app, app.config.place_maps_cache)
    return Path(app.doctreedir).parent / "place-maps"


def map_figure(app, env, spec: map_drawing.MapSpec, alt: str, caption: str) -> nodes.figure:
    """Draw the map if it is not cached yet, and return a figure node pointing at the file."""
    gazetteer = gazetteer_of(env)
    fmt = "pdf" if app.builder.format == "latex" else "svg"
    path, drawn = map_drawing.ensure(spec, gazetteer, cache_dir(app), fmt)
    if drawn:
        logger.info(f"place_maps: drew {path.name}")
    for dependency in (gazetteer.path, Path(map_drawing.__file__), Path(__file__)):
        env.note_dependency(str(dependency))
    uri = "/" + os.path.relpath(path, app.srcdir).replace(os.sep, "/")  # '/' = from the source folder
    figure = nodes.figure(classes=["place-map"], align="center")
    # made_by_book: the map is ours, drawn into the build folder; a page's own images must stay inside docs/
    figure += nodes.image(uri=uri, alt=alt, width="100%", candidates={}, made_by_book=True)
    figure += nodes.caption(text=f"{caption} {PROVINCES_NOTE} {map_drawing.CREDIT}")
    return figure


def names(items) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


DIRECTIONS = ["east", "north-east", "north", "north-west", "west", "south-west", "south", "south-east"]


def where(place: places_data.Place, shown_as: str | None = None) -> str:
    """'Kabul (east)': a place with where its point lies from the map's centre, for the maps' text alternatives.
    Countries are outlines, named as they are; a place off the map is said to be so."""
    name = shown_as or place.name
    if place.lonlat is None:
        return name
    if not map_drawing.in_frame(place.lonlat):
        return f"{name} (off the map, given in a corner note)"
    x0, x1, y0, y1 = map_drawing.FRAME
    lon, lat = place.lonlat
    dx, dy = (lon - (x0 + x1) / 2) * math.cos(math.radians(lat)), lat - (y0 + y1) / 2
    if math.hypot(dx, dy) < 1.2:
        return f"{name} (centre)"
    return f"{name} ({DIRECTIONS[round(math.degrees(math.atan2(dy, dx)) / 45) % 8]})"


class PlaceMap(SphinxDirective):
    required_arguments = 1
    option_spec = {"chapter": directives.unchanged_required, "sentence": directives.unchanged_required}

    def run(self):
        kind = self.arguments[0]
        if kind == "overview":
            return self.overview()
        if kind == "statement":
            return self.statement()
        return [self.state.document.reporter.error(
            f"place-map: unknown map {kind!r} (known: overview, statement)", line=self.lineno)]

    def overview(self):
        gazetteer = gazetteer_of(self.env)
        if gazetteer is None:
            raise self.error(f"place-map: no places list {self.config.places_file} (relative to conf.py)")
        shown = [p.name for p in gazetteer.places if p.on_map]
        missing = [p.name for p in gazetteer.places if not p.on_map]
        spec = map_drawing.MapSpec(slug="overview", kind="overview")
        countries = [p.name for p in gazetteer.places if p.on_map and p.lonlat is None]
        neighbours = map_drawing.labelled_neighbours(gazetteer, cache_dir(self.env.app))
        grey = [name for name in neighbours if name not in countries]
        points = [where(p) for p in gazetteer.places if p.lonlat is not None]
        alt = (f"Map of Afghanistan with its provinces and neighbours, north up. Countries outlined and named: "
               f"{names(countries)}" + (f"; also drawn, in grey: {names(grey)}" if grey else "") +
               f". Places labelled, with where each lies from the map's centre: {names(points)}.")
        caption = (f"Afghanistan and its neighbours, with the {len(shown)} places of this gazetteer that the "
                   "book's map data can place.")
        figure = map_figure(self.env.app, self.env, spec, alt, caption)
        figure["ids"].append("places-overview-map")
        note = nodes.paragraph(classes=["places-not-on-map"])
        note += nodes.Text(f"Not on the maps ({len(missing)} places; the map data has no coordinates for them): "
                           f"{', '.join(missing)}.")
        return [figure, note]

    def statement(self):
        gazetteer = gazetteer_of(self.env)
        if gazetteer is None:
            raise self.error(f"place-map: no places list {self.config.places_file} (relative to conf.py)")
        chapter, start = self.options.get("chapter"), self.options.get("sentence")
        if not chapter or not start:
            raise self.error("place-map statement needs :chapter: and :sentence:")
        if chapter not in self.env.found_docs:  # a page of the book, never a path that leads out of docs/
            raise self.error(f"place-map statement: no chapter {chapter!r}")
        path = Path(self.env.doc2path(chapter))
        if not path.exists():
            raise self.error(f"place-map statement: no chapter {chapter!r}")
        self.env.note_dependency(str(path))
        # the sentence as the reader sees it: {term}`shown <target>` and {term}`name` links read as their text
        plain = re.sub(r"\{term\}`([^`<]*?)\s*(?:<[^`>]*>)?`", r"\1", path.read_text(encoding="utf-8"))
        sentence = next((line.strip() for line in plain.splitlines() if line.strip().startswith(start)), None)
        if sentence is None:
            raise self.error(f"place-map statement: no sentence starting {start!r} in {path}")
        match = STATEMENT.search(sentence)
        if match is None:
            raise self.error(f"place-map statement: the sentence in {path} no longer reads "
                               "'provinces such as ... and parts of ...'")
        whole, parts = (re.split(r", | and ", match[group]) for group in ("whole", "parts"))
        for spelling in whole + parts:
            place = gazetteer.lookup(spelling)
            if place is None or place.province is None:
                raise self.error(f"place-map statement: {spelling!r} is not a province in {gazetteer.path}")
        spec = map_drawing.MapSpec(slug="united-front-provinces", kind="statement", whole=whole, parts=parts)
        alt = (f"Map of Afghanistan's provinces, north up. Shaded dark blue as held by the United Front: "
               f"{names(where(gazetteer.lookup(s), s) for s in whole)}. Hatched as held in part: "
               f"{names(where(gazetteer.lookup(s), s) for s in parts)}. The other provinces are blank.")
        caption = (f"What the article says the United Front held: “{sentence}” Shaded: the provinces it names; "
                   "hatched: the provinces of which it says “parts” (which parts, it does not say).")
        figure = map_figure(self.env.app, self.env, spec, alt, caption)
        figure["ids"].append("places-statement-map")
        return [figure]


def chapter_text(doctree) -> str:
    """The chapter's words, without comments, raw output, code and our editor's notes (a place a note names is
    not a place the chapter names)."""
    skip = (nodes.comment, nodes.raw, nodes.literal_block, nodes.system_message)
    return "\n".join(node.astext() for node in doctree.findall(nodes.Text)
                     if not any(isinstance(parent, skip) or "editor-note" in parent.get("classes", ())
                                for parent in ancestors(node) if isinstance(parent, nodes.Element)))


def add_chapter_map(app, doctree) -> None:
    docname = app.env.docname
    if not docname.startswith(app.config.place_maps_chapters) or docname in app.config.place_maps_skip:
        return
    gazetteer = gazetteer_of(app.env)
    if gazetteer is None:  # a book without a places list
        return
    found = Matcher.of_places(gazetteer.places).counts(chapter_text(doctree))
    lit = [p.name for p in gazetteer.places if p.name in found and p.on_map and p.name != "Afghanistan"]
    if not lit:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = section[0].astext() if isinstance(section[0], nodes.title) else docname
    spec = map_drawing.MapSpec(slug=docname.rsplit("/", 1)[-1], kind="locator", highlight=lit)
    places = gazetteer.by_name()
    alt = (f"Locator map of Afghanistan and its neighbours for the chapter “{title}”, north up, highlighting in red "
           f"the places it names, with where each lies from the map's centre: {names(where(places[n]) for n in lit)}."
           " The other places of the overview map (on the page of places) are shown in grey.")
    caption = f"Places named in this chapter: {names(lit)}."
    unmapped = [p.name for p in gazetteer.places if p.name in found and not p.on_map]
    if unmapped:
        caption += f" Also named, but not on the map (the map data cannot place them): {names(unmapped)}."
    figure = map_figure(app, app.env, spec, alt, caption)
    figure["ids"].append(f"{docname.rsplit('/', 1)[-1]}-places-map")
    # after the chapter's opening text, before its first section (body elements may not follow sections)
    first_subsection = next((i for i, child in enumerate(section) if isinstance(child, nodes.section)), None)
    if first_subsection is None:
        section += figure
    else:
        section.insert(first_subsection, figure)


MAP_FILE = re.compile(r"^[a-z0-9-]+-[0-9a-f]{16}\.(svg|pdf)$")  # map_drawing.filename()


def prune_stale_maps(app, env) -> None:
    """Remove the maps that no document uses any more (after a change), from the cache and the output, and the
    lists of labelled neighbours of older data from the cache.

    Sphinx never removes an old image from the output folder, and the EPUB builder packs whatever is there.
    """
    fmt = "pdf" if app.builder.format == "latex" else "svg"
    used = {(Path(app.srcdir) / image).resolve() for image in env.images}
    for path in cache_dir(app).glob(f"*.{fmt}") if app.config.place_maps_prune_cache else ():
        if path.resolve() not in used:
            path.unlink(missing_ok=True)
    gazetteer = gazetteer_of(env)
    current = map_drawing.neighbours_file(gazetteer, cache_dir(app)).name if gazetteer else None
    for path in cache_dir(app).glob("neighbours-*.json") if app.config.place_maps_prune_cache else ():
        if path.name != current:  # the list of an older places list or map data
            path.unlink(missing_ok=True)
    used_names = {Path(image).name for image in env.images}
    output = Path(app.outdir) / getattr(app.builder, "imagedir", "")
    for path in output.glob(f"*.{fmt}"):
        if MAP_FILE.match(path.name) and path.name not in used_names:
            path.unlink(missing_ok=True)
    return []


def setup(app):
    app.setup_extension("ext.gazetteer")
    app.add_config_value("place_maps_cache", "", "env")  # '' = next to the doctrees
    # off where builds of different books share one cache at once (the tests): one would delete another's maps
    app.add_config_value("place_maps_prune_cache", True, "", bool)
    app.add_config_value("place_maps_chapters", "chapters/", "env")  # docnames that get a locator map
    app.add_config_value("place_maps_skip", [], "env")  # docnames that do not
    app.add_directive("place-map", PlaceMap)
    app.add_css_file("place-maps.css")  # in docs/_static (html_static_path)
    # before the image collector (priority 500), so that it sees the injected maps
    app.connect("doctree-read", add_chapter_map, priority=400)
    app.connect("env-updated", prune_stale_maps)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
