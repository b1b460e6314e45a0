"""A tiny book for the timeline tests: the key check (an unknown key, a missing key, a wrong type, an id used twice)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "ext"))
project = "Tiny"
version = "1"
copyright = "the tests"  # EPUB wants both
extensions = ["myst_parser", "book_timeline"]
myst_enable_extensions = ["colon_fence"]
timeline_data = "timeline.yaml"
timeline_link_terms = False
