"""Keep the HTML templates compiled between builds (Jinja's bytecode cache, next to the doctrees).

Sphinx compiles every theme template again in every build: about a tenth of a second of a one-chapter rebuild.
Jinja checks each cached template against its source's checksum, so an edited template is compiled again; a clean
build (doctrees removed) starts without a cache. Nothing about the output changes.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def use_cache(app) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # a builder without Jinja templates (LaTeX)
        return
    folder = Path(app.doctreedir) / "jinja-bytecode"
    folder.mkdir(parents=True, exist_ok=True)
    environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app):
    app.connect("builder-inited", use_cache)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
