"""``{gazetteer}``: the book's places (docs/_data/places.yaml) as Sphinx glossary entries, one per place.

Each entry is a real glossary term (so {term}`Kabul` links to it) named in the book's spelling, with the other
spellings of the article and of the map data, what the article says of the place, and whether it is on the maps;
it is drawn by ``entity_glossary.render_glossary``, the one renderer of the glossary and the gazetteer.
The places list is read by booklib/named_things.py (once per change of the data files); a bad entry is a warning at
its file and line (so the strict build fails, naming them), and is left out.
"""
from __future__ import annotations

from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from booklib import named_things
from booklib import places_data
from ext.entity_glossary import GlossaryEntry, render_glossary

logger = logging.getLogger(__name__)


def report_problems(app) -> None:
    """builder-inited: each bad entry of the places list as a warning at its file and line (-W makes it fail the
    build); the entry is left out."""
    for exc in named_things.of_config(app.confdir, app.srcdir, app.config).place_problems:
        location, _, message = str(exc).partition(": ")
        logger.warning(message, location=location, type="places", subtype="data")


def gazetteer_of(env) -> places_data.Gazetteer | None:
    """The places list (booklib/named_things.py, read once per change), or None in a book that has none (the tiny test
    books): no chapter maps there."""
    return named_things.of_config(env.app.confdir, env.srcdir, env.config).places


def where_on_the_map(place: places_data.Place) -> str:
    if place.no_data:
        return f"Not on the maps: {place.no_data}."
    if place.country is not None:
        return "On the maps: its outline."
    return "On the maps: a labelled point." if place.kind != "province" else "On the maps: its province."


class Gazetteer(SphinxDirective):
    has_content = False

    def run(self):
        gazetteer = gazetteer_of(self.env)
        if gazetteer is None:
            raise self.error(f"gazetteer: no places list {self.config.places_file} (relative to conf.py)")
        self.env.note_dependency(str(gazetteer.path))
        # A state that took part in the war has its entry in the glossary (ext/entity_glossary.py): the gazetteer
        # lists it after its own entries with a link there, since one name can have only one glossary entry.
        entity_names: set[str] = set()
        glossary = "ext.entity_glossary" in self.env.app.extensions  # its "Mentioned in" lists need the extension
        if glossary:
            from ext.entity_glossary import registry
            entity_names = {e.name for e in registry(self.env)[0].items if e.kind != "place"}
            # a glossary page: its own term links are not "mentions" of the places
            self.env.entity_glossary_docs.add(self.env.docname)
        own = [p for p in gazetteer.places if p.name not in entity_names]
        elsewhere = [p for p in gazetteer.places if p.name in entity_names]
        entries = []
        for place in own:
            text = place.about
            spellings = []
            if place.variants:
                spellings.append("in the article also " + ", ".join(f"“{s}”" for s in place.variants))
            if place.map_spellings:
                spellings.append("in the map data " + ", ".join(f"“{s}”" for s in place.map_spellings))
            if spellings:
                text += f"\n\n*Spelled*: {'; '.join(spellings)}."
            text += f"\n\n*{where_on_the_map(place)}*"
            entries.append(GlossaryEntry(place.name, text, evidence_key=f"place:{place.name}", mentioned_in=glossary))
        result = [render_glossary(self, entries)]
        if elsewhere:
            lines = ["States that took part in the war have their entries in the glossary:", ""]
            lines += [f"- {{term}}`{p.name}`: {where_on_the_map(p)}" for p in sorted(elsewhere, key=lambda p: p.name)]
            result += self.parse_text_to_nodes("\n".join(lines))
        return result


def setup(app):
    app.add_config_value("places_file", "docs/_data/places.yaml", "env")  # relative to conf.py's folder
    app.add_config_value("places_geo_dir", "docs/_data/geo", "env")  # the map data, also relative to it
    app.connect("builder-inited", report_problems)
    app.add_directive("gazetteer", Gazetteer)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
