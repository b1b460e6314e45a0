"""A directive and a role that raise on their input instead of reporting it (as sphinxcontrib-bibtex does on
{cite:p}`key1 key2` and sphinx-timeline on an empty timeline)."""
from sphinx.util.docutils import SphinxDirective, SphinxRole


class Crash(SphinxDirective):
    has_content = True

    def run(self):
        raise ValueError("cannot read 'May 1997'")


class CrashRole(SphinxRole):
    def run(self):
        raise ValueError(f"malformed target: {self.text}")


def setup(app):
    app.add_directive("crash", Crash)
    app.add_role("crash", CrashRole())
    return {"parallel_read_safe": True}
