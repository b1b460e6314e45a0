"""Date each HTML page by the last commit that changed its source (or a page source it includes), not the build.

One `git log` for the whole source folder at the start of the build gives every file's last commit date, so a
clean clone shows the same dates as the author's checkout; the dates are kept next to the doctrees for the commit
checked out, so the next build at that commit needs no `git log`. A file with uncommitted changes, or outside any git
repository (a tarball, a copied folder), is dated by its modification time. Data files a page depends on (a
.bib, a timeline's events) do not date it: a new entry for another chapter would re-date every page that cites.
In a shallow clone (CI's and Read the Docs' default) the pages last changed before its history begins get no
date rather than a wrong one; CI and Read the Docs fetch the whole history. Needs html_last_updated_fmt set.
"""
from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sphinx.util import logging
from sphinx.util.i18n import format_date

from booklib import kept_between_builds

logger = logging.getLogger(__name__)
DATES_FILE = "git-dates.pickle"  # the dates of the commit checked out, next to the doctrees


def commit_dates(srcdir: Path, store: Path | None = None) -> tuple[dict[Path, datetime], set[Path]]:
    """Every file's last commit date under srcdir, and the files git sees as changed; empty outside git."""
    dates, changed, _ = history(srcdir, store)
    return dates, changed


def history(srcdir: Path, store: Path | None = None) -> tuple[dict[Path, datetime], set[Path], bool]:
    """commit_dates, and whether the repository is a shallow clone. With ``store`` (a folder: the build's
    doctrees) the dates are kept there, keyed by the commit checked out, so that a build at the same commit runs
    no ``git log`` (which reads the whole history: tens of milliseconds, growing with every commit)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True).stdout
    try:
        top, shallow, head = git("rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD").splitlines()
        status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
        top, shallow = Path(top), shallow == "true"
        key = (str(Path(srcdir).resolve()), str(top), head)
        kept = store is not None and not shallow  # a shallow clone's history may deepen at the same commit
        dates = kept_between_builds.recall(Path(store) / DATES_FILE, key) if kept else None
        if dates is None:
            dates = log_dates(git("log", "--format=%x00%cI", "--name-only", "--no-renames", "--", "."), top, shallow)
            if kept:
                kept_between_builds.keep(Path(store) / DATES_FILE, key, dates)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return {}, set(), False
    changed = {top / line[3:].strip('"') for line in status.splitlines() if len(line) > 3}
    return dates, changed, shallow


def log_dates(log: str, top: Path, shallow: bool) -> dict[Path, datetime]:
    """The last commit date of every file named in ``git log --format=%x00%cI --name-only`` (newest first)."""
    entries = log.split("\0")[1:]
    if shallow and entries:
        # A shallow clone's oldest commit seems to add every file it has: its date would be wrong for all of them.
        # Those pages get no date (unknown), rather than a wrong one; `git fetch --unshallow` gives them theirs.
        entries = entries[:-1]
    dates: dict[Path, datetime] = {}
    for entry in entries:  # newest commit first: the first date seen for a file is its last change
        stamp, *names = entry.strip().splitlines()
        when = datetime.fromisoformat(stamp)
        for name in filter(None, names):
            dates.setdefault(top / name, when)
    return dates


def collect(app):
    """Once per build, before any page is written (kept on app: the environment pickle needs none of it)."""
    html = app.builder.format == "html"
    dates, changed, app._git_shallow = history(Path(app.srcdir), Path(app.doctreedir)) if html else ({}, set(), False)
    app._git_dates = dates, changed
    if app._git_shallow:
        logger.info("git_last_updated: a shallow clone: pages last changed before its history begins show no "
                    "date (git fetch --unshallow gives them their dates)")


def page_date(app, docname: str) -> datetime | None:
    dates, changed = app._git_dates
    env = app.env
    sources = [Path(env.doc2path(docname))]
    suffixes = tuple(app.config.source_suffix)
    sources += [Path(app.srcdir, dep) for dep in env.dependencies.get(docname, ()) if str(dep).endswith(suffixes)]
    found = []
    for path in sources:
        path = path.resolve()
        if path not in changed and path not in dates and app._git_shallow:
            return None  # committed, but before a shallow clone's history begins: the date is unknown
        if path in changed or path not in dates:
            if path.is_file():
                found.append(datetime.fromtimestamp(path.stat().st_mtime, timezone.utc))
        else:
            found.append(dates[path])
    return max(found, default=None)


def set_last_updated(app, pagename, templatename, context, doctree):
    fmt = app.config.html_last_updated_fmt
    if fmt is None or pagename not in app.env.all_docs:
        return
    when = page_date(app, pagename)
    if when is not None:
        context["last_updated"] = format_date(fmt, date=when, language=app.config.language)


def setup(app):
    app.connect("builder-inited", collect)
    app.connect("html-page-context", set_last_updated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
