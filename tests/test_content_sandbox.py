"""The attack corpus: chapter edits a hostile contributor might send, under tests/roots/content-attacks/.

Each page of the corpus tries to make the builder run a command, or read a file outside the book and publish it.
The corpus is copied into a temporary folder; the file it tries to read (a secret made by the test, outside the
copy), the variable it tries to read from the builder's environment and the output of the command it tries to
run are unique to the run. The build must fail naming each page and line, and no byte of any of them may reach
the build folder (the HTML and the doctrees). The book's own include and substitutions still work.
"""
from __future__ import annotations

import os
import shutil
import tomllib
import uuid
from pathlib import Path

import pytest
import yaml

from conftest import NOT_THE_BOOK, ROOT, sphinx_build

CORPUS = ROOT / "tests" / "roots" / "content-attacks"
OUTSIDE = "pages may read only files inside docs/, named relative to the page [book.file]"
EVAL_RST = ("WARNING: {eval-rst} is not allowed in pages: it reaches every reStructuredText directive and role; "
            "write Markdown and the book's directives [book.eval_rst]")
TIMELINE = ("WARNING: {timeline} in a page: it renders its body as an unsandboxed Jinja2 template and reads files "
            "from anywhere; the book's timeline is {dated-events}, from docs/_data/timeline.yaml [book.directive]")
NAMES = "(article_link, history_link, licence, licence_link, received, source_file, source_sha256)"


def image(uri: str, what: str = "show") -> str:
    kind = "image" if what == "show" else "download"
    return (f"WARNING: {kind} {uri!r} is outside docs/: pages may {what} only files inside docs/, named relative to "
            f"the page [book.file]")


def expected(run: dict) -> dict[str, tuple[int, str]]:
    """page: (line, message after 'file:line: '), for one run's secret path and command."""
    environ = "../" * 12 + "proc/self/environ"
    return {
        "substitution-command.md": (3, f"WARNING: substitution {{{{ {run['command_text']} }}}} is not one of the "
                                       f"book's names {NAMES}: a page names a substitution, it never computes one "
                                       "[book.substitution]"),
        "substitution-method.md": (3, f"WARNING: substitution {{{{ licence.upper() }}}} is not one of the book's names "
                                      f"{NAMES}: a page names a substitution, it never computes one "
                                      "[book.substitution]"),
        "literalinclude-environ.md": (3, f"WARNING: {{literalinclude}} may not read this file: {environ!r} is outside "
                                         f"docs/; {OUTSIDE}"),
        "literalinclude-up.md": (3, "WARNING: {literalinclude} may not read this file: '../outside/secret.md' is "
                                    f"outside docs/; {OUTSIDE}"),
        "literalinclude-diff.md": (3, "WARNING: {literalinclude} may not read this file: '../outside/secret.md' is "
                                      f"outside docs/; {OUTSIDE}"),
        "include-absolute.md": (3, f"WARNING: {{include}} may not read this file: {run['secret_path']!r} is an "
                                   f"absolute path; {OUTSIDE}"),
        "include-up.md": (3, f"WARNING: {{include}} may not read this file: '../outside/secret.md' is outside docs/; "
                             f"{OUTSIDE}"),
        # the warning names the included file (inside docs/) whose text tries to read outside
        "front/nested-attack.md": (3, "WARNING: {literalinclude} may not read this file: '../../outside/secret.md' "
                                      f"is outside docs/; {OUTSIDE}"),
        "image-markdown.md": (3, image("../outside/secret.md")),
        "image-hostname.md": (3, image("../" * 12 + "etc/hostname")),
        "image-directive.md": (3, image("../outside/secret.md")),
        "figure.md": (3, image("../outside/secret.md")),
        "image-html.md": (7, image("../outside/secret.md")),  # front matter turns html_image on for the page
        "download.md": (3, image("../outside/secret.md", "offer")),
        "csv-table-file.md": (3, f"WARNING: {{csv-table}} may not read this file: :file: '../outside/secret.md' is "
                                 f"refused; {OUTSIDE}"),
        "csv-table-url.md": (3, "WARNING: {csv-table} may not read this file: :url: 'http://127.0.0.1:9/secret.csv' "
                                f"is refused; {OUTSIDE}"),
        "raw-file.md": (3, "WARNING: {raw} in a page: pages may not carry raw HTML or code; use Markdown and the "
                           "book's directives [book.raw]"),
        "eval-rst-include.md": (3, EVAL_RST),
        "eval-rst-literalinclude.md": (3, EVAL_RST),
        "eval-rst-image.md": (3, EVAL_RST),
        "timeline-template.md": (3, TIMELINE),
        "timeline-events.md": (3, TIMELINE),
        "role-raw.md": (7, "WARNING: {leak} in a page: a role made from raw inserts markup unchecked; pages may not "
                           "carry raw HTML or code [book.raw]"),
        "raw-role.md": (3, "WARNING: {raw} in a page: a role made from raw inserts markup unchecked; pages may not "
                           "carry raw HTML or code [book.raw]"),
        "place-map-chapter.md": (3, "ERROR: place-map statement: no chapter '../outside/secret'"),
        "math.md": (3, "WARNING: math in a page: its text would go unchecked into the LaTeX source, and the web pages "
                       "would load MathJax from another host; write it in words [book.math]"),
        # a reStructuredText page is not parsed by MyST: docutils' and Sphinx's own switches refuse what reads files
        "rst-include.rst": (4, 'WARNING: "include" directive disabled. [docutils]'),
        "rst-literalinclude.rst": (4, "WARNING: File insertion disabled [docutils]"),
        "rst-raw.rst": (4, 'WARNING: "raw" directive disabled. [docutils]'),
        "rst-csv-table.rst": (4, 'WARNING: File and URL access deactivated; ignoring "csv-table" directive.'),
        "rst-image.rst": (4, image("../outside/secret.md")),
        "rst-timeline.rst": (4, TIMELINE),
        "meta-refresh.md": (1, "WARNING: <meta http-equiv='refresh'> in a page: it acts on the reader's browser (a "
                               "refresh sends them elsewhere); pages may set only name= metadata [book.meta]"),
        "tabularcolumns.md": (3, "WARNING: {tabularcolumns} in a page: its spec goes unchecked into the LaTeX source "
                                 "[book.latex]"),
    }


