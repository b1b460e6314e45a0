"""A tiny book of a tiny article, for the checks in every build (tests/test_lossless.py, tests/test_links.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
project = "Tiny"
extensions = ["myst_parser", "ext.editor_notes", "ext.markup_lint", "ext.lossless_check", "ext.html_link_check"]
myst_enable_extensions = ["colon_fence"]
lossless_article = "article.txt"
lossless_corrections = "corrections.toml"  # the test writes it when it follows the build's advice
