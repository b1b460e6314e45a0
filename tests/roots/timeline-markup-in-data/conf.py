"""A tiny book for the timeline tests: the words of events hold markup, shown as plain text."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import tiny_settings  # noqa: E402

globals().update(tiny_settings("editor_notes", "book_timeline", timeline_data="timeline.yaml", timeline_link_terms=True))
