"""The fenced-block walker's rules (booklib/fences.py), and that its blocks are the ones markdown-it finds."""
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

from booklib.fences import unclosed, walk


def events(text):
    """(line, event, the fence's line or None, the lines of the blocks around it) for each line."""
    return [(s.number, s.event, s.fence and s.fence.number, [b.number for b in s.around])
            for s in walk(text.split("\n"))]


def test_a_longer_outer_fence_nests_a_directive_and_its_close():
    text = "::::{note}\n:::{tip}\ntip\n:::\nnote\n::::"
    assert events(text) == [(1, "open", 1, []), (2, "open", 2, [1]), (3, None, None, [1, 2]),
                            (4, "close", 2, [1]), (5, None, None, [1]), (6, "close", 1, [])]


def test_a_fence_as_long_as_the_outer_one_closes_the_outer_block_and_all_inside_it():
    text = ":::{editor-note}\n:::{note}\ntext\n:::\nafter"
    assert events(text) == [(1, "open", 1, []), (2, "open", 2, [1]), (3, None, None, [1, 2]),
                            (4, "close", 1, []), (5, None, None, [])]


def test_a_backtick_fence_inside_colon_content_is_code_whose_fences_are_text():
    text = ":::{note}\n```\n:::{tip}\n~~~\n```\n:::"
    assert events(text) == [(1, "open", 1, []), (2, "open", 2, [1]), (3, None, None, [1, 2]),
                            (4, None, None, [1, 2]), (5, "close", 2, [1]), (6, "close", 1, [])]


def test_a_line_that_closes_the_outer_block_closes_it_from_inside_code():
    text = ":::{note}\n```\n:::\n```"
    assert events(text) == [(1, "open", 1, []), (2, "open", 2, [1]), (3, "close", 1, []), (4, "open", 4, [])]
    assert unclosed(text.split("\n")).number == 4


def test_a_fence_with_an_info_string_does_not_close():
    text = "```\n``` python\n```"
    assert events(text) == [(1, "open", 1, []), (2, None, None, [1]), (3, "close", 1, [])]
    assert unclosed("```\n``` python".split("\n")).number == 1


def test_a_longer_fence_of_the_same_character_closes():
    assert events("```\ncode\n`````\n") == [(1, "open", 1, []), (2, None, None, [1]), (3, "close", 1, []),
                                             (4, None, None, [])]


def test_colons_are_text_when_colon_fences_are_off():
    assert [s.event for s in walk(":::{note}\n:::".split("\n"), colons=False)] == [None, None]


MARKDOWN_IT = MarkdownIt("commonmark").use(colon_fence_plugin)
SOURCES = [
    "::::{note}\n:::{tip}\ntip\n:::\nnote\n::::\n",
    ":::{editor-note}\n:::{note}\ntext\n:::\nafter\n:::\n",
    ":::{note}\n```\n:::\n```\ncode\n",
    "````\n```\n````\n~~~ python\n~~~~ x\n~~~\n",
    "text\n``` a `b` c\n:::\n``` python\n::::\n",
    "```\ncode\n`````\n~~~\n```\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_the_outermost_blocks_are_the_ones_markdown_it_finds(source):
    lines = source.split("\n")[:-1]
    ours, start = [], None
    for step in walk(lines):
        if step.event == "open" and not step.around:
            start = step.number - 1
        elif step.event == "close" and not step.around:
            ours.append((start, step.number))
            start = None
    if start is not None:
        ours.append((start, len(lines)))
    theirs = [tuple(t.map) for t in MARKDOWN_IT.parse(source)
              if t.type in ("fence", "colon_fence") and t.level == 0]
    assert ours == theirs
