"""Evidence: every statement of ours points at the article's words that support it, and says no more than they do.

Plain Python, no Sphinx and no docutils: ``ext/evidence_links.py`` wires it into the build.

- A *statement* is one glossary, place or timeline entry, or one editor's note: our words (MyST text), the
  passages of the article that support them, where it is written (file, line), its own names and the names of
  the entries it links.
- The *corpus* is the article's text as the chapters show it: one normalised string per paragraph (or list
  item, table cell), editor's notes left out, built once per build. A passage must occur inside one paragraph,
  with whitespace collapsed and markup ignored; it resolves to the first paragraph, in reading order, that has it.
- The *lint* holds a statement to its evidence: every number (in digits, or written out where our words tell
  history), month and capitalised name in it must occur in its evidence, or be one of its own names or a name
  of an entry it links; every hedge of the evidence
  ("reported", "alleged", ...) must be kept. ``docs/_data/evidence-exceptions.yaml`` lists reviewed exceptions.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from booklib import kept_between_builds, yaml_lines

# -- Normalising text ----------------------------------------------------------------------------------------
ROLE = re.compile(r"\{(?P<role>[\w:.-]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)", re.S)
EXPLICIT = re.compile(r"^(?P<shown>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
ABSENT_ROLES = {"ref", "numref", "doc", "eq", "footcite", "footcite:p", "footcite:t"}  # and every cite:* role
LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\([^)]*\)")
EMPHASIS = re.compile(r"(?<![\w*_])(\*{1,3}|_{1,3})(?=\S)|(?<=\S)(\*{1,3}|_{1,3})(?![\w*_])")
ESCAPE = re.compile(r"\\([^\w\s])")


def reduce_markup(text: str) -> tuple[str, list[str]]:
    """What a reader sees of MyST text, whitespace collapsed; and the targets of its {term} links.

    {term}`Taliban` -> "Taliban", {term}`the group <Taliban>` -> "the group"; {ref}, {doc} and citations show
    nothing (they are not the article's words); [text](url) -> "text"; emphasis markers and escapes dropped.
    """
    linked: list[str] = []

    def role(m: re.Match) -> str:
        name, body = m["role"], m["body"]
        if name in ABSENT_ROLES or name.startswith("cite") or name.startswith("bibtex"):
            return ""
        explicit = EXPLICIT.match(body)
        shown, target = (explicit["shown"], explicit["target"].strip()) if explicit else (body, body.strip())
        if name in ("term", "std:term"):
            linked.append(target)
        return shown

    text = ROLE.sub(role, text)
    text = LINK.sub(lambda m: m["text"], text)
    text = EMPHASIS.sub("", text)
    text = ESCAPE.sub(r"\1", text).replace("`", "")
    return normalise(text), linked


def collapse(text: str) -> str:
    return " ".join(text.split())


# Sphinx's smart quotes turn the source's ' and " into ’ “ ” and ... into …: a passage may be copied from either.
TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def normalise(text: str) -> str:
    """Text as passages and paragraphs are compared: whitespace collapsed, typographic quotes made plain."""
    return collapse(text.translate(TYPOGRAPHY))


# -- The corpus: the chapters' paragraphs --------------------------------------------------------------------
@dataclass(frozen=True)
class Paragraph:
    doc: str  # document name, e.g. "chapters/pakistan"
    anchor: str  # the paragraph's id in that document
    text: str  # normalised: what a reader sees, whitespace collapsed


def paragraph_anchor(text: str, taken: set[str], words: int = 6) -> str:
    """A stable id from the paragraph's first words: "p-" and its first six words, lowercase ASCII.

    Stable when other paragraphs are added or removed, and when the paragraph is edited after its first words.
    Collision rule: a paragraph whose first words are already an id of the document takes more of its words,
    and an identical paragraph (the article repeats some) gets "-2", "-3"... in reading order.
    """
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    all_words = re.findall(r"[a-z0-9]+", plain) or ["paragraph"]
    count = min(words, len(all_words))
    while True:
        anchor = "p-" + "-".join(all_words[:count])
        if anchor not in taken or count >= len(all_words):
            break
        count += 1
    base, n = anchor, 2
    while anchor in taken:
        anchor = f"{base}-{n}"
        n += 1
    return anchor


SEPARATOR = "\n"  # between paragraphs in the joined corpus; normalised text never holds one
WORD = re.compile(r"[^\W_](?:[\w'’.\-]*[^\W_])?")


class Corpus:
    """All paragraphs, joined once, searched with str.find: each passage costs one substring search."""

    def __init__(self, paragraphs: list[Paragraph]):
        self.paragraphs = paragraphs
        self.joined = SEPARATOR.join(p.text for p in paragraphs)
        self.starts = []
        offset = 0
        for p in paragraphs:
            self.starts.append(offset)
            offset += len(p.text) + len(SEPARATOR)
        self._words: list[set[str]] | None = None
        self.lower_words = {w for w in WORD.findall(self.joined) if w[0].islower()}

    def find(self, passage: str) -> Paragraph | None:
        at = self.joined.find(passage)
        return None if at < 0 else self.paragraphs[bisect.bisect_right(self.starts, at) - 1]

    def spanned(self, passage: str) -> list[Paragraph]:
        """The consecutive paragraphs a passage runs across, if it occurs only across a paragraph break."""
        spaced = self.joined.replace(SEPARATOR, " ")  # same length: offsets still map to paragraphs
        at = spaced.find(passage)
        if at < 0:
            return []
        first = bisect.bisect_right(self.starts, at) - 1
        last = bisect.bisect_right(self.starts, at + len(passage) - 1) - 1
        return self.paragraphs[first:last + 1]

    def closest(self, passage: str) -> tuple[Paragraph, str] | None:
        """The text of the chapters most like the passage (difflib), from the paragraphs sharing most words."""
        if self._words is None:
            self._words = [set(WORD.findall(p.text.lower())) for p in self.paragraphs]
        wanted = set(WORD.findall(passage.lower()))
        ranked = sorted(range(len(self.paragraphs)), key=lambda i: -len(wanted & self._words[i]))[:8]
        best: tuple[float, Paragraph, str] | None = None
        for i in ranked:
            text = self.paragraphs[i].text
            blocks = [b for b in difflib.SequenceMatcher(None, text, passage, autojunk=False).get_matching_blocks()
                      if b.size]
            if not blocks:
                continue
            start = max(0, blocks[0].a - blocks[0].b)
            end = min(len(text), blocks[-1].a + (len(passage) - blocks[-1].b))
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
            window = text[start:end].strip()
            score = difflib.SequenceMatcher(None, window, passage, autojunk=False).ratio()
            if best is None or score > best[0]:
                best = (score, self.paragraphs[i], window)
        return None if best is None else (best[1], best[2])


# -- Statements ----------------------------------------------------------------------------------------------
@dataclass
class Statement:
    key: str  # "entity:Name", "place:Name", "event:id", "note:docname#editor-note-3": what displays use
    what: str  # how messages name it: "glossary entry 'Kabul'", "editor's note"
    entry: str  # how the exception list names it: the entry's name or id, or a note's first words
    file: str  # the file it is written in, as messages name it
    line: int
    text: str  # our words, MyST (roles are reduced before the lint)
    passages: list[str] | None  # None: the statement has no `evidence` at all
    own_names: list[str] = field(default_factory=list)
    linked_names: list[str] = field(default_factory=list)  # shown as links beside it (belongs_to, terms)
    passage_lines: list[int] = field(default_factory=list)  # the line of each passage, where known
    # The part of `text` that tells history, where its numbers written out ("two", "thousands") are held to the
    # evidence; None: all of it. Our words about the article itself (what is unclear, dates in conflict, editor's
    # notes) count the article's own passages, spellings and dates ("the article gives two birthplaces"): no
    # passage can say that, so there only the figures in digits are held.
    history: str | None = None


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    kind: str  # "missing", "not_found", "lint", "hedge", "exceptions"


def passages_from_block(value: str) -> list[str]:
    """A note's `evidence` block: one passage per line."""
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def check_passage_list(value) -> list[str] | None:
    """The `evidence` value of a YAML entry, or a ValueError saying what is wrong with it."""
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError("'evidence' must be a list of passages of the article (non-empty strings)")
    return [v for v in value]


def passage_lines(path: Path, start: int, passages: list[str], cache: dict | None = None) -> list[int]:
    """The line of each passage in a file, searched from the entry's line on (the entry's line if not found).
    `cache` keeps each file's lines for the next statement of the same file."""
    cache = {} if cache is None else cache
    if path not in cache:
        try:
            cache[path] = Path(path).read_text(encoding="utf-8").split("\n")
        except OSError:
            cache[path] = []
    lines = cache[path]
    found = []
    for passage in passages:
        head = passage[:30]
        line = next((n for n in range(max(start, 1), len(lines) + 1) if head in lines[n - 1]), start)
        found.append(line)
    return found


# -- The lint ------------------------------------------------------------------------------------------------
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"}
NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
# Numbers written out, as their digits ("two" in our words is held to a "2" or a "two" of the evidence). "One" is
# left out: as a pronoun ("one of the") it is not a figure. Plurals stay words: "thousands" is no figure.
NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split()) if w != "one"}
NUMBER_WORDS |= {w: str(10 * n) for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
UNITS = "one two three four five six seven eight nine".split()
NUMBER_WORDS |= {f"{ten}-{unit}": str(10 * n + u) for n, ten in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2) for u, unit in enumerate(UNITS, 1)}
NUMBER_WORDS |= {"hundred": "100", "thousand": "1000", "million": "1000000", "dozen": "12"}
NUMBER_WORDS |= {w: w for w in ("dozens", "hundreds", "thousands", "millions", "tens")}


