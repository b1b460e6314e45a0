"""The fault corpus: tiny broken books under tests/roots/faults/, one fault each.

Each is built with the book's own configuration and strict flags; the build must fail with a message naming the
file and line of the fault, and never with a traceback. A root with its own conf.py changes one setting of the
book's configuration (colon-fence-off) or adds an extension (crashing-*), through tests/roots/roots_conf.py.
"""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, sphinx_build
from scripts import import_article

FAULTS = ROOT / "tests" / "roots" / "faults"
HINT_RAW = "in a page: pages may not carry raw HTML or code; use Markdown and the book's directives [book.raw]"

# root: (file in the root, line or None where Sphinx names no line, the message after "LEVEL: ")
EXPECTED = {
    "unknown-term": ("index.md", 3, "WARNING: term not in glossary: 'Nobody Known' [ref.term]"),
    "unknown-citation-key": ("index.md", 5,  # the role's own line, not its paragraph's first
                             'WARNING: could not find bibtex key "nosuchkey1999" [bibtex.key_not_found]'),
    "broken-ref": ("index.md", 3, "WARNING: undefined label: 'no-such-label' [ref.ref]"),
    "broken-doc-link": ("index.md", 3,
                        "WARNING: 'myst' cross-reference target not found: 'chapters/missing.md' [myst.xref_missing]"),
    "missing-anchor-link": ("index.md", 3,
                            "WARNING: 'myst' cross-reference target not found: 'no-such-section' [myst.xref_missing]"),
    "duplicate-label": ("index.md", 9, 'WARNING: Duplicate explicit target name: "same". [docutils]'),
    "heading-level-jump": ("index.md", 5, "WARNING: Non-consecutive header level increase; H1 to H3 [myst.header]"),
    "unknown-directive": ("index.md", 3, "WARNING: Unknown directive type: 'nosuch' [myst.directive_unknown]"),
    "unknown-directive-option": ("index.md", 4, "WARNING: 'list-table': Unknown option key: 'nosuch' (allowed: "
                                 "['align', 'class', 'header-rows', 'name', 'stub-columns', 'width', 'widths']) "
                                 "[myst.directive_option]"),
    "uneven-list-table": ("index.md", 3, 'ERROR: Error parsing content block for the "list-table" directive: '
                          "uniform two-level bullet list expected, but row 2 does not contain the same number of "
                          "items as row 1 (1 vs 2)."),
    "unknown-role": ("index.md", 3, 'WARNING: Unknown interpreted text role "nosuch". [myst.role_unknown]'),
    "unknown-substitution": ("index.md", 3, "WARNING: substitution {{ nosuch_value }} is not one of the book's names "
                             "(article_link, history_link, licence, licence_link, received, source_file, "
                             "source_sha256): a page names a substitution, it never computes one [book.substitution]"),
    "undefined-footnote": ("index.md", 3, 'ERROR: Unknown target name: "nope". [docutils]'),
    "bad-front-matter": ("index.md", 1, "WARNING: Malformed YAML [myst.topmatter]"),
    "duplicate-glossary-term": ("index.md", 3, "WARNING: duplicate term description of Kabul, other instance in index"),
    "missing-image": ("index.md", 3, "WARNING: image file not readable: pictures/none.png [image.not_readable]"),
    "image-without-alt": ("index.md", 3, "WARNING: image without a text alternative: 'dot.svg' (give it alt text, or "
                          "a 'figure' with ':alt:'; readers who cannot see it get only that text) [book.alt_text]"),
    "missing-include": ("index.md", 3, "CRITICAL: Directive \"include\": file not found: "
                        f"'{FAULTS}/missing-include/front/missing.md' [docutils]"),
    "toctree-missing-document": ("index.md", 3, "WARNING: toctree contains reference to nonexisting document "
                                 "'chapters/missing' [toc.not_readable]"),
    "page-not-in-toctree": ("lost.md", None, "WARNING: document isn't included in any toctree [toc.not_included]"),
    # our checks (ext/markup_lint.py): mistakes that MyST accepts silently
    "colon-fence-off": ("index.md", 3, "WARNING: a ':::' fence rendered as text: the colon_fence MyST extension "
                        "is off, or the fence is malformed (':::{directive}' on its own line, closed by ':::') "
                        "[book.fence]"),
    "unclosed-fence": ("index.md", 3, "WARNING: this fence (':::{note}') is never closed: it swallows the rest of "
                       "the page; close it with a line of the same characters [book.fence]"),
    "directive-inside-note": ("index.md", 6, "WARNING: ':::{note}' opens inside ':::{editor-note}' of line 3, which "
                              "is still open here, so the next ':::' closes that block and this one is swallowed into "
                              "it with the text between: close the block of line 3 with a ':::' line above this one "
                              "(to nest on purpose, give the outer block the longer fence, '::::') [book.fence]"),
    "javascript-link": ("index.md", 3, "WARNING: a Markdown link shown as text: '[link](javascript:alert(1)' (its "
                        "destination is refused: a link goes to a label, a page or an http(s) address) [book.link]"),
    "chapter-without-label": ("chapters/kabul.md", 1, "WARNING: heading 'Kabul' has no label: put '(kabul)=' on the "
                              "line above it (labels never change when a title does) [book.label]"),
    "section-without-label": ("chapters/kabul.md", 6, "WARNING: heading 'The city' has no label: put '(kabul-...)=' "
                              "on the line above it (labels never change when a title does) [book.label]"),
    "wrong-chapter-label": ("chapters/kabul.md", 2, "WARNING: the chapter's label should be '(kabul)=', the file's "
                            "name (found '(the-capital)=') [book.label]"),
    # ext/crash_guard.py: an extension that raises on bad input is reported, not a traceback
    "crashing-directive": ("index.md", 3, 'ERROR: the "crash" directive could not handle this input (ValueError: '
                           "cannot read 'May 1997'); check its syntax [docutils]"),
    "crashing-role": ("index.md", 3, "ERROR: the role 'crash' could not handle 'key1 key2' (ValueError: malformed "
                      "target: key1 key2); check its syntax [docutils]"),
    # our checks (ext/safe_content.py): no code in pages
    "raw-html-block": ("index.md", 3, f"WARNING: raw html '<div style=\"color: red\">Hand-made HTML.<' {HINT_RAW}"),
    "inline-html": ("index.md", 3, f"WARNING: raw html '<b>' {HINT_RAW}"),
    "script": ("index.md", 5, f"WARNING: a <script> {HINT_RAW}"),
    "event-handler": ("index.md", 3, f"WARNING: an HTML event handler (on...=) {HINT_RAW}"),
    # ext/content_sandbox.py: {raw} and {eval-rst} are refused before they run
    "raw-directive": ("index.md", 3, "WARNING: {raw} in a page: pages may not carry raw HTML or code; use Markdown "
                      "and the book's directives [book.raw]"),
    "raw-in-eval-rst": ("index.md", 3, "WARNING: {eval-rst} is not allowed in pages: it reaches every "
                        "reStructuredText directive and role; write Markdown and the book's directives "
                        "[book.eval_rst]"),
    "remote-image": ("index.md", 3, "WARNING: image from another host 'https://example.org/picture.png': the book "
                     "loads nothing from other hosts; put the file under docs/ and link it by path "
                     "[book.remote_image]"),
}
PROBLEM = re.compile(r"^(\S.*?):(\d*):? ?(WARNING|ERROR|CRITICAL|SEVERE): ", re.M)


