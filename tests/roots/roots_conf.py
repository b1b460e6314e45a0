"""The configurations the test roots start from; a root's conf.py takes one and says only what its scenario changes.

A tiny book (most roots): MyST with ":::" blocks, and the book's extensions importable; the root names the
extensions and settings its scenario needs:

    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/roots, for roots_conf
    from roots_conf import tiny_settings  # noqa: E402

    globals().update(tiny_settings("book_timeline", timeline_data="timeline.yaml"))

The book's own conf.py (a root that changes one setting of the real book): globals().update(book_settings()),
then override. Paths that conf.py gives relative to its own folder are made absolute, so the root's folder can be
the confdir.
"""
import sys
from pathlib import Path

BOOK = Path(__file__).resolve().parents[2]


def tiny_settings(*extensions: str, **settings) -> dict:
    """A tiny book with myst_parser and these extensions of ext/ (named without "ext."), and these settings."""
    if str(BOOK) not in sys.path:  # the repository's folder: the one import root (booklib, ext)
        sys.path.insert(0, str(BOOK))
    return {"project": "Tiny", "version": "1", "copyright": "the tests",  # EPUB wants version and copyright
            "extensions": ["myst_parser", *(f"ext.{name}" for name in extensions)],
            "myst_enable_extensions": ["colon_fence"],  # without it ":::" is plain text, with no warning
            **settings}


def evidence_settings(**settings) -> dict:
    """A tiny book whose glossary entries, timeline events and editor's notes must have evidence (the evidence
    roots), with these settings."""
    return tiny_settings("editor_notes", "entity_glossary", "book_timeline", "evidence_links",
                         timeline_data="timeline.yaml", timeline_page="timeline", evidence_required=True,
                         evidence_exceptions="evidence-exceptions.yaml", **settings)


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
