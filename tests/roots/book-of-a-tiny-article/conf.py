"""A tiny book of a tiny article, for the checks in every build (tests/test_lossless.py, tests/test_links.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
from roots_conf import tiny_settings  # noqa: E402

globals().update(tiny_settings("editor_notes", "markup_lint", "lossless_check", "html_link_check",
                               lossless_article="article.txt",
                               # the test writes it when it follows the build's advice
                               lossless_corrections="corrections.toml"))
