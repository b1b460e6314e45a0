"""Draw the EPUB's cover image from the book's own title and author: an SVG, no external assets.

conf.py names the image in ``epub_cover`` (a path in the output folder); this writes that file when an EPUB
build starts. The title is wrapped by words onto lines of at most ``LINE`` characters.
"""
from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

WIDTH, HEIGHT = 600, 900
LINE = 18  # characters per title line at the title's size


def cover_svg(title: str, subtitle: str, author: str) -> str:
    lines = textwrap.wrap(title, LINE) or [title]
    title_y = 300 - 35 * (len(lines) - 1)
    title_lines = "\n".join(
        f'  <text x="300" y="{title_y + 70 * i}" font-size="56" font-weight="bold">{escape(line)}</text>'
        for i, line in enumerate(lines))
    sub_lines = "\n".join(
        f'  <text x="300" y="{title_y + 70 * len(lines) + 30 + 36 * i}" font-size="26" font-style="italic">'
        f'{escape(line)}</text>' for i, line in enumerate(textwrap.wrap(subtitle, 36)))
    author_lines = "\n".join(
        f'  <text x="300" y="{760 + 34 * i}" font-size="26">{escape(line)}</text>'
        for i, line in enumerate(textwrap.wrap(author, 34)))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">
  <title>{escape(title)}</title>
  <rect width="{WIDTH}" height="{HEIGHT}" fill="#f4efe4"/>
  <rect x="40" y="40" width="{WIDTH - 80}" height="{HEIGHT - 80}" fill="none" stroke="#5a4a32" stroke-width="3"/>
  <g font-family="serif" fill="#2b2418" text-anchor="middle">
{title_lines}
{sub_lines}
{author_lines}
  </g>
</svg>
"""


def write_cover(app):
    if not app.builder.name.startswith("epub") or not app.config.epub_cover:
        return
    image = Path(app.builder.outdir) / app.config.epub_cover[0]
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_text(cover_svg(app.config.epub_title, app.config.epub_cover_subtitle, app.config.epub_author),
                     encoding="utf-8")


def setup(app):
    app.add_config_value("epub_cover_subtitle", "", "env")
    app.connect("builder-inited", write_cover)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
