"""A tiny book with planted faults for the glossary checks (tests/test_glossary.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import tiny_settings  # noqa: E402

globals().update(tiny_settings("entity_glossary"))
