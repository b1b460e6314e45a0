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
    "index_sorting",  # xindy: accented Latin names sort with their base letter in the printed index
    "latex_long_words",  # LaTeX: hashes may break across lines instead of running into the margin
    "epub_cover",  # EPUB: a cover image drawn from the book's title
]
exclude_patterns = ["front/**"]  # pieces pulled in with {include}, not pages of their own
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

# -- HTML ----------------------------------------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = ["docs/_static"]
html_css_files = ["book.css"]
html_last_updated_fmt = "%Y-%m-%d"
html_copy_source = False  # the "edit" link points at the chapter sources; no duplicate _sources/ tree
html_show_sphinx = False

# -- LaTeX / PDF (LuaLaTeX: the only engine here that sets the Arabic and Japanese lines correctly) ----------
# The Makefile exports SOURCE_DATE_EPOCH (the last commit's time): the edition's date, never the build's.
EDITION_DATE = time.strftime("%Y-%m-%d", time.gmtime(int(os.environ["SOURCE_DATE_EPOCH"]))) \
    if os.environ.get("SOURCE_DATE_EPOCH") else ""
SUBTITLE = "The English Wikipedia article, made into a book"  # title page and EPUB cover
SUBJECT = f"The English Wikipedia article “{ARTICLE['title']}”, made into a book: split into chapters, annotated and linked"


def tex_facts(**facts: str) -> str:
    """\\newcommand{\\Book<Name>}{...} for each fact, for latex/book.sty; URLs keep their characters (\\% etc.)."""
    from sphinx.util.texescape import escape
    def tex(name, value):
        if name.endswith("URL"):
            return "".join("\\" + c if c in "%#&_" else c for c in value)
        return escape(value, "lualatex")
    return "\n".join(f"\\newcommand{{\\Book{name}}}{{{tex(name, value)}}}" for name, value in facts.items())


latex_engine = "lualatex"
latex_documents = [(root_doc, f"{BOOK_FILE}.tex", project, author, "manual")]
latex_additional_files = ["latex/book.sty"]
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
    # the facts of the title and copyright pages and of the PDF's metadata, from sources/article.toml; the layout
    # is in latex/book.sty
    "preamble": tex_facts(
        Title=project, Subtitle=SUBTITLE, Subject=SUBJECT, Author=author,
        EditionLine=f"Edition {release}" + (f", {EDITION_DATE}" if EDITION_DATE else ""),
        ArticleURL=ARTICLE["url"], HistoryURL=ARTICLE["history_url"], LicenceURL=ARTICLE["licence_url"],
        LicenceName=ARTICLE["licence_name"], Licence=ARTICLE["licence"], Received=ARTICLE["received"],
    ) + "\n\\usepackage{book}\n\\hypersetup{pdftitle={\\BookTitle}, pdfauthor={\\BookAuthor}, "
        f"pdfsubject={{\\BookSubject}}, pdflang={{{language}}}}}",
    "maketitle": r"\BookFrontMatter",
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
# search.html: no search in an e-book. .buildinfo.bak: Sphinx leaves it when the config changed. epub-cover.xhtml:
# a stale copy from the last build would enter the spine twice (Sphinx adds the fresh one itself).
epub_exclude_files = ["search.html", ".buildinfo.bak", "epub-cover.xhtml"]
epub_cover = ("_static/cover.svg", "book-cover.html")  # ext/epub_cover.py draws the image; the page names it
epub_cover_subtitle = SUBTITLE
epub_css_files = ["epub-narrow.css"]  # narrow screens: tables and long words wrap, nothing scrolls sideways

# -- Links ---------------------------------------------------------------------------------------------------
linkcheck_timeout = 15
linkcheck_retries = 2
linkcheck_rate_limit_timeout = 120
