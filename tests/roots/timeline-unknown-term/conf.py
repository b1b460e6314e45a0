"""A tiny book for the timeline tests: a term the glossary's data (entities/) does not have (linking on)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import tiny_settings  # noqa: E402

globals().update(tiny_settings("entity_glossary", "book_timeline", timeline_data="timeline.yaml",
                               timeline_link_terms=True))
