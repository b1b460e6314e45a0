"""A tiny book whose every entry, event and note has evidence that resolves and passes the lint
(tests/test_evidence.py, and the browser test that follows an evidence link and comes back)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import evidence_settings  # noqa: E402

globals().update(evidence_settings(latex_show_pagerefs=True))
