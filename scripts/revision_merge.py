"""Take a newer revision of the article into chapters that people have edited: a three-way merge per file.

For every file the importer writes (the chapters and docs/index.md) three texts meet:
  base    what the importer wrote last time (kept exactly in sources/import-base/, hashes in the manifest)
  ours    the file as it is now in docs/ (the book's edits: term links, citations, notes, corrections)
  theirs  what the importer renders from the newer export (the article's edits)
merge3 (Breezy's three-way merge) merges them line by line (one sentence per line); where both sides changed
the same lines, the same library merges those few lines again word by word, so that a term link and a reworded
clause in one sentence both survive. What still overlaps is written with conflict markers, which the build
rejects (ext/merge_conflicts.py) until a person resolves them.

Sections the article added, removed or renamed: a new section becomes a new chapter; a removed one is retired
(its file is kept, with the book's edits, and reported); a renamed one (same text, new title) keeps the book's
file and labels, so no link breaks. A chapter a person deleted stays deleted; one a person renamed (moved to
another file) is merged in its new file.
"""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import merge3

BASE_DIR_NAME = "import-base"
TOKEN = re.compile(r"\n|[^\S\n]+|\w+|[^\w\s]")  # words, single marks, runs of spaces, line ends: covers every character
LABEL_LINE = re.compile(r"^\(([a-z0-9-]+)\)=$", re.M)
START, BASE_MARK, MID, END = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


class MergeError(Exception):
    """The import cannot go on safely (a damaged base, a file the importer never wrote in the way)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----------------------------------------------------------------------------- the base

def base_dir(manifest_path: Path) -> Path:
    return manifest_path.parent / BASE_DIR_NAME


def load_base(manifest_path: Path, manifest: dict, reconstruct) -> dict[str, str]:
    """The exact text the importer last wrote, for every file it wrote.

    From the stored copies (manifest version 2), each checked against its recorded hash; for an older manifest,
    by rendering the recorded export again (the importer is deterministic), checked against the same hashes."""
    files = manifest.get("files", {})
    if not files:
        return {}
    out = {}
    if manifest.get("base"):
        folder = manifest_path.parent / manifest["base"]
        for rel, digest in files.items():
            path = folder / rel
            if not path.exists():
                raise MergeError(f"{path}: the stored base of {rel} is missing; restore it from git")
            text = path.read_text(encoding="utf-8")
            if sha256(text.encode("utf-8")) != digest:
                raise MergeError(f"{path}: the stored base of {rel} does not match its hash in {manifest_path}")
            out[rel] = text
        return out
    rendered = reconstruct(manifest_path.parent / manifest["source"])
    for rel, digest in files.items():
        if rel not in rendered or sha256(rendered[rel].encode("utf-8")) != digest:
            raise MergeError(f"{manifest_path}: cannot reconstruct the base of {rel} from {manifest['source']}: "
                             "the importer renders it differently now; the three-way merge needs the exact base")
        out[rel] = rendered[rel]
    return out


def store_base(manifest_path: Path, files: dict[str, str]) -> None:
    folder = base_dir(manifest_path)
    for old in sorted(folder.rglob("*.md")) if folder.exists() else []:
        if old.relative_to(folder).as_posix() not in files:
            old.unlink()
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")


# ----------------------------------------------------------------------------- renames

def chapter_label(rel: str) -> str:
    return rel.removeprefix("chapters/").removesuffix(".md")


def apply_renames(files: dict[str, str], renamed: dict[str, str]) -> dict[str, str]:
    """Rendered files in the book's label space: the article's renamed section keeps the book's label and file."""
    out = {}
    for rel, text in files.items():
        for new, ours in renamed.items():
            text = re.sub(rf"^\({re.escape(new)}(-[a-z0-9-]+)?\)=$", rf"({ours}\1)=", text, flags=re.M)
            text = re.sub(rf"^chapters/{re.escape(new)}$", f"chapters/{ours}", text, flags=re.M)
        label = chapter_label(rel)
        out[f"chapters/{renamed[label]}.md" if rel.startswith("chapters/") and label in renamed else rel] = text
    return out


def body_lines(text: str) -> set[str]:
    """The article's sentences (and infobox values) in a rendered file: no labels, headings, comments, directive
    lines, our infobox labels or blank lines."""
    return {line for line in text.splitlines()
            if line.strip() and not line.startswith(("(", "#", "<!--", ":", "* -"))}


def similarity(a: str, b: str) -> float:
    x, y = body_lines(a), body_lines(b)
    return len(x & y) / max(1, min(len(x), len(y))) if x and y else 0.0


def words_similarity(a: str, b: str) -> float:
    x, y = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(x & y) / max(1, len(x | y))


