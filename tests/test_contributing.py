"""The contributor workflow files: valid YAML with the essentials, the same test command as .ci/run, and hooks
that find nothing to rewrite in the book (they never touch MyST syntax) while the spell check still bites."""
from __future__ import annotations

import re
import tomllib
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT

YAML_FILES = [ROOT / ".github" / "workflows" / "ci.yml", ROOT / ".readthedocs.yaml", ROOT / ".pre-commit-config.yaml",
              ROOT / ".github" / "ISSUE_TEMPLATE" / "edit-chapter.yml", ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"]


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def test_every_yaml_file_of_the_repository_parses():
    found = {p for p in ROOT.rglob("*.y*ml") if not {".venv", "_build", ".git"} & set(p.relative_to(ROOT).parts)}
    assert set(YAML_FILES) <= found
    for path in found:
        assert isinstance(load(path), dict), path


def test_ci_runs_the_same_command_as_ci_run_on_every_pull_request():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    triggers = ci[True] if True in ci else ci["on"]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["schedule"][0]["cron"].split()[4] == "1"  # weekly
    test = ci["jobs"]["test"]
    assert "bash .ci/run" in steps(test)
    assert test["container"] == "debian:12"  # the clean machine the README promises
    assert "schedule" in test["if"]  # the weekly run is the link check's, not a second test run


def test_the_weekly_link_check_reports_and_never_blocks():
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    job = ci["jobs"]["external-links"]
    assert "make linkcheck" in steps(job)
    assert job["continue-on-error"] is True
    assert "schedule" in job["if"] and "pull_request" not in job["if"]
    uploads = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and "_build/linkcheck/report.md" in uploads[0]["with"]["path"]


def test_read_the_docs_builds_html_pdf_and_epub_strictly_with_their_toolchains():
    rtd = load(ROOT / ".readthedocs.yaml")
    assert rtd["version"] == 2 and {"pdf", "epub"} <= set(rtd["formats"])
    assert rtd["build"]["tools"]["python"] == "3.11"
    jobs = rtd["build"]["jobs"]["build"]
    # make book: the PDF and the EPUB first, then the HTML that offers them; the other jobs hand them over
    assert any(line.startswith("make book") for line in jobs["html"])
    assert any("_build/pdf/" in line for line in jobs["pdf"]) and any("_build/epub/" in line for line in jobs["epub"])
    assert re.search(r"^book: pdf epub html\b", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    assert rtd["sphinx"]["fail_on_warning"] is True
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^STRICT\s*=.*-W", makefile, flags=re.M)  # the Makefile's builds fail on warnings
    for script in ("ensure-tex", "ensure-epubcheck"):
        packages = re.search(r'^PACKAGES="([^"]+)"', (ROOT / "scripts" / script).read_text(), flags=re.M).group(1)
        assert set(packages.split()) <= set(rtd["build"]["apt_packages"]), script


def test_pre_commit_hooks_fit_markdown_and_never_write_words():
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"trailing-whitespace", "end-of-file-fixer", "codespell"} <= set(hooks)
    assert "--markdown-linebreak-ext=md" in hooks["trailing-whitespace"]["args"]
    for hook in hooks.values():
        assert not {"-w", "--write-changes"} & set(hook.get("args", [])), hook
    codespell_rev = next(r["rev"] for r in config["repos"] if "codespell" in r["repo"])
    pinned = re.search(r"^codespell==(\S+)$", (ROOT / "requirements.txt").read_text(), flags=re.M).group(1)
    assert codespell_rev == f"v{pinned}"  # the hook is the version the tests run


def test_the_whitespace_hooks_find_nothing_to_change_in_the_book():
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n"), page
        for number, line in enumerate(text.split("\n"), 1):
            trailing = len(line) - len(line.rstrip())
            assert trailing == 0 or line.endswith("  ") and not line.endswith("   "), f"{page}:{number}"


def codespell(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "codespell_lib", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_spell_check_passes_on_the_book_with_its_word_list(tmp_path):
    result = codespell()
    assert result.returncode == 0, result.stdout + result.stderr
    typo = "t" + "eh"  # spelt apart, or the check of this very file would find it
    chapter = tmp_path / "chapter.md"
    chapter.write_text(f"(kabul)=\n# Kabul\n\nThe city of Herat and {typo} city of Kabul.\n", encoding="utf-8")
    result = codespell(str(chapter))
    assert result.returncode != 0 and f"{chapter}:4: {typo} ==> the" in result.stdout


def test_the_issue_form_offers_every_chapter():
    form = load(ROOT / ".github" / "ISSUE_TEMPLATE" / "edit-chapter.yml")
    fields = {item.get("id"): item for item in form["body"]}
    options = fields["chapter"]["attributes"]["options"]
    chapters = {p.stem for p in (ROOT / "docs" / "chapters").glob("*.md")}
    assert chapters == set(options[:-1]) and options[-1].startswith("another page")
    assert all(fields[f]["validations"]["required"] for f in ("chapter", "kind", "where", "what"))


def test_contributing_shows_the_editor_note_syntax_and_every_task():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    # the note's options (kind, evidence: one passage per indented line) between two '---' lines, then our words
    assert re.search(r":::\{editor-note\}\n---\nkind: \w+\nevidence: \|\n(?:  \S.*\n)+---\n[^\n:]+\n:::", text)
    for heading in ("## The rules on facts and sources", "## Fix a typo", "## Edit a chapter",
                    "## Add a person (or a place) to the glossary", "## Cite a verified source",
                    "## Add a timeline event", "## Write an editorial note", "## Run the checks locally"):
        assert heading in text, heading
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "make test" in template and "- [ ]" in template


def hook_files(hook: dict, suffixes: tuple[str, ...] = ()) -> list[str]:
    """The files `pre-commit run --all-files` gives the hook: the repository's text files, less its exclude."""
    exclude = re.compile(hook.get("exclude", "^$"))
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [n for n in names if not exclude.search(n) and (ROOT / n).is_file() and n.endswith(suffixes)
            and b"\0" not in (ROOT / n).read_bytes()[:8000]]


def test_the_pre_commit_hooks_pass_on_the_repository_as_it_is():
    """What `pre-commit run --all-files` runs, with the same files and settings, without fetching the hooks."""
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    problems = []
    for name in hook_files(hooks["trailing-whitespace"]):
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").split("\n"), 1):
            trailing = len(line) - len(line.rstrip())
            if trailing and not (name.endswith(".md") and line.endswith("  ") and line[:-2] == line.rstrip()):
                problems.append(f"{name}:{number}: trailing whitespace")
    for name in hook_files(hooks["end-of-file-fixer"]):
        data = (ROOT / name).read_bytes()
        if data and (not data.endswith(b"\n") or data.endswith(b"\n\n")):
            problems.append(f"{name}: does not end with exactly one newline")
    for name in hook_files(hooks["check-yaml"], (".yaml", ".yml")):
        try:
            yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{name}: not valid YAML: {exc}")
    for name in hook_files(hooks["check-toml"], (".toml",)):
        try:
            tomllib.loads((ROOT / name).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{name}: not valid TOML: {exc}")
    for name in hook_files(hooks["check-merge-conflict"]) + hook_files(hooks["mixed-line-ending"]):
        data = (ROOT / name).read_bytes()
        if re.search(rb"^(<<<<<<< |=======\r?$|>>>>>>> )", data, flags=re.M):
            problems.append(f"{name}: merge conflict marker")
        if b"\r\n" in data and re.search(rb"(?<!\r)\n", data):
            problems.append(f"{name}: mixed line endings")
    assert problems == []
    result = codespell(*hook_files(hooks["codespell"]))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_codespell_hook_skips_what_its_settings_skip():
    """codespell's `skip` (pyproject.toml) works only on folders it walks; the hook's exclude must say the same."""
    config = load(ROOT / ".pre-commit-config.yaml")
    hook = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "codespell")
    exclude = re.compile(hook["exclude"])
    skip = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["codespell"]["skip"]
    for pattern in skip.split(","):
        if pattern.startswith("./") and pattern not in ("./.git", "./.venv", "./_build"):
            path = pattern[2:]
            assert exclude.search(path + ("" if "." in Path(path).name else "/x")), pattern
        elif pattern.startswith("*."):
            assert exclude.search("docs/a" + pattern[1:]), pattern


def contributing() -> str:
    return (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_contributing_cites_and_links_what_the_book_has_and_its_correction_example_has_the_right_form():
    text = contributing()
    keys = set(re.findall(r"\{cite:p\}`([^`]+)`", text))
    assert keys and keys <= set(re.findall(r"^@\w+\{([^,]+),", (ROOT / "docs" / "refs.bib").read_text(), re.M))
    labels = set(re.findall(r"\{ref\}`(?:[^`<]*<)?([a-z0-9-]+)>?`", text))
    anchors = (ROOT / "public-anchors.txt").read_text(encoding="utf-8")
    assert labels and all(f"#{label}\n" in anchors or f"/{label}.html\n" in anchors for label in labels), labels
    example = tomllib.loads(re.search(r"```toml\n(.*?)```", text, re.S).group(1))["correction"][0]
    header = (ROOT / "sources" / "corrections.toml").read_text(encoding="utf-8")
    shown = tomllib.loads("\n".join(line[2:] for line in header.splitlines() if line.startswith("# ")
                                    and re.match(r"# (\[\[correction\]\]|\w+ = )", line)))["correction"][0]
    assert set(example) == set(shown) == {"chapter", "article", "book", "reason"}
    assert (ROOT / example["chapter"]).is_file() and (ROOT / shown["chapter"]).is_file()  # one form: the path


def test_the_platform_the_documents_promise_is_the_one_ci_tests():
    """README and CONTRIBUTING promise Debian 12: the system of CI's container, whose python3 (3.11) the
    Makefile accepts. Other systems are named only as untested."""
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    assert ci["jobs"]["test"]["container"] == "debian:12"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "sys.version_info[:2] == (3, 11)" in makefile  # Debian 12's python3 is 3.11
    for name in ("README.md", "CONTRIBUTING.md"):
        promise = next(line for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
                       if line.startswith("On ") and "python3" in line)
        assert "Debian 12" in promise and "Ubuntu" not in promise, (name, promise)
    assert "Other systems are not tested" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_and_read_the_docs_fetch_the_history_the_page_dates_need():
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    checkout = next(s for s in ci["jobs"]["test"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    rtd = load(ROOT / ".readthedocs.yaml")
    assert any("git fetch --unshallow" in line for line in rtd["build"]["jobs"]["post_checkout"])


def test_no_push_cancels_the_weekly_link_check():
    ci = load(ROOT / ".github" / "workflows" / "ci.yml")
    group, cancel = ci["concurrency"]["group"], str(ci["concurrency"]["cancel-in-progress"])
    # the group of a scheduled run differs from any branch's, and a scheduled run cancels nothing
    assert "github.event_name == 'schedule'" in group and "github.ref" in group
    assert cancel == "${{ github.event_name != 'schedule' }}"