@functools.cache
def number_word() -> re.Pattern:
    """A number written out. Not after "the": "led by the two" points back at things named before; it is no figure
    of its own. The lookahead for a first letter comes first: it rules out most positions before the slower tests.
    Compiled when first needed (about 5 ms: a build whose evidence is all remembered needs none)."""
    return re.compile(r"(?=[" + "".join(sorted({w[0] for w in NUMBER_WORDS})) + r"])(?<!\bthe )(?<!\bThe )\b("
                      + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)


# A hedge of the evidence, and the forms of it that keep it in our words.
HEDGES = {
    "reported": r"\breport", "reportedly": r"\breport", "alleged": r"\balleg", "allegedly": r"\balleg",
    "believed": r"\bbeliev", "according to": r"\baccording to\b", "claimed": r"\bclaim", "said": r"\b(said|say)",
}
HEDGE_IN_EVIDENCE = re.compile(r"\b(" + "|".join(map(re.escape, HEDGES)) + r")\b")
SENTENCE_START = re.compile(r"(?:\n\s*|[.!?:;]\s+)$")  # before a word, in a short window
# Words that may open a sentence of ours and are never names (the chapters' lowercase words cover most others).
FUNCTION_WORDS = {"A", "An", "The", "In", "On", "At", "By", "Of", "For", "From", "To", "With", "Without", "And", "But",
                  "Or", "Nor", "It", "Its", "He", "His", "She", "Her", "They", "Their", "This", "That", "These",
                  "Those", "There", "Here", "We", "Our", "One", "Both", "Each", "Some", "No", "Not", "As", "After",
                  "Before", "During", "When", "While", "Where", "Who", "Whom", "Whose", "Which", "What", "Why", "How",
                  "Also", "Then", "Only", "Under", "Over", "Between", "Against", "Since", "Until", "Unclear",
                  "Whether", "If", "Although", "Though", "Once", "Later", "Earlier"}


