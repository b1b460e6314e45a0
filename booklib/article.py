"""The article's plain-text export, parsed: its title, infobox, lead, sections and interlanguage links.

The export uses ``= Title =`` for the title, ``==``/``===``/``====`` for sections, an infobox as ``- Key: value``
lines under the title, ``- item`` lines for lists and an interlanguage line such as ``ja:...`` at the end. Bad input
raises ArticleError with "file:line: what". Plain Python: the importer (scripts/import_article.py) renders it as
chapters (booklib/article_markdown.py); the word checks (booklib/article_words.py) read its words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HEADING = re.compile(r"^(=+)(.*?)(=*)\s*$")
INFOBOX_LINE = re.compile(r"^- ([A-Za-z][A-Za-z0-9_ ]*?):\s?(.*)$")
LIST_LINE = re.compile(r"^- (.*)$")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")  # no text export holds these
INTERLANGUAGE = re.compile(r"^([a-z]{2,3}(?:-[a-z]+)?):(\S.*)$")


class ArticleError(Exception):
    """Bad input: carries the file and the line so that the message points at the problem."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")


@dataclass
class Section:
    level: int
    title: str
    line: int
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # "- item" lines
    children: list["Section"] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return bool(self.paragraphs or self.items)


@dataclass
class Article:
    title: str
    infobox_heading: str | None
    infobox: list[tuple[str, str]]
    lead: list[str]
    sections: list[Section]
    interlanguage: list[tuple[str, str]]


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ArticleError(path, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ArticleError(path, 1, "the file is empty")
    garbage = CONTROL.search(text)
    if garbage:
        line = text.count("\n", 0, garbage.start()) + 1
        raise ArticleError(path, line, f"binary data (character U+{ord(garbage.group()):04X}): the export is damaged")
    return text


def parse(path: Path) -> Article:
    lines = read_text(path).splitlines()
    numbered = [(i + 1, line.rstrip()) for i, line in enumerate(lines)]
    # The title: the first non-empty line must be "= Title =".
    idx = 0
    while idx < len(numbered) and not numbered[idx][1].strip():
        idx += 1
    lineno, first = numbered[idx]
    head = parse_heading(path, lineno, first)
    if head is None or head[0] != 1:
        raise ArticleError(path, lineno, f"expected the title as '= Title =', found {first[:60]!r}")
    title = head[1]
    idx += 1
    if not any(text.lstrip().startswith("=") for _, text in numbered[idx:]):
        raise ArticleError(path, lineno + 1, "the export has no section headings ('== Part ==', '=== Chapter ==='): "
                                             "its structure was lost")

    # Interlanguage links: trailing "xx:Title" lines after the last section.
    interlanguage: list[tuple[str, str]] = []
    end = len(numbered)
    while end > idx:
        ln, text = numbered[end - 1]
        if not text.strip():
            end -= 1
            continue
        m = INTERLANGUAGE.match(text)
        if not m or text.startswith("- "):
            break
        interlanguage.insert(0, (m.group(1), m.group(2).strip()))
        end -= 1

    # Infobox: an optional heading line, then "- Key: value" lines, up to the first blank line.
    infobox_heading, infobox = None, []
    j = idx
    while j < end and not numbered[j][1].strip():
        j += 1
    block = []
    while j < end and numbered[j][1].strip():
        block.append(numbered[j])
        j += 1
    keyed = [b for b in block if INFOBOX_LINE.match(b[1])]
    if keyed and not any(b[1].startswith("=") for b in block):
        rest = [b for b in block if not INFOBOX_LINE.match(b[1])]
        if len(rest) > 1 or (rest and rest[0] is not block[0]):
            ln = rest[-1][0]
            raise ArticleError(path, ln, "infobox block mixes '- Key: value' lines with other text")
        if rest:
            infobox_heading = rest[0][1].strip()
        for ln, text in keyed:
            m = INFOBOX_LINE.match(text)
            infobox.append((m.group(1).strip(), m.group(2).strip()))
        idx = j

    # Lead and sections.
    root = Section(1, title, lineno)
    stack = [root]
    seen: dict[tuple[int, str], int] = {}
    for ln, text in numbered[idx:end]:
        if not text.strip():
            continue
        if text.lstrip().startswith("="):
            head = parse_heading(path, ln, text)
            if head is None:
                raise ArticleError(path, ln, f"malformed heading {text[:60]!r}")
            level, heading = head
            if level == 1:
                raise ArticleError(path, ln, f"second title '= {heading} =': only the first line may be a title")
            if level > 4:
                raise ArticleError(path, ln, f"heading level {level} ({'=' * level}) is deeper than the book supports (4)")
            while stack[-1].level >= level:
                stack.pop()
            parent = stack[-1]
            if level > parent.level + 1:
                raise ArticleError(
                    path, ln,
                    f"heading {heading!r} skips a level: level {level} ({'=' * level}) under level "
                    f"{parent.level} ({'=' * parent.level}) at line {parent.line}")
            key = (id(parent), heading.casefold())
            if key in seen:
                raise ArticleError(path, ln, f"duplicate section {heading!r} at the same place (first at line {seen[key]})")
            seen[key] = ln
            section = Section(level, heading, ln)
            parent.children.append(section)
            stack.append(section)
            continue
        current = stack[-1]
        m = LIST_LINE.match(text)
        if m:
            current.items.append(m.group(1).strip())
        else:
            if current.items:
                raise ArticleError(path, ln, "text after a list in the same section is not supported")
            current.paragraphs.append(text.strip())
    if root.items:
        raise ArticleError(path, numbered[idx][0], "a list in the lead is not supported")
    return Article(title, infobox_heading, infobox, root.paragraphs, root.children, interlanguage)


def parse_heading(path: Path, ln: int, text: str):
    m = HEADING.match(text.strip())
    if not m:
        return None
    left, body, right = m.group(1), m.group(2).strip(), m.group(3)
    if not right:
        raise ArticleError(path, ln, f"heading {text.strip()[:60]!r} has no closing '='")
    if len(left) != len(right):
        raise ArticleError(path, ln, f"unbalanced heading {text.strip()[:60]!r}: {len(left)} '=' before, {len(right)} after")
    if not body or "=" in body:
        raise ArticleError(path, ln, f"malformed heading {text.strip()[:60]!r}")
    return len(left), body
