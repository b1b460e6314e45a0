"""A tiny book with one chapter, one editor's note and the list of notes (tests/test_editor_notes.py: the list
page is written again when a note changes, and only then)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import tiny_settings  # noqa: E402

globals().update(tiny_settings("editor_notes"))
