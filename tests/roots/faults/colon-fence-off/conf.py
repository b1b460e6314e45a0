"""The book's own configuration, with MyST's colon_fence extension switched off."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from roots_conf import book_settings  # noqa: E402

globals().update(book_settings())
myst_enable_extensions = [e for e in myst_enable_extensions if e != "colon_fence"]  # noqa: F821
