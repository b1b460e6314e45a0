#!/usr/bin/env python3
"""Import the plain-text export of a Wikipedia article into the book's MyST chapters: the command line.

The export is parsed by booklib/article.py and rendered as chapters by booklib/article_markdown.py (which says how
the article's parts map onto the book's); files are written by booklib/written_files.py.

Safety: the importer keeps the exact text it wrote (the base: sources/import-base/, hashes in
sources/import-manifest.json). A newer export is taken in by a three-way merge per file (base,
the book's file, the new rendering: scripts/revision_merge.py), so no line a person wrote is lost;
overlapping edits become conflict markers that the build rejects. A damaged, truncated or
different article is refused before anything is written. The checks after a merge
(scripts/import_checks.py) list what the new text broke, with file and line. ``--dry-run`` prints
all of it and writes nothing; ``--check`` says whether the chapters differ from the base only by
the book's expected edits (insertions: term links, citations, notes; recorded corrections).

Exit status: 0 done (or, with --check, only the expected drift); 1 conflicts or checks to follow up
(or unexpected drift); 2 bad input, nothing written.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from booklib.article import Article, ArticleError, parse
from booklib.article_words import WORD, corrections
from booklib.article_markdown import escape, render, rendered
from booklib.written_files import MANIFEST_VERSION, load_manifest, sha256, write_atomic
from scripts import import_checks
from scripts import revision_merge

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "sources" / "afghan-civil-war-1996-2001.txt"
DEFAULT_DOCS = ROOT / "docs"
DEFAULT_MANIFEST = ROOT / "sources" / "import-manifest.json"

# ----------------------------------------------------------------------------- the book's expected drift

def corrections_for(corrections_file: Path, rel: str) -> list[tuple[list[str], list[str]]]:
    return [(WORD.findall(c.get("article", "")), WORD.findall(c.get("book", "")))
            for c in corrections(corrections_file) if Path(c.get("chapter", "")).name == Path(rel).name]


def words_with_lines(text: str) -> list[tuple[str, int]]:
    return [(m.group(), text.count("\n", 0, m.start()) + 1) for m in WORD.finditer(text)]


NOTE_OPTIONS = re.compile(r"^(:{3,}\{editor-note\}[^\n]*\n)(---\n.*?\n---)$", re.M | re.S)


def without_note_options(text: str) -> str:
    """The text with each editor's note's options block ('---' ... '---') blanked, its lines kept. Its `evidence`
    copies the article's words: compared with the imported text, that copy would be matched instead of the
    article's own sentence (which carries term links), and the sentence reported as lost."""
    return NOTE_OPTIONS.sub(lambda m: m.group(1) + "\n" * m.group(2).count("\n"), text)


def unexpected_drift(base: str, ours: str, fixes: list[tuple[list[str], list[str]]]) -> list[tuple[int, str]]:
    """Where the file lost or changed words the importer wrote. Insertions (term links, citations, notes,
    labels) are the book's expected drift, and so are the recorded corrections. The evidence of notes is left
    out (without_note_options)."""
    ours = without_note_options(ours)
    a = words_with_lines(base)
    for old, new in fixes:
        plain = [w for w, _ in a]
        for i in reversed([i for i in range(len(plain) - len(old) + 1) if old and plain[i:i + len(old)] == old]):
            a[i:i + len(old)] = [(w, a[i][1]) for w in new]
    b = words_with_lines(ours)
    out = []
    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "insert"):
            continue
        line = b[min(j1, len(b) - 1)][1] if b else 1
        lost = " ".join(w for w, _ in a[i1:i2])
        got = " ".join(w for w, _ in b[j1:j2])
        out.append((line, f"the imported words {lost!r} " + (f"became {got!r}" if got else "are missing")
                    + f" (imported at line {a[i1][1]})"))
    return out


