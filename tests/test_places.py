"""Places: the gazetteer's list, its map data and provenance, and the maps drawn at build time."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BOOK, ROOT, sphinx_build
from booklib import map_drawing
from booklib import places_data
from booklib.entities import Matcher
from booklib.slugs import slug

PLACES = ROOT / "docs" / "_data" / "places.yaml"
GEO = ROOT / "docs" / "_data" / "geo"
CHAPTERS = sorted((ROOT / "docs" / "chapters").glob("*.md"))
PLANTED = ROOT / "tests" / "roots" / "place-without-map-data"
CREDIT = ("Boundaries and places: Natural Earth (public domain). Province names checked against geoBoundaries "
          "(CC BY 4.0, www.geoboundaries.org). Bagram location: OurAirports (public domain).")


def gazetteer():
    return places_data.load(PLACES)


def named_in(text: str, place) -> bool:
    """A plain check, independent of the entities' Matcher: is any spelling of the place a whole word here?"""
    for phrase in place.not_in:
        text = text.replace(phrase, " ")
    return any(re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text) for s in place.spellings)


def svg_of(html_file: Path, figure) -> str:
    return (html_file.parent / figure.img["src"]).read_text(encoding="utf-8")


def svg_texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, flags=re.S)]


def svg_place_ids(svg: str) -> set[str]:
    return set(re.findall(r'id="place-([a-z0-9-]+)"', svg))


# -- the list and its data ------------------------------------------------------------------------------------
def test_every_place_in_the_gazetteer_occurs_in_the_chapters():
    text = "\n".join(c.read_text(encoding="utf-8") for c in CHAPTERS)
    absent = [p.name for p in gazetteer().places if not named_in(text, p)]
    assert absent == []


