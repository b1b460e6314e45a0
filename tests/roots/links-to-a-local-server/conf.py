"""The book's own configuration, with the waits of the link check shortened so that the test takes seconds."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from roots_conf import book_settings  # noqa: E402

globals().update(book_settings())
linkcheck_timeout = 1  # the server's slow page takes 3 s
linkcheck_rate_limit_timeout = 1.0  # a 429 without Retry-After gives up at once (the first back-off is 60 s)