def number_forms(text: str, words_in: str | None = None) -> dict[str, str]:
    """The numbers the text says, each as a value ("2", "1996", "thousands") and the form it is first written in:
    digits, or a number written out ("two", "dozen"), which counts as its digits too. `words_in`: the part of the
    text whose numbers written out count (default: all of it)."""
    forms: dict[str, str] = {}
    for m in NUMBER.finditer(text):
        forms.setdefault(m.group().replace(",", ""), m.group())
    for m in number_word().finditer(text if words_in is None else words_in):
        forms.setdefault(NUMBER_WORDS[m.group().lower()], m.group())
    return forms


def numbers(text: str) -> set[str]:
    return set(number_forms(text))


POSSESSIVE = ("'s", "’s")


def _without_possessive(part: str) -> str:
    """A word part without its possessive "'s" (a str test: a regular expression per word cost more than the lint)."""
    return part[:-2] if part.endswith(POSSESSIVE) else part


def name_parts(text: str) -> set[str]:
    """The words of names as the lint compares them: hyphenated parts apart, without a possessive or a full stop."""
    parts = set()
    for word in WORD.findall(text):
        for part in word.split("-"):
            part = _without_possessive(part).rstrip(".'’")
            if part:
                parts.add(part)
    return parts


def capitals(text: str):
    """(word part, opens a sentence) for each capitalised word (part of a hyphenated word) of the text."""
    for m in WORD.finditer(text):
        word = m.group()
        if "-" not in word and not word[0].isupper():
            continue  # no capitalised part (a part's first letter is the word's, or follows a hyphen)
        for offset, part in _parts(word):
            if part[:1].isupper():
                start = m.start()
                opens = start == 0 or SENTENCE_START.search(text[max(0, start - 6):start]) is not None
                yield part, offset == 0 and opens, m.end()


