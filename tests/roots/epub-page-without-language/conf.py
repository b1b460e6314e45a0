"""The book's own configuration, with one extra page copied into the output as it is: a page without a language."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from roots_conf import book_settings  # noqa: E402

globals().update(book_settings())
html_extra_path = [str(HERE / "extra")]  # stray.xhtml: its <html> has no lang
html_favicon = str(HERE.parents[2] / html_favicon)  # noqa: F821 (relative to the book's conf.py)