def plant(tmp: Path, pages: list[str] | None = None) -> dict:
    """Copy the corpus (or some of its pages) to tmp/book, with this run's secret, outside it, and command."""
    run = {"secret": f"SECRET-FILE-{uuid.uuid4().hex}", "environ": f"SECRET-ENV-{uuid.uuid4().hex}",
           "output": f"COMMAND-RAN-{uuid.uuid4().hex}", "marker_file": tmp / "command-ran"}
    half = len(run["output"]) // 2
    # the shell joins the two halves: the command's output appears in no page, only the halves do
    shell = f'echo {run["output"][:half]}""{run["output"][half:]}'
    run["command_text"] = (f'cycler.__init__.__globals__.os.popen("{shell} > {run["marker_file"]}; {shell}")'
                           ".read()")
    (tmp / "outside").mkdir()
    secret = tmp / "outside" / "secret.md"
    secret.write_text(run["secret"] + "\n", encoding="utf-8")
    run["secret_path"] = str(secret)
    book = tmp / "book"
    shutil.copytree(CORPUS, book)
    for page in [*book.rglob("*.md"), *book.rglob("*.rst")]:
        if pages is not None and page.relative_to(book).as_posix() not in pages:
            page.unlink()
            continue
        text = page.read_text(encoding="utf-8")
        text = text.replace("@SECRET@", str(secret)).replace("@MARKER_FILE@", str(run["marker_file"]))
        text = text.replace("@MARKER@", f'{run["output"][:half]}""{run["output"][half:]}')
        page.write_text(text, encoding="utf-8")
    run["book"] = book
    return run


def build(run: dict, out: Path):
    os.environ["BOOK_TEST_SECRET"] = run["environ"]  # what /proc/self/environ of the builder would show
    try:  # a copy of the corpus, a tiny book: not the article, and its refused files leave links behind them
        return sphinx_build(run["book"], out, settings=NOT_THE_BOOK)
    finally:
        del os.environ["BOOK_TEST_SECRET"]


def leaks(run: dict, folder: Path) -> list[str]:
    """Every file under folder that holds a byte sequence of the secrets or of the command's output."""
    targets = [run[key].encode() for key in ("secret", "environ", "output")]
    return [str(path) for path in folder.rglob("*") if path.is_file()
            and any(target in path.read_bytes() for target in targets)]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attacks")
    run = plant(tmp)
    run["result"] = build(run, tmp / "build" / "html")
    run["build"] = tmp / "build"
    return run