def find_renames(base: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Chapters the article renamed: a base chapter gone, a new one with mostly the same sentences."""
    gone = [r for r in base if r.startswith("chapters/") and r not in theirs]
    new = [r for r in theirs if r.startswith("chapters/") and r not in base]
    pairs = sorted(((similarity(base[g], theirs[n]), g, n) for g in gone for n in new), reverse=True)
    renamed, used = {}, set()
    for score, g, n in pairs:
        if score >= 0.6 and g not in used and n not in used:
            renamed[chapter_label(n)] = chapter_label(g)
            used |= {g, n}
    return renamed


NOTE = re.compile(r"^(:{3,})\{editor-note\}.*?^\1[ \t]*$", re.M | re.S)


def without_notes(text: str) -> str:
    """A chapter without its editor's notes: our words, and the article's words their evidence copies."""
    return NOTE.sub("", text)


def find_person_moves(docs: Path, base: dict[str, str], theirs: dict[str, str]) -> dict[str, str]:
    """Chapters a person renamed: the base's file is gone, and an unmanaged chapter carries its label or text
    (compared without its editor's notes, which only add words)."""
    managed = set(base) | set(theirs)
    loose = [p for p in sorted((docs / "chapters").glob("*.md")) if f"chapters/{p.name}" not in managed]
    moves = {}
    for rel in base:
        if not rel.startswith("chapters/") or (docs / rel).exists():
            continue
        label_line = f"({chapter_label(rel)})="
        for path in loose:
            text = path.read_text(encoding="utf-8")
            if label_line in text.splitlines() or words_similarity(base[rel], without_notes(text)) >= 0.6:
                moves[rel] = f"chapters/{path.name}"
                loose.remove(path)
                break
    return moves


# ----------------------------------------------------------------------------- merging one file

@dataclass
class FileResult:
    rel: str                 # the file as the importer knows it (under docs/)
    path: str                # where it is in the book (a person may have renamed it)
    kind: str                # merged | unchanged | new | retired | kept-deleted | conflict
    text: str | None = None  # what to write; None: write nothing
    conflicts: list[int] = field(default_factory=list)    # lines of the conflict markers' starts
    article_lines: list[int] = field(default_factory=list)  # lines that carry the article's changes
    inline: int = 0          # overlapping changes merged word by word
    note: str = ""


def merge_words(base: list[str], ours: list[str], theirs: list[str]) -> str | None:
    """Merge a few overlapping lines word by word (the same library, on words); None if they still overlap."""
    tokens = [TOKEN.findall("".join(x)) for x in (base, ours, theirs)]
    out = []
    for region in merge3.Merge3(*tokens).merge_regions():
        what = region[0]
        if what == "conflict":
            return None
        if what == "unchanged":
            out += tokens[0][region[1]:region[2]]
        elif what in ("a", "same"):
            out += tokens[1][region[1]:region[2]]
        else:
            out += tokens[2][region[1]:region[2]]
    return "".join(out)


def merge_text(base: str, ours: str, theirs: str, path: str, revision: str) -> tuple[str, list[int], list[int], int]:
    """Three-way merge; returns the text, the conflicts' first lines, the lines holding the article's changes and
    how many overlaps were merged word by word."""
    b, o, t = (x.splitlines(keepends=True) for x in (base, ours, theirs))
    out: list[str] = []
    conflicts, article, inline = [], [], 0

    def emit(lines, from_article=False):
        start = len(out)
        out.extend(lines)
        if from_article:
            article.extend(range(start + 1, len(out) + 1))

    for region in merge3.Merge3(b, o, t).merge_regions():
        what = region[0]
        if what == "unchanged":
            emit(b[region[1]:region[2]])
        elif what in ("a", "same"):
            emit(o[region[1]:region[2]])
        elif what == "b":
            emit(t[region[1]:region[2]], True)
        else:
            zb, za, zt = b[region[1]:region[2]], o[region[3]:region[4]], t[region[5]:region[6]]
            words = merge_words(zb, za, zt)
            if words is not None:
                inline += 1
                for line in words.splitlines(keepends=True):  # the article's lines: those the merge changed
                    emit([line], line not in za)
                continue
            for chunk in (za, zb, zt):
                if chunk and not chunk[-1].endswith("\n"):
                    chunk[-1] += "\n"
            conflicts.append(len(out) + 1)
            emit([f"{START} the book: docs/{path}\n"])
            emit(za)
            emit([f"{BASE_MARK} the article as imported before\n"])
            emit(zb)
            emit([f"{MID}\n"])
            emit(zt, True)
            emit([f"{END} the article: {revision}\n"])
    return "".join(out), conflicts, article, inline


# ----------------------------------------------------------------------------- the whole book

@dataclass
class Plan:
    files: list[FileResult]
    renamed: dict[str, str]        # the article's new label -> the book's label (all renames so far)
    new_renames: dict[str, str]    # found in this import
    person_moves: dict[str, str]   # base file -> the file a person renamed it to
    theirs: dict[str, str]         # the new base, in the book's label space
    origins: dict[str, list[tuple[str, int, int]]]  # new chapter -> [(base chapter, shared sentences, of)]
    moved_parts: list[tuple[str, str, str]]         # chapter, from part, to part

    def by_kind(self, kind: str) -> list[FileResult]:
        return [f for f in self.files if f.kind == kind]

    @property
    def conflicts(self) -> int:
        return sum(len(f.conflicts) for f in self.files)


def toc_parts(index_text: str) -> dict[str, str]:
    """{chapter label: caption of its part} from a rendered docs/index.md."""
    out, caption = {}, ""
    for line in index_text.splitlines():
        if line.startswith(":caption: "):
            caption = line.removeprefix(":caption: ")
        elif line == ":::":
            caption = ""
        elif line.startswith("chapters/"):
            out[line.removeprefix("chapters/")] = caption
    return out


def plan(docs: Path, base: dict[str, str], rendered: dict[str, str], renamed: dict[str, str],
         revision: str) -> Plan:
    theirs = apply_renames(rendered, renamed)
    new_renames = find_renames(base, theirs)
    if new_renames:
        renamed = {**{k: new_renames.get(v, v) for k, v in renamed.items()}, **new_renames}
        theirs = apply_renames(rendered, renamed)
    moves = find_person_moves(docs, base, theirs)
    results = []
    for rel in sorted(set(base) | set(theirs), key=lambda r: (r != "index.md", r)):
        path = moves.get(rel, rel)
        target = docs / path
        ours = target.read_text(encoding="utf-8") if target.exists() else None
        if rel in theirs and rel not in base:
            if ours is None:
                results.append(FileResult(rel, path, "new", theirs[rel], note="a section the article added"))
            elif ours == theirs[rel]:
                results.append(FileResult(rel, path, "unchanged"))
            else:
                raise MergeError(f"{target}: the new revision has a chapter here, but this file was not written by "
                                 "the importer; rename or remove it, then import again. Nothing was written.")
        elif rel in base and rel not in theirs:
            if ours is None:
                results.append(FileResult(rel, path, "kept-deleted", note="the article removed it too"))
            else:
                results.append(FileResult(rel, path, "retired", note="the article removed this section; the file "
                                          "is kept with the book's edits and no longer in the table of contents"))
        elif ours is None:
            results.append(FileResult(rel, path, "kept-deleted", note="deleted by a person; stays deleted"))
        else:
            text, conflicts, article, inline = merge_text(base[rel], ours, theirs[rel], path, revision)
            kind = "conflict" if conflicts else ("unchanged" if text == ours else "merged")
            results.append(FileResult(rel, path, kind, None if text == ours else text, conflicts, article, inline))
    origins = {}
    for res in results:
        if res.kind == "new" and res.rel.startswith("chapters/"):
            lines = body_lines(theirs[res.rel])
            found = [(r, len(lines & body_lines(text)), len(lines)) for r, text in base.items()
                     if r.startswith("chapters/")]
            origins[res.rel] = sorted((f for f in found if f[1]), key=lambda f: -f[1])
    before, after = toc_parts(base.get("index.md", "")), toc_parts(theirs.get("index.md", ""))
    moved_parts = [(c, before[c], after[c]) for c in after if c in before and before[c] != after[c]]
    return Plan(results, renamed, new_renames, moves, theirs, origins, moved_parts)


# ----------------------------------------------------------------------------- what changed in the article

def sentence_changes(old: dict[str, str], new: dict[str, str], plain) -> list[dict]:
    """Per chapter, the article's sentences added and removed between two renderings (not the book's edits).

    `plain` turns a rendered line back into the article's words (undoing the importer's escapes)."""
    out = []
    for rel in sorted(set(old) | set(new)):
        if not rel.startswith("chapters/"):
            continue
        a = [line for line in old.get(rel, "").splitlines() if line in body_lines(old.get(rel, ""))]
        b = [line for line in new.get(rel, "").splitlines() if line in body_lines(new.get(rel, ""))]
        added, removed = [], []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag in ("delete", "replace"):
                removed += [plain(x) for x in a[i1:i2]]
            if tag in ("insert", "replace"):
                added += [plain(x) for x in b[j1:j2]]
        title_of = lambda text: next((line[2:] for line in text.splitlines() if line.startswith("# ")), "")  # noqa: E731
        old_title, new_title = title_of(old.get(rel, "")), title_of(new.get(rel, ""))
        if added or removed or old_title != new_title:
            out.append({"chapter": chapter_label(rel), "title": plain(new_title or old_title),
                        "old_title": plain(old_title) if old_title != new_title else "",
                        "status": "new" if rel not in old else ("removed" if rel not in new else "changed"),
                        "added": added, "removed": removed})
    return out


def load_changes(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"changes": []}
