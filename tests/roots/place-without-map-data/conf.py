"""A tiny book for the places tests: the real map data, a places list with a planted place that has no data."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "ext"))
extensions = ["myst_parser", "place_maps"]
places_file = "places.yaml"  # relative to this folder
places_geo_dir = str(ROOT / "docs" / "_data" / "geo")
myst_enable_extensions = ["colon_fence"]  # without it ":::" is plain text
