"""A tiny book whose every entry, event and note has evidence that resolves and passes the lint
(tests/test_evidence.py, and the browser test that follows an evidence link and comes back)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
project = "Tiny"
version = "1"
copyright = "the tests"  # EPUB wants both
extensions = ["myst_parser", "ext.editor_notes", "ext.entity_glossary", "ext.book_timeline", "ext.evidence_links"]
myst_enable_extensions = ["colon_fence"]
timeline_data = "timeline.yaml"
timeline_page = "timeline"
evidence_required = True
evidence_exceptions = "evidence-exceptions.yaml"
latex_show_pagerefs = True
