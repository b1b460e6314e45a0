"""sphinx-build for the tests, without paying for Python's imports on every build.

A fresh `python -m sphinx` spends about 0.6 s of CPU importing Sphinx, docutils, MyST, the theme and bibtex before
it reads a page: most of a tiny book's build. This server imports them once, then forks one child per build; the
child is the build, as `python -m sphinx ARGS` run in the folder asked would be: same arguments, environment,
current folder and first entry of sys.path, standard output and error written to files, the exit code returned.
Only third-party modules are imported ahead: never ext/ or booklib/, which a build may import from a copy of the
repository. What a child shares with its siblings is the hash seed: two builds whose bytes a test compares run in
interpreters of their own (tests/conftest.py, sphinx_build(new_interpreter=True)), and so does a build whose
environment differs from the server's (what /proc/self/environ shows is a process's environment at its start).

The protocol, one JSON line each way: {"args", "cwd", "env", "stdout", "stderr"} in; {"returncode"} out.
"""
from __future__ import annotations

import atexit
import importlib
import importlib.util
import json
import os
import sys
import traceback
from pathlib import Path

# What a build of the book imports, third-party only (a build of a tiny book imports a part of it), besides the
# extensions every Sphinx application loads (sphinx.application.builtin_extensions)
PRELOAD = ("sphinx.cmd.build", "sphinx.application", "sphinx.builders.html", "sphinx.builders.latex",
           "sphinx.builders.latex.transforms", "sphinx.builders.epub3", "sphinx.search.en", "sphinx.ext.mathjax",
           "sphinx.util.console", "docutils.parsers.rst", "docutils.languages.en", "myst_parser.parsers.sphinx_",
           "myst_parser.sphinx_ext.main", "myst_parser.sphinx_ext.directives", "myst_parser.sphinx_ext.mathjax",
           "myst_parser.sphinx_ext.myst_refs", "furo", "sphinx_basic_ng", "a11y_pygments", "sphinxcontrib.bibtex",
           "sphinxcontrib.bibtex.style.referencing.author_year", "sphinxcontrib.bibtex.style.referencing.foot",
           "sphinxcontrib.bibtex.style.names.last", "pybtex.plugin", "pybtex.style.formatting.plain",
           "pybtex.style.formatting.unsrt", "pybtex.style.labels", "pybtex.style.names", "sphinx_timeline", "yaml",
           "bs4", "PIL.Image", "Stemmer", "jinja2", "jinja2.ext", "pygments.lexers")


SPHINX_MAIN = str(Path(importlib.util.find_spec("sphinx").origin).parent / "__main__.py")


def build(request: dict) -> int:
    """In the forked child: run sphinx-build as `python -m sphinx` would, and return its exit code."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = request["cwd"]  # python -m puts the current folder first
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for fd, name, flags in ((0, os.devnull, os.O_RDONLY), (1, request["stdout"], write), (2, request["stderr"], write)):
        os.dup2(os.open(name, flags), fd)  # sys.stdout and sys.stderr write to fds 1 and 2, flushed before the fork
    sys.argv = [SPHINX_MAIN, *request["args"]]  # as python -m sphinx sets it (Sphinx names itself after it)
    try:
        from sphinx.cmd.build import main
        raise SystemExit(main(request["args"]))  # as sphinx/__main__.py does
    except SystemExit as stop:  # as the interpreter reads SystemExit's code
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001  an uncaught exception: a traceback and 1, as the interpreter gives
        traceback.print_exc()
        return 1


def serve() -> None:
    from sphinx.application import builtin_extensions
    for name in (*PRELOAD, *builtin_extensions):
        try:
            importlib.import_module(name)
        except ImportError:  # a build that needs it fails on its own, with the usual message
            pass
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")  # the protocol's own copy of the server's stdout
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = build(request)
            finally:
                try:
                    atexit._run_exitfuncs()  # what the interpreter runs at exit (logging's flush, for one)
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(code & 0xFF)
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