def capitalised_words(text: str, ordinary: set[str], names: set[str]) -> list[str]:
    """The words of our text that count as names (or months): capitalised where no sentence starts, or, opening
    a sentence, a word that the chapters or our texts capitalise elsewhere too (`names`) and never write in
    lowercase (`ordinary`), and not a function word. "The", "Leader" or "Except" opening a sentence do not count."""
    found = []
    for part, at_start, end in capitals(text):
        if at_start and (part in FUNCTION_WORDS or part.lower() in ordinary or part not in names):
            if not (part in MONTHS and re.match(r"\s+\d", text[end:])):  # "May 1997" is a month
                continue
        if part not in found:
            found.append(part)
    return found


def _parts(word: str):
    offset = 0
    for part in word.split("-"):
        yield offset, _without_possessive(part).rstrip(".'’")
        offset += len(part) + 1


def lint(statement: Statement, ordinary: set[str], names: set[str], excused: set[str],
         reduced: tuple[str, list[str]] | None = None) -> list[str]:
    """What the statement says that its evidence does not: one message each for names and numbers, and hedges.
    `reduced`: reduce_markup(statement.text), if the caller has it already."""
    ours, linked = reduced or reduce_markup(statement.text)
    evidence = " ".join(statement.passages or [])
    allowed = name_parts(evidence) | name_parts(" ".join(statement.own_names + statement.linked_names + linked))
    allowed_numbers = numbers(evidence) | numbers(" ".join(statement.own_names + statement.linked_names + linked))
    said = number_forms(ours, None if statement.history is None else reduce_markup(statement.history)[0])
    missing = [said[n] for n in sorted(set(said) - allowed_numbers, key=lambda n: ours.find(said[n]))
               if said[n] not in excused and n not in excused]
    missing += [w for w in capitalised_words(ours, ordinary, names) if w not in allowed and w not in excused]
    messages = []
    if missing:
        messages.append(f"{statement.what} says {', '.join(repr(w) for w in missing)}, which its evidence does not")
    lowered = ours.lower()
    dropped = []
    for hedge in dict.fromkeys(HEDGE_IN_EVIDENCE.findall(evidence.lower())):
        if not re.search(HEDGES[hedge], lowered) and hedge not in excused:
            dropped.append(hedge)
    if dropped:
        messages.append(f"{statement.what} drops the hedge {', '.join(repr(h) for h in dropped)} of its evidence; "
                        f"keep it in our words")
    return messages


# -- Exceptions ----------------------------------------------------------------------------------------------
@dataclass
class Exception_:
    file: str
    entry: str
    words: list[str]
    reason: str
    line: int
    used: set[str] = field(default_factory=set)