def test_every_page_of_the_corpus_has_an_expectation():
    pages = {p.relative_to(CORPUS).as_posix() for p in [*CORPUS.rglob("*.md"), *CORPUS.rglob("*.rst")]}
    harmless = {"index.md", "include-nested.md", "front/allowed.md"}  # the reader of front/nested-attack.md
    assert pages - harmless == set(expected({"command_text": "", "secret_path": ""}))


@pytest.mark.slow
def test_every_attack_fails_the_build_naming_file_and_line(attacked):
    out = attacked["result"].stderr
    assert attacked["result"].returncode != 0, out
    assert "Traceback" not in out and "Exception occurred" not in out, out
    for page, (line, message) in expected(attacked).items():
        where = f"{attacked['book'] / page}:{line}:"
        assert f"{where} {message}" in out, f"{page}:\n{out}"
        # one problem per page, at that line
        assert sum(1 for row in out.splitlines() if row.startswith(f"{attacked['book'] / page}:")) == 1, out
    assert out.count(str(attacked["book"])) == len(expected(attacked)), out  # no page reported twice, none else


@pytest.mark.slow
def test_nothing_of_a_target_reaches_the_build(attacked):
    assert attacked["result"].returncode != 0
    assert not attacked["marker_file"].exists(), "the command ran"
    assert leaks(attacked, attacked["build"]) == []
    html = attacked["build"] / "html"
    assert (html / "substitution-command.html").exists()  # the pages were written, without what they asked for
    assert not (html / "_images").exists() and not (html / "_downloads").exists()  # no file was copied out
    assert "http-equiv" not in (html / "meta-refresh.html").read_text(encoding="utf-8")  # no redirect elsewhere


@pytest.mark.slow
def test_the_book_s_own_include_and_substitutions_still_work(attacked):
    index = (attacked["build"] / "html" / "index.html").read_text(encoding="utf-8")
    assert "PERMITTED-INCLUDE-TEXT" in index  # {include} of front/allowed.md, inside docs/
    licence = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))["licence"]
    assert f"The licence is {licence}." in index


@pytest.mark.slow
def test_a_symbolic_link_out_of_docs_stops_the_build_before_anything_is_read(tmp_path):
    run = plant(tmp_path, pages=["index.md", "front/allowed.md"])
    link = run["book"] / "front" / "leak.md"
    link.symlink_to(Path("..") / ".." / "outside" / "secret.md")
    result = build(run, tmp_path / "build" / "html")
    assert result.returncode != 0
    assert (f"ERROR: {link} is a symbolic link to '../../outside/secret.md', outside docs/: the builder would read "
            "or publish what it points at; replace it by the file itself, inside docs/ [book.symlink]") in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "build" / "html" / "index.html").exists()
    assert leaks(run, tmp_path / "build") == []


def owner(path: str, rules: list[tuple[str, str]]) -> str:
    """The owner GitHub asks for a changed path: the last CODEOWNERS rule that matches it."""
    found = ""
    for pattern, team in rules:
        if pattern == "*" or path == pattern.strip("/") or (pattern.endswith("/") and path.startswith(pattern[1:])):
            found = team
    return found


def test_code_needs_a_maintainer_and_pages_an_editor():
    rules = [tuple(line.split()[:2]) for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert all(pattern == "*" or pattern.startswith("/") for pattern, _ in rules)  # anchored: no surprises
    code = ["conf.py", "ext/content_sandbox.py", "booklib/evidence.py", "scripts/check_links.py", "latex/book.sty", "Makefile",
            ".github/workflows/ci.yml", "requirements.txt", "requirements.in", "docs/_templates/page.html",
            "docs/_static/vendor/popper-2.11.8.min.js", "tests/conftest.py", "pyproject.toml"]
    content = ["docs/chapters/pakistan.md", "docs/index.md", "docs/front/title-page.md", "docs/_data/timeline.yaml",
               "docs/refs.bib", "sources/corrections.toml"]
    assert {path: owner(path, rules) for path in code} == dict.fromkeys(code, "@afghan-civil-war-book/maintainers")
    assert {path: owner(path, rules) for path in content} == dict.fromkeys(content, "@afghan-civil-war-book/editors")


def test_ci_builds_pull_requests_read_only_and_without_secrets():
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    ci = yaml.safe_load(text)
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert ci["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in ci["jobs"].values())  # no job widens them
    assert "secrets." not in text
    checkouts = [step for job in ci["jobs"].values() for step in job["steps"]
                 if step.get("uses", "").startswith("actions/checkout")]
    assert checkouts and all(step.get("with", {}).get("persist-credentials") is False for step in checkouts)
