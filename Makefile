# The book's build. `make help` lists every target; every knob below can be overridden: make html SPHINXOPTS=-q
PYTHON     ?= python3
VENV       ?= .venv
BUILDDIR   ?= _build
SPHINXOPTS ?=
JOBS       ?= auto
PAPER      ?= a4
DOCS       ?= docs
export PAPER
# Reproducible output: the PDF's and the EPUB's dates are the last commit's, not the build's, so two builds of one
# commit give the same bytes (https://reproducible-builds.org/specs/source-date-epoch/). FORCE_SOURCE_DATE makes
# TeX's \today follow it too. Outside a git checkout nothing is set and the dates are the build's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
export FORCE_SOURCE_DATE = 1
endif
# Warnings are errors, always: -n (nitpicky), -W (warnings fail), --keep-going (report all of them).
# -j auto: one Sphinx process per core; a clean build writes the same files with -j 1 and -j 2, byte for byte, with
# the same (no) warnings (tests/test_parallel_writing.py), for a little more CPU time. JOBS=1 for one process.
STRICT      = -n -W --keep-going -j $(JOBS)
BOOK        = afghan-civil-war-1996-2001
BIN         = $(VENV)/bin
NODE_MODULES = scripts/browser/node_modules
SPHINX      = $(BIN)/sphinx-build -c . $(STRICT) $(SPHINXOPTS)
# The checks of each built format, run by the target that builds it and all together by make check.
define CHECK_PDF
@$(BIN)/python -m scripts.check_latex_log $(BUILDDIR)/latex/$(BOOK).log
@$(BIN)/python -m scripts.check_pdf $(BUILDDIR)/latex/$(BOOK).pdf --latex-dir $(BUILDDIR)/latex
@$(BIN)/python -m scripts.check_pdf_fonts $(BUILDDIR)/latex/$(BOOK).pdf --figures $(BUILDDIR)/latex
endef
define CHECK_EPUB
@echo "== EPUB: EPUBCheck (silent when valid)"
scripts/epubcheck $(BUILDDIR)/epub/$(BOOK).epub
endef
CHECK_ACE = $(BIN)/python -m scripts.check_epub_accessibility $(BUILDDIR)/epub/$(BOOK).epub --report $(BUILDDIR)/ace

.DEFAULT_GOAL := help
.PHONY: help venv tex browser import check-import check html check-html anchors pdf epub ace book test test-fast linkcheck preview lock clean node-modules measure bench link-terms epubcheck

help:  ## list the targets
	@echo "Build the book: make book (HTML, PDF, EPUB). Run the tests: make test."
	@echo "Knobs: SPHINXOPTS='...' JOBS=$(JOBS) PAPER=a4|letter PYTHON=$(PYTHON) DOCS=$(DOCS) (the pages make html builds)"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 16

venv: $(VENV)/.installed  ## make the virtual environment from the lock file (requirements.txt)
$(VENV)/.installed: requirements.txt
	@echo "== virtual environment: $(VENV) (from requirements.txt)"
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed (Sphinx 9.0 and the lock file); set PYTHON=")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-virtualenv -r requirements.txt
	@touch $@

tex:  ## install TeX and fonts from Debian's packages if missing (as root; otherwise prints the command)
	@scripts/ensure-tex

browser:  ## install Debian's Chromium for the browser tests if missing (as root; otherwise prints the command)
	@scripts/ensure-browser

node-modules: $(NODE_MODULES)/.installed  ## install Lighthouse, axe-core and Ace by DAISY from the npm lock (scripts/browser)
$(NODE_MODULES)/.installed: scripts/browser/package-lock.json
	@scripts/ensure-npm
	@echo "== npm ci in scripts/browser (no browser download: Chromium is Debian's)"
	cd scripts/browser && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

epubcheck:  ## install Debian's EPUBCheck and Java if missing (as root; otherwise prints the command)
	@scripts/ensure-epubcheck

import: venv  ## take in a newer revision: make import ARTICLE=new-export.txt [RECEIVED=YYYY-MM-DD] [DRY_RUN=1]
	$(BIN)/python -m scripts.import_article $(ARTICLE) $(if $(DRY_RUN),--dry-run) \
	  $(if $(RECEIVED),--received $(RECEIVED)) $(if $(REVISION),--revision $(REVISION))

check-import: venv  ## say whether the chapters differ from the imported article only by the book's own edits
	$(BIN)/python -m scripts.import_article --check

# Every check script in one run, without pytest: the sources (bibliography, import drift, glossary links), then the
# book built in all three formats (the article's every word, links, public anchors, PDF, EPUB, accessibility).
check: book browser node-modules check-import check-html  ## run every check script on the sources and the built book
	$(BIN)/python -m scripts.check_sources
	$(BIN)/python -m scripts.link_terms --check
	$(BIN)/python -m scripts.check_lossless $(BUILDDIR)/html
	$(CHECK_PDF)
	$(CHECK_EPUB)
	$(CHECK_ACE)

link-terms: venv  ## link each chapter's first mention of each glossary entity (docs/entities/); safe to re-run
	$(BIN)/python -m scripts.link_terms

