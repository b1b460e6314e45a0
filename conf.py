"""Sphinx configuration of the book. Build with: sphinx-build -c . docs _build/<format> (the Makefile does)."""
import os
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "ext"))  # our small local extensions, one job each
ARTICLE = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))

# -- The book ------------------------------------------------------------------------------------------------
project = ARTICLE["title"]
author = "Wikipedia contributors and the editors of this book"
copyright = f"text by {ARTICLE['authors']}, {ARTICLE['licence']}; modified, see “About this book”"
version = release = "0.1"  # the book's edition; EPUB warns on an empty version
language = "en"
root_doc = "index"
BOOK_FILE = "afghan-civil-war-1996-2001"  # basename of the PDF and EPUB

extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "book_parts",  # toctree captions -> \part in LaTeX
    "article_corrections",  # {article-corrections}: deliberate changes to the article's words
    "place_maps",  # {place-map} and chapter locator maps; loads "gazetteer" ({gazetteer}, docs/_data/places.yaml)
]
exclude_patterns = ["front/**",  # pieces pulled in with {include}, not pages of their own
                    "_data/**"]  # data files read by extensions (geo/SOURCES.md is not a page)
templates_path = ["docs/_templates"]  # paths in conf.py are relative to this folder (-c .)

# -- MyST ----------------------------------------------------------------------------------------------------
# colon_fence and deflist: without them ":::{note}" and definition lists silently render as plain text.
myst_enable_extensions = ["colon_fence", "deflist", "substitution"]
myst_substitutions = {
    # link destinations cannot hold {{ }}: links are whole substitutions
    "article_link": f"[“{ARTICLE['title']}”]({ARTICLE['url']})",
    "history_link": f"[revision history]({ARTICLE['history_url']})",
    "licence_link": f"[{ARTICLE['licence_name']}]({ARTICLE['licence_url']})",
    "licence": ARTICLE["licence"],
    "received": ARTICLE["received"],
    "source_file": ARTICLE["file"],
    "source_sha256": ARTICLE["sha256"],
}

# -- Sources -------------------------------------------------------------------------------------------------
bibtex_bibfiles = ["docs/refs.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "plain"

# -- Places and maps (ext/place_maps.py) ----------------------------------------------------------------------
place_maps_skip = ["chapters/further-reading"]  # a list of titles, not the story: no locator map

# -- HTML ----------------------------------------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = ["docs/_static"]
html_css_files = ["book.css"]
html_last_updated_fmt = "%Y-%m-%d"
html_copy_source = False  # the "edit" link points at the chapter sources; no duplicate _sources/ tree
html_show_sphinx = False

# -- LaTeX / PDF (LuaLaTeX: the only engine here that sets the Arabic and Japanese lines correctly) ----------
latex_engine = "lualatex"
latex_documents = [(root_doc, f"{BOOK_FILE}.tex", project, author, "manual")]
latex_elements = {
    "papersize": "letterpaper" if os.environ.get("PAPER", "a4") == "letter" else "a4paper",
    "pointsize": "11pt",
    # babel: English text; Arabic and Japanese switch language and font by character, with no markup needed.
    "babel": r"""\usepackage[english,bidi=basic]{babel}
\babelprovide[import, onchar=ids fonts]{arabic}
\babelprovide[import, onchar=ids fonts]{japanese}""",
    "fontpkg": r"""\babelfont{rm}{Noto Serif}
\babelfont{sf}{Noto Sans}
\babelfont{tt}[Scale=MatchLowercase]{Noto Sans Mono}
\babelfont[arabic]{rm}{Noto Naskh Arabic}
\babelfont[japanese]{rm}{Noto Serif CJK JP}
\babelfont[japanese]{sf}{Noto Sans CJK JP}""",
    "printindex": r"\footnotesize\raggedright\printindex",
    "releasename": "Edition",
}
latex_show_urls = "footnote"
latex_show_pagerefs = True
book_parts_appendix_captions = ["Back matter"]

# -- EPUB ----------------------------------------------------------------------------------------------------
epub_basename = BOOK_FILE
epub_title = project
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_show_urls = "no"
epub_exclude_files = ["search.html"]

# -- Links ---------------------------------------------------------------------------------------------------
linkcheck_timeout = 15
linkcheck_retries = 2
linkcheck_rate_limit_timeout = 120
