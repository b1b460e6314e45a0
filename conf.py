"""Sphinx configuration of the book. Build with: sphinx-build -c . docs _build/<format> (the Makefile does)."""
import os
import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the one import root: ext.* (the extensions) and booklib (their plain libraries)
# Python keeps the compiled code of ext/ and booklib/ (in __pycache__, which git ignores) even where
# PYTHONDONTWRITEBYTECODE is set: compiling them again cost every build about 0.06 s of CPU.
sys.dont_write_bytecode = False
ARTICLE = tomllib.loads((ROOT / "sources" / "article.toml").read_text(encoding="utf-8"))
# Every revision of the article taken in (make import adds one): named on the About page, the PDF's copyright page
# and in the EPUB's metadata.
article_revisions = ARTICLE["revisions"]
REVISIONS_LINE = "; ".join(f"received {r['received']}, SHA-256 {r['sha256']}, "
                           + (f"revision id {r['revision']}" if r["revision"] else "no revision id in the export")
                           for r in article_revisions)

# -- The book ------------------------------------------------------------------------------------------------
project = ARTICLE["title"]
author = "Wikipedia contributors and the editors of this book"
copyright = f"text by {ARTICLE['authors']}, {ARTICLE['licence']}; modified, see “About this book”"
version = release = "0.1"  # the book's edition; EPUB warns on an empty version
language = "en"
root_doc = "index"
BOOK_FILE = "afghan-civil-war-1996-2001"  # basename of the PDF and EPUB
# The HTML book's web address, named in the PDF and the EPUB; unset (the default) names none. On Read the Docs,
# its own address of this version.
BOOK_BASE_URL = os.environ.get("BOOK_BASE_URL") or os.environ.get("READTHEDOCS_CANONICAL_URL", "")

extensions = [
    "myst_parser",
    "ext.pybtex_cache",  # pybtex's plugin lookups cached, one scan of entry points; before sphinxcontrib.bibtex
    "sphinxcontrib.bibtex",
    "ext.book_parts",  # toctree captions -> \part in LaTeX
    "ext.article_corrections",  # {article-corrections}: deliberate changes to the article's words
    "ext.citation_check",  # a malformed {cite} is an error with file and line, not a traceback
    "ext.editor_notes",  # {editor-note}: our words about the article; {editor-note-list}: all of them
    "ext.book_bibliography",  # sources per chapter, back-links, the bibliography in its own PDF chapter
    "ext.content_sandbox",  # pages read only docs/ and run nothing: substitutions looked up, no {eval-rst}, no paths out
    "ext.safe_content",  # no raw HTML, {raw}, <script> or remote images in pages: reported with file and line
    "ext.markup_lint",  # mistakes MyST accepts silently: ':::' as text, unclosed fences, headings without labels
    "ext.merge_conflicts",  # conflict markers left by a merge: an error with file and line until a person resolves them
    "ext.article_revisions",  # {article-revisions}: every revision taken in; {article-changes}: what the article changed
    "ext.crash_guard",  # a directive or role that crashes on bad input: an error with file and line, no traceback
    "ext.named_things_store",  # the data files (entities, places, timeline) parsed once, kept next to the doctrees
    "ext.book_timeline",  # {dated-events}: the timeline, from docs/_data/timeline.yaml, checked before rendering
    "ext.meta_description",  # <meta name="description"> from each page's first paragraph
    "ext.git_last_updated",  # "Last updated on" = the page's last commit, not the build date
    "ext.not_found_page",  # 404.html whose links work from any missing address
    "ext.entity_glossary",  # {entity-glossary} from docs/entities/*.yaml, "Mentioned in" lists, name checks
    "ext.few_pages_serial",  # a rebuild of a few pages runs in one process: forking for them costs more than it saves
    "ext.balanced_writing",  # parallel writing: a worker writes the largest pages, the main process the rest
    "ext.template_cache",  # HTML templates stay compiled between builds (next to the doctrees): faster rebuilds
    "ext.hover_previews",  # a link's target (term, place, section, note) in a popup, loaded only when pointed at
    "ext.index_sorting",  # xindy: accented Latin names sort with their base letter in the printed index
    "ext.latex_long_words",  # LaTeX: hashes may break across lines instead of running into the margin
    "ext.epub_cover",  # EPUB: a cover image drawn from the book's title
    "ext.place_maps",  # {place-map} and chapter locator maps; loads "gazetteer" ({gazetteer}, docs/_data/places.yaml)
    "ext.epub_accessibility",  # every image has alt text; EPUB: page languages, accessibility metadata (Ace by DAISY)
    "ext.book_downloads",  # the HTML offers the PDF and EPUB of its edition; the EPUB names the HTML's web address
    "ext.inline_lines",  # a role's error names the role's own line, not its paragraph's first line
    "ext.lossless_check",  # every word of the article is in the book, in order, and none inside our notes
    "ext.html_link_check",  # every internal link and anchor resolves, no public anchor vanished; in every build
    "ext.evidence_links",  # every entry and note points at the article's words that support it; checked every build
    "ext.search_index_entries",  # a rebuild keeps the search entries (glossary terms) of the pages it did not write
    "ext.gc_freeze",  # the garbage collector skips what lives for the whole build: about half its CPU time
]
evidence_required = True  # a glossary, place or timeline entry or an editor's note without evidence is an error
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