# The build itself checks the article's words (ext/lossless_check.py), the internal links and anchors and the
# public anchors (ext/html_link_check.py), re-reading only the pages it wrote: seconds, not half a minute.
html: venv  ## build the HTML book into _build/html; checks the article's words, internal links, public anchors
	@echo "== HTML"
	BOOK_DOWNLOADS_FROM=$(BUILDDIR) $(SPHINX) -d $(BUILDDIR)/doctrees-html -b html $(DOCS) $(BUILDDIR)/html

check-html: venv  ## check the built HTML again, all of it, with LinkChecker (as make test and CI do): slower
	@$(BIN)/python -m scripts.check_links $(BUILDDIR)/html
	@$(BIN)/python -m scripts.check_anchors $(BUILDDIR)/html

anchors: venv  ## rebuild the HTML and rewrite the list of public anchors (public-anchors.txt), deliberately
	$(SPHINX) -D html_link_check_anchors= -d $(BUILDDIR)/doctrees-html -b html docs $(BUILDDIR)/html
	$(BIN)/python -m scripts.check_anchors $(BUILDDIR)/html --update

pdf: venv tex  ## build the PDF (LuaLaTeX) into _build/pdf; PAPER=letter for US Letter
	@echo "== PDF: LaTeX sources"
	$(SPHINX) -d $(BUILDDIR)/doctrees-latex -b latex docs $(BUILDDIR)/latex
	@echo "== PDF: LuaLaTeX via latexmk (the first run on a machine builds a font cache, about a minute)"
	$(MAKE) -C $(BUILDDIR)/latex --no-print-directory LATEXMKOPTS="-silent -halt-on-error" all-pdf
	$(CHECK_PDF)
	@mkdir -p $(BUILDDIR)/pdf && cp $(BUILDDIR)/latex/$(BOOK).pdf $(BUILDDIR)/pdf/
	@echo "The PDF is $(BUILDDIR)/pdf/$(BOOK).pdf"

epub: venv epubcheck  ## build the EPUB into _build/epub and validate it with EPUBCheck
	@echo "== EPUB"
	$(SPHINX) -d $(BUILDDIR)/doctrees-epub -b epub docs $(BUILDDIR)/epub
	$(CHECK_EPUB)
	@echo "The EPUB is $(BUILDDIR)/epub/$(BOOK).epub"

ace: epub browser node-modules  ## check the EPUB's accessibility with Ace by DAISY; report in _build/ace/report.html
	$(CHECK_ACE)

book: pdf epub html  ## build all three; the PDF and the EPUB first, so that the HTML offers them for download

# -n auto: one pytest worker per core (pytest-xdist); the books are built once per run and shared (tests/conftest.py),
# the longest tests first; --dist worksteal: a worker that runs out of tests takes some of the other's
test: venv tex browser node-modules epubcheck  ## run every test (slow and TeX ones too), as CI does
	$(BIN)/python -m pytest -n auto --dist worksteal

test-fast: venv  ## run the tests that need neither TeX nor a full PDF build
	$(BIN)/python -m pytest -n auto -m "not slow and not tex"

measure: html browser node-modules  ## Lighthouse and axe-core on the title page and largest chapter, against the targets
	$(BIN)/python -m scripts.measure $(BUILDDIR)/html

bench: venv tex browser node-modules epubcheck  ## time make html, pdf, test-fast and test beside bare Sphinx, in one run
	$(BIN)/python -m scripts.bench

profile: venv  ## where a clean HTML build's time goes: each page, each extension's listeners, each directive (one process)
	rm -rf $(BUILDDIR)/profile/html $(BUILDDIR)/profile/doctrees  # the maps stay drawn, as in make bench
	$(BIN)/python -m scripts.build_profile -c . -n -W --keep-going -j 1 -q $(SPHINXOPTS) \
		-d $(BUILDDIR)/profile/doctrees -b html $(DOCS) $(BUILDDIR)/profile/html

linkcheck: venv  ## check external links (needs the internet); report in _build/linkcheck/report.md
	@status=0; $(BIN)/sphinx-build -c . -n --keep-going -q $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-linkcheck \
	  -b linkcheck docs $(BUILDDIR)/linkcheck || status=$$?; \
	$(BIN)/python -m scripts.linkcheck_report $(BUILDDIR)/linkcheck/output.json > $(BUILDDIR)/linkcheck/report.md; \
	echo "Report: $(BUILDDIR)/linkcheck/report.md"; exit $$status

preview: venv  ## live preview on http://127.0.0.1:8000, rebuilt on every save
	$(BIN)/sphinx-autobuild -c . $(STRICT) $(SPHINXOPTS) -d $(BUILDDIR)/doctrees-preview --host 127.0.0.1 --port 8000 \
	  --watch conf.py --watch ext --watch booklib --watch sources docs $(BUILDDIR)/preview

lock: venv  ## re-resolve requirements.in into the lock file requirements.txt, for Debian 12's Python 3.11.2
	$(BIN)/python -m scripts.lock_requirements

clean:  ## remove the build output (keeps the virtual environment)
	rm -rf $(BUILDDIR)
