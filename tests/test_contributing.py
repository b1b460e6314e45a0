"""The contributor workflow files: valid YAML with the essentials, the same test command as .ci/run, and hooks
that find nothing to rewrite in the book (they never touch MyST syntax) while the spell check still bites."""
from __future__ import annotations

import re
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
    assert re.search(r":::\{editor-note\}\n(?::kind: \w+\n)?[^\n:]+\n:::", text)
    for heading in ("## The rules on facts and sources", "## Fix a typo", "## Edit a chapter",
                    "## Add a person (or a place) to the glossary", "## Cite a verified source",
                    "## Add a timeline event", "## Write an editorial note", "## Run the checks locally"):
        assert heading in text, heading
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "make test" in template and "- [ ]" in template