# -- The article's words (ext/lossless_check.py): checked in every build ------------------------------------
lossless_article = "sources/afghan-civil-war-1996-2001.txt"
lossless_corrections = "sources/corrections.toml"  # deliberate changes to the article's words

# -- Sources -------------------------------------------------------------------------------------------------
bibtex_bibfiles = ["docs/refs.bib"]
bibtex_reference_style = "author_year"
bibtex_default_style = "book"  # plain, with author–year labels and no `note` (ext/book_bibliography.py)
book_bibliography_doc = "bibliography"  # the page with the book-wide {bibliography}

# -- Timeline ------------------------------------------------------------------------------------------------
timeline_data = "docs/_data/timeline.yaml"
timeline_page = "timeline"  # chapters' own lists of dated events link to it
timeline_link_terms = True  # the timeline links the people and groups involved to the glossary

# -- Places and maps (ext/place_maps.py) ----------------------------------------------------------------------
place_maps_skip = ["chapters/further-reading"]  # a list of titles, not the story: no locator map

# -- HTML ----------------------------------------------------------------------------------------------------
html_theme = "furo"
html_title = project
html_static_path = ["docs/_static"]
html_css_files = [("book.css", {"priority": 800})]  # Sphinx's default priority, written out: Sphinx adds it while
# building, and a value that differs from the last build's makes every build say "the configuration has changed"
html_favicon = "docs/_static/favicon.svg"  # our own; without one browsers ask for /favicon.ico and get a 404
html_last_updated_fmt = "%Y-%m-%d"
html_copy_source = False  # the "edit" link points at the chapter sources; no duplicate _sources/ tree
html_show_sphinx = False
html_link_check_anchors = "public-anchors.txt"  # the public anchors (make anchors rewrites the list)
# Where the book is served from, for the 404 page's links: "/" at a site's root, "/book/" under a sub-folder.
not_found_base_path = os.environ.get("BOOK_BASE_PATH", "/")
# The repository's web address (https://github.com/..., gitlab.com or bitbucket.org), for the "edit this page"
# link of each chapter. Unknown until the book is published: unset means no edit link, rather than a dead one.
BOOK_REPOSITORY_URL = os.environ.get("BOOK_REPOSITORY_URL", "").rstrip("/")
html_theme_options = {
    "top_of_page_buttons": ["edit"] if BOOK_REPOSITORY_URL else [],  # "view" would need the copied _sources
    "source_repository": BOOK_REPOSITORY_URL,
    "source_branch": os.environ.get("BOOK_REPOSITORY_BRANCH", "main"),
    "source_directory": "docs/",
}
# The sidebar offers the PDF and the EPUB of this edition (ext/book_downloads.py), from the build folder that
# `make html` names (`make book` builds them before the HTML); a bare sphinx-build offers none.
DOWNLOADS_FROM = os.environ.get("BOOK_DOWNLOADS_FROM")
book_downloads = [("PDF", f"{DOWNLOADS_FROM}/pdf/{BOOK_FILE}.pdf"),
                  ("EPUB", f"{DOWNLOADS_FROM}/epub/{BOOK_FILE}.epub")] if DOWNLOADS_FROM else []
