"""A tiny book for the timeline tests: two events out of order."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
project = "Tiny"
version = "1"
copyright = "the tests"  # EPUB wants both
extensions = ["myst_parser", "ext.book_timeline"]
myst_enable_extensions = ["colon_fence"]
timeline_data = "timeline.yaml"
timeline_link_terms = False
