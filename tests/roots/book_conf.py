"""The book's own conf.py, loaded for a test root that needs to change one setting of it.

In a root's conf.py:  from book_conf import book_settings; globals().update(book_settings()); then override.
Paths that conf.py gives relative to its own folder are made absolute, so the root's folder can be the confdir.
"""
from pathlib import Path

BOOK = Path(__file__).resolve().parents[2]


def book_settings() -> dict:
    namespace = {"__file__": str(BOOK / "conf.py")}
    exec(compile((BOOK / "conf.py").read_text(encoding="utf-8"), namespace["__file__"], "exec"), namespace)
    settings = {k: v for k, v in namespace.items() if not k.startswith("__")}
    for key in ("templates_path", "html_static_path", "bibtex_bibfiles"):
        settings[key] = [str(BOOK / p) for p in settings[key]]
    settings["lossless_article"] = ""  # a tiny book is not the article: its words are not checked against it
    settings["html_link_check_anchors"] = ""  # nor does it have the book's public anchors
    settings["html_link_check"] = False  # a planted fault leaves a broken link behind it: a second message
    return settings
