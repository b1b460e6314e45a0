"""A tiny book with planted evidence faults, one per entry or note (tests/test_evidence.py asserts each message)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import evidence_settings  # noqa: E402

globals().update(evidence_settings())
