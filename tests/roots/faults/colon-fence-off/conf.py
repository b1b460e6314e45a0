"""The book's own configuration, with MyST's colon_fence extension switched off."""
from pathlib import Path

BOOK = Path(__file__).resolve().parents[4]
_book = {"__file__": str(BOOK / "conf.py")}
exec(compile((BOOK / "conf.py").read_text(encoding="utf-8"), _book["__file__"], "exec"), _book)
globals().update({k: v for k, v in _book.items() if not k.startswith("__")})
templates_path = [str(BOOK / p) for p in templates_path]  # paths in conf.py are relative to its folder
html_static_path = [str(BOOK / p) for p in html_static_path]
bibtex_bibfiles = [str(BOOK / p) for p in bibtex_bibfiles]
myst_enable_extensions = [e for e in myst_enable_extensions if e != "colon_fence"]
