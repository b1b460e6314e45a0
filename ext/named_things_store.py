"""Keep the book's data files, parsed and checked, next to the doctrees between builds.

The glossary's entities, the places and the timeline (booklib/named_things.py) are read and checked at the start
of every build: about a tenth of a second. This extension asks for them first, with the build's doctrees folder as
the store, so that a build whose data files and booklib's code are unchanged reads the result kept there instead;
the extensions that use them then get the same result from booklib's per-process cache. A changed file (its
content) is parsed and checked again, with the same messages; a clean build (doctrees removed) starts without a
store.
"""
from __future__ import annotations

from pathlib import Path

from booklib import named_things


def load_or_remember(app) -> None:
    named_things.of_config(app.confdir, app.srcdir, app.config, store=Path(app.doctreedir))


def setup(app):
    app.connect("builder-inited", load_or_remember, priority=100)  # before every extension that reads the data
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
