"""ext/gc_freeze.py: during a build what is alive once the extensions are loaded, and again once the pages are
read, is set aside from the garbage collector; when the build ends it is handed back (a process that builds again
collects it as usual)."""
from __future__ import annotations

import gc
import io

from sphinx.application import Sphinx

from conftest import ROOT

CONF = f"""
import gc, sys
sys.path.insert(0, {str(ROOT)!r})
extensions = ["ext.gc_freeze"]
frozen = {{}}  # event -> objects frozen when it ran

def setup(app):
    app.frozen = frozen
    app.connect("builder-inited", lambda app: frozen.setdefault("builder-inited", gc.get_freeze_count()))
    app.connect("doctree-resolved", lambda app, doctree, docname: frozen.setdefault("written", gc.get_freeze_count()))
"""


def test_a_build_freezes_what_it_keeps_and_unfreezes_at_the_end(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "conf.py").write_text(CONF, encoding="utf-8")
    (tmp_path / "src" / "index.rst").write_text("A page\n======\n\nA paragraph.\n", encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(tmp_path / "src", tmp_path / "src", tmp_path / "html", tmp_path / "doctrees", "html",
                 status=io.StringIO(), warning=warnings, freshenv=True)
    app.build()
    assert app.statuscode == 0 and warnings.getvalue() == ""
    frozen = app.frozen
    assert frozen["builder-inited"] > 10_000  # the modules and the configuration
    assert frozen["written"] > frozen["builder-inited"]  # and the environment, once the pages are read
    assert gc.get_freeze_count() == 0
