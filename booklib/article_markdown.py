"""The article as the book's MyST chapters: one file per chapter, a sentence a line, the table of contents in parts.

Mapping:
  = Title =        the book title (docs/index.md)
  lead + infobox   docs/chapters/introduction.md, the infobox as an "At a glance" table
  == Part ==       a part of the book: a toctree caption in docs/index.md (a \\part in LaTeX);
                   its own text, if any, becomes the part's opening chapter
  === Chapter ===  one file docs/chapters/<label>.md
  ==== Section ==  a section inside that chapter
  See also, Bibliography, interlanguage line: docs/chapters/further-reading.md
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from booklib.article import Article, ArticleError, Section, parse
from booklib.slugs import slug

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


def wiki_url(lang: str, title: str) -> str:
    return f"https://{lang}.wikipedia.org/wiki/" + quote(title.replace(" ", "_"), safe="()_-,.'")


GENERATED_NOTE = ("<!-- Imported from {source} by scripts/import_article.py. "
                  "From now on this file is the source: edit it directly. -->")


def render(article: Article, source: Path, name: str | None = None) -> tuple[dict[str, str], dict]:
    """Return {relative path under docs/: Markdown} and a description of the book's structure.

    `name` is the export's file name the files' header gives (a newer revision keeps the book's)."""
    files: dict[str, str] = {}
    labels: dict[str, str] = {}
    header = GENERATED_NOTE.format(source=name or source.name)

    def claim(label: str, where: str, line: int = 1) -> str:
        if label in labels:
            raise ArticleError(source, line, f"label {label!r} of {where} clashes with {labels[label]}")
        labels[label] = where
        return label

    def section(sec: Section, label: str, item_md) -> list[str]:
        """A section's label, heading, paragraphs and list items (each written by item_md)."""
        lines = [f"({label})=", f"## {escape(sec.title)}", ""]
        for p in sec.paragraphs:
            lines += [paragraph_md(p), ""]
        return lines + [f"- {item_md(item)}" for item in sec.items]

    def chapter(title: str, paragraphs: list[str], subsections: list[Section], label: str, line: int) -> str:
        claim(label, f"chapter {title!r}", line)
        parts = [header, "", f"({label})=", f"# {escape(title)}", ""]
        for p in paragraphs:
            parts += [paragraph_md(p), ""]
        for sub in subsections:
            sub_label = claim(f"{label}-{slug(sub.title)}", f"section {sub.title!r}", sub.line)
            parts += section(sub, sub_label, escape)
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
        see_also = sec.title.casefold() == "see also"  # its items are titles of other articles: linked
        fr += section(sec, label, (lambda item: f"[{escape(item)}]({wiki_url('en', item)})") if see_also else escape)
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


def rendered(source: Path) -> dict[str, str]:
    return render(parse(source), source)[0]
