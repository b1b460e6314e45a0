"""The tests' builds run in children of tests/sphinx_server.py, which has imported Sphinx once: each must be the
build `python -m sphinx` would make, with the same messages, exit code and view of its process."""
from __future__ import annotations

from conftest import ROOT, run_sphinx

# What a conf.py can see of the process that reads it: printed to the build's standard output
PROCESS_VIEW = """\
import os, sys
print("argv:", sys.argv)
print("path:", sys.path[0], "cwd:", os.getcwd())
print("ours imported before the build:", sorted(m for m in sys.modules if m.split(".")[0] in ("ext", "booklib")))
print("environment at the start:", "BOOK_TEST_MARKER=1" in open("/proc/self/environ").read().split("\\0"))
project = "Tiny"
"""


def test_a_served_build_reports_what_python_m_sphinx_reports(tmp_path):
    """A planted fault: the same messages and exit code from the server's child as from a new interpreter."""
    root = ROOT / "tests" / "roots" / "timeline-bad-date"
    args = ["-c", str(root), "-n", "-W", "--keep-going", "-q", "-b", "html", str(root)]
    served = run_sphinx([*args, str(tmp_path / "served")])
    fresh = run_sphinx([*args, str(tmp_path / "fresh")], new_interpreter=True)
    assert fresh.returncode != 0 and "timeline.yaml" in fresh.stderr, fresh.stderr
    assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)


def test_a_served_build_sees_the_process_a_new_interpreter_would(tmp_path, monkeypatch):
    """Its arguments, first import path, current folder, modules of ours not yet imported; and a build with another
    environment than the server's gets a process of its own, whose /proc/self/environ shows it."""
    (tmp_path / "conf.py").write_text(PROCESS_VIEW, encoding="utf-8")
    (tmp_path / "index.rst").write_text("Tiny\n====\n", encoding="utf-8")
    args = ["-q", "-b", "html", "-E", "-c", str(tmp_path), str(tmp_path), str(tmp_path / "html")]
    served, fresh = run_sphinx(args, cwd=tmp_path), run_sphinx(args, new_interpreter=True, cwd=tmp_path)
    assert fresh.returncode == 0 and "environment at the start: False" in fresh.stdout, fresh.stdout + fresh.stderr
    assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    monkeypatch.setenv("BOOK_TEST_MARKER", "1")
    assert "environment at the start: True" in run_sphinx(args, cwd=tmp_path).stdout
