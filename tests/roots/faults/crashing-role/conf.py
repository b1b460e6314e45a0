"""The book's own configuration plus an extension that crashes on its input, as some real ones do."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/roots, for roots_conf
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the crashing extension
from roots_conf import book_settings  # noqa: E402

globals().update(book_settings())
extensions = extensions + ["crashing_extension"]  # noqa: F821
