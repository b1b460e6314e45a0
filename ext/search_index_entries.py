"""A rebuild keeps the search index's entries of the pages it does not write again.

Sphinx 9 gathers a page's index entries (each glossary term is one: the search page lists them first) while it
writes the page, after it has saved the environment, and reads only titles and words back from the last build's
searchindex.js. So after a one-chapter edit the rebuilt index held the chapter's entries and lost every other
page's: a search for a term no longer offered its glossary entry. This reads the last build's entries back, for
the pages kept, in the order a clean build writes them, so a rebuild's searchindex.js is the clean build's.
"""
from __future__ import annotations

from ext import library_internals


def restore(indexer, frozen: dict, keep: set[str]) -> None:
    """Put back the entries of the kept pages from the frozen index (entry -> [(page number, anchor, main)])."""
    pages = frozen["docnames"]
    restored: dict[str, list[tuple[str, str, str]]] = {}
    # a clean build adds each page's entries in page order; within an entry, in the order the page had them
    for entry, places in frozen.get("indexentries", {}).items():
        for page, anchor, main in places:
            if pages[page] in keep:
                restored.setdefault(pages[page], []).append((entry, anchor, "main" if main else ""))
    entries = library_internals.search_index_entries(indexer)
    for page, kept in restored.items():
        entries.setdefault(page, kept)


def in_page_order(app):
    """html-collect-pages, after the last page is written and before the index is saved: the pages' entries in
    the order of their names, as a clean build writes them (pages written again were added after those kept)."""
    indexer = getattr(app.builder, "indexer", None)
    if indexer is not None:
        entries = library_internals.search_index_entries(indexer)
        ordered = sorted(entries.items())
        entries.clear()
        entries.update(ordered)
    return []


def setup(app):
    library_internals.on_search_index_load(restore)
    app.connect("html-collect-pages", in_page_order)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
