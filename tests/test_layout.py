"""The code's layout: what may import what (booklib/README.md, ext/README.md, scripts/README.md).

booklib is plain Python: no Sphinx, no docutils, nothing of ours but booklib. The extensions import booklib and each
other, never a script. Nothing of ours reaches for a module through sys.path or runpy: the repository's folder is the
one import root (a script may still write a conf.py that does, as text). Read from the source with ast, so that a
lazy import inside a function counts too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

OURS = {"booklib", "ext", "scripts", "conf"}
SPHINX = {"sphinx", "docutils", "myst_parser", "sphinxcontrib", "pybtex", "sphinx_timeline"}
ALLOWED = {"booklib": {"booklib"}, "ext": {"booklib", "ext"}, "scripts": {"booklib", "ext", "scripts", "conf"}}


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in the file, at any depth; "sys.path" where the code uses it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys":
            found.append((node.lineno, "sys.path"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, "." if node.level else node.module.split(".")[0]))
    return found


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).glob("*.py"))


def layout_problems(folder: str, files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        for line, package in imports(path):
            if package == ".":
                problems.append(f"{where}:{line}: a relative import; name the package ({folder}.<module>)")
            elif package in OURS and package not in ALLOWED[folder]:
                problems.append(f"{where}:{line}: {folder} may not import {package}")
            elif folder == "booklib" and package in SPHINX:
                problems.append(f"{where}:{line}: booklib is plain Python, but imports {package}")
            elif package == "sys.path":
                problems.append(f"{where}:{line}: changes sys.path; the repository's folder is the one import root")
            elif package == "runpy":
                problems.append(f"{where}:{line}: runpy: import the module instead")
            elif any((ROOT / ours / f"{package}.py").exists() for ours in ALLOWED):
                problems.append(f"{where}:{line}: {package} imported by its bare name (through sys.path?)")
    return problems


@pytest.mark.parametrize("folder", sorted(ALLOWED))
def test_each_folder_imports_only_what_it_may(folder):
    assert layout_problems(folder, sources(folder)) == []


def test_the_layout_check_catches_each_kind_of_fault(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("import sys\nimport runpy\nfrom sphinx.util import logging\nfrom ext import editor_notes\n"
                       "from . import yaml_lines\nimport entities\nsys.path.insert(0, 'ext')\n", encoding="utf-8")
    found = layout_problems("booklib", [planted])
    assert found == [
        f"{planted}:2: runpy: import the module instead",
        f"{planted}:3: booklib is plain Python, but imports sphinx",
        f"{planted}:4: booklib may not import ext",
        f"{planted}:5: a relative import; name the package (booklib.<module>)",
        f"{planted}:6: entities imported by its bare name (through sys.path?)",
        f"{planted}:7: changes sys.path; the repository's folder is the one import root",
    ]
    assert f"{planted}:4: booklib may not import ext" not in layout_problems("ext", [planted])  # ext may
