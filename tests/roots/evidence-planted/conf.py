"""A tiny book with planted evidence faults, one per entry or note (tests/test_evidence.py asserts each message)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
project = "Tiny"
extensions = ["myst_parser", "ext.editor_notes", "ext.entity_glossary", "ext.book_timeline", "ext.evidence_links"]
myst_enable_extensions = ["colon_fence"]
timeline_data = "timeline.yaml"
timeline_page = "timeline"
evidence_required = True
evidence_exceptions = "evidence-exceptions.yaml"
