"""Date each HTML page by the last commit that changed its source (or a page source it includes), not the build.

One `git log` for the whole source folder at the start of the build gives every file's last commit date, so a
clean clone shows the same dates as the author's checkout. A file with uncommitted changes, or outside any git
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

logger = logging.getLogger(__name__)


def commit_dates(srcdir: Path) -> tuple[dict[Path, datetime], set[Path]]:
    """Every file's last commit date under srcdir, and the files git sees as changed; empty outside git."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=srcdir, capture_output=True, text=True, check=True).stdout
    try:
        top = Path(git("rev-parse", "--show-toplevel").strip())
        log = git("log", "--format=%x00%cI", "--name-only", "--no-renames", "--", ".")
        status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
        shallow = git("rev-parse", "--is-shallow-repository").strip() == "true"
    except (OSError, subprocess.CalledProcessError):
        return {}, set()
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
    changed = {top / line[3:].strip('"') for line in status.splitlines() if len(line) > 3}
    return dates, changed


def collect(app):
    """Once per build, before any page is written (kept on app: the environment pickle needs none of it)."""
    app._git_dates = commit_dates(Path(app.srcdir)) if app.builder.format == "html" else ({}, set())
    app._git_shallow = app.builder.format == "html" and is_shallow(Path(app.srcdir))
    if app._git_shallow:
        logger.info("git_last_updated: a shallow clone: pages last changed before its history begins show no "
                    "date (git fetch --unshallow gives them their dates)")


def is_shallow(srcdir: Path) -> bool:
    done = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=srcdir, capture_output=True,
                          text=True)
    return done.returncode == 0 and done.stdout.strip() == "true"


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
