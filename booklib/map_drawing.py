"""Draw the book's maps with matplotlib: SVG (labels kept as text) or PDF (labels in the book's sans-serif, Noto Sans,
embedded as subset TrueType fonts: print shops' preflight refuses the Type 3 fonts matplotlib writes by default).

Not a Sphinx extension: place_maps.py calls draw(); a map is a MapSpec, and the file name holds a hash of the
spec, the data and this file, so an unchanged map is never drawn twice (the caller checks if the file exists).
matplotlib is imported only when a map is really drawn.
"""
from __future__ import annotations

import functools
import hashlib
import re
import json
import logging
import math
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from booklib.places_data import Gazetteer
from booklib.slugs import slug as _slug  # the ids of places in the SVG

FRAME = (58.6, 75.6, 28.6, 39.4)  # lon min, lon max, lat min, lat max: Afghanistan with room for labels
PAPER = "#fbfaf7"
INK = "#222222"
HIGHLIGHT = "#b3261e"
HELD = "#4f7cac"
LEGEND = {  # SVG collapses runs of spaces: separate items with " · "
    "overview": "■ Kabul, the capital · ● city or town · ▲ airbase\n"
                "○ italic: province (Panjshir: the valley's province)\n"
                "CAPITALS: country · grey lines: today's provinces",
    "locator": "Red: named in this chapter\n● city or town · ▲ airbase · ○ italic: province\n"
               "Grey: named elsewhere in the book",
    "statement": "Dark blue: provinces the United Front controlled\n"
                 "Hatched: provinces of which it held \u201cparts\u201d\n(the article does not say which parts)",
}
CREDIT = ("Boundaries and places: Natural Earth (public domain). Province names checked against geoBoundaries "
          "(CC BY 4.0, www.geoboundaries.org). Bagram location: OurAirports (public domain).")


@dataclass
class MapSpec:
    slug: str  # file name stem
    kind: str  # "overview", "locator" or "statement"
    highlight: list[str] = field(default_factory=list)  # place names (locator)
    whole: list[str] = field(default_factory=list)  # statement: provinces held, as the article spells them
    parts: list[str] = field(default_factory=list)  # statement: provinces held in part, as the article spells them

    def key(self, gazetteer: Gazetteer, fmt: str) -> str:
        digest = hashlib.sha256()
        # the font files' names too: a map drawn without Noto is never taken for one drawn with it
        digest.update(json.dumps([asdict(self), fmt, [p.name for p in font_files()]], sort_keys=True).encode())
        for path in (Path(__file__), gazetteer.path, *sorted(gazetteer.geo_dir.glob("*.*"))):
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def filename(spec: MapSpec, gazetteer: Gazetteer, fmt: str) -> str:
    return f"{spec.slug}-{spec.key(gazetteer, fmt)}.{fmt}"


FONT = "Noto Sans"  # the PDF's sans-serif (conf.py: \babelfont{sf}); Debian's fonts-noto-core (make tex)
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
SYMBOLS, SYMBOLS_FILE = "Noto Sans Symbols2", "NotoSansSymbols2-Regular.ttf"  # the legend's ■ ● ▲ ○ (not in Noto Sans)
FALLBACK = "DejaVu Sans"  # matplotlib's own, for SVG maps on a machine without Noto (their text stays text)


@functools.lru_cache(maxsize=1)
def font_files() -> tuple[Path, ...]:
    """Noto Sans's regular, bold and italic TrueType files (and its symbols), given to matplotlib by path: its font cache may predate
    the fonts' installation, and would then fall back to DejaVu Sans in silence."""
    wanted = [f"NotoSans-{style}.ttf" for style in ("Regular", "Bold", "Italic", "BoldItalic")] + [SYMBOLS_FILE]
    found = {p.name: p for d in FONT_DIRS if d.is_dir() for p in d.rglob("NotoSans*.ttf")}
    return tuple(found[name] for name in wanted if name in found) if wanted[0] in found else ()




def ensure(spec: MapSpec, gazetteer: Gazetteer, cache: Path, fmt: str) -> tuple[Path, bool]:
    """The map's file in `cache`, drawn only if it is not there yet; returns (path, drawn)."""
    path = Path(cache) / filename(spec, gazetteer, fmt)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    draw(spec, gazetteer, tmp, fmt)
    os.replace(tmp, path)  # atomic: parallel builds never see half a file
    return path, True


