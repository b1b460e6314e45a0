"""Every path an extension reads from the configuration is relative to the folder of conf.py, never to the current
directory: a build started from another folder reads the same files (ext/config_paths.py)."""
from __future__ import annotations

from conftest import ROOT, run_sphinx


def test_a_book_built_from_another_folder_reads_its_files_beside_conf_py(tmp_path):
    book, elsewhere = tmp_path / "book", tmp_path / "elsewhere"
    (book / "docs").mkdir(parents=True)
    elsewhere.mkdir()
    (book / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "extensions = ['myst_parser', 'ext.article_corrections']\n"
        "myst_enable_extensions = ['colon_fence']\n"
        "article_corrections_file = 'corrections.toml'\n", encoding="utf-8")
    (book / "corrections.toml").write_text(
        '[[correction]]\nchapter = "docs/index.md"\narticle = "the wars"\nbook = "the war"\n'
        'reason = "a typo of the export"\n', encoding="utf-8")
    (book / "docs" / "index.md").write_text("# Tiny\n\n:::{article-corrections}\n:::\n", encoding="utf-8")
    result = run_sphinx(["-c", str(book), "-n", "-W", "-q", "-b", "html", str(book / "docs"), str(book / "html")],
                        cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "“the wars” became “the war”" in (book / "html" / "index.html").read_text(encoding="utf-8")
