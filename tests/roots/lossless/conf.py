"""A tiny book of a tiny article, for the check of the article's words (tests/test_lossless.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "ext"))
project = "Tiny"
extensions = ["myst_parser", "editor_notes", "markup_lint", "lossless_check"]
myst_enable_extensions = ["colon_fence"]
lossless_article = "article.txt"
lossless_corrections = "corrections.toml"  # the test writes it when it follows the build's advice
