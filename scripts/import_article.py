#!/usr/bin/env python3
"""Import the plain-text export of a Wikipedia article into the book's MyST chapters.

The export uses ``= Title =`` for the title, ``==``/``===``/``====`` for sections, an infobox as
``- Key: value`` lines under the title, ``- item`` lines for lists and an interlanguage line such
as ``ja:...`` at the end.

Mapping:
  = Title =        the book title (docs/index.md)
  lead + infobox   docs/chapters/introduction.md, the infobox as an "At a glance" table
  == Part ==       a part of the book: a toctree caption in docs/index.md (a \\part in LaTeX);
                   its own text, if any, becomes the part's opening chapter
  === Chapter ===  one file docs/chapters/<label>.md
  ==== Section ==  a section inside that chapter
  See also, Bibliography, interlanguage line: docs/chapters/further-reading.md

Safety: the importer records what it wrote (source hash, hash of every generated file) in a
manifest. It never overwrites a file whose content differs from what it recorded, i.e. a file a
person has edited (or one it did not write): it names those files, writes nothing and exits 1.
``--check`` reports drift without writing anything.

Exit status: 0 done (or, with --check, nothing drifted); 1 refused or drift found; 2 bad input.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
DEFAULT_DOCS = ROOT / "docs"
DEFAULT_MANIFEST = ROOT / "sources" / "import-manifest.json"
MANIFEST_VERSION = 1

#: Level-2 sections that are back matter rather than parts of the book.
BACK_MATTER = {"see also", "bibliography"}
#: Infobox keys as the export spells them -> the label the book shows (our words).
INFOBOX_LABELS = {
    "Partof": "Part of",
    "Combatant1": "Belligerents, side 1",
    "Combatant2": "Belligerents, side 2",
    "Commander1": "Commanders and leaders, side 1",
    "Commander2": "Commanders and leaders, side 2",
    "Units1": "Units, side 1",
    "Units2": "Units, side 2",
    "Casualties3": "Casualties (third casualties field)",
}
LANGUAGE_NAMES = {"ja": "Japanese"}

HEADING = re.compile(r"^(=+)(.*?)(=*)\s*$")
INFOBOX_LINE = re.compile(r"^- ([A-Za-z][A-Za-z0-9_ ]*?):\s?(.*)$")
LIST_LINE = re.compile(r"^- (.*)$")
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


# ----------------------------------------------------------------------------- parsing

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


# ----------------------------------------------------------------------------- MyST output

ABBREVIATIONS = {"U.S.", "U.N.", "i.", "e.", "i.e.", "e.g.", "Mr.", "Mrs.", "Dr.", "St.", "Gen.", "Lt.", "Col.",
                 "Maj.", "No.", "vs.", "cf.", "Jr.", "Sr."}
SPLIT = re.compile(r"""[.!?]["”’)\]]*\s+(?=["“(\[]?[A-Z0-9])""")


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (one per line in the Markdown; a wrong split is harmless)."""
    out, start = [], 0
    for m in SPLIT.finditer(paragraph):
        head = paragraph[start:m.end()].rstrip()
        last_word = head.split()[-1] if head.split() else ""
        last_word = last_word.rstrip("\"”’)]")
        if last_word in ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", last_word):
            continue
        out.append(head)
        start = m.end()
    out.append(paragraph[start:].strip())
    return [s for s in out if s]


INLINE_ESCAPES = str.maketrans({"\\": "\\\\", "*": "\\*", "`": "\\`", "<": "\\<", "_": "\\_", "$": "\\$"})
BLOCK_START = re.compile(r"^([#>+\-*=|:~]|\d+[.)](\s|$)|\(.*\)=)")


def escape(text: str) -> str:
    """Escape what MyST would read as markup, so that the article's text renders as written."""
    text = text.translate(INLINE_ESCAPES)
    text = re.sub(r"\{(?=[^}]*\}`)", r"\\{", text)  # a {role}` lookalike
    return text


def escape_line(line: str) -> str:
    line = escape(line)
    if BLOCK_START.match(line):
        m = re.match(r"^(\d+)([.)])", line)
        line = f"{m.group(1)}\\{line[len(m.group(1)):]}" if m else "\\" + line
    return line


def paragraph_md(paragraph: str) -> str:
    return "\n".join(escape_line(s) for s in sentences(paragraph))


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def wiki_url(lang: str, title: str) -> str:
    return f"https://{lang}.wikipedia.org/wiki/" + quote(title.replace(" ", "_"), safe="()_-,.'")


GENERATED_NOTE = ("<!-- Imported from {source} by scripts/import_article.py. "
                  "From now on this file is the source: edit it directly. -->")


def render(article: Article, source: Path) -> tuple[dict[str, str], dict]:
    """Return {relative path under docs/: Markdown} and a description of the book's structure."""
    files: dict[str, str] = {}
    labels: dict[str, str] = {}
    header = GENERATED_NOTE.format(source=source.name)

    def claim(label: str, where: str, line: int = 1) -> str:
        if label in labels:
            raise ArticleError(source, line, f"label {label!r} of {where} clashes with {labels[label]}")
        labels[label] = where
        return label

    def chapter(title: str, paragraphs: list[str], subsections: list[Section], label: str, line: int) -> str:
        claim(label, f"chapter {title!r}", line)
        parts = [header, "", f"({label})=", f"# {escape(title)}", ""]
        for p in paragraphs:
            parts += [paragraph_md(p), ""]
        for sub in subsections:
            sub_label = claim(f"{label}-{slug(sub.title)}", f"section {sub.title!r}", sub.line)
            parts += [f"({sub_label})=", f"## {escape(sub.title)}", ""]
            for p in sub.paragraphs:
                parts += [paragraph_md(p), ""]
            for item in sub.items:
                parts.append(f"- {escape(item)}")
            if sub.items:
                parts.append("")
        return "\n".join(parts).rstrip() + "\n"

    # Introduction: the infobox as a table, then the lead.
    intro = [header, "", "(introduction)=", "# Introduction", ""]
    labels["introduction"] = "the introduction"
    if article.infobox:
        labels["introduction-at-a-glance"] = "the infobox table"
        intro += ["(introduction-at-a-glance)=",
                  ":::{list-table} At a glance: the article's infobox",
                  ":header-rows: 1", ":stub-columns: 1", ":widths: 1 3", ":class: at-a-glance", "",
                  "* - Field (our label)", "  - Value (as exported)"]
        if article.infobox_heading:
            intro += ["* - Heading", f"  - {escape(article.infobox_heading)}"]
        for key, value in article.infobox:
            intro += [f"* - {INFOBOX_LABELS.get(key, key)}", f"  - {escape(value) or '(empty)'}"]
        intro += [":::", ""]
    for p in article.lead:
        intro += [paragraph_md(p), ""]
    files["chapters/introduction.md"] = "\n".join(intro).rstrip() + "\n"

    parts_toc: list[tuple[str, list[str]]] = []
    back: list[Section] = []
    for part in article.sections:
        if part.title.casefold() in BACK_MATTER:
            back.append(part)
            continue
        if part.items:
            raise ArticleError(source, part.line, f"a list directly under part {part.title!r} is not supported")
        docs = []
        if part.paragraphs:
            label = slug(part.title)
            files[f"chapters/{label}.md"] = chapter(part.title, part.paragraphs, [], label, part.line)
            docs.append(label)
        for ch in part.children:
            if not ch.has_text and not ch.children:
                raise ArticleError(source, ch.line, f"chapter {ch.title!r} has no text and no sections")
            label = slug(ch.title)
            files[f"chapters/{label}.md"] = chapter(ch.title, ch.paragraphs + ch.items, ch.children, label, ch.line)
            docs.append(label)
        if not docs:
            raise ArticleError(source, part.line, f"part {part.title!r} has no text and no chapters")
        parts_toc.append((part.title, docs))

    # Further reading: See also, the article's bibliography lines, other languages.
    fr = [header, "", "(further-reading)=", "# Further reading", ""]
    claim("further-reading", "the further reading page")
    for sec in back:
        label = claim(f"further-reading-{slug(sec.title)}", f"section {sec.title!r}", sec.line)
        fr += [f"({label})=", f"## {escape(sec.title)}", ""]
        for p in sec.paragraphs:
            fr += [paragraph_md(p), ""]
        for item in sec.items:
            if sec.title.casefold() == "see also":
                fr.append(f"- [{escape(item)}]({wiki_url('en', item)})")
            else:
                fr.append(f"- {escape(item)}")
        fr.append("")
    if article.interlanguage:
        claim("further-reading-other-languages", "the other languages section")
        fr += ["(further-reading-other-languages)=", "## Other languages", "",
               "The same subject in other editions of Wikipedia (the export's interlanguage links):", ""]
        for lang, title in article.interlanguage:
            name = LANGUAGE_NAMES.get(lang, lang)
            fr.append(f"- {name} ({lang}): [{escape(title)}]({wiki_url(lang, title)})")
        fr.append("")
    files["chapters/further-reading.md"] = "\n".join(fr).rstrip() + "\n"

    # The root document: title page and the table of contents in parts.
    index = [header, "", f"# {escape(article.title)}", "",
             ":::{include} front/title-page.md", ":::", "",
             ":::{toctree}", ":maxdepth: 2", "", "chapters/introduction", ":::", ""]
    for caption, docs in parts_toc:
        index += [":::{toctree}", f":caption: {caption}", ":maxdepth: 2", ""]
        index += [f"chapters/{d}" for d in docs]
        index += [":::", ""]
    index += [":::{toctree}", ":caption: Back matter", ":maxdepth: 1", "", "chapters/further-reading", "about", ":::"]
    files["index.md"] = "\n".join(index) + "\n"
    structure = {"title": article.title, "parts": [{"caption": c, "chapters": d} for c, d in parts_toc]}
    return files, structure


# ----------------------------------------------------------------------------- safe writing

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(path: Path) -> dict:
    if not path.exists():
        return {"version": MANIFEST_VERSION, "source_sha256": None, "files": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def classify(docs: Path, files: dict[str, str], manifest: dict) -> dict[str, list[str]]:
    """Sort the files to generate into: new, unchanged, update (safe), edited (a person's: never touch)."""
    out = {"new": [], "unchanged": [], "update": [], "edited": []}
    for rel, content in files.items():
        target = docs / rel
        if not target.exists():
            out["new"].append(rel)
            continue
        current = sha256(target.read_bytes())
        if current == sha256(content.encode("utf-8")):
            out["unchanged"].append(rel)
        elif manifest["files"].get(rel) == current:
            out["update"].append(rel)
        else:
            out["edited"].append(rel)
    return out


def write_atomic(target: Path, content: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(content)
    os.replace(tmp, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="import_article.py",
        description="Turn the plain-text export of the Wikipedia article into the book's MyST chapters. "
                    "Never overwrites a file a person has edited.",
        epilog="Exit status: 0 done; 1 refused (edited files) or, with --check, drift; 2 bad input.")
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help=f"the article export (default: {DEFAULT_SOURCE.relative_to(ROOT)})")
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS,
                        help=f"the book's source folder (default: {DEFAULT_DOCS.relative_to(ROOT)})")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="record of what the importer wrote (default: import-manifest.json beside the source)")
    parser.add_argument("--check", action="store_true",
                        help="report drift between the chapters and the source without writing anything")
    args = parser.parse_args(argv)
    manifest_path = args.manifest or args.source.parent / "import-manifest.json"

    try:
        article = parse(args.source)
        files, structure = render(article, args.source)
    except ArticleError as exc:
        print(f"import_article: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"import_article: error: {exc}", file=sys.stderr)
        return 2

    manifest = load_manifest(manifest_path)
    status = classify(args.docs, files, manifest)
    source_hash = sha256(args.source.read_bytes())
    n_chapters = sum(1 for f in files if f.startswith("chapters/"))
    print(f"import_article: {args.source.name}: {article.title!r}, {len(structure['parts'])} parts, "
          f"{n_chapters} chapter files")

    if args.check:
        drift = False
        if manifest["source_sha256"] not in (None, source_hash):
            print(f"  source changed since the last import ({manifest['source_sha256'][:12]} -> {source_hash[:12]})")
            drift = True
        for kind, says in (("edited", "edited since import (the chapter is now the source)"),
                           ("update", "would change on re-import"), ("new", "missing; would be created")):
            for rel in status[kind]:
                print(f"  {args.docs / rel}: {says}")
                drift = True
        print("import_article: drift found" if drift else "import_article: chapters match the source")
        return 1 if drift else 0

    if status["edited"]:
        print("import_article: refusing to write: these files differ from what the importer last wrote "
              "(edited by a person, or not written by the importer):", file=sys.stderr)
        for rel in status["edited"]:
            print(f"  {args.docs / rel}", file=sys.stderr)
        print("Nothing was written. The chapters are the source of truth now: make the change there.",
              file=sys.stderr)
        return 1
    for rel in status["new"] + status["update"]:
        write_atomic(args.docs / rel, files[rel])
        print(f"  wrote {args.docs / rel}")
    manifest = {"version": MANIFEST_VERSION, "source": args.source.name, "source_sha256": source_hash,
                "files": {rel: sha256(content.encode("utf-8")) for rel, content in sorted(files.items())}}
    write_atomic(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"import_article: {len(status['new']) + len(status['update'])} written, "
          f"{len(status['unchanged'])} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