def test_every_root_of_the_corpus_has_an_expectation():
    roots = {p.name for p in FAULTS.iterdir() if (p / "index.md").exists()}
    assert roots == set(EXPECTED)
    assert len(roots) + 1 >= 20  # and the damaged article below


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_fault_fails_the_build_naming_file_and_line(tmp_path, name):
    root = FAULTS / name
    file, line, message = EXPECTED[name]
    confdir = root if (root / "conf.py").exists() else ROOT
    result = sphinx_build(root, tmp_path / "html", confdir=confdir)
    out = result.stderr
    assert result.returncode != 0, out
    assert "Traceback" not in out and "Exception occurred" not in out, out
    where = f"{root / file}:{line}:" if line else f"{root / file}:"
    assert f"{where} {message}" in out, out
    # one fault each: every problem reported is at that place
    places = {m.group(1) + ":" + m.group(2) for m in PROBLEM.finditer(out)}
    assert places == {f"{root / file}:{line or ''}"}, out


def test_a_damaged_article_fails_the_import_naming_file_and_line(tmp_path, capsys):
    source = FAULTS / "damaged-article" / "article.txt"
    status = import_article.main([str(source), "--docs", str(tmp_path / "docs"),
                                  "--manifest", str(tmp_path / "manifest.json")])
    err = capsys.readouterr().err
    assert status == 2, err
    assert f"{source}:7: " in err and "skips a level" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "docs").exists()
