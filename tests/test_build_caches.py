"""What keeps rebuilds fast without changing the book: the search index's stemmer in C, templates kept compiled."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import snowballstemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from conftest import run_sphinx

ROOT = Path(__file__).resolve().parent.parent


def test_search_index_stems_words_as_the_pure_python_stemmer_does():
    """PyStemmer (requirements.in) makes Sphinx's search index several times faster to build; its stems must be
    those of the pure-Python snowballstemmer Sphinx would use without it, whose algorithm the search page's
    JavaScript stemmer follows (PyStemmer 2.2 stemmed "international" differently and would have broken search)."""
    fast = snowballstemmer.stemmer("english")
    assert type(fast).__module__ == "Stemmer", "PyStemmer is not installed: Sphinx falls back to the slow stemmer"
    slow = EnglishStemmer()
    words = sorted({w.lower() for f in (ROOT / "docs").rglob("*.md")
                    for w in re.findall(r"[A-Za-z]+", f.read_text(encoding="utf-8"))})
    assert len(words) > 1000
    differ = [w for w in words if fast.stemWord(w) != slow.stemWord(w)]
    assert differ == [], f"stems differ for {differ[:10]}"


@pytest.mark.slow
def test_html_templates_stay_compiled_next_to_the_doctrees(html_dir):
    cached = list((html_dir.parent / "doctrees-html" / "jinja-bytecode").glob("*.cache"))
    assert len(cached) >= 5, "ext/template_cache.py kept no compiled template"


def test_a_build_whose_maps_are_drawn_does_not_import_matplotlib(tmp_path):
    """The overview map's text alternative names the neighbours it labels; once worked out, that list is kept
    beside the maps, and a later build that draws nothing reads it without importing matplotlib."""
    import subprocess
    import sys
    program = f"""
import sys
from pathlib import Path
from booklib import map_drawing, places_data
gazetteer = places_data.load_or_empty(Path({str(ROOT / 'docs/_data/places.yaml')!r}), Path({str(ROOT / 'docs/_data/geo')!r}))
print(map_drawing.labelled_neighbours(gazetteer, Path(sys.argv[1])), "matplotlib" in sys.modules)
"""
    # python -c imports from the current folder: the repository's, the one import root
    first = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, check=True,
                           cwd=ROOT)
    again = subprocess.run([sys.executable, "-c", program, str(tmp_path)], capture_output=True, text=True, check=True,
                           cwd=ROOT)
    names, imported = first.stdout.rsplit(" ", 1)
    assert imported.strip() == "True" and "Pakistan" in names  # worked out with matplotlib the first time
    assert again.stdout == f"{names} False\n"  # the same names, read back, and matplotlib never imported


@pytest.mark.parametrize("pages, forked", [(3, False), (8, True)])
def test_a_build_that_reads_a_few_pages_runs_in_one_process(tmp_path, pages, forked):
    """With -j 2 Sphinx reads pages in worker processes; ext/few_pages_serial.py keeps a build that reads five pages
    or fewer in one process, where forking costs more than it saves. The tiny book notes the process of each read."""
    src, readers = tmp_path / "src", tmp_path / "readers.txt"
    src.mkdir()
    (src / "conf.py").write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tests' / 'roots')!r})\n"
        "from roots_conf import tiny_settings\n"
        "globals().update(tiny_settings('few_pages_serial'))\n"
        "MAIN = os.getpid()\n"
        "def setup(app):\n"
        "    def note(app, doctree):\n"
        f"        with open({str(readers)!r}, 'a') as f:\n"
        "            f.write('worker\\n' if os.getpid() != MAIN else 'main\\n')\n"
        "    app.connect('doctree-read', note)\n", encoding="utf-8")
    names = [f"page{n}" for n in range(1, pages)]
    (src / "index.md").write_text("# Tiny\n\n```{toctree}\n" + "\n".join(names) + "\n```\n", encoding="utf-8")
    for name in names:
        (src / f"{name}.md").write_text(f"# {name}\n\nA sentence.\n", encoding="utf-8")
    result = run_sphinx(["-j", "2", "-q", "-n", "-W", "-b", "html", str(src), str(tmp_path / "html")])
    assert result.returncode == 0, result.stderr
    read_in = readers.read_text(encoding="utf-8").split()
    assert len(read_in) == pages and ("worker" in read_in) == forked, read_in


# -- The data files, parsed and checked once, kept next to the doctrees (booklib/named_things.py) --------------
DATA_FILES = {  # a file `load` reads -> an edit of it that keeps its size and changes what is read
    "entities/people-organisations-states.yaml": ("kind: person", "kind: state "),
    "_data/places.yaml": ("kind: city", "kind: town"),
    "_data/timeline.yaml": ("precision: day", "precision: mid"),
    "_data/geo/places.csv": ("34.51864", "34.51865"),
    "_data/geo/neighbours.geojson": ("1", "2"),
}


def plain(value):
    """What a loaded value holds, comparable with ==: dataclasses and objects as their fields, problems as their
    messages, compiled patterns as their source."""
    if isinstance(value, BaseException):
        return type(value).__name__, str(value)
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return type(value).__name__, plain(vars(value))
    return value


@pytest.fixture
def book_data(tmp_path):
    """A copy of the book's data files, as named_things.cached is called by a build, and a store folder."""
    import shutil
    from booklib import named_things
    shutil.copytree(ROOT / "docs" / "entities", tmp_path / "entities")
    shutil.copytree(ROOT / "docs" / "_data", tmp_path / "_data")
    named_things._CACHE.clear()  # each call below is as a new build's (a new process's) first
    yield (tmp_path / "entities", tmp_path / "_data" / "places.yaml", tmp_path / "_data" / "geo",
           tmp_path / "_data" / "timeline.yaml"), tmp_path / "doctrees"
    named_things._CACHE.clear()


