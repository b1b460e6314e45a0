"""ext/balanced_writing.py: with -j, a worker writes the largest pages while the main process writes the rest; the
book written so is the book written in one process, byte for byte."""
from __future__ import annotations

import pytest

from conftest import MAP_CACHE, ROOT, run_sphinx
from ext.balanced_writing import shares


def test_one_worker_gets_two_thirds_of_the_book_by_size_and_the_main_process_a_third():
    sizes = {"glossary": 60, "places": 25, "timeline": 20, "chapter-a": 15, "chapter-b": 10, "about": 5, "index": 2}
    worker, main = shares(sizes, 1)
    # the largest first, each to the share with the most room left: 92 of 137 to the worker, 45 to the main process
    assert worker == ["chapter-b", "glossary", "index", "timeline"]
    assert main == ["about", "chapter-a", "places"]


def test_every_page_is_written_once_whatever_the_number_of_workers():
    sizes = {f"page-{i}": (i * 37) % 11 + 1 for i in range(23)}
    for workers in (1, 2, 3, 8, 30):
        split = shares(sizes, workers)
        assert len(split) == workers + 1
        assert sorted(page for share in split for page in share) == sorted(sizes)
        assert all(share == sorted(share) for share in split)
    *forked, main = shares(sizes, 3)
    assert sum(sizes[p] for p in main) < min(sum(sizes[p] for p in share) for share in forked)  # a half share


@pytest.mark.slow  # a whole-book build
def test_the_book_written_in_parallel_is_the_book_written_in_one_process(html_dir, tmp_path):
    """html_dir is built in one process (-j 1); this build reads and writes with two."""
    out = tmp_path / "html"
    result = run_sphinx(["-c", str(ROOT), *MAP_CACHE, "-n", "-W", "--keep-going", "-j", "2",
                         "-d", str(tmp_path / "doctrees"), "-b", "html", str(ROOT / "docs"), str(out)])
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    assert "more pages, written by a worker" in result.stdout  # the pages were shared out as ext/balanced_writing does
    files = {p.relative_to(html_dir) for p in html_dir.rglob("*") if p.is_file()}
    assert files == {p.relative_to(out) for p in out.rglob("*") if p.is_file()}
    differ = sorted(str(f) for f in files
                    if f.name != ".buildinfo" and (html_dir / f).read_bytes() != (out / f).read_bytes())
    assert differ == []
