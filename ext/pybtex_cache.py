"""Cache pybtex's plugin lookup: pybtex 0.26 rescans every installed package's entry points on each lookup.

sphinxcontrib-bibtex looks a plugin up once per citation; on these machines that scan was about 40% of a
citation-heavy build. A lookup's answer cannot change during a build, except
through ``pybtex.plugin.register_plugin``, which we wrap so that it clears the cache.

The lookups of different plugins, by pybtex and sphinxcontrib-bibtex, share one scan of the installed packages'
entry points (about 7 ms each, ten a build): packages are not installed while a build runs. Listed before
sphinxcontrib.bibtex in conf.py, whose import looks plugins up.
"""
import functools
import importlib.metadata

import pybtex.plugin

from ext.library_internals import pybtex_plugin_lookup, set_plugin_entry_points, set_pybtex_plugin_lookup


@functools.cache
def installed_entry_points() -> importlib.metadata.EntryPoints:
    """Every installed package's entry points, scanned once per process."""
    return importlib.metadata.entry_points()


def entry_points(**selection) -> importlib.metadata.EntryPoints:
    """``importlib.metadata.entry_points(group=..., name=...)`` from the one scan."""
    return installed_entry_points().select(**selection)


def setup(app):
    set_plugin_entry_points(entry_points)
    original = pybtex_plugin_lookup()
    if not hasattr(original, "cache_clear"):  # set up once per process, even when Sphinx runs twice
        cached = functools.lru_cache(maxsize=None)(original)
        set_pybtex_plugin_lookup(cached)
        register = pybtex.plugin.register_plugin

        @functools.wraps(register)
        def register_plugin(*args, **kwargs):
            cached.cache_clear()
            return register(*args, **kwargs)

        pybtex.plugin.register_plugin = register_plugin
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