# -- geometry helpers (numpy only) -------------------------------------------------------------------------
def _rings(geometry) -> list[list[list[float]]]:
    """Outer and inner rings of a Polygon or MultiPolygon."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def _interior_point(geometry, frame, avoid=()):
    """A point inside the geometry and well inside the frame, away from its edges: for a country's label."""
    import numpy as np
    from matplotlib.path import Path as MplPath
    paths = [MplPath(np.asarray(r)) for r in _rings(geometry)]
    x0, x1, y0, y1 = frame
    xs, ys = np.meshgrid(np.linspace(x0 + 0.6, x1 - 0.6, 45), np.linspace(y0 + 0.4, y1 - 0.4, 32))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    inside = np.zeros(len(grid), dtype=int)
    for p in paths:
        inside ^= p.contains_points(grid).astype(int)  # even-odd: holes stay out
    grid = grid[inside == 1]
    if not len(grid):
        return None
    edge = np.vstack([np.asarray(r) for r in _rings(geometry)])
    near = ((edge[:, 0] > x0 - 2) & (edge[:, 0] < x1 + 2) & (edge[:, 1] > y0 - 2) & (edge[:, 1] < y1 + 2))
    edge = edge[near] if near.any() else edge
    # distance to the outline (vertices are dense enough for a label anchor) and to the frame
    d = np.min(np.hypot(grid[:, None, 0] - edge[None, ::4, 0], grid[:, None, 1] - edge[None, ::4, 1]), axis=1)
    d = np.minimum(d, np.minimum.reduce([grid[:, 0] - x0, x1 - grid[:, 0], grid[:, 1] - y0, y1 - grid[:, 1]]))
    for ax, ay in avoid:
        d = np.minimum(d, np.hypot(grid[:, 0] - ax, grid[:, 1] - ay))
    best = grid[int(np.argmax(d))]
    return float(best[0]), float(best[1])


def _clip_to(points, frame, margin=1.0):
    """Clamp a ring to the frame grown by `margin` and drop the clamped points that lie along one edge.

    The axes clip what is drawn anyway; this only keeps the files small (India, China and Kazakhstan are whole
    outlines in the data). A point is kept if it is inside, or if the sides it was clamped to differ from its
    neighbour's, so corners survive and no line cuts across the map.
    """
    x0, x1, y0, y1 = frame[0] - margin, frame[1] + margin, frame[2] - margin, frame[3] + margin
    codes = [(x < x0) | (x > x1) << 1 | (y < y0) << 2 | (y > y1) << 3 for x, y in points]
    clamped = [[min(max(x, x0), x1), min(max(y, y0), y1)] for x, y in points]
    kept = [pt for i, pt in enumerate(clamped)
            if codes[i] == 0 or codes[i] != codes[i - 1] or codes[i] != codes[(i + 1) % len(codes)]]
    return kept if len(kept) >= 3 else [[x0, y0], [x0, y0], [x0, y0]]


# -- drawing ------------------------------------------------------------------------------------------------
def _settings(spec: MapSpec, fmt: str) -> dict:
    """matplotlib's settings for one map: the book's fonts, registered with matplotlib, and text kept as text."""
    from matplotlib import font_manager
    files = font_files()
    if not files and fmt == "pdf":
        raise RuntimeError(f"the PDF's maps need the {FONT} font (Debian: fonts-noto-core; make tex installs it)")
    for path in files:
        font_manager.fontManager.addfont(str(path))
    # the symbols font has one weight: matplotlib would log "Failed to find font weight bold" for each bold label
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    # pdf.fonttype 42: TrueType, subset; 3 (matplotlib's default) is what print preflight checks refuse
    return {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": spec.slug,
            "font.family": [FONT, SYMBOLS] if files else [FALLBACK], "font.size": 8}