def load_exceptions(path: Path) -> tuple[list[Exception_], list[Problem]]:
    """The reviewed exceptions (format: the file's header). A missing file means none."""
    path = Path(path)
    if not path.is_file():
        return [], []
    try:
        data = yaml_lines.load(path.read_text(encoding="utf-8")) or {}
    except yaml_lines.YAMLError as exc:
        return [], [Problem(str(path), yaml_lines.error_line(exc), yaml_lines.error_text(exc), "exceptions")]
    items, problems = [], []
    if not isinstance(data, dict) or not isinstance(data.get("exceptions", []), list):
        return [], [Problem(str(path), 1, "expected a mapping with a list 'exceptions'", "exceptions")]
    for raw in data.get("exceptions") or []:
        line = raw.get("__line__", 1) if isinstance(raw, dict) else 1
        keys = set(raw) - {"__line__"} if isinstance(raw, dict) else set()
        words = raw.get("words") if isinstance(raw, dict) else None
        if keys != {"file", "entry", "words", "reason"} or not isinstance(words, list) or not words \
                or not all(isinstance(raw[k], str) and raw[k].strip() for k in ("file", "entry", "reason")):
            problems.append(Problem(str(path), line, "an exception needs exactly 'file', 'entry', 'words' (a list) "
                                    "and 'reason'", "exceptions"))
            continue
        items.append(Exception_(raw["file"], raw["entry"], [str(w) for w in words], raw["reason"].strip(), line))
    return items, problems


def _applies(exception: Exception_, statement: Statement, file: str) -> bool:
    """Whether the exception names the statement (`file`: the statement's file, absolute, with / separators)."""
    return _same_file(exception.file, file) and (statement.entry == exception.entry or (
        statement.key.startswith("note:") and statement.entry.startswith(exception.entry)))


def _same_file(named: str, file: str) -> bool:
    """The exception list names files from the repository's root ("docs/chapters/pakistan.md"): the end of the
    statement file's path below the book's folder, so that a copy of docs/ elsewhere, under any name (as some tests
    and `make bench` build), still matches."""
    below_docs = named.lstrip("/").removeprefix("docs/")
    return file == named or file.endswith("/" + below_docs)


# -- The check -----------------------------------------------------------------------------------------------
@dataclass
class Result:
    resolved: dict[str, list[tuple[str, Paragraph]]]  # statement key -> (passage, its paragraph), in order
    problems: list[Problem]


def _names_in(text: str) -> set[str]:
    """The word parts the text capitalises where no sentence starts."""
    return {part for part, at_start, _ in capitals(text) if not at_start}


def _sentence_openers(text: str) -> tuple[str, ...]:
    """The capitalised word parts that open a sentence of the text: whether the lint counts them as names depends
    on the rest of the book (`ordinary`, `names`)."""
    return tuple(dict.fromkeys(part for part, at_start, _ in capitals(text) if at_start))


def _memo_version() -> str:
    """What the remembered results were worked out by: this file (a changed rule forgets them all)."""
    return kept_between_builds.code_version(Path(__file__))