def test_data_spellings_are_the_data_s_own_and_never_the_article_s():
    geo_text = "\n".join(p.read_text(encoding="utf-8") for p in GEO.glob("*.*") if p.name != "SOURCES.md")
    article = (ROOT / "sources" / "afghan-civil-war-1996-2001.txt").read_text(encoding="utf-8")
    for place in gazetteer().places:
        for spelling in place.map_spellings:
            assert spelling in geo_text, f"{place.name}: {spelling!r} is not in the map data"
            assert not re.search(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", article), spelling


def test_places_without_coordinates_say_so_and_have_no_point():
    g = gazetteer()
    rows = places_data._read_points(GEO / "places.csv")
    for place in g.places:
        row = rows.get(place.point)
        if row is not None and not row["lat"]:
            assert place.lonlat is None and not place.on_map and "no coordinates" in place.no_data
    assert {"Hairatan", "Hazarajat", "Waziristan"} <= {p.name for p in g.places if not p.on_map}


def test_the_map_data_and_its_provenance_are_in_the_repository():
    sources = (GEO / "SOURCES.md").read_text(encoding="utf-8")
    assert " ".join(CREDIT.split()) in " ".join(sources.split())
    for name, size in re.findall(r"\| `([\w.-]+\.geojson)` \| ([\d,]+) B \|", sources):
        assert (GEO / name).stat().st_size == int(size.replace(",", "")), f"{name} is not the file SOURCES.md describes"
    rows = places_data._read_points(GEO / "places.csv")
    assert len(rows) == 34 and sum(1 for r in rows.values() if r["lat"]) == 31  # as SOURCES.md says
    assert all(r["source"] for r in rows.values())
    page = (ROOT / "docs" / "places.md").read_text(encoding="utf-8")
    assert all(sentence in page for sentence in CREDIT.split(". ")), "the places page lacks the credit line"


def test_a_bad_places_list_names_file_and_line(tmp_path):
    bad = tmp_path / "places.yaml"
    bad.write_text("places:\n  - name: Kabul\n    kind: city\n    about: x\n\n  - name: Nowhere\n    kind: city\n"
                   "    about: y\n    coords: [1, 2]\n", encoding="utf-8")
    with pytest.raises(places_data.PlacesError) as error:
        places_data.load(bad, GEO)
    assert str(error.value) == (f"{bad}:6: unknown key 'coords' (known: about, country, evidence, kind, "
                                "map_spellings, name, not_in, point, province, variants)")
    bad.write_text("places:\n  - name: Kabul\n    kind: city\n    point: Kabol\n    about: x\n", encoding="utf-8")
    with pytest.raises(places_data.PlacesError, match=rf"^{re.escape(str(bad))}:2: point 'Kabol' is not a row"):
        places_data.load(bad, GEO)


def test_every_rule_of_the_key_check_is_reported_in_the_one_wording(tmp_path):
    """The rules of booklib/entry_schema.py, each planted once in a places list: all reported, file and line first."""
    bad = tmp_path / "places.yaml"
    bad.write_text("places:\n"
                   "  - name: Kabul\n    kind: city\n    about: x\n    coords: [1, 2]\n"  # 2: unknown key
                   "  - name: Herat\n    kind: city\n"  # 6: missing required key
                   "  - name: Kunduz\n    kind: city\n    about: x\n    variants: Kondoz\n"  # 8: not a list
                   "  - name: [Bamyan]\n    kind: city\n    about: x\n"  # 12: not a string
                   "  - Mazar\n"  # 15: not a mapping
                   "  - name: Balkh\n    kind: town\n    about: x\n    variants: [Kabul]\n"  # 16: duplicate
                   "  - name: Atlantis\n    kind: island\n    about: x\n",  # 20: unknown kind
                   encoding="utf-8")
    problems = []
    places = places_data.load(bad, GEO, on_error=problems.append)
    assert [str(p) for p in problems] == [
        f"{bad}:2: unknown key 'coords' (known: about, country, evidence, kind, map_spellings, name, not_in, "
        "point, province, variants)",
        f"{bad}:6: missing required key 'about'",
        f"{bad}:8: 'variants' must be a list of strings",
        f"{bad}:12: 'name' must be a string",
        f"{bad}:1: an entry of 'places' must be a mapping",
        f"{bad}:16: duplicate spelling 'Kabul' (already at {bad}:2, the entry 'Kabul')",
        f"{bad}:20: unknown kind 'island' (known: airbase, city, country, district, neighbourhood, place, province, "
        "region, river, town, valley)",
    ]
    assert [p.name for p in places.places] == ["Kabul"]  # an unknown key harms nothing; every other fault does


def test_mentions_prefer_the_longer_name_and_skip_names_inside_other_names():
    g = gazetteer()
    text = "to South Waziristan, the Islamic Movement of Uzbekistan, Iranian and Iran"
    found = Matcher.of_places(g.places).counts(text)
    assert found == {"South Waziristan": 1, "Iran": 1}


# -- the maps -------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_overview_map_shows_every_place_that_has_coordinates(html_dir):
    page = html_dir / "places.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure.place-map")
    svg = svg_of(page, figure)
    texts = {t.strip() for t in svg_texts(svg)}
    g = gazetteer()
    for place in g.places:
        if place.on_map:
            shown = place.name if place.kind != "country" else place.name.upper()
            assert any(shown in t for t in texts), f"{place.name} is not on the overview map"
        else:
            assert place.name not in " ".join(texts), f"{place.name} has no data but is on the map"
    assert "collides" not in svg
    assert figure.img["alt"].startswith("Map of Afghanistan") and CREDIT in figure.figcaption.get_text()
    caption = figure.figcaption.get_text().replace("’", "'")
    assert "today's 34 provinces, not necessarily the divisions of 1996–2001" in caption
    not_shown = soup.select_one("p.places-not-on-map").get_text()
    assert all(p.name in not_shown for p in g.places if not p.on_map)


