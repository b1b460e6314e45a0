"""Every word of the article stays in the book, in order: checked in every build, in about a tenth of a second.

While reading, each page's words are collected from its doctree with the line of the chapter file they are on
(one sentence per line, so the line is the sentence). When the build finishes, the book's words (the root page,
then each table of contents' caption and pages, as a reader meets them) are compared with the article's
(``lossless_article``, parsed by booklib/article.py, with the deliberate changes of
``lossless_corrections`` applied). Insertions (links, citations, our notes) are fine. Reported, with the chapter
file and line:

- a word of the article that the book lost or changed: the article's words and the book's, and how to record a
  deliberate change in the corrections file;
- a run of the article's sentences inside a block of ours (an editor's note or any admonition, sidebar or
  topic): an unclosed ``:::`` or a misplaced one swallowed the article's text, which then reads as ours. Words a
  note quotes in quotation marks are never counted, and a run must be longer than a quotation of a few words.

``lossless_article = ""`` switches the check off (the tiny test books are not the article).
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from booklib import article_words  # the article's word stream and the corrections
from ext.config_paths import config_path

logger = logging.getLogger(__name__)
WORD = article_words.WORD
OURS = (nodes.Admonition, nodes.sidebar, nodes.topic)  # blocks in our words; editor notes are admonitions
SKIP = (nodes.comment, nodes.raw, nodes.substitution_definition, nodes.system_message, nodes.meta)
QUOTE = re.compile(r"[\"“”]|\w+")
SWALLOWED_RUN = 12  # article words in a row inside a block of ours; quotations in quotation marks never count


class Page:
    """A page's words in reading order: word, line in its source file, flags; and its tables of contents."""

    OURS, QUOTED = 1, 2

    def __init__(self, source: str):
        self.source = source
        self.words: list[str] = []
        self.lines: list[int] = []
        self.flags: list[int] = []
        self.tocs: list[tuple[str, list[str]]] = []


def collect(app, doctree):
    if not app.config.lossless_article:
        return
    page = Page(app.env.doc2path(app.env.docname).as_posix())
    walk(app, doctree, page, 0, False)
    app.env.lossless_pages[app.env.docname] = page


def walk(app, node, page: Page, line: int, ours: bool, quoted: list | None = None) -> int:
    """Add the words under node to page; return the line reached (a paragraph's lines are its soft breaks)."""
    for child in node.children:
        if isinstance(child, nodes.Text):
            text = str(child)
            state = quoted if quoted is not None else [False]  # in quotation marks, across inline nodes
            for match in QUOTE.finditer(text):
                token = match.group()
                if token in "\"“”":
                    state[0] = token == "“" or (token == '"' and not state[0])
                    continue
                page.words.append(token)
                page.lines.append(line + text.count("\n", 0, match.start()))
                page.flags.append((Page.OURS if ours else 0) | (Page.QUOTED if state[0] else 0))
            line += text.count("\n")
            continue
        if isinstance(child, addnodes.toctree):
            page.tocs.append((child.get("caption") or "", [ref for _title, ref in child["entries"]]))
            continue
        if isinstance(child, SKIP):
            continue
        if isinstance(child, addnodes.only) and not app.tags.eval_condition(child["expr"]):
            continue
        inside = ours or isinstance(child, OURS)
        if isinstance(child, nodes.TextElement) and not isinstance(child, nodes.Inline):  # a paragraph, a title
            walk(app, child, page, child.line or line, inside, [False])
        else:
            line = walk(app, child, page, line, inside, quoted)
    return line


class BookWords:
    """(word, source file, line, flags) of the book in reading order, as a sequence: the pages' own lists side by
    side, not a tuple per word (tens of thousands of them, in every build)."""

    def __init__(self):
        self.words: list[str] = []
        self.flags: list[int] = []
        self._starts: list[int] = []  # where each page's words start in words
        self._pages: list[Page] = []

    def add(self, page: Page) -> None:
        self._starts.append(len(self.words))
        self._pages.append(page)
        self.words.extend(page.words)
        self.flags.extend(page.flags)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, j: int) -> tuple[str, str, int, int]:
        if j < 0:
            j += len(self.words)
        if not 0 <= j < len(self.words):
            raise IndexError(j)
        k = bisect.bisect_right(self._starts, j) - 1
        page, i = self._pages[k], j - self._starts[k]
        return self.words[j], page.source, page.lines[i], self.flags[j]


def book_words(env) -> BookWords:
    """(word, source file, line, flags) of the book in reading order: the root page, then its tables of contents."""
    pages = env.lossless_pages
    out = BookWords()

    def add(docname):
        page = pages.get(docname)
        if page is not None:
            out.add(page)

    root = pages.get(env.config.root_doc)
    add(env.config.root_doc)
    for caption, entries in root.tocs if root else []:
        words = WORD.findall(caption)
        if words:
            heading = Page(root.source)
            heading.words, heading.lines, heading.flags = words, [0] * len(words), [0] * len(words)
            out.add(heading)
        for docname in entries:
            add(docname)
    return out