def check_drift(source: Path, docs: Path, manifest_path: Path, manifest: dict, base: dict[str, str],
                theirs: dict[str, str]) -> int:
    problems, expected = [], []
    if manifest.get("source_sha256") not in (None, sha256(source.read_bytes())):
        problems.append(f"{source}: not the export last imported ({manifest['source_sha256'][:12]}); "
                        "take it in with 'make import ARTICLE=...'")
    elif base and revision_merge.apply_renames(theirs, manifest.get("renamed", {})) != base:
        problems.append(f"{manifest_path}: the importer renders {source.name} differently from the recorded base "
                        "(its rendering code changed): the next import would show those changes as the article's")
    moves = revision_merge.find_person_moves(docs, base, base)
    for rel in sorted(base):
        path = moves.get(rel, rel)
        target = docs / path
        if not target.exists():
            problems.append(f"{target}: written by the importer, now missing (deleted by a person? a new import "
                            "keeps it deleted)")
            continue
        ours = target.read_text(encoding="utf-8")
        if ours == base[rel]:
            continue
        found = unexpected_drift(base[rel], ours, corrections_for(manifest_path.parent / "corrections.toml", rel))
        problems += [f"{target}:{line}: {what}" for line, what in found]
        if not found:
            expected.append(path + (f" (renamed by a person from {rel})" if path != rel else ""))
    for line in problems:
        print(f"  {line}")
    if problems:
        print(f"import_article: unexpected drift: {len(problems)} problem(s) above; the chapters lost or changed "
              "words the importer wrote (a deliberate change to the article's words belongs in "
              "sources/corrections.toml)")
        return 1
    print(f"import_article: only the expected drift: {len(expected)} of {len(base)} files carry the book's "
          "additions (term links, citations, notes, labels, recorded corrections); every word the importer wrote "
          "is still there, in order")
    return 0


# ----------------------------------------------------------------------------- refusing a bad newer export

def refuse_bad_revision(source: Path, article: Article, files: dict[str, str], base: dict[str, str],
                        base_words: int, allow_shrink: bool) -> None:
    """A newer export must be the same article, with its sections, and not much shorter than the last one."""
    base_title = next((line[2:] for line in base.get("index.md", "").splitlines() if line.startswith("# ")), None)
    if base_title is not None and escape(article.title) != base_title:
        raise ArticleError(source, 1, f"this export is of the article {article.title!r}, but the book is "
                                      f"{base_title!r}: a different article")
    if not base or allow_shrink:
        return
    kept = [r for r in base if r in files]
    chapters = [r for r in base if r.startswith("chapters/")]
    new_words = len(WORD.findall(source.read_text(encoding="utf-8")))
    if len([r for r in kept if r.startswith("chapters/")]) * 2 < len(chapters) or new_words * 10 < base_words * 6:
        last = source.read_text(encoding="utf-8").rstrip().splitlines()[-1:] or [""]
        raise ArticleError(source, len(source.read_text(encoding="utf-8").splitlines()),
                           f"the export looks truncated or damaged: it keeps {len(kept)} of the {len(base)} files "
                           f"and has {new_words} words where the last one had {base_words}; it ends with "
                           f"{last[0][:60]!r}. If the article really shrank this much, pass --allow-shrink")


# ----------------------------------------------------------------------------- the revisions taken in

def record_revision(sources: Path, source: Path, received: str, revision: str) -> dict:
    """Keep the newer export in sources/ (the current copy and sources/revisions/) and name it in article.toml."""
    toml_path = sources / "article.toml"
    meta = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    data = source.read_bytes()
    digest = sha256(data)
    archived = f"revisions/{received}-{digest[:12]}.txt"
    write_atomic(sources / archived, data)
    write_atomic(sources / meta["file"], data)
    text = toml_path.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\n[[revisions]]")
    for key, value in (("sha256", digest), ("received", received), ("revision", revision)):
        head = re.sub(rf'^{key} = "[^"]*"', f'{key} = "{value}"', head, count=1, flags=re.M)
    entry = (f'\n[[revisions]]\nfile = "{archived}"\nsha256 = "{digest}"\nreceived = "{received}"\n'
             f'revision = "{revision}"\n')
    write_atomic(toml_path, head + sep + tail.rstrip("\n") + ("\n" if sep else "") + entry)
    return {"file": archived, "sha256": digest, "received": received, "revision": revision}


def plain_words(line: str) -> str:
    """A rendered line back to the article's words: no list mark, no link markup, no escapes."""
    line = re.sub(r"^(?:  )?- ", "", line)
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return re.sub(r"\\(.)", r"\1", line)


# ----------------------------------------------------------------------------- the import

