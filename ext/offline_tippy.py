"""Hover previews with sphinx-tippy, offline, and right after parallel and incremental builds.

sphinx-tippy (0.4.3) collects each page's tooltip data while the page is written and keeps it only in memory;
at the end of the build it writes one script per page. Two consequences, measured (see stack-notes.md):
with parallel writing the data of pages written by other processes is lost, and after an incremental build a
rewritten page loses the tooltips that point at pages not rewritten. This extension saves each page's data to
``<doctrees>/tippy-pages/`` as the page is written (in whichever process writes it) and, before sphinx-tippy
writes its scripts, loads the saved data of every page of the book; so every page's script is rewritten with
current data each build. It also removes scripts no page uses any more, keeps tooltips to the HTML builder
(EPUB readers get none), and refuses settings that would load anything from another host.
"""
from __future__ import annotations

import functools
import pickle
from pathlib import Path

import sphinx_tippy
from sphinx.errors import ConfigError


def page_store(app) -> Path:
    return Path(app.doctreedir) / "tippy-pages"


def html_only(app):
    """Tooltips are for the HTML builder: drop sphinx-tippy's handlers for EPUB and the other HTML-like ones."""
    if any("://" in js or js.startswith("//") for js in app.config.tippy_js):
        raise ConfigError("tippy_js must name files under _static (vendored), not URLs: the book loads nothing "
                          "from another host")
    if app.config.tippy_enable_wikitips or app.config.tippy_enable_doitips:
        raise ConfigError("set tippy_enable_wikitips = False and tippy_enable_doitips = False: they call "
                          "Wikipedia and Crossref at build time")
    if app.builder.name == "html":
        return
    for event in ("html-page-context", "build-finished"):
        for listener in list(app.events.listeners.get(event, [])):
            if listener.handler in (sphinx_tippy.collect_tips, sphinx_tippy.write_tippy_js):
                app.disconnect(listener.id)


def save_page(app, pagename, templatename, context, doctree):
    data = sphinx_tippy.get_tippy_data(app)["pages"].get(pagename)
    if data is None or app.builder.name != "html":
        return
    path = page_store(app) / f"{pagename}.pickle"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(data))


def load_pages(app, exception):
    if exception or app.builder.name != "html":
        return
    pages = sphinx_tippy.get_tippy_data(app)["pages"]
    for docname in sorted(app.env.all_docs):
        path = page_store(app) / f"{docname}.pickle"
        if path.exists():
            pages[docname] = pickle.loads(path.read_bytes())
    for stale in page_store(app).rglob("*.pickle"):
        if stale.relative_to(page_store(app)).with_suffix("").as_posix() not in app.env.all_docs:
            stale.unlink()


def remove_unused_scripts(app, exception):
    if exception or app.builder.name != "html":
        return
    used = {Path(p["js_path"]) for p in sphinx_tippy.get_tippy_data(app)["pages"].values()}
    for script in Path(app.outdir, "_static", "tippy").rglob("*.js"):
        if script not in used:
            script.unlink()


def setup(app):
    app.setup_extension("sphinx_tippy")
    # Each page's script repeats the same tooltips (a glossary entry, as seen from chapters/): parse each once.
    if not hasattr(sphinx_tippy.rewrite_local_attrs, "cache_info"):
        sphinx_tippy.rewrite_local_attrs = functools.lru_cache(maxsize=None)(sphinx_tippy.rewrite_local_attrs)
    app.connect("builder-inited", html_only, priority=600)  # after sphinx-tippy's own builder-inited
    app.connect("html-page-context", save_page, priority=460)  # after sphinx-tippy collected the page (450)
    app.connect("build-finished", load_pages, priority=400)  # before sphinx-tippy writes the scripts (500)
    app.connect("build-finished", remove_unused_scripts, priority=600)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
