#!/usr/bin/env python3
"""Check a built PDF of the book against its sources: what a printer and a reader need, read from the PDF itself.

Everything expected is derived from the sources, never copied from an earlier PDF: the chapters and parts from the
toctrees of docs/index.md, the fonts from conf.py, the non-Latin words from the chapters, the attribution from
sources/article.toml. Prints one line per problem and exits 1 when there is any.

    check_pdf.py _build/pdf/afghan-civil-war-1996-2001.pdf --latex-dir _build/latex
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

import conf as book_conf  # the book's conf.py: the fonts, title, author and language the PDF must have

ROOT = Path(__file__).resolve().parent.parent
# Scripts whose words must come out of the PDF as text: Arabic (and its presentation forms), kana and CJK ideographs
NON_LATIN = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")
# Latin letters with diacritics ("Āmer Sāheb-e Shahīd"): words holding one must come out as text too
ACCENTED_WORD = re.compile(r"\w*[\u00c0-\u024f\u1e00-\u1eff]\w*")
PAGES_PER_CHAPTER = (2, 30)  # each chapter opens on a right-hand page; no chapter here runs to 30 pages


@dataclass
class Chapter:
    docname: str
    title: str


@dataclass
class Toctree:
    caption: str | None
    chapters: list[Chapter]


def toctrees(docs: Path) -> list[Toctree]:
    """The toctrees of the root document, in order, with each chapter's title (its first '# ' heading)."""
    trees = []
    for block in re.findall(r"^:::\{toctree\}\n(.*?)^:::$", (docs / "index.md").read_text(encoding="utf-8"),
                            flags=re.MULTILINE | re.DOTALL):
        caption = re.search(r"^:caption:\s*(.+)$", block, flags=re.MULTILINE)
        chapters = []
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith(":"):
                source = (docs / f"{line}.md").read_text(encoding="utf-8")
                title = re.search(r"^# (.+)$", source, flags=re.MULTILINE).group(1).strip()
                chapters.append(Chapter(line, title))
        trees.append(Toctree(caption.group(1).strip() if caption else None, chapters))
    return trees


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)
    walk(reader.outline)
    return titles


