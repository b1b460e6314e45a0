"""Reject a page that still holds conflict markers (from git, or from taking in a newer revision of the article).

A line ``<<<<<<< ...`` opens a conflict, ``=======`` separates the two sides and ``>>>>>>> ...`` closes it; MyST
would render them as text and headings. Each conflict is an error naming the file and the line where it opens,
until a person keeps the right text and deletes the markers.
"""
import re

from sphinx.util import logging

logger = logging.getLogger(__name__)
OPEN, CLOSE = re.compile(r"^<{7}(?: |$)"), re.compile(r"^>{7}(?: |$)")


def conflicts(lines: list[str]) -> list[tuple[int, str]]:
    """(line, problem) for each conflict: an opening marker, or a closing one with no opening above it."""
    found, open_line = [], None
    for number, line in enumerate(lines, 1):
        if OPEN.match(line):
            found.append((number, "a merge conflict starts here"))
            open_line = number
        elif CLOSE.match(line):
            if open_line is None:
                found.append((number, "a merge conflict's closing marker with no opening marker above it"))
            open_line = None
    if open_line is not None:
        found[-1] = (open_line, "a merge conflict starts here and is never closed")
    return found


def check_source(app, docname, source):
    for line, problem in conflicts(source[0].splitlines()):
        logger.error("%s: keep the right text, delete the lines '<<<<<<<', '|||||||', '=======' and '>>>>>>>' "
                     "(CONTRIBUTING.md, 'Take in a newer revision of the article')", problem,
                     location=(docname, line), type="book", subtype="merge_conflict")


def setup(app):
    app.connect("source-read", check_source)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