def _save(fig, out: Path, fmt: str) -> None:
    """Write the figure without a date in it (the same map, the same bytes); SVG for the web and EPUB, PDF for print."""
    if fmt == "svg":
        fig.savefig(out, format="svg", facecolor=PAPER, metadata={"Date": None})
        svg = out.read_text(encoding="utf-8")
        # path coordinates to 0.1 pt (a third smaller file), and other sans-serif faces for readers without Noto
        svg = re.sub(r'\bd="[^"]*"', lambda m: re.sub(r"(\d\.\d)\d+", r"\1", m[0]), svg)
        svg = re.sub(r"<!DOCTYPE svg[^>]*>\s*", "", svg)  # EPUB 3 forbids the external DTD (epubcheck HTM-003)
        out.write_text(re.sub(r"font-family: '(Noto|DejaVu) Sans'", "font-family: 'Noto Sans', 'DejaVu Sans', "
                              "'Liberation Sans', Arial, sans-serif", svg), encoding="utf-8")
    else:
        fig.savefig(out, format="pdf", facecolor=PAPER, metadata={"CreationDate": None, "ModDate": None})


def draw(spec: MapSpec, gazetteer: Gazetteer, out: Path, fmt: str) -> None:
    """Draw one map of any kind (spec.kind: "overview", "locator" or "statement") into out, as SVG or PDF."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PatchCollection
    from matplotlib.path import Path as MplPath
    from matplotlib.patches import Polygon as Patch

    with matplotlib.rc_context(_settings(spec, fmt)):
        fig = Figure(figsize=(8.2, 6.4), facecolor=PAPER)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
        x0, x1, y0, y1 = FRAME
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        mid_lat = (y0 + y1) / 2
        ax.set_aspect(1 / math.cos(math.radians(mid_lat)))  # equirectangular, true to scale at mid_lat
        ax.set_axis_off()
        ax.set_facecolor("#e9eef2")
        places = gazetteer.by_name()
        highlight = set(spec.highlight)

        # countries: neighbours pale, Afghanistan white; named countries labelled, highlighted if asked
        country_labels = []
        layers: dict[str, list] = {}

        def add(layer, ring, **style):
            layers.setdefault(layer, []).append((Patch(ring, closed=True), style))

        for feature in gazetteer.countries["features"]:
            props = feature["properties"]
            self_ = props["role"] == "self"
            place = places.get(props["name"])
            lit = place is not None and place.name in highlight
            for ring in _rings(feature["geometry"]):
                add("countries", _clip_to(ring, FRAME), fc="#ffffff" if self_ else ("#f3d9d6" if lit else "#efece4"),
                    ec="#8a8a8a", lw=0.6)
            if not self_:
                country_labels.append((props["name"], feature["geometry"], place, lit))

        # provinces: thin borders; shaded if the map asks
        polygon = {s: gazetteer.lookup(s).province for s in spec.whole + spec.parts}  # checked by the caller
        whole, parts = {polygon[s] for s in spec.whole}, {polygon[s] for s in spec.parts}
        lit_provinces = {places[n].province for n in highlight if n in places and places[n].kind == "province"}
        for feature in gazetteer.provinces["features"]:
            name = feature["properties"]["name"]
            layer, style = "provinces", dict(fc="none", ec="#b5b5b5", lw=0.4)
            if name in whole:
                layer, style = "provinces-held", dict(fc=HELD, ec="#ffffff", lw=0.6)
            elif name in parts:
                layer, style = "provinces-held-in-part", dict(fc="#d8e3ef", ec=HELD, lw=0.6, hatch="////")
            elif name in lit_provinces:
                layer, style = "provinces-named", dict(fc="#f3d9d6", ec="#b5b5b5", lw=0.4)
            for ring in _rings(feature["geometry"]):
                add(layer, ring, **style)
        afghanistan = next(f for f in gazetteer.countries["features"] if f["properties"]["role"] == "self")
        for ring in _rings(afghanistan["geometry"]):
            add("afghanistan-border", ring, fc="none", ec="#555555", lw=1.1)
        for z, (layer, patches) in enumerate(layers.items(), start=1):
            collection = PatchCollection([p for p, _ in patches], zorder=z, match_original=False,
                                         facecolors=[s["fc"] for _, s in patches],
                                         edgecolors=[s["ec"] for _, s in patches],
                                         linewidths=[s["lw"] for _, s in patches],
                                         hatch=patches[0][1].get("hatch"))
            collection.set_gid(layer)
            ax.add_collection(collection, autolim=False)

        labeller = _Labeller(fig, ax)
        legend = ax.text(0.012, 0.985, LEGEND[spec.kind], transform=ax.transAxes, ha="left", va="top",
                         fontsize=7, color=INK, zorder=9, linespacing=1.5,
                         bbox=dict(boxstyle="round,pad=0.4", fc=PAPER, ec="#bbbbbb", lw=0.5))
        legend.set_gid("legend")
        labeller.boxes.append(legend.get_window_extent(labeller.renderer).expanded(1.1, 1.1))
        labeller.owners.append(None)
        # countries first as obstacles-free big labels, then points, then province names
        named_points = [p for p in gazetteer.places if p.lonlat and in_frame(p.lonlat)]
        if spec.kind == "statement":  # the article's names, at the data's label points of the provinces
            label_at = {f["properties"]["name"]: (f["properties"]["label_lon"], f["properties"]["label_lat"])
                        for f in gazetteer.provinces["features"]}
            named_points = [replace(gazetteer.lookup(s), name=s, kind="province", lonlat=label_at[polygon[s]])
                            for s in spec.whole + spec.parts]
        for place in named_points:
            if spec.kind != "statement":
                labeller.block_point(*place.lonlat, owner=place.name)
        for name, geometry, place, lit in country_labels:
            anchor = _interior_point(geometry, FRAME, avoid=[p.lonlat for p in named_points])
            if anchor is None:
                continue
            gid = f"place-{_slug(name)}" if place and (lit or spec.kind == "overview") else None
            labeller.place(name.upper(), anchor, gid=gid, centred=True,
                           style=dict(color=HIGHLIGHT if lit else ("#555555" if place else "#8a8a8a"),
                                      fontsize=8.5 if place else 7.5, fontweight="bold" if lit else "normal"))

        afghanistan_place = places.get("Afghanistan")
        if afghanistan_place and spec.kind == "overview":
            anchor = _interior_point(afghanistan["geometry"], FRAME, avoid=[p.lonlat for p in named_points])
            labeller.place("AFGHANISTAN", anchor, gid="place-afghanistan", centred=True,
                           style=dict(color="#9a9a9a", fontsize=10, fontweight="bold"))

        province_area = {}  # each province's largest ring, in display coordinates, to keep its label inside
        for feature in gazetteer.provinces["features"]:
            ring = max(_rings(feature["geometry"]), key=len)
            province_area[feature["properties"]["name"]] = MplPath(ax.transData.transform(ring))

        # highlighted first, then cities, then the rest
        order = sorted(named_points, key=lambda p: (p.name not in highlight, p.kind != "city", p.name))
        for place in order:
            lit = place.name in highlight
            dim = spec.kind == "locator" and not lit
            gid = f"place-{_slug(place.name)}" if lit or spec.kind != "locator" else None
            if place.kind == "province" or place.kind == "valley":
                style = dict(fontstyle="italic", color=HIGHLIGHT if lit else ("#9a9a9a" if dim else "#3d5a80"),
                             fontsize=7.5 if not dim else 7)
                if spec.kind == "statement":  # shaded provinces: the name sits in the province, no symbol
                    style["color"] = INK
                    style["fontweight"] = "bold"
                    labeller.place(place.name, place.lonlat, gid=gid, centred=True, style=style, halo=True,
                                   area=province_area.get(place.province))
                    continue
                # a small open circle at the data's label point, the name beside it (provinces are small here)
                ax.plot(*place.lonlat, marker="o", ms=4.5 if lit else 3.5, zorder=6, mfc="white", mew=0.9,
                        mec=style["color"], gid=f"marker-{_slug(place.name)}")
                labeller.place(place.name, place.lonlat, gid=gid, style=style, halo=True)
                continue
            marker = "^" if place.kind == "airbase" else ("s" if place.name == "Kabul" else "o")
            ax.plot(*place.lonlat, marker=marker, ms=5.5 if lit else 4, zorder=6,
                    mfc=HIGHLIGHT if lit else ("#bbbbbb" if dim else INK), mec="white", mew=0.6,
                    gid=f"marker-{_slug(place.name)}")
            labeller.place(place.name, place.lonlat, gid=gid, halo=True,
                           style=dict(color=HIGHLIGHT if lit else ("#8a8a8a" if dim else INK),
                                      fontsize=8.5 if lit else (7 if dim else 8),
                                      fontweight="bold" if lit or place.name == "Kabul" else "normal"))

        outside = [p for p in gazetteer.places if p.lonlat and not in_frame(p.lonlat)
                   and (spec.kind == "overview" or p.name in highlight)]
        notes = [f"Outside this map: {p.name} ({_deg(p.lonlat[1], 'N', 'S')}, {_deg(p.lonlat[0], 'E', 'W')})"
                 for p in outside]
        for n, note in enumerate(notes):
            t = ax.text(0.985, 0.02 + 0.035 * n, note, transform=ax.transAxes, ha="right", va="bottom",
                        fontsize=7.5, color=HIGHLIGHT if spec.kind == "locator" else INK, zorder=9,
                        bbox=dict(boxstyle="round,pad=0.25", fc=PAPER, ec="#bbbbbb", lw=0.5))
            t.set_gid(f"place-{_slug(outside[n].name)}")

        _scale_and_north(ax, mid_lat)
        _save(fig, out, fmt)


def neighbours_file(gazetteer: Gazetteer, cache: Path) -> Path:
    """Where labelled_neighbours keeps its list in the map cache: named by the same kind of key as the maps."""
    return Path(cache) / f"neighbours-{MapSpec('neighbours', 'overview').key(gazetteer, 'json')}.json"


def labelled_neighbours(gazetteer: Gazetteer, cache: Path | None = None) -> list[str]:
    """The neighbouring countries whose name the maps print (those with room for it inside the frame), for the
    maps' text alternatives. Kept in `cache` beside the maps, so that a build whose maps are all drawn already
    need not import matplotlib (a third of a second) to name them."""
    kept = neighbours_file(gazetteer, cache) if cache else None
    if kept is not None and kept.exists():
        return json.loads(kept.read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in gazetteer.countries["features"]
             if f["properties"]["role"] != "self" and _interior_point(f["geometry"], FRAME) is not None]
    if kept is not None:
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_name(f".{kept.name}.{os.getpid()}")
        tmp.write_text(json.dumps(names), encoding="utf-8")
        os.replace(tmp, kept)  # atomic, as the maps
    return names


def in_frame(lonlat) -> bool:
    return FRAME[0] < lonlat[0] < FRAME[1] and FRAME[2] < lonlat[1] < FRAME[3]


def _deg(value: float, pos: str, neg: str) -> str:
    return f"{abs(value):.2f}° {pos if value >= 0 else neg}"


def _scale_and_north(ax, mid_lat: float) -> None:
    """A 200 km scale bar (true at the map's middle latitude) and a north arrow, lower left."""
    from matplotlib.patches import FancyArrow
    km_per_degree = 111.32 * math.cos(math.radians(mid_lat))  # one degree of longitude at mid_lat
    x0, _, y0, _ = FRAME
    bx, by = x0 + 0.5, y0 + 0.45
    length = 200 / km_per_degree
    ax.plot([bx, bx + length], [by, by], color=INK, lw=2.2, solid_capstyle="butt", zorder=9)
    ax.plot([bx, bx + length / 2], [by, by], color="white", lw=1.0, solid_capstyle="butt", zorder=9)
    ax.text(bx + length / 2, by + 0.12, f"200 km (at {mid_lat:.0f}° N)", ha="center", va="bottom",
            fontsize=7, color=INK, zorder=9)
    ax.add_patch(FancyArrow(bx + 0.25, by + 0.55, 0, 0.6, width=0.06, head_width=0.3, head_length=0.25,
                            color=INK, zorder=9))
    ax.text(bx + 0.25, by + 1.45, "N", ha="center", va="bottom", fontsize=9, fontweight="bold", color=INK,
            zorder=9)


class _Labeller:
    """Greedy label placement: each label takes the first spot around its anchor that overlaps nothing."""

    OFFSETS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]

    def __init__(self, fig, ax):
        self.fig, self.ax = fig, ax
        self.renderer = fig.canvas.get_renderer()
        self.boxes = []
        self.owners = []  # the label each box belongs to (a marker's own label may come close to it)
        self.axes_box = ax.get_window_extent(self.renderer)

    def block_point(self, lon, lat, owner, size=9.0):
        """Keep other labels this far from a marker, so that no label sits closer to a dot not its own."""
        from matplotlib.transforms import Bbox
        x, y = self.ax.transData.transform((lon, lat))
        self.boxes.append(Bbox([[x - size, y - size], [x + size, y + size]]))
        self.owners.append(owner)

    def _overlap(self, box, owner=None) -> float:
        """How much of the box lies on other labels and markers or outside the map (0: a free spot)."""
        inside = (box.x0 >= self.axes_box.x0 + 2 and box.x1 <= self.axes_box.x1 - 2
                  and box.y0 >= self.axes_box.y0 + 2 and box.y1 <= self.axes_box.y1 - 2)
        area = 0.0 if inside else 1e9
        for other, other_owner in zip(self.boxes, self.owners):
            if owner is not None and other_owner == owner:
                continue
            w = min(box.x1, other.x1) - max(box.x0, other.x0)
            h = min(box.y1, other.y1) - max(box.y0, other.y0)
            if w > 0 and h > 0:
                area += w * h
        return area

    def place(self, text, lonlat, gid=None, style=None, centred=False, halo=False, area=None):
        """Put a label near its anchor; a province's label stays inside the province (`area`) where it can."""
        style = dict(style or {})
        if halo:
            style["bbox"] = dict(boxstyle="round,pad=0.12", fc=(1, 1, 1, 0.72), ec="none")
        distances = [0, 7, 14, 22, 32, 44] if centred else [5, 10, 18, 28, 40, 54]
        x, y = self.ax.transData.transform(lonlat)
        artist = self.ax.text(*lonlat, text, zorder=8, **style)
        free, fallback, least = None, None, None
        for distance in distances:
            for dx, dy in (self.OFFSETS if distance else [(0, 0)]):
                spot = (x + dx * distance, y + dy * distance * 0.8,
                        "center" if dx == 0 else ("left" if dx > 0 else "right"),
                        "center" if dy == 0 else ("bottom" if dy > 0 else "top"))
                box = self._try(artist, spot)
                overlap = self._overlap(box, owner=text)
                if overlap == 0:
                    # free; best if its leader crosses no other marker and it stays in its province
                    crossings = self._leader_crossings(x, y, box, owner=text) if distance >= 14 else 0
                    centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
                    if crossings == 0 and (area is None or area.contains_point(centre)):
                        free = (spot, box, distance)
                        break
                    if fallback is None or crossings < fallback[0]:
                        fallback = (crossings, spot, box, distance)
                elif least is None or overlap < least[0]:
                    least = (overlap, spot, box, distance)
            else:
                continue
            break
        if free is None and fallback is not None:
            free = fallback[1:]
        if free is None:  # nowhere free: the spot that overlaps least, marked (a test fails on it)
            free = least[1:]
            artist.set_gid((gid or "label") + "-collides")
        elif gid:
            artist.set_gid(gid)
        spot, box, distance = free
        self._try(artist, spot)
        if distance >= 14:  # far from its point: a thin leader line to it
            end = self.ax.transData.inverted().transform(
                (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)))
            self.ax.plot([lonlat[0], end[0]], [lonlat[1], end[1]], color="#777777", lw=0.5, zorder=7)
            if centred:
                self.ax.plot(*lonlat, marker="o", ms=1.8, color="#777777", zorder=7)
        self.boxes.append(box)
        self.owners.append(None)
        return artist

    def _leader_crossings(self, x, y, box, owner) -> float:
        """A leader line that would run through another place's marker counts as an overlap."""
        ex, ey = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
        crossings = 0.0
        for other, other_owner in zip(self.boxes, self.owners):
            if other_owner is None or other_owner == owner:
                continue
            if any(other.contains(x + (ex - x) * t / 12, y + (ey - y) * t / 12) for t in range(1, 12)):
                crossings += 100.0
        return crossings

    def _try(self, artist, spot):
        px, py, ha, va = spot
        artist.set_position(self.ax.transData.inverted().transform((px, py)))
        artist.set_ha(ha)
        artist.set_va(va)
        return artist.get_window_extent(self.renderer).expanded(1.06, 1.15)
