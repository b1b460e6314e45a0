"""Let LaTeX break long hexadecimal strings (the SHA-256 of the source) that would otherwise overfill a line.

TeX breaks lines only between words and at hyphens: a 64-character hash is one unbreakable box wider than the
page. In LaTeX output only, this puts a break opportunity (\\allowbreak) after every fourth character of each
run of 16 or more hex digits in running text. HTML and EPUB keep the text untouched (CSS wraps it there).
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ext.tree_walks import ancestors

HEX_RUN = re.compile(r"[0-9a-fA-F]{16,}")
CHUNK = 4


class BreakLongHexRuns(SphinxPostTransform):
    default_priority = 400
    formats = ("latex",)

    # titles go into the PDF's bookmarks, where \\allowbreak is not allowed; code and raw text stay as written
    SKIP = (nodes.title, nodes.literal_block, nodes.literal, nodes.raw)

    def in_skipped(self, node: nodes.Node) -> bool:
        return any(isinstance(n, self.SKIP) for n in (node, *ancestors(node)))

    def run(self, **kwargs) -> None:
        for text in list(self.document.findall(nodes.Text)):
            if not HEX_RUN.search(text) or self.in_skipped(text):
                continue
            pieces: list[nodes.Node] = []
            pos = 0
            for match in HEX_RUN.finditer(text):
                pieces.append(nodes.Text(text[pos:match.start()]))
                run = match.group()
                for i in range(0, len(run), CHUNK):
                    if i:
                        pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
                    pieces.append(nodes.Text(run[i:i + CHUNK]))
                pos = match.end()
            pieces.append(nodes.Text(text[pos:]))
            text.parent.replace(text, [p for p in pieces if not (isinstance(p, nodes.Text) and not p)])


def setup(app):
    app.add_post_transform(BreakLongHexRuns)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