PROBLEMS = {  # a problem planted in each kind of data file: remembered too, with the same messages
    "entities/people-organisations-states.yaml": ("kind: person", "kind: persn"),
    "_data/places.yaml": ("kind: city", "kind: 1"),
    "_data/timeline.yaml": ("precision: day", "precision: week"),
}


@pytest.mark.parametrize("with_problems", [False, True], ids=["as the book is", "with a problem in each file"])
def test_the_remembered_data_equals_a_fresh_parse_and_is_not_parsed_again(book_data, monkeypatch, with_problems):
    from booklib import named_things
    files, store = book_data
    for name, (old, new) in PROBLEMS.items() if with_problems else ():
        path = files[0].parent / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    first = named_things.cached(*files, store=store)
    assert (store / named_things.STORE).is_file()
    named_things._CACHE.clear()
    parsed = []
    monkeypatch.setattr(named_things, "load", lambda *args: parsed.append(args))
    again = named_things.cached(*files, store=store)
    monkeypatch.undo()
    assert parsed == []  # read from the store
    fresh = named_things.load(*files)
    assert plain(again) == plain(fresh) == plain(first)
    assert len(fresh.entities.items) > 100 and fresh.timeline.events and fresh.places.places  # the book's data
    problems = [fresh.entity_problems, fresh.place_problems, fresh.timeline.problems]
    assert all(problems) if with_problems else not any(problems), problems


def test_the_remembered_data_is_parsed_again_by_other_code(book_data, monkeypatch):
    """booklib's code is part of the key: a change to how data is read or checked reads the files again."""
    from booklib import named_things
    files, store = book_data
    named_things.cached(*files, store=store)
    named_things._CACHE.clear()
    monkeypatch.setattr(named_things, "code_version", lambda: "booklib, edited")
    load, parsed = named_things.load, []
    monkeypatch.setattr(named_things, "load", lambda *args: parsed.append(args) or load(*args))
    named_things.cached(*files, store=store)
    assert parsed == [files]


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_an_edited_data_file_is_read_again_even_with_its_old_time_and_size(book_data, name):
    """The store is keyed by every file's content: an edit that keeps a file's size and modification time (a
    checkout, a copy that keeps times) is still seen."""
    import os
    from booklib import named_things
    files, store = book_data
    before = named_things.cached(*files, store=store)
    path = files[0].parent / name
    old, new = DATA_FILES[name]
    times = path.stat()
    content = path.read_bytes()
    assert old.encode() in content
    path.write_bytes(content.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert path.stat().st_size == times.st_size
    named_things._CACHE.clear()
    after = named_things.cached(*files, store=store)
    assert plain(after) == plain(named_things.load(*files)) != plain(before)


def test_a_rebuild_reports_a_fault_planted_in_the_timeline_after_a_clean_build(tmp_path):
    """Through a real build and the store next to its doctrees: the rebuild names the new fault's file and line."""
    import os
    import shutil
    from conftest import sphinx_build
    src = tmp_path / "src"
    shutil.copytree(ROOT / "tests" / "roots" / "timeline-valid-with-linked-terms", src)
    (src / "conf.py").write_text(  # the root's settings, with the store
        f"import sys\nsys.path.insert(0, {str(ROOT / 'tests' / 'roots')!r})\nfrom roots_conf import tiny_settings\n"
        'globals().update(tiny_settings("named_things_store", "book_timeline", timeline_data="timeline.yaml", '
        "timeline_link_terms=True))\n", encoding="utf-8")
    result = sphinx_build(src, tmp_path / "html", "html", confdir=src)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert (tmp_path / "doctrees-html" / "named-things.pickle").is_file()
    data = src / "timeline.yaml"
    times = data.stat()
    shutil.copyfile(ROOT / "tests" / "roots" / "timeline-bad-date" / "timeline.yaml", data)
    os.utime(data, ns=(times.st_atime_ns, times.st_mtime_ns))  # same size too: only the content says it changed
    result = sphinx_build(src, tmp_path / "html", "html", confdir=src)
    assert result.returncode != 0
    assert [line.split(" [timeline.data]")[0] for line in result.stderr.splitlines()] == [
        f"{data}:8: ERROR: timeline event 'kabul-falls': bad date '1996-09-31': day is out of range for month",
        f"{data}:16: ERROR: timeline event 'mazar-entered': bad date '1997-13': month must be in 1..12",
    ]
