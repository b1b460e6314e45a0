"""MyST's fenced blocks, line by line: which line opens a block, which line closes one, and which blocks are open.

A fence is a line of three or more backticks or tildes (code, or a directive: ```` ```{toctree} ````) or colons
(a directive, MyST's ``colon_fence``: ``:::{note}``), then an info string (``{note}``, a language) or nothing.
The rules are CommonMark's, as markdown-it applies them:

- A line closes an open block when it is a fence of the same character, at least as long, with nothing after it;
  a fence with an info string never closes anything.
- A block ends at the first line that closes it, whatever its content opened: the line that closes an outer block
  closes every block opened inside it too. So ``:::{note}`` inside ``:::{editor-note}`` is swallowed by it (the
  next ``:::`` closes both), and a nested block needs the outer fence longer (``::::``) or of another character;
  likewise a ``:::`` line inside a code block inside a ``:::`` block closes that block.
- Any other fence opens a block inside the open ones, unless the innermost open block is literal (its content is
  not Markdown: code, math, raw text): there a fence that closes nothing is just a line of its content.

Indentation is not checked: a fence in a list item is indented, and this walker does not track lists.
Plain Python: both the glossary's linker (``booklib.entities``) and the markup checks (``ext.markup_lint``) use it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}|:{3,})(.*)$")
DIRECTIVE = re.compile(r"^\{([\w:.-]+)\}")
# Directives whose content is not Markdown, so a fence in it is text.
LITERAL_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "code-cell", "math", "raw", "eval-rst", "mermaid",
                                "csv-table"})


@dataclass(frozen=True)
class Fence:
    """A fence line: where it is, its run of characters and what follows the run."""
    number: int  # 1-based
    text: str  # the line without surrounding white space
    char: str  # "`", "~" or ":"
    length: int
    info: str  # what follows the run, stripped: "{note}", "python", or ""

    @property
    def directive(self) -> str | None:
        """The directive's name (``note`` for ``:::{note}``), or None."""
        m = DIRECTIVE.match(self.info)
        return m[1] if m else None

    @property
    def literal(self) -> bool:
        """Whether the block's content is not Markdown: a code block, or a directive such as ``{code-block}``."""
        name = self.directive
        return (name is None and self.char != ":") or name in LITERAL_DIRECTIVES

    def closed_by(self, other: Fence) -> bool:
        return other.char == self.char and other.length >= self.length and not other.info


@dataclass(frozen=True)
class Step:
    """One line: whether it opens or closes a block, and the blocks around it."""
    number: int  # 1-based
    line: str
    event: str | None  # "open", "close", or None for a line of text or of a block's content
    fence: Fence | None  # the block this line opens or closes
    around: tuple[Fence, ...]  # the blocks this line is inside, outermost first (not the one it opens or closes)


def parse_fence(number: int, line: str, colons: bool = True) -> Fence | None:
    """The fence on this line, or None (colons=False: ``:::`` is not a fence, the ``colon_fence`` extension is off)."""
    m = FENCE.match(line)
    if not m or (m[1][0] == ":" and not colons):
        return None
    info = m[2].strip()
    if m[1][0] == "`" and "`" in info:  # ``` a `b` ``` is inline code, not a fence
        return None
    return Fence(number, line.strip(), m[1][0], len(m[1]), info)


class FenceWalker:
    """Feed it lines in order (all of them, or all but the ones a caller knows are not Markdown, such as comments)."""

    def __init__(self, colons: bool = True):
        self.colons = colons
        self.open: list[Fence] = []  # outermost first

    def step(self, number: int, line: str) -> Step:
        fence = parse_fence(number, line, self.colons)
        if fence is None:
            return Step(number, line, None, None, tuple(self.open))
        for depth, block in enumerate(self.open):
            if block.closed_by(fence):
                del self.open[depth:]
                return Step(number, line, "close", block, tuple(self.open))
        if self.open and self.open[-1].literal:
            return Step(number, line, None, None, tuple(self.open))
        around = tuple(self.open)
        self.open.append(fence)
        return Step(number, line, "open", fence, around)


def walk(lines: Iterable[str], colons: bool = True) -> Iterator[Step]:
    """Each line as a Step; after the last one, the blocks still open are never closed."""
    walker = FenceWalker(colons)
    for number, line in enumerate(lines, 1):
        yield walker.step(number, line)


def unclosed(lines: Iterable[str], colons: bool = True) -> Fence | None:
    """The outermost block that is never closed (it swallows the rest of the page), or None."""
    walker = FenceWalker(colons)
    for number, line in enumerate(lines, 1):
        walker.step(number, line)
    return walker.open[0] if walker.open else None
