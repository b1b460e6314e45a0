"""What a newer revision of the article broke in the book: the checks run after a merge, as a checklist.

1. The book's own build (every check the extensions make: conflict markers, glossary and gazetteer names, first
   mentions, evidence passages, timeline data, labels, citations...), run on the merged chapters with warnings
   collected, not fatal; so a check added to the build later shows up here without a change to this file.
2. Every word of the new export in the built book, in order (scripts/check_lossless.py).
3. Editor's notes about damage (kind `lost`) next to text the new revision changed: the damage may be repaired.
4. Dates in the article's new or changed sentences that the timeline (docs/_data/timeline.yaml) has no event for.
Each finding names a file and a line.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARNING = re.compile(r"^(?P<path>/\S*?)(?::(?P<line>\d+))?: (?P<level>WARNING|ERROR|CRITICAL|SEVERE): (?P<msg>.*)$")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}}) (?P<m1>{MONTHS}) (?P<y1>\d{{4}})|(?P<m2>{MONTHS}) (?P<d2>\d{{1,2}}), "
                  rf"(?P<y2>\d{{4}})|(?P<m3>{MONTHS}) (?P<y3>\d{{4}})|(?P<y4>1[89]\d\d|20\d\d))\b")
MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS.split("|"), 1)}


def build_findings(docs: Path, source: Path, corrections: Path, confdir: Path = ROOT) -> list[str]:
    """Build the HTML of `docs` with the book's configuration; every warning, then every lost or altered word."""
    findings = []
    with tempfile.TemporaryDirectory(prefix="import-check-") as tmp:
        out = Path(tmp) / "html"
        # the maps that make html drew are reused (named by what they show; drawing them all again doubles the
        # build), and none is pruned from that folder
        maps = ["-D", f"place_maps_cache={confdir / '_build' / 'place-maps'}", "-D", "place_maps_prune_cache=0"]
        cmd = [sys.executable, "-m", "sphinx", "-c", str(confdir), *maps, "-n", "--keep-going", "-q",
               "-d", str(Path(tmp) / "doctrees"), "-b", "html", str(docs), str(out)]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=confdir)
        for line in result.stderr.splitlines():
            m = WARNING.match(line)
            if m:
                path = Path(m.group("path"))
                where = (f"docs/{path.relative_to(docs)}" if path.is_relative_to(docs) else
                         str(path.relative_to(confdir)) if path.is_relative_to(confdir) else str(path))
                line_part = f":{m.group('line')}" if m.group("line") else ""  # Sphinx names no line for some
                findings.append(f"{where}{line_part}: {m.group('level').lower()}: {m.group('msg')}")
            elif line.strip() and not line.startswith(("Running Sphinx", "build ")):
                findings.append(f"(build): {line.strip()}")
        if result.returncode != 0 and not findings:
            findings.append(f"(build): sphinx-build failed with status {result.returncode}")
        if (out / "index.html").exists():
            from scripts import check_lossless
            findings += [f"{p} [every word]" for p in check_lossless.check(out, source, corrections)]
    return findings


def note_kind(body: list[str]) -> str | None:
    """A note's kind, from the lines after its ``:::{editor-note}`` line: ``:kind: x``, or ``kind: x`` in the
    options block between two ``---`` lines."""
    options = body[1:body.index("---", 1)] if body[:1] == ["---"] and "---" in body[1:] else []
    for line in [x for x in body if x.startswith(":kind:")] + options:
        key, _, value = line.lstrip(":").partition(":")
        if key.strip() == "kind":
            return value.strip()
    return None


def note_blocks(lines: list[str], kind: str | None = None) -> list[tuple[int, int]]:
    """(first, last) 1-based lines of each ``:::{editor-note}`` block (of that kind, if given)."""
    blocks, start = [], None
    for number, line in enumerate(lines, 1):
        if line.startswith(":::{editor-note}"):
            start = number
        elif start and line.strip() == ":::":
            if kind is None or note_kind([x.rstrip() for x in lines[start:number]]) == kind:
                blocks.append((start, number))
            start = None
    return blocks


