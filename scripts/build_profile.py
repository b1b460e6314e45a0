#!/usr/bin/env python3
"""Where a Sphinx build's time goes: each page, each extension's event listeners, each directive (make profile).

Runs sphinx-build in this process, with the arguments given, and times (wall clock, in the Sphinx process, so
without Python's start-up):
  pages       reading, resolving and writing each page (HTML builders), summed per page
  listeners   every handler of every Sphinx event, named by its module and function
  directives  every run of each directive, by name
The kinds overlap: a page's time includes the listeners and directives that ran for it. Build in one process
(-j 1): the work of forked workers is not seen. Figures of one run on a shared machine are rough: run it twice, and read shares rather than milliseconds.
make bench prints its first lines beside its timings: what the book's own pages and checks cost, in the same run.
"""
from __future__ import annotations

import argparse
import collections
import functools
import sys
import time

SPENT: collections.Counter = collections.Counter()  # (kind, name) -> seconds
CALLS: collections.Counter = collections.Counter()


def timed(kind: str, name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[kind, name] += time.perf_counter() - start
            CALLS[kind, name] += 1
    wrapper.build_profile = True
    return wrapper


def per_page(method):
    """A method whose first argument after self is the page's name: timed per page."""
    def wrapper(self, docname, *args, **kwargs):
        return timed("pages", docname, method)(self, docname, *args, **kwargs)
    return wrapper


def install() -> None:
    """Wrap Sphinx's reading, resolving and writing of pages, its event listeners and the directives found."""
    from docutils.parsers.rst import directives
    from sphinx import builders, environment, events
    from sphinx.builders import html

    builders.Builder.read_doc = per_page(builders.Builder.read_doc)
    environment.BuildEnvironment.get_and_resolve_doctree = per_page(
        environment.BuildEnvironment.get_and_resolve_doctree)
    html.StandaloneHTMLBuilder.write_doc = per_page(html.StandaloneHTMLBuilder.write_doc)

    emit = events.EventManager.emit

    def emit_timed(self, name, *args, **kwargs):
        listeners = self.listeners.get(name, [])
        for i, listener in enumerate(listeners):
            handler = listener.handler
            if not getattr(handler, "build_profile", False):
                label = f"{name}: {getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', handler)}"
                listeners[i] = listener._replace(handler=timed("listeners", label, handler))
        return emit(self, name, *args, **kwargs)
    events.EventManager.emit = emit_timed

    find = directives.directive

    def directive_timed(name, language, document):
        found, messages = find(name, language, document)
        if found is not None and not getattr(found.run, "build_profile", False):
            found.run = timed("directives", name, found.run)
        return found, messages
    directives.directive = directive_timed


def report(total: float, top: int) -> str:
    lines = [f"build: {total:.2f} s in the Sphinx process"]
    for kind in ("pages", "listeners", "directives"):
        rows = sorted(((s, name) for (k, name), s in SPENT.items() if k == kind), reverse=True)
        share = sum(s for s, _ in rows)
        lines.append(f"{kind} ({share:.2f} s in all, the {min(top, len(rows))} costliest):")
        lines += [f"  {s:6.3f} s {CALLS[kind, name]:5d}x  {name}" for s, name in rows[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     usage="%(prog)s [--top N] SPHINX-BUILD-ARGUMENTS...")
    parser.add_argument("--top", type=int, default=12, help="rows of each kind (default: %(default)s)")
    options, sphinx_args = parser.parse_known_args(argv)
    install()
    from sphinx.cmd.build import main as sphinx_build
    start = time.perf_counter()
    status = sphinx_build(sphinx_args)
    print(report(time.perf_counter() - start, options.top))
    return status


if __name__ == "__main__":
    sys.exit(main())
