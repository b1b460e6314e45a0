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
