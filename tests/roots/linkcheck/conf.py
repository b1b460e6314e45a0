"""The book's own configuration, with the waits of the link check shortened so that the test takes seconds."""
from pathlib import Path

BOOK = Path(__file__).resolve().parents[3]
_book = {"__file__": str(BOOK / "conf.py")}
exec(compile((BOOK / "conf.py").read_text(encoding="utf-8"), _book["__file__"], "exec"), _book)
globals().update({k: v for k, v in _book.items() if not k.startswith("__")})
templates_path = [str(BOOK / p) for p in templates_path]  # paths in conf.py are relative to its folder
html_static_path = [str(BOOK / p) for p in html_static_path]
bibtex_bibfiles = [str(BOOK / p) for p in bibtex_bibfiles]
linkcheck_timeout = 1  # the server's slow page takes 3 s
linkcheck_rate_limit_timeout = 1.0  # a 429 without Retry-After gives up at once (the first back-off is 60 s)