def subsequence(article: list[str], book: list[str]) -> list[int] | None:
    """Where each article word is in the book, matching as early as possible; None if the book lacks one."""
    where, j, n = [], 0, len(book)
    for word in article:
        while j < n and book[j] != word:
            j += 1
        if j == n:
            return None
        where.append(j)
        j += 1
    return where


def relative(path) -> str:
    """A path as a person typed it: relative to the folder the build runs in, when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def as_written(path, line: int, words: list[str]) -> str:
    """The words as the file's line has them, with their punctuation ("3,000", not "3 000"), when found there."""
    try:
        text = Path(path).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError):
        text = ""
    found = re.search(r"\W+".join(map(re.escape, words)), text) if words else None
    return (found.group() if found else " ".join(words)).replace("\\", "\\\\").replace('"', '\\"')


def lost_or_changed(article, book, corrections: Path) -> list[tuple[str, str]]:
    """(location, message) for each place where the book lost or changed the article's words (difflib's view)."""
    import difflib

    a = [t.word for t in article]
    b = [w for w, *_ in book]
    problems = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("equal", "insert"):
            continue
        j = min(j1, len(book) - 1)
        if tag == "delete" and j1 > 0:
            j = j1 - 1  # the book's word just before the gap
        _w, source, line, _f = book[j]
        lost = " ".join(a[i1:i2])
        got = " ".join(b[j1:j2]) if tag == "replace" else ""
        if len(got) > 200:
            got = got[:200] + "..."
        before = " ".join(a[max(0, i1 - 6):i1])
        after = " ".join(a[i2:i2 + 4])
        file = relative(source)
        context = f"the article has '{before} [{lost}] {after}'"
        change = f"the book has '{before} [{got}] {after}'" if got else "the book lacks the words in brackets"
        path, _, number = article[i1].where.rpartition(":")
        old_words = a[max(0, i1 - 2):i2 + 1]
        new_words = b[max(0, j1 - 2):j1] + b[j1:j2] + b[j2:j2 + 1] if got else a[max(0, i1 - 2):i1] + a[i2:i2 + 1]
        problems.append((f"{source}:{line}", (
            f"the article's words {'changed' if got else 'lost'}: {context} ({relative(path)}:{number}); "
            f"{change}. Restore the article's words (our own words go in an editor's note); or, if the change is "
            f"deliberate, record it in {relative(corrections)}:\n[[correction]]\nchapter = \"{file}\"\n"
            f"article = \"{as_written(path, int(number or 0), old_words)}\"\n"
            f"book = \"{as_written(source, line, new_words)}\"\nreason = \"why, in one sentence\"\n"
            f"and build again")))
    return problems


def swallowed(article_words: list[str], book: BookWords, where: list[int]) -> list[tuple[str, str]]:
    """Runs of the article's words that the book has only inside a block of ours (not in quotation marks)."""
    problems, run = [], []

    def flush():
        if len(run) >= SWALLOWED_RUN:
            _w, source, line, _f = book[where[run[0]]]
            words = " ".join(article_words[i] for i in run[:8])
            problems.append((f"{source}:{line}", (
                f"the article's own text ('{words} ...', {len(run)} words) is inside an editor's note or another "
                "block of ours, so it reads as ours: is a ':::' missing above it, or misplaced? Each block closes "
                "with its own ':::' line before the article's text goes on")))
        run.clear()

    for i, j in enumerate(where):
        flags = book.flags[j]
        if flags & Page.OURS and not flags & Page.QUOTED and (not run or where[run[-1]] == j - 1):
            run.append(i)
        else:
            flush()
            if flags & Page.OURS and not flags & Page.QUOTED:
                run.append(i)
    flush()
    return problems


def check(app, exception):
    if exception or not app.config.lossless_article:
        return
    source = config_path(app, app.config.lossless_article)
    corrections = config_path(app, app.config.lossless_corrections)
    article, errors = article_words.apply_corrections(article_words.article_stream(source), corrections)
    for error in errors:
        logger.warning(error, type="book", subtype="lossless")
    book = book_words(app.env)
    words = [t.word for t in article]
    where = subsequence(words, book.words)
    problems = lost_or_changed(article, book, corrections) if where is None \
        else swallowed(words, book, where)
    for location, message in problems:
        logger.warning(message, location=location, type="book", subtype="lossless")


def purge(app, env, docname):
    env.lossless_pages.pop(docname, None)


def merge(app, env, docnames, other):
    env.lossless_pages.update({d: other.lossless_pages[d] for d in docnames if d in other.lossless_pages})


def init(app):
    if not hasattr(app.env, "lossless_pages"):
        app.env.lossless_pages = {}


def setup(app):
    app.add_config_value("lossless_article", "", "env", str)  # relative to the folder of conf.py
    app.add_config_value("lossless_corrections", "", "env", str)
    app.connect("builder-inited", init)
    app.connect("doctree-read", collect)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("build-finished", check)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
