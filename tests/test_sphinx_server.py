"""The tests' builds run in children of tests/sphinx_server.py, which has imported Sphinx once: each must be the
build `python -m sphinx` would make, with the same messages, exit code and view of its process."""
from __future__ import annotations

from pathlib import Path

from conftest import run_sphinx

# What a conf.py can see of the process that reads it: printed to the build's standard output
PROCESS_VIEW = """\
import os, sys
print("argv:", sys.argv)
print("path:", sys.path[0])
print("ours imported before the build:", sorted(m for m in sys.modules if m.split(".")[0] in ("ext", "booklib")))
print("environment at the start:", "BOOK_TEST_MARKER=1" in open("/proc/self/environ").read().split("\\0"))
project = "Tiny"


def setup(app):  # Sphinx reads conf.py in the folder of conf.py, and then goes back
    app.connect("builder-inited", lambda app: print("cwd:", os.getcwd()))
"""


def tiny_book(folder: Path) -> list[str]:
    """A page with a planted fault and a conf.py that prints PROCESS_VIEW; the arguments that build it (strict)."""
    (folder / "conf.py").write_text(PROCESS_VIEW, encoding="utf-8")
    (folder / "index.rst").write_text("Tiny\n====\n\nA :no-such-role:`word`.\n", encoding="utf-8")
    return ["-n", "-W", "--keep-going", "-q", "-b", "html", "-E", "-c", str(folder), str(folder), str(folder / "html")]


def test_a_served_build_reports_and_sees_what_python_m_sphinx_would(tmp_path):
    """The same messages and exit code; the same arguments, first import path and current folder (another folder
    than the server's), no module of ours imported before the build."""
    args = tiny_book(tmp_path)
    served, fresh = run_sphinx(args, cwd=tmp_path), run_sphinx(args, new_interpreter=True, cwd=tmp_path)
    assert fresh.returncode == 1 and "index.rst:4: ERROR: Unknown interpreted text role" in fresh.stderr, fresh
    assert "environment at the start: False" in fresh.stdout, fresh.stdout
    assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)


def test_a_build_with_another_environment_gets_a_process_that_started_with_it(tmp_path, monkeypatch):
    """What /proc/self/environ shows is the environment a process started with (a page may try to read it: tests/
    test_content_sandbox.py): a build whose environment is not the server's does not run in a child of it."""
    args = tiny_book(tmp_path)
    monkeypatch.setenv("BOOK_TEST_MARKER", "1")
    assert "environment at the start: True" in run_sphinx(args, cwd=tmp_path).stdout