def describe(plan) -> list[str]:
    out = []
    for res in plan.files:
        where = f"docs/{res.path}"
        if res.kind == "merged":
            extra = f"; {res.inline} overlap(s) merged word by word" if res.inline else ""
            out.append(f"  merged cleanly: {where} ({len(res.article_lines)} line(s) from the article{extra})")
        elif res.kind == "conflict":
            out.append(f"  CONFLICT: {where}: {len(res.conflicts)} conflict(s), at line(s) "
                       + ", ".join(map(str, res.conflicts)))
        elif res.kind == "new":
            origin = plan.origins.get(res.rel) or []
            came = "; ".join(f"{n} of {m} sentences were in docs/{r}" for r, n, m in origin[:2])
            out.append(f"  new chapter: {where} ({res.note}{'; ' + came + ': split or moved' if came else ''})")
        elif res.kind == "retired":
            out.append(f"  retired: {where}: {res.note}; delete it, or keep its words elsewhere")
        elif res.kind == "kept-deleted":
            out.append(f"  kept deleted: {where} ({res.note})")
    for new, ours in plan.new_renames.items():
        out.append(f"  renamed by the article: section '{new}' is docs/chapters/{ours}.md, whose file and labels "
                   "stay (links keep working)")
    for rel, path in plan.person_moves.items():
        out.append(f"  renamed by a person: docs/{rel} is docs/{path}; merged there")
    for chapter, before, after in plan.moved_parts:
        out.append(f"  moved by the article: chapters/{chapter} from part {before!r} to part {after!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="import_article.py",
        description="Turn the plain-text export of the Wikipedia article into the book's MyST chapters, or take "
                    "a newer revision of it into the edited chapters by a three-way merge per file. Never "
                    "loses a line a person wrote.",
        epilog="Exit status: 0 done (or, with --check, only the expected drift); 1 written with conflicts or "
               "checks to follow up (or, with --check, unexpected drift; with --dry-run, conflicts would arise; or "
               "refused: a file the importer did not write is in the way, nothing written); 2 bad input, nothing "
               "written.")
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help=f"the article export (default: {DEFAULT_SOURCE.relative_to(ROOT)})")
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS,
                        help=f"the book's source folder (default: {DEFAULT_DOCS.relative_to(ROOT)})")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="record of what the importer wrote (default: sources/import-manifest.json); the base "
                             "texts, article.toml and older exports are kept beside it")
    parser.add_argument("--check", action="store_true",
                        help="say whether the chapters differ from the imported text only by the book's expected "
                             "edits (term links, citations, notes, recorded corrections); writes nothing")
    parser.add_argument("--dry-run", action="store_true",
                        help="print what would merge cleanly, what would conflict and what the checks would "
                             "report; writes nothing")
    parser.add_argument("--received", default=None,
                        help="the date the newer export was received, YYYY-MM-DD (default: today, UTC)")
    parser.add_argument("--revision", default="", help="the article's revision id, if known (the export has none)")
    parser.add_argument("--allow-shrink", action="store_true",
                        help="accept a newer export that is much shorter than the last one")
    parser.add_argument("--no-build-check", action="store_true",
                        help="skip the checks after the merge (the build, every word, notes, dates)")
    parser.add_argument("--report", type=Path, default=None,
                        help="where to write the report (default: _build/import-report.md beside the docs folder)")
    args = parser.parse_args(argv)
    manifest_path = args.manifest or DEFAULT_MANIFEST
    args.report = args.report or args.docs.resolve().parent / "_build" / "import-report.md"
    sources = manifest_path.parent
    started = time.monotonic()

    manifest = load_manifest(manifest_path)
    try:
        article = parse(args.source)
        files, structure = render(article, args.source, manifest.get("source"))
        base = revision_merge.load_base(manifest_path, manifest, rendered)
        if args.check:
            return check_drift(args.source, args.docs, manifest_path, manifest, base, files)
        base_source = sources / manifest.get("source", "") if manifest.get("source") else None
        base_words = len(WORD.findall(base_source.read_text(encoding="utf-8"))) if base_source and \
            base_source.is_file() else 0
        refuse_bad_revision(args.source, article, files, base, base_words, args.allow_shrink)
        received = args.received or time.strftime("%Y-%m-%d", time.gmtime())
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", received):
            raise ArticleError(args.source, 1, f"--received {received!r} is not a date YYYY-MM-DD")
        source_hash = sha256(args.source.read_bytes())
        is_new = bool(base) and source_hash != manifest.get("source_sha256")
        label = f"revision received {received} ({source_hash[:12]})" if is_new else "the export as imported"
        plan = revision_merge.plan(args.docs, base, files, manifest.get("renamed", {}), label)
    except (ArticleError, revision_merge.MergeError, OSError) as exc:
        print(f"import_article: error: {exc}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1 if isinstance(exc, revision_merge.MergeError) else 2

    n_chapters = sum(1 for f in files if f.startswith("chapters/"))
    print(f"import_article: {args.source.name}: {article.title!r}, {len(structure['parts'])} parts, "
          f"{n_chapters} chapter files" + (f"; a newer revision ({source_hash[:12]})" if is_new else ""))
    summary = describe(plan)
    for line in summary:
        print(line)

    # The checks run on the merged text: in a scratch copy of the book for a dry run, in the book otherwise.
    wrote = any(res.text is not None for res in plan.files) or is_new
    def run_checks(docs: Path) -> list[str]:
        findings = []
        findings += import_checks.unresolved_conflicts(docs)
        for res in plan.files:
            if res.text is not None and res.kind in ("merged", "conflict"):
                findings += import_checks.repaired_damage(res.text, res.article_lines, res.path)
            if res.text is not None and res.kind in ("merged", "conflict", "new"):
                changed = res.article_lines if res.kind != "new" else range(1, res.text.count("\n") + 1)
                findings += import_checks.new_dates(res.text, base.get(res.rel, ""), list(changed), res.path,
                                                    docs / "_data" / "timeline.yaml")
        if base and wrote and not args.no_build_check:  # after a merge that changed something
            findings += import_checks.build_findings(docs, args.source, sources / "corrections.toml")
        return findings

    if args.dry_run:
        with tempfile.TemporaryDirectory(prefix="import-dry-run-") as tmp:
            scratch = Path(tmp) / "docs"
            shutil.copytree(args.docs, scratch) if args.docs.exists() else scratch.mkdir()
            for res in plan.files:
                if res.text is not None:
                    write_atomic(scratch / res.path, res.text)
            findings = run_checks(scratch)
        report(findings, summary, args, None, started)
        print("import_article: dry run: nothing was written")
        return 1 if plan.conflicts else 0

    for res in plan.files:
        if res.text is not None:
            write_atomic(args.docs / res.path, res.text)
            print(f"  wrote docs/{res.path}")
    if is_new and (sources / "article.toml").exists():
        taken_in = tomllib.loads((sources / "article.toml").read_text(encoding="utf-8")).get("revisions", [])
        previous = taken_in[-1] if taken_in else {"sha256": manifest.get("source_sha256"), "received": ""}
        taken = record_revision(sources, args.source, received, args.revision)
        changes_path = args.docs / "_data" / "article-changes.json"
        changes = revision_merge.load_changes(changes_path)
        changes["changes"].insert(0, {"from": previous, "to": taken, "chapters": revision_merge.sentence_changes(
            base, plan.theirs, plain_words)})
        write_atomic(changes_path, json.dumps(changes, indent=1, ensure_ascii=False) + "\n")
        print(f"  recorded the revision in {sources / 'article.toml'} and {changes_path}")
    revision_merge.store_base(manifest_path, plan.theirs)
    current = (tomllib.loads((sources / "article.toml").read_text(encoding="utf-8"))["file"]
               if (sources / "article.toml").exists() else args.source.name)
    new_manifest = {"version": MANIFEST_VERSION, "source": current, "source_sha256": source_hash, "base": revision_merge.BASE_DIR_NAME,
                    "renamed": plan.renamed,
                    "files": {rel: sha256(text.encode("utf-8")) for rel, text in sorted(plan.theirs.items())}}
    write_atomic(manifest_path, json.dumps(new_manifest, indent=2, ensure_ascii=False) + "\n")
    if not base:
        print(f"import_article: {sum(1 for r in plan.files if r.text is not None)} written, "
              f"{sum(1 for r in plan.files if r.kind == 'unchanged')} unchanged")
        return 0
    findings = run_checks(args.docs)
    report(findings, summary, args, plan, started)
    written = sum(1 for r in plan.files if r.text is not None)
    print(f"import_article: {written} written, {sum(1 for r in plan.files if r.kind == 'unchanged')} unchanged, "
          f"{plan.conflicts} conflict(s), {len(findings)} finding(s) to follow up")
    return 1 if findings else 0


def report(findings: list[str], summary: list[str], args, plan, started: float) -> None:
    """Print the checklist and write it as Markdown (_build/import-report.md by default)."""
    took = time.monotonic() - started
    lines = [f"# Import report: {args.source.name}", "", "## Files", ""] + [f"- {s.strip()}" for s in summary]
    lines += ["", "## To check (file and line)", ""] + ([f"- [ ] {f}" for f in findings] or ["Nothing."])
    lines += ["", f"Took {took:.1f} s{' (dry run: nothing written)' if plan is None else ''}.", ""]
    print("import_article: checks after the merge:" if findings else "import_article: the checks found nothing")
    for f in findings:
        print(f"  {f}")
    print(f"import_article: took {took:.1f} s")
    try:
        write_atomic(args.report, "\n".join(lines))
        print(f"import_article: report in {args.report}")
    except OSError as exc:
        print(f"import_article: could not write the report: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
