"""A tiny book for the places tests: the real map data, a places list with a planted place that has no data."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import BOOK, tiny_settings  # noqa: E402

globals().update(tiny_settings("place_maps", places_file="places.yaml",  # relative to this folder
                               places_geo_dir=str(BOOK / "docs" / "_data" / "geo")))
