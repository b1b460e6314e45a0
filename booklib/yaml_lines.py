"""YAML that remembers lines: every mapping gets its 1-based line under the key "__line__", so that a message
about a data file can name the file and the line. Shared by the glossary, the timeline and the places.

Parsed by libyaml (PyYAML's C loader, about ten times faster) when PyYAML has it; a file that does not parse
is parsed again by the pure-Python loader, whose messages are the ones the book's error texts quote.
"""
from __future__ import annotations

import yaml


def _with_lines(base):
    class Loader(base):
        pass

    def mapping(loader, node):
        result = loader.construct_mapping(node, deep=True)
        result["__line__"] = node.start_mark.line + 1
        return result
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


_FAST = _with_lines(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_CLEAR = _with_lines(yaml.SafeLoader)
YAMLError = yaml.YAMLError


def load(text: str):
    """The document's data; raises yaml.YAMLError (with problem and problem_mark) if it is not valid YAML."""
    try:
        return yaml.load(text, Loader=_FAST)
    except yaml.YAMLError:
        return yaml.load(text, Loader=_CLEAR)  # raises again, with PyYAML's own wording and line


def error_line(exc: yaml.YAMLError, default: int = 1) -> int:
    """The 1-based line a YAML error points at."""
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark else default


def error_text(exc: yaml.YAMLError) -> str:
    return f"not valid YAML: {getattr(exc, 'problem', exc)}"
