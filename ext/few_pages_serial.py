"""A build that reads only a few pages runs in one process, even with -j (JOBS=auto, the Makefile's default).

Sphinx forks worker processes for reading and writing whenever -j allows it, however few pages there are. For a
clean build of this book that pays (on 2 cores: 4.0 s against 5.2 s), but a one-chapter rebuild forks to read one
page and write three, and takes longer than in one process (2.3 s against 1.6 s). Sphinx decides both right after
the event below, from ``app.parallel``: for a few pages it is set to 1 for the rest of this build. The output is
the same either way.
"""
from __future__ import annotations

FEW = 5  # pages read: Sphinx itself once read serially up to this many


def serial_for_few_pages(app, env, docnames) -> None:
    if app.parallel > 1 and len(docnames) <= FEW:
        app.parallel = 1


def setup(app):
    app.connect("env-before-read-docs", serial_for_few_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
