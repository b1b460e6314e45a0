"""Parallel writing in shares of the book by size: a worker writes the largest pages while the main process resolves
the others and writes them itself.

Sphinx (9.0) resolves every page in the main process and forks a worker per chunk of pages to write it, the chunks
in alphabetical order. On two cores (JOBS=auto) that is one worker at a time: the main process resolves 15 pages
and forks, resolves the other 8 and waits for the first worker, forks again, and then waits idle while the second
writes. Here the book is shared out by the size of the pages' saved doctrees, the largest first: two thirds to a
worker (the glossary among them), one third to the main process. The main process resolves the worker's share
first and forks the worker to write it, then resolves and writes its own, so both cores work to the end. A clean
build's writing took 0.90 s instead of 1.18 s (medians of 10 alternated builds). With more cores the book is split
into one share per worker and a half share for the main process, which resolves every page too. A worker per page
instead would cost more than it saves: each fork costs about 25 ms here.
The same files are written as in one process (tests/test_parallel_writing.py compares the two, byte for byte).
"""
from __future__ import annotations

import os

from docutils import nodes
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase
from sphinx.util.display import status_iterator
from sphinx.util.parallel import ParallelTasks

from ext import library_internals

logger = logging.getLogger(__name__)
MAIN_SHARE = 0.5  # the main process's share of the pages to write, in workers' shares: it also resolves them all


def shares(sizes: dict[str, int], workers: int) -> list[list[str]]:
    """The pages split into one list per worker and a last one for the main process, each about its share of the
    total size: the largest pages first, each to the share with the most room left (ties: the earlier share)."""
    weights = [1.0] * workers + [MAIN_SHARE]
    room = [sum(sizes.values()) * weight / sum(weights) for weight in weights]
    out: list[list[str]] = [[] for _ in weights]
    for page in sorted(sizes, key=lambda page: (-sizes[page], page)):
        best = max(range(len(weights)), key=lambda i: (room[i], -i))
        out[best].append(page)
        room[best] -= sizes[page]
    return [sorted(share) for share in out]


def write_in_shares(builder, docnames, nproc: int) -> None:
    """Replaces the builder's parallel writing (same arguments): the workers' shares are resolved first, each
    handed to its worker as soon as it is resolved; the main process's share is written last, by itself."""
    def write_resolved(pages: list[tuple[str, nodes.document]]) -> None:  # in a worker
        for name, doctree in pages:
            write(builder, name, doctree)

    *forked, own = shares({name: doctree_size(builder, name) for name in docnames}, nproc)
    tasks = ParallelTasks(nproc)
    for share in forked:
        if share:
            tasks.add_task(write_resolved, [(name, resolve(builder, name)) for name in share], worker_done)
    try:
        for name in status_iterator(own, "writing output... ", "darkgreen", len(own), builder.config.verbosity):
            write(builder, name, resolve(builder, name))
    except BaseException:
        tasks.terminate()  # the workers too: the build stops
        raise
    tasks.join()


def worker_done(pages: list[tuple[str, nodes.document]], _result) -> None:
    logger.info("writing output... %d more pages, written by a worker", len(pages))


def resolve(builder, docname: str) -> nodes.document:
    """The page's doctree with its references resolved, and what the builder gathers from every page in the main
    process (the HTML builder: the search index, the images), as Sphinx does before writing a page."""
    builder.phase = BuildPhase.RESOLVING
    doctree = builder.env.get_and_resolve_doctree(docname, builder, tags=builder.tags)
    builder.write_doc_serialized(docname, doctree)
    return doctree


def write(builder, docname: str, doctree: nodes.document) -> None:
    builder.phase = BuildPhase.WRITING
    builder.write_doc(docname, doctree)


def doctree_size(builder, docname: str) -> int:
    try:
        return os.path.getsize(os.path.join(builder.doctreedir, f"{docname}.doctree"))
    except OSError:  # never saved (a builder that keeps doctrees elsewhere): an average page
        return 1


def use_shares(app, builder) -> None:
    """write-started: the HTML builder writes in shares (other builders write as Sphinx does)."""
    if builder.name == "html":
        library_internals.set_parallel_writer(builder, write_in_shares)


def setup(app):
    app.connect("write-started", use_shares)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
