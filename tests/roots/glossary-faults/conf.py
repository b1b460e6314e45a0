"""A tiny book with planted faults for the glossary checks (tests/test_glossary.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
extensions = ["myst_parser", "ext.entity_glossary"]
myst_enable_extensions = ["colon_fence"]