def check(statements: list[Statement], corpus: Corpus, required: bool, exceptions: list[Exception_] = (),
          exceptions_file: str = "", memo: dict | None = None) -> Result:
    """Resolve every passage, require evidence (when `required`), lint every statement against its evidence.

    `memo`: a dict kept from one check to the next (the build keeps it with its environment). What was worked out
    for a paragraph or a statement whose words have not changed is taken from it: after a one-chapter edit only
    that chapter's paragraphs are read for names again, and a statement is linted again only if its words, its
    evidence or the book's answer about a word opening one of its sentences changed. The results are the same."""
    version = _memo_version()
    old = memo if memo is not None and memo.get("version") == version else {}
    new: dict = {"version": version}

    def remembered(key, work):
        value = old.get(key)
        if value is None:
            value = work()
        new[key] = value
        return value

    resolved: dict[str, list[tuple[str, Paragraph]]] = {}
    problems: list[Problem] = []
    ordinary = set(corpus.lower_words)
    names: set[str] = set()
    for paragraph in corpus.paragraphs:  # a paragraph opens a sentence, as it does in the joined corpus
        names |= remembered(("names", paragraph.text), lambda: _names_in(paragraph.text))
    reduced, openers = {}, {}
    for s in statements:
        reduced[s.key], lowers, capitalised, openers[s.key] = remembered(("statement", s.text), lambda: (
            (r := reduce_markup(s.text)), {w for w in WORD.findall(r[0]) if w[0].islower()}, _names_in(r[0]),
            _sentence_openers(r[0])))
        ordinary |= lowers
        names |= capitalised
    files: dict[str, str] = {}  # each statement's file, absolute, with / separators
    for s in statements:
        if s.file not in files:
            files[s.file] = Path(s.file).resolve().as_posix()
        if s.passages is None or not s.passages:
            if required:
                if s.key.startswith("note:"):
                    message = (f"{s.what} has no evidence: give the article's words it discusses in its options, "
                               "'evidence: |' and one passage per line")
                else:
                    message = (f"{s.what} has no evidence: add 'evidence', a list of the article's words that "
                               "support it")
                problems.append(Problem(s.file, s.line, message, "missing"))
            continue
        found = []
        lines = s.passage_lines or [s.line] * len(s.passages)
        for passage, line in zip(s.passages, lines):
            text = reduce_markup(passage)[0]
            paragraph = corpus.find(text)
            if paragraph is not None:
                found.append((passage, paragraph))
                continue
            spanned = corpus.spanned(text)
            if spanned:
                where = ", ".join(f"{p.doc}#{p.anchor}" for p in spanned)
                problems.append(Problem(s.file, line, (
                    f"evidence passage of {s.what} runs across two paragraphs ({where}): {text!r}; "
                    "give one passage per paragraph"), "not_found"))
                continue
            closest = corpus.closest(text)
            hint = f"; the closest text in the chapters is {closest[1]!r} ({closest[0].doc})" if closest else ""
            problems.append(Problem(s.file, line, (
                f"evidence passage of {s.what} is not in the chapters' text: {text!r}{hint}"), "not_found"))
        resolved[s.key] = found
        applicable = [e for e in exceptions if _applies(e, s, files[s.file])]
        if len(found) < len(s.passages):  # linted once every passage is found: a mistyped passage is reported
            for e in applicable:  # once, above, and its exceptions are not called unneeded meanwhile
                e.used |= set(e.words)
            continue
        excused: set[str] = set()
        for e in applicable:
            excused |= set(e.words)
        answers = tuple((w, w.lower() in ordinary, w in names) for w in openers[s.key])
        key = ("lint", s.text, s.history, tuple(s.passages), tuple(s.own_names), tuple(s.linked_names), answers)
        messages = remembered((*key, ()), lambda: lint(s, ordinary, names, set(), reduced[s.key]))
        if applicable:
            unexcused = remembered((*key, tuple(sorted(excused))),
                                   lambda: lint(s, ordinary, names, excused, reduced[s.key]))
            for e in applicable:
                e.used |= {w for w in e.words if any(repr(w) in m for m in messages)}
            messages = unexcused
        problems += [Problem(s.file, s.line, m, "lint") for m in messages]
    checked_files = set(files.values())
    for e in exceptions:
        if not any(_same_file(e.file, f) for f in checked_files):
            continue  # a book without that file's statements (a tiny test book) cannot tell
        if not any(_applies(e, s, files[s.file]) for s in statements):
            problems.append(Problem(exceptions_file, e.line, (
                f"exception for {e.entry!r} names no statement of {e.file}: correct or remove it"), "exceptions"))
            continue
        unused = [w for w in e.words if w not in e.used]
        if unused:
            problems.append(Problem(exceptions_file, e.line, (
                f"exception for {e.entry!r} ({e.file}) is not needed for {', '.join(map(repr, unused))}: "
                "remove it"), "exceptions"))
    if memo is not None:
        memo.clear()
        memo.update(new)  # only what this check used: the memo does not grow with every edit
    return Result(resolved, problems)
