"""One slug for every label and id the book derives from a name: ASCII letters and digits joined by hyphens.

"Mazar-i-Sharif" -> "mazar-i-sharif", "Āmer Sāheb" -> "amer-saheb". Chapter files and section labels
(booklib/article_markdown.py) and the ids of places on the maps (booklib/map_drawing.py) use it, so that a name
gives the same slug wherever it is used.
"""
from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
