"""A tiny book with one chapter, one editor's note and the list of notes (tests/test_editor_notes.py: the list
page is written again when a note changes, and only then)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
project = "Tiny"
extensions = ["myst_parser", "ext.editor_notes"]
myst_enable_extensions = ["colon_fence"]
