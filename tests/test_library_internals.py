"""The private interfaces of pybtex, docutils and Sphinx that ext/library_internals.py wraps, against the installed
versions: an upgrade that moves one fails here, naming the function, not somewhere inside a build."""
from __future__ import annotations

import pytest
from sphinx.application import Sphinx

from ext import library_internals


@pytest.fixture(scope="module")
def tiny_app(tmp_path_factory):
    """A Sphinx application that has read one page with one glossary term, and connected one handler."""
    folder = tmp_path_factory.mktemp("internals")
    (folder / "conf.py").write_text("", encoding="utf-8")
    (folder / "index.rst").write_text("Tiny\n====\n\n.. glossary::\n\n   Mazar-i-Sharif\n      A city.\n",
                                      encoding="utf-8")
    app = Sphinx(folder, folder, folder / "_build", folder / "_doctrees", "html", status=None, warning=None)
    app.build()
    return app


def test_pybtex_plugin_lookup_finds_a_plugin_and_can_be_replaced():
    lookup = library_internals.pybtex_plugin_lookup()
    assert lookup("pybtex.style.formatting", "plain").__name__ == "Style"
    library_internals.set_pybtex_plugin_lookup(sentinel := lambda *a, **k: None)
    try:
        assert library_internals.pybtex_plugin_lookup() is sentinel
    finally:
        library_internals.set_pybtex_plugin_lookup(lookup)


def test_the_entry_points_pybtex_and_sphinxcontrib_bibtex_find_plugins_with_can_be_replaced():
    import importlib.metadata

    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin
    asked = []

    def entry_points(**selection):
        asked.append(selection["group"])
        return importlib.metadata.entry_points(**selection)
    previous = library_internals.set_plugin_entry_points(entry_points)
    try:
        assert "plaintext" in pybtex.plugin.enumerate_plugin_names("pybtex.backends")
        assert sphinxcontrib.bibtex.plugin.find_plugin("sphinxcontrib.bibtex.style.referencing", "author_year")
        assert asked == ["pybtex.backends", "sphinxcontrib.bibtex.style.referencing"]
    finally:
        library_internals.set_plugin_entry_points(previous)


def test_docutils_registries_list_the_directives_and_roles_registered():
    from docutils.parsers.rst import Directive, directives, roles

    class Probe(Directive):
        pass
    directive_table, role_table = library_internals.docutils_registries()
    directives.register_directive("internals-test", Probe)
    roles.register_local_role("internals-test", roles.generic_custom_role)
    try:
        assert directive_table["internals-test"] is Probe
        assert role_table["internals-test"] is roles.generic_custom_role
    finally:
        del directive_table["internals-test"], role_table["internals-test"]


def test_event_handlers_name_each_handler_with_the_id_that_disconnects_it(tiny_app):
    def handler(app):
        pass
    listener_id = tiny_app.connect("builder-inited", handler)
    assert (listener_id, handler) in library_internals.event_handlers(tiny_app, "builder-inited")
    tiny_app.disconnect(listener_id)
    assert (listener_id, handler) not in library_internals.event_handlers(tiny_app, "builder-inited")


def test_term_targets_give_each_glossary_term_its_page_and_anchor(tiny_app):
    targets = library_internals.term_targets(tiny_app.env)
    assert targets == {"mazar-i-sharif": ("index", "term-Mazar-i-Sharif")}


def test_search_index_entries_are_the_index_builders_and_its_load_can_be_followed(tiny_app, tmp_path):
    """The index entries of the tiny book's term, and a hook called after the last index is read and pruned."""
    from sphinx.search import IndexBuilder, js_index
    indexer = IndexBuilder(tiny_app.env, "en", {}, "")
    calls = []
    library_internals.on_search_index_load(lambda *args: calls.append(args))
    try:
        with open(tiny_app.outdir / "searchindex.js", encoding="utf-8") as stream:
            indexer.load(stream, js_index)  # as the HTML builder reads it
        indexer.prune({"index"})
    finally:
        from ext import search_index_entries
        library_internals.on_search_index_load(search_index_entries.restore)
    assert calls and calls[0][0] is indexer and calls[0][2] == {"index"}
    assert "mazar-i-sharif" in calls[0][1]["indexentries"]
    assert library_internals.search_index_entries(indexer) is tiny_app.env._search_index_index_entries


def test_a_builder_writes_in_parallel_with_the_function_set_for_it(tmp_path):
    """As Sphinx calls its own: the pages to write in name order, and the number of workers (-j 2: one)."""
    for name in ("index", "other"):
        (tmp_path / f"{name}.rst").write_text(f"{name.title()}\n=====\n\nA paragraph.\n", encoding="utf-8")
    (tmp_path / "conf.py").write_text("", encoding="utf-8")
    calls = []

    def write(builder, docnames, nproc):  # in this process, one page after the other
        calls.append((builder, list(docnames), nproc))
        for name in docnames:
            doctree = builder.env.get_and_resolve_doctree(name, builder, tags=builder.tags)
            builder.write_doc_serialized(name, doctree)
            builder.write_doc(name, doctree)
    app = Sphinx(tmp_path, tmp_path, tmp_path / "_build", tmp_path / "_doctrees", "html", status=None, warning=None,
                 parallel=2)
    app.connect("write-started", lambda app, builder: library_internals.set_parallel_writer(builder, write))
    app.build()
    assert calls == [(app.builder, ["index", "other"], 1)]
    assert "A paragraph." in (tmp_path / "_build" / "other.html").read_text(encoding="utf-8")