book_web_url = BOOK_BASE_URL
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/search.html", "sidebar/scroll-start.html",
                        "sidebar/navigation.html", "sidebar/downloads.html", "sidebar/ethical-ads.html",
                        "sidebar/scroll-end.html", "sidebar/variant-selector.html"]}
# Hover previews: the vendored scripts (docs/_static/vendor/README.txt), no CDN; loaded on a reader's first hover.
hover_previews_js = ("vendor/popper-2.11.8.min.js", "vendor/tippy-bundle-6.3.7.umd.min.js")

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
        # a SHA-256 may break after every fourth digit: one 64-digit box is wider than the page
        return re.sub(r"[0-9a-f]{16,}", lambda m: "\\allowbreak{}".join(re.findall(".{1,4}", m.group())),
                      escape(value, "lualatex"))
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
        Revisions=REVISIONS_LINE, WebURL=BOOK_BASE_URL,
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
epub_description = (f"{SUBJECT}. The article's revisions taken in: {REVISIONS_LINE}. "
                    f"Its authors: the revision history, {ARTICLE['history_url']}")
epub_show_urls = "no"
# web-only pages; the vendored scripts' notes and licences (EPUB has no mimetype for .txt); .buildinfo.bak: Sphinx
# leaves it when the config changed; epub-cover.xhtml: a stale copy would enter the spine twice (Sphinx adds it).
epub_exclude_files = ["search.html", "_static/vendor/README.txt", "_static/vendor/LICENSE-popperjs.txt",
                      "_static/vendor/LICENSE-tippy.txt", ".buildinfo.bak", "epub-cover.xhtml"]
epub_cover = ("_static/cover.svg", "book-cover.html")  # ext/epub_cover.py draws the image; the page names it
epub_cover_subtitle = SUBTITLE
epub_css_files = ["epub-narrow.css"]  # narrow screens: tables and long words wrap, nothing scrolls sideways
# content.opf's schema:accessibilitySummary (ext/epub_accessibility.py derives the other accessibility metadata)
epub_accessibility_summary = (
    "All of the book is text: chapters, editor's notes, glossary, timeline and sources, in reading order, with "
    "headings, a table of contents and an index to move around. Each map is an image with a text alternative "
    "that names every place it shows, says roughly where in Afghanistan or around it each one lies and which "
    "ones are highlighted; its caption says what it shows and where its data comes from. Nothing flashes, moves "
    "or plays sound.")

# -- External links: make linkcheck (needs the internet; CI runs it weekly and reports, never blocks) -------
linkcheck_timeout = 15  # seconds for one request; a slow server is reported as "timeout", not as broken
linkcheck_report_timeouts_as_broken = False
linkcheck_retries = 2  # a dropped connection is tried again before the link counts as broken
linkcheck_workers = 4  # few requests at once: polite to Wikipedia, which hosts most of our links
linkcheck_rate_limit_timeout = 120  # on 429 without Retry-After, back off (doubling) up to 2 minutes per host
linkcheck_anchors = True  # page#section links must find their section
linkcheck_allowed_redirects = {  # any other redirect is reported (a warning), so a moved page is noticed
    r"https://doi\.org/.*": r"https://.*",  # a DOI exists to redirect to its publisher's page
    r"https://en\.wikipedia\.org/wiki/.*": r"https://en\.wikipedia\.org/wiki/.*",  # renamed article, same site
    r"https://creativecommons\.org/licenses/.*": r"https://creativecommons\.org/licenses/.*",  # adds a language
}
linkcheck_ignore = [
    # the article's revision history: a page of the wiki software (/w/, which its robots.txt closes to crawlers),
    # not content; the article itself is checked
    r"https://en\.wikipedia\.org/w/index\.php\?.*action=history",
]