@pytest.mark.slow
def test_every_chapter_map_highlights_exactly_the_places_its_chapter_names(html_dir):
    g = gazetteer()
    on_map = [p for p in g.places if p.on_map and p.name != "Afghanistan"]
    maps = 0
    for chapter in CHAPTERS:
        page = html_dir / "chapters" / f"{chapter.stem}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        figure = soup.select_one("figure.place-map")
        if figure is not None:
            figure.extract()
        # our words (notes, evidence links) and the sources the notes cite: a place they name is not the chapter's
        for ours in soup.select(".editor-note, .evidence-sources, ul.chapter-sources"):
            ours.decompose()
        text = soup.select_one("article[role=main]").get_text(" ")
        expected = {slug(p.name) for p in on_map if named_in(text, p)}
        if figure is None:
            assert not expected or chapter.stem == "further-reading", f"{chapter.stem} has no map"
            continue
        maps += 1
        svg = svg_of(page, figure)
        assert svg_place_ids(svg) == expected, chapter.stem
        assert "collides" not in svg
    assert maps >= 10


@pytest.mark.slow
def test_the_statement_map_shows_the_article_s_sentence_and_no_more(html_dir):
    page = html_dir / "places.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    figure = soup.select("figure.place-map")[1]
    chapter = (ROOT / "docs" / "chapters" / "creation-of-the-united-front-northern-alliance.md").read_text()
    chapter = re.sub(r"\{term\}`([^`<]*?)\s*(?:<[^`>]*>)?`", r"\1", chapter)  # term links read as their text
    sentence = next(line for line in chapter.splitlines() if "provinces such as" in line)
    assert f"“{sentence}”" in figure.figcaption.get_text().replace("’", "'")
    svg = svg_of(page, figure)
    assert 'id="provinces-held"' in svg and 'id="provinces-held-in-part"' in svg
    labels = {t.strip() for t in svg_texts(svg)}
    for name in re.split(r", | and ", sentence.split("provinces such as ")[1].rstrip(".").replace("parts of ", "")):
        assert name in labels


@pytest.mark.slow
def test_a_planted_place_with_no_data_is_reported_and_placed_nowhere(tmp_path):
    result = sphinx_build(PLANTED / "docs", tmp_path / "html", "html", confdir=PLANTED)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    places = tmp_path / "html" / "places.html"
    soup = BeautifulSoup(places.read_text(encoding="utf-8"), "html.parser")
    entry = soup.find("dt", id="term-Atlantis").find_next_sibling("dd").get_text(" ")
    assert "Not on the maps: the map data has no point or outline for it." in entry
    assert "Atlantis" in soup.select_one("p.places-not-on-map").get_text()
    hairatan = soup.find("dt", id="term-Hairatan").find_next_sibling("dd").get_text(" ")
    assert "Not on the maps: the map data has no coordinates for it" in hairatan
    overview = svg_of(places, soup.select_one("figure.place-map"))
    assert "Atlantis" not in overview and "Hairatan" not in overview and "Kabul" in svg_texts(overview)
    chapter = tmp_path / "html" / "chapters" / "one.html"
    figure = BeautifulSoup(chapter.read_text(encoding="utf-8"), "html.parser").select_one("figure.place-map")
    assert svg_place_ids(svg_of(chapter, figure)) == {"kabul"}
    assert "not on the map (the map data cannot place them): Atlantis and Hairatan" in figure.get_text()


@pytest.fixture
def planted_copy(tmp_path) -> Path:
    """A copy of the planted book to change, in tmp_path/book; its conf.py still reads tests/roots/roots_conf.py and
    this repository's map data."""
    root = tmp_path / "book"
    shutil.copytree(PLANTED, root)
    conf = (PLANTED / "conf.py").read_text(encoding="utf-8")
    moved = conf.replace("Path(__file__).resolve().parent.parent", f"Path({str(PLANTED.parent)!r})")
    assert moved != conf, "the planted root's conf.py no longer finds roots_conf as this fixture expects"
    (root / "conf.py").write_text(moved, encoding="utf-8")
    return root


