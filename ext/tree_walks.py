"""Walks the extensions share (not an extension): up the doctree from a node, and through the book in reading order.

One copy of each, so that every extension means the same by "the node's ancestors" and "the reading order".
"""
from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes


def ancestors(node: nodes.Node) -> Iterator[nodes.Element]:
    """The node's parent, its parent's parent, and so on up to the document."""
    while node.parent is not None:
        node = node.parent
        yield node


def reading_order(env) -> list[str]:
    """Documents in the order of the table of contents, starting at the root; others after, sorted."""
    order: list[str] = []

    def walk(docname):
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order + sorted(d for d in env.found_docs if d not in order)
