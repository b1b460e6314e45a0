"""What the extensions take from inside the libraries they build on: one small function each, and why.

Where a library offers no public way to do what the book needs, the private name is used here and only here, so
that an upgrade that renames or removes it breaks one function; tests/test_library_internals.py calls each of them
against the installed versions and fails loudly, naming the function, before any build does.
"""
from __future__ import annotations

from collections.abc import Callable


def pybtex_plugin_lookup() -> Callable:
    """pybtex's function that finds a plugin by scanning the installed packages' entry points. Private
    (``pybtex.plugin._load_entry_point``): pybtex offers no hook to cache its lookups, and the scan on every
    citation was about 40% of a citation-heavy build (ext/pybtex_cache.py)."""
    import pybtex.plugin
    return pybtex.plugin._load_entry_point


def set_pybtex_plugin_lookup(lookup: Callable) -> None:
    """Put a caching wrapper in place of pybtex's lookup (see pybtex_plugin_lookup)."""
    import pybtex.plugin
    pybtex.plugin._load_entry_point = lookup


def set_plugin_entry_points(entry_points: Callable) -> Callable:
    """Give pybtex and sphinxcontrib-bibtex another ``importlib.metadata.entry_points`` to find their plugins with;
    returns the one pybtex used. Private: both call the name they import into their plugin modules
    (``pybtex.plugin.entry_points``, ``sphinxcontrib.bibtex.plugin.entry_points``), which scans every installed
    package's metadata, about 7 ms, ten times a build (ext/pybtex_cache.py shares one scan). pybtex first:
    importing sphinxcontrib-bibtex looks plugins up."""
    import pybtex.plugin
    previous = pybtex.plugin.entry_points
    pybtex.plugin.entry_points = entry_points
    import sphinxcontrib.bibtex.plugin
    sphinxcontrib.bibtex.plugin.entry_points = entry_points
    return previous


def docutils_registries() -> tuple[dict, dict]:
    """docutils' tables of every registered directive and role (name -> class or function). Private
    (``directives._directives``, ``roles._roles``): docutils registers but never lists or replaces them, and
    ext/crash_guard.py must wrap every one so that a crash names the file and line."""
    from docutils.parsers.rst import directives, roles
    return directives._directives, roles._roles


def event_handlers(app, event: str) -> list[tuple[int, Callable]]:
    """(listener id, handler) of every function connected to a Sphinx event. Sphinx keeps them in
    ``app.events.listeners``, undocumented: ``app.disconnect`` needs the id, and only the id that
    ``app.connect`` returned to the extension that connected it is public. ext/book_timeline.py disconnects
    sphinx-timeline's asset hooks, which it connects in its own setup."""
    return [(listener.id, listener.handler) for listener in app.events.listeners.get(event, [])]


def term_targets(env) -> dict[str, tuple[str, str]]:
    """Every glossary term of the book, lower-cased, with the document and anchor of its entry. From the standard
    domain's public ``objects`` (what its private ``_terms``, "internal use only", holds too)."""
    return {name.lower(): (docname, anchor)
            for (kind, name), (docname, anchor) in env.domains.standard_domain.objects.items() if kind == "term"}


def search_index_entries(indexer) -> dict[str, list[tuple[str, str, str]]]:
    """The index entries (page -> [(entry, anchor, 'main' or '')]) Sphinx's search index holds. Private
    (``IndexBuilder._index_entries``): Sphinx 9 gathers them while writing pages, after the environment is saved,
    and does not read them back from the last build's searchindex.js, so a rebuild lost every entry of the pages
    it did not write again (ext/search_index_entries.py reads them back)."""
    return indexer._index_entries


def on_search_index_load(restore: Callable) -> None:
    """Call ``restore(indexer, frozen, keep)`` when Sphinx has read the last build's search index (``frozen``, the
    parsed searchindex.js) and pruned it to the pages kept (``keep``). Wraps ``IndexBuilder.load`` and ``prune``,
    public methods whose data (above) is private; ``load_indexer`` calls them in this order, once per build."""
    from sphinx.search import IndexBuilder
    if getattr(IndexBuilder.load, "book_restore", None) is restore:
        return
    load, prune = getattr(IndexBuilder.load, "__wrapped__", IndexBuilder.load), \
        getattr(IndexBuilder.prune, "__wrapped__", IndexBuilder.prune)

    def load_then_remember(self, stream, format):
        text = stream.read()
        import io
        load(self, io.StringIO(text) if isinstance(text, str) else io.BytesIO(text), format)
        formats = self.formats[format] if isinstance(format, str) else format
        self.book_frozen = formats.loads(text)

    def prune_then_restore(self, docnames):
        prune(self, docnames)
        frozen = self.__dict__.pop("book_frozen", None)
        if frozen is not None:
            restore(self, frozen, set(docnames))

    load_then_remember.__wrapped__, prune_then_restore.__wrapped__ = load, prune
    load_then_remember.book_restore = restore
    IndexBuilder.load, IndexBuilder.prune = load_then_remember, prune_then_restore


def set_parallel_writer(builder, write: Callable) -> None:
    """Have the builder write its pages in parallel with ``write(builder, docnames, nproc)``, called as Sphinx calls
    its own: with the pages to write (in name order) and the number of workers to fork. Private
    (``Builder._write_parallel``): Sphinx offers no hook to choose which pages each worker writes, and its chunks in
    name order left one of two cores idle for a third of the writing (ext/balanced_writing.py)."""
    builder._write_parallel = lambda docnames, nproc: write(builder, docnames, nproc)