@pytest.mark.slow
def test_a_changed_map_replaces_the_old_one_in_the_cache_and_the_output(planted_copy, tmp_path):
    root = planted_copy
    out = tmp_path / "html"
    assert sphinx_build(root / "docs", out, "html", confdir=root).returncode == 0
    before = sorted(p.name for p in (out / "_images").glob("*.svg"))
    assert len(before) == 2  # the overview and the chapter's map
    chapter = root / "docs" / "chapters" / "one.md"
    chapter.write_text(chapter.read_text().replace("from Kabul to", "to"), encoding="utf-8")
    result = sphinx_build(root / "docs", out, "html", confdir=root)
    assert result.returncode == 0, result.stderr
    after = sorted(p.name for p in (out / "_images").glob("*.svg"))
    assert after == [before[1]] or after == [before[0]]  # the chapter names no mapped place now: no map
    assert sorted(p.name for p in (tmp_path / "place-maps").glob("*.svg")) == after


@pytest.mark.slow
def test_a_bad_places_list_stops_the_build_with_file_and_line(planted_copy, tmp_path):
    root = planted_copy
    yaml = root / "places.yaml"
    yaml.write_text(yaml.read_text().replace("kind: place\n    about: A planted", "kind: island\n    about: A planted"))
    result = sphinx_build(root / "docs", tmp_path / "html", "html", confdir=root)
    assert result.returncode != 0
    assert f"{yaml}:7: WARNING: unknown kind 'island' (known: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_unchanged_map_is_not_redrawn(tmp_path):
    spec = map_drawing.MapSpec(slug="t", kind="locator", highlight=["Kabul"])
    first, drawn = map_drawing.ensure(spec, gazetteer(), tmp_path, "svg")
    assert drawn and first.exists()
    again, drawn_again = map_drawing.ensure(spec, gazetteer(), tmp_path, "svg")
    assert again == first and not drawn_again
    other, drawn_other = map_drawing.ensure(
        map_drawing.MapSpec(slug="t", kind="locator", highlight=["Herat"]), gazetteer(), tmp_path, "svg")
    assert drawn_other and other != first


@pytest.mark.slow
def test_the_epub_carries_the_maps_as_svg(epub_dir):
    with zipfile.ZipFile(epub_dir / f"{BOOK}.epub") as epub:
        opf = epub.read("content.opf").decode()
        svgs = re.findall(r'href="(_images/[^"]+\.svg)" media-type="image/svg\+xml"', opf)
        assert any(s.startswith("_images/overview-") for s in svgs) and len(svgs) >= 12
        svg = epub.read(svgs[0]).decode()
        assert "<text" in svg and "<!DOCTYPE" not in svg  # EPUB 3 forbids the SVG 1.1 DTD


@pytest.mark.tex
def test_the_pdf_has_the_maps_as_vector_figures(pdf_build):
    latex = pdf_build / "latex"
    maps = sorted(p.name for p in latex.glob("overview-*.pdf"))
    assert maps, "no overview map in the LaTeX build"
    tex = (latex / f"{BOOK}.tex").read_text(encoding="utf-8")
    assert "includegraphics[width=1.000\\linewidth]{{" + maps[0][:-4] + "}.pdf}" in tex
    assert "Places named in this chapter" in tex


@pytest.mark.slow
def test_the_overview_s_list_of_neighbours_of_older_data_leaves_the_cache(planted_copy, tmp_path):
    root = planted_copy
    out = tmp_path / "html"
    assert sphinx_build(root / "docs", out, "html", confdir=root).returncode == 0
    before = sorted(p.name for p in (tmp_path / "place-maps").glob("neighbours-*.json"))
    assert len(before) == 1
    places = root / "places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + "# a comment: new bytes, a new key\n", encoding="utf-8")
    result = sphinx_build(root / "docs", out, "html", confdir=root)
    assert result.returncode == 0, result.stderr
    after = sorted(p.name for p in (tmp_path / "place-maps").glob("neighbours-*.json"))
    assert len(after) == 1 and after != before