def unresolved_conflicts(docs: Path) -> list[str]:
    """Every conflict still marked in a page (from this merge or an earlier one), with file and line."""
    out = []
    for page in sorted(docs.rglob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines()
        out += [f"docs/{page.relative_to(docs).as_posix()}:{start}: a merge conflict to resolve (to line {end})"
                for start, end in conflict_ranges(lines)]
    return out


def conflict_ranges(lines: list[str]) -> list[tuple[int, int]]:
    out, start = [], None
    for number, line in enumerate(lines, 1):
        if line.startswith("<<<<<<< "):
            start = number
        elif line.startswith(">>>>>>> ") and start:
            out.append((start, number))
            start = None
    return out


def repaired_damage(text: str, article_lines: list[int], path: str) -> list[str]:
    """Notes on damage (`lost`) right after text the article changed: the new revision may have repaired it."""
    lines, changed, out = text.splitlines(), set(article_lines), []
    in_notes = {n for a, b in note_blocks(lines) for n in range(a, b + 1)}
    for first, last in note_blocks(lines, "lost"):
        # the paragraph the note is about: the nearest non-blank lines above it, past other notes
        i = first - 1
        while i > 0 and (not lines[i - 1].strip() or i in in_notes):
            i -= 1
        top = i
        while top > 1 and lines[top - 2].strip():
            top -= 1
        window = set(range(top, last + 3))
        for start, end in conflict_ranges(lines):  # a note inside a conflict: the article's side is its neighbour
            if start <= first <= end:
                window |= set(range(start, end + 1))
        if window & changed:
            out.append(f"docs/{path}:{first}: an editor's note on damage (kind: lost) stands next to text the "
                       f"new revision changed (line {min(window & changed)}): check whether the damage is repaired, "
                       "and if so remove or rewrite the note")
    return out


def dates_in(text: str) -> list[tuple[str, tuple[int, ...]]]:
    out = []
    for m in DATE.finditer(text):
        g = m.groupdict()
        if g["y1"]:
            out.append((m.group(0), (int(g["y1"]), MONTH_NUMBER[g["m1"]], int(g["d1"]))))
        elif g["y2"]:
            out.append((m.group(0), (int(g["y2"]), MONTH_NUMBER[g["m2"]], int(g["d2"]))))
        elif g["y3"]:
            out.append((m.group(0), (int(g["y3"]), MONTH_NUMBER[g["m3"]])))
        else:
            out.append((m.group(0), (int(g["y4"]),)))
    return out


def timeline_dates(timeline: Path) -> set[tuple[int, ...]]:
    """Every date the timeline's events cover, at each precision (year; year and month; the full day)."""
    import yaml
    data = yaml.safe_load(timeline.read_text(encoding="utf-8")) or {}
    out = set()
    for event in data.get("events", []):
        for key in ("date", "end"):
            if event.get(key):
                parts = tuple(int(x) for x in str(event[key]).split("-"))
                out |= {parts[:n] for n in range(1, len(parts) + 1)}
    return out


def new_dates(text: str, base_text: str, article_lines: list[int], path: str, timeline: Path) -> list[str]:
    """Dates in the lines the article added or changed, not in the chapter before, that no timeline event has."""
    if not timeline.exists():
        return []
    known, before = timeline_dates(timeline), {d for _, d in dates_in(base_text)}
    lines, out = text.splitlines(), []
    for number in sorted(set(article_lines)):
        if number > len(lines) or lines[number - 1].startswith(("<<<<<<<", "|||||||", "=======", ">>>>>>>")):
            continue
        for shown, date in dates_in(lines[number - 1]):
            if date not in before and date not in known:
                out.append(f"docs/{path}:{number}: a date new to this chapter, {shown!r}, has no event in the "
                           f"timeline ({timeline.name}): add one if the sentence dates an event")
    return out