def in_outline(title: str, titles: list[str]) -> bool:
    """A bookmark may carry a number: "3 Pakistan", "A Further reading", "I Main participants"; LaTeX sets
    typographic apostrophes ("Editor’s notes")."""
    title = title.replace("'", "’")
    titles = [t.replace("'", "’") for t in titles]
    return any(t == title or re.fullmatch(rf"(?:[0-9]+|[A-Z]|[IVXLC]+)\s+{re.escape(title)}", t) for t in titles)


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext's text (pypdf drops spaces and the Arabic), NFKC-normalised so that Arabic presentation forms
    compare equal to the letters of the source."""
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run(cmd + [str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def squeezed(text: str) -> str:
    """Text without white space and hyphens, so that words broken across lines still match."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def font_problems(reader: PdfReader, conf: dict) -> list[str]:
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            fonts[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    problems = [f"font not embedded: {name}" for name, embedded in sorted(fonts.items()) if not embedded]
    # the serif ("rm") family of every language conf.py sets up must be in the PDF
    names = " ".join(fonts).replace(" ", "").lower()  # e.g. "ABCDEF+NotoSerifCJKjp-Regular"
    for language, family in re.findall(r"\\babelfont(?:\[(\w+)\])?\{rm\}\{([^}]+)\}", conf["latex_elements"]["fontpkg"]):
        if family.replace(" ", "").lower() not in names:
            problems.append(f"font missing: {family} ({language or 'main'} text) is not in the PDF")
    return problems


def printed_sources(docs: Path) -> list[Path]:
    """The Markdown files the PDF is made of: the root document, its chapters, and the files they {include}."""
    sources = [docs / "index.md"] + [docs / f"{c.docname}.md" for tree in toctrees(docs) for c in tree.chapters]
    for source in list(sources):
        for included in re.findall(r"^[:`]{3,}\{include\}\s+(\S+)", source.read_text(encoding="utf-8"), re.MULTILINE):
            sources.append((source.parent / included).resolve())
    return sources


def printed_lines(source: Path):
    """(number, line) of a Markdown file's lines that print: no HTML-only blocks, comments, labels or link targets."""
    html_only = False
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^:::+\{only\}\s+html", line):
            html_only = True
        elif html_only and re.match(r"^:::+\s*$", line):
            html_only = False
        elif not html_only and not re.match(r"^\s*(%|\(.*\)=\s*$)", line):
            yield number, re.sub(r"\]\([^)\s]*\)", "]", line)


def text_problems(text: str, docs: Path) -> list[str]:
    problems = []
    haystack = squeezed(text)
    for source in printed_sources(docs):
        for number, line in printed_lines(source):
            for word in NON_LATIN.findall(line) + ACCENTED_WORD.findall(line):
                if squeezed(unicodedata.normalize("NFKC", word)) not in haystack:
                    problems.append(f"text missing: {word!r} ({source.relative_to(docs)}:{number}) is not "
                                    "extractable from the PDF")
    return problems


def attribution_problems(reader: PdfReader, pdf: Path, article: dict, front_pages: int = 8) -> list[str]:
    """The copyright page (in the front matter) carries the attribution and the licence; the links work."""
    front = squeezed(pdf_text(pdf, 1, front_pages))  # a URL may break across lines
    problems = [f"copyright page: {needed!r} is not in the first {front_pages} pages"
                for needed in (article["title"], article["url"], article["history_url"], article["licence_name"],
                               article["licence"], article["licence_url"], article["received"],
                               "This text was modified", "revision id", article["authors"])
                if squeezed(needed) not in front]
    links = {a.get_object()["/A"].get("/URI") for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/A")}
    problems += [f"no link to {url}" for url in (article["url"], article["history_url"], article["licence_url"])
                 if url not in links]
    return problems


def metadata_problems(reader: PdfReader, conf: dict) -> list[str]:
    info = reader.metadata or {}
    problems = []
    for key, expected in (("/Title", conf["project"]), ("/Author", conf["author"])):
        if info.get(key) != expected:
            problems.append(f"metadata: {key} is {info.get(key)!r}, expected {expected!r}")
    if not info.get("/Subject"):
        problems.append("metadata: no /Subject")
    lang = reader.trailer["/Root"].get("/Lang")
    if lang != conf["language"]:
        problems.append(f"metadata: /Lang is {lang!r}, expected {conf['language']!r}")
    return problems


def index_entries(latex_dir: Path, book: str) -> int:
    idx = latex_dir / f"{book}.idx"
    return len(re.findall(r"^\\indexentry", idx.read_text(encoding="utf-8"), flags=re.MULTILINE)) if idx.exists() else 0


def problems(pdf: Path, latex_dir: Path, docs: Path = ROOT / "docs") -> list[str]:
    conf = vars(book_conf)
    article = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
    reader = PdfReader(pdf)
    found: list[str] = []

    trees = toctrees(docs)
    chapters = [c for tree in trees for c in tree.chapters]
    low, high = (n * len(chapters) for n in PAGES_PER_CHAPTER)
    if not low <= len(reader.pages) <= high:
        found.append(f"page count {len(reader.pages)} is outside {low}..{high} for {len(chapters)} chapters")

    titles = outline_titles(reader)
    for tree in trees:
        if tree.caption and tree.caption not in conf.get("book_parts_appendix_captions", []) \
                and not in_outline(tree.caption, titles):
            found.append(f"outline: no bookmark for the part {tree.caption!r}")
    found += [f"outline: no bookmark for the chapter {c.title!r} ({c.docname})"
              for c in chapters if not in_outline(c.title, titles)]

    book = pdf.stem
    entries = index_entries(latex_dir, book)
    if entries and not in_outline("Index", titles):
        found.append(f"index: {entries} index entries, but no Index in the outline")
    if entries and not re.search(r"^\f*index$", pdf_text(pdf, max(1, len(reader.pages) - 20)),
                                 flags=re.MULTILINE | re.IGNORECASE):
        found.append("index: no Index heading in the last pages")

    found += font_problems(reader, conf)
    found += text_problems(pdf_text(pdf), docs)
    found += attribution_problems(reader, pdf, article)
    found += metadata_problems(reader, conf)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", type=Path, help="the book's PDF")
    parser.add_argument("--latex-dir", type=Path, required=True, help="the LaTeX build folder (for the .idx)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the book's sources (default: docs/)")
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        parser.error(f"no such PDF: {args.pdf}")
    found = problems(args.pdf, args.latex_dir, args.docs)
    for problem in found:
        print(f"{args.pdf}: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
