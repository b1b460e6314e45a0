"""Sources per chapter and one book-wide bibliography with back-links, in HTML, EPUB and the PDF.

sphinxcontrib-bibtex links every ``{cite}`` to the one ``{bibliography}`` of the page named by
``book_bibliography_doc``. This extension adds what it lacks:

* at the end of every other page that cites something, the list "Sources cited in this chapter": the full
  entries, formatted by the same pybtex style, as a plain list. It is not a second ``{bibliography}``: two
  bibliographies holding one key clash (``duplicate_citation``), and in LaTeX Sphinx would move them away.
* under each entry of the book-wide bibliography, "Cited in:" links back to every place that cites it
  (sphinxcontrib-bibtex only makes back-links within one page).
* in LaTeX, Sphinx gathers all citations into one ``thebibliography`` at the very end of the book and leaves the
  bibliography's own chapter empty. We move that list back into its chapter, and keep ``thebibliography`` from
  opening a second, unnumbered chapter.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pybtex
from docutils import nodes
from pybtex.database import Entry
from pybtex.plugin import find_plugin, register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import date
from pybtex.style.template import field, optional_field, sentence, words
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.util.nodes import make_refnode
from sphinxcontrib.bibtex.nodes import bibliography as bibliography_node

from booklib import kept_between_builds
from ext.tree_walks import ancestors, reading_order

BACKEND = find_plugin("pybtex.backends", "docutils")()
SOURCES_TITLE = "Sources cited in this chapter"
LATEX_PREAMBLE = r"""
% book-wide bibliography (ext/book_bibliography.py): it sits inside its own chapter, so no second heading
\renewenvironment{sphinxthebibliography}[1]{\def\chapter*##1{}\begin{thebibliography}{#1}}{\end{thebibliography}}
"""


class AuthorYearLabels(BaseLabelStyle):
    """Labels such as "Coll 2004", "Iacopino and Rasekh 1998", "Human Rights Watch 2001"; a, b... when two
    labels would be the same (the cited text already reads author–year, so the list does too)."""

    def format_labels(self, sorted_entries):
        labels = [self.label(entry) for entry in sorted_entries]
        totals = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if totals[label] > 1:
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label

    @staticmethod
    def label(entry) -> str:
        persons = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in persons]
        who = names[0] if len(names) == 1 else " and ".join(names[:2]) if len(names) == 2 else f"{names[0]} et al."
        year = entry.fields.get("year", "")
        return " ".join(part for part in (who, year) if part)


class BookStyle(PlainStyle):
    """pybtex's plain style with author–year labels, and without the ``note`` field: our notes record where an
    entry was verified (for reviewers, in docs/refs.bib); they are not part of the reference."""

    default_label_style = "authoryear"

    def format_entry(self, label, entry, bib_data=None):
        # the style itself (sphinxcontrib-bibtex makes it with pybtex's default options), the label, the entry
        style = (type(self).__module__, type(self).__qualname__)
        key = (*style, label, entry_content(entry)) if bib_data is None else None
        formatted = FORMATTED.recall(key)
        if formatted is None:
            fields = {name: value for name, value in entry.fields.items() if name.lower() != "note"}
            shown = Entry(entry.type, fields=fields, persons=entry.persons)
            shown.key = entry.key
            formatted = FORMATTED.keep(key, super().format_entry(label, shown, bib_data))
        return formatted

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort = self.sort_by_label  # plain sorts "{Human Rights Watch}" after every letter

    @staticmethod
    def sort_by_label(entries):
        return sorted(entries, key=lambda e: (AuthorYearLabels.label(e).lower(), e.fields.get("title", "").lower()))

    def get_techreport_template(self, e):
        """As plain, but no "Technical Report" for reports whose record has no ``type``: that word is not ours
        to add."""
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[words[optional_field("type"), optional_field("number")], field("institution"),
                     optional_field("address"), date],
            self.format_web_refs(e),
        ]

    def format_title(self, e, which_field, as_sentence=True):
        """Titles as the verified record spells them (plain would lower-case "Afghan Civil War")."""
        title = field(which_field)
        return sentence[title] if as_sentence else title


def entry_content(entry) -> tuple:
    """Everything of a bibliography entry that its formatted text can depend on."""
    persons = tuple((role, tuple((tuple(p.first_names), tuple(p.middle_names), tuple(p.prelast_names),
                                  tuple(p.last_names), tuple(p.lineage_names)) for p in people))
                    for role, people in entry.persons.items())
    return entry.key, entry.type, tuple(entry.fields.items()), persons


class FormattedEntries:
    """The entries BookStyle formatted, kept with the environment from one build to the next.

    sphinxcontrib-bibtex formats every entry of every bibliography again in every build (env-updated), a no-change
    build included: about a twentieth of a second here. An entry is formatted again when its label or any of its
    fields or names changed, or this module or pybtex changed (``code``); only the entries of the last build are
    kept."""

    def __init__(self):
        self.code = ""
        self.remembered: dict = {}
        self.used: dict = {}

    def recall(self, key):
        if key is None:
            return None
        found = self.used.get(key)
        if found is None and key in self.remembered:
            found = self.used[key] = self.remembered[key]
        return found

    def keep(self, key, formatted):
        if key is not None:
            self.used[key] = formatted
        return formatted

    def start(self, app) -> None:
        """builder-inited: take the last build's entries from the environment, if the same code formatted them."""
        self.code = code_version()
        code, entries = getattr(app.env, "book_formatted_entries", ("", {}))
        self.remembered, self.used = (entries if code == self.code else {}), {}

    def store(self, app, env) -> None:
        """env-updated, after sphinxcontrib-bibtex's: what this build formatted goes into the environment, which
        Sphinx saves when the build read or changed any page (otherwise the last saved entries still hold)."""
        env.book_formatted_entries = (self.code, self.used)


def code_version() -> str:
    """This module and pybtex: the code that formats an entry."""
    return kept_between_builds.code_version(Path(__file__), extra=pybtex.__version__)


FORMATTED = FormattedEntries()
register_plugin("pybtex.style.labels", "authoryear", AuthorYearLabels)
register_plugin("pybtex.style.formatting", "book", BookStyle)


class chapter_sources(nodes.General, nodes.Element):
    """Placeholder for a page's list of sources, filled in once every citation is known."""


class bibliography_place(nodes.General, nodes.Element):
    """Marks where the book-wide bibliography stands (LaTeX moves it back here)."""


def cites(doctree) -> bool:
    return any(x.get("refdomain") == "cite" for x in doctree.findall(addnodes.pending_xref))


def mark_places(app, doctree):
    docname = app.env.docname
    if docname == app.config.book_bibliography_doc:
        for bib in list(doctree.findall(bibliography_node)):
            bib.parent.insert(bib.parent.index(bib) + 1, bibliography_place())
        return
    if not cites(doctree):
        return
    sections = [s for s in doctree.children if isinstance(s, nodes.section)]
    (sections[-1] if sections else doctree).append(chapter_sources(docname=docname))


def cite_domain(env):
    return env.get_domain("cite")


def book_citations(env) -> dict:
    """key -> Citation of the book-wide bibliography, in its sorted order."""
    bibdoc = env.config.book_bibliography_doc
    return {c.key: c for c in cite_domain(env).citations if c.bibliography_key.docname == bibdoc}


def fill_chapter_sources(app, doctree, fromdocname):
    env = app.env
    domain = cite_domain(env)
    citations = book_citations(env)
    for placeholder in list(doctree.findall(chapter_sources)):
        docname = placeholder["docname"]
        keys = {t.key for ref in domain.citation_refs if ref.docname == docname for t in ref.targets}
        listed = [c for key, c in citations.items() if key in keys]
        if not listed:
            placeholder.parent.remove(placeholder)
            continue
        intro = nodes.paragraph(classes=["chapter-sources-intro"])
        intro += nodes.Text("Full entries, with links back to every place that cites them, are in the ")
        intro += make_refnode(app.builder, fromdocname, app.config.book_bibliography_doc, "",
                              nodes.inline("", "Bibliography"))
        intro += nodes.Text(".")
        items = nodes.bullet_list(classes=["chapter-sources"])
        for citation in listed:
            items += nodes.list_item("", BACKEND.paragraph(citation.formatted_entry))
        placeholder.replace_self([nodes.rubric("", SOURCES_TITLE, classes=["chapter-sources-title"]), items, intro])


def add_backlinks(app, doctree, fromdocname):
    env = app.env
    domain = cite_domain(env)
    by_id = {c.citation_id: c for c in book_citations(env).values()}
    order = {docname: n for n, docname in enumerate(reading_order(env))}
    for citation_node in doctree.findall(nodes.citation):
        citation = by_id.get((citation_node.get("ids") or [None])[0])
        if citation is None:
            continue
        refs = [ref for ref in domain.citation_refs if citation.key in {t.key for t in ref.targets}]
        refs.sort(key=lambda ref: (order.get(ref.docname, len(order)), ref.line))
        if not refs:
            continue
        para = nodes.paragraph(classes=["cited-in"])
        para += nodes.Text("Cited in: ")
        seen: list[str] = []
        for ref in refs:
            if ref.docname not in seen:
                if seen:
                    para += nodes.Text("; ")
                seen.append(ref.docname)
                title = env.titles[ref.docname].astext() if ref.docname in env.titles else ref.docname
                para += make_refnode(app.builder, fromdocname, ref.docname, ref.citation_ref_id,
                                     nodes.inline("", title))
                count = 1
            else:
                count += 1
                para += nodes.Text(" ")
                para += make_refnode(app.builder, fromdocname, ref.docname, ref.citation_ref_id,
                                     nodes.inline("", f"({count})"))
        para += nodes.Text(".")
        citation_node += para


def label_latex_citations(doctree, fromdocname):
    """LaTeX writes no label for an inline's ids: give each citation in the text one, for the back-links."""
    for cite in list(doctree.findall(nodes.inline)):
        if "bibtex-citation" not in cite["classes"] or not cite["ids"]:
            continue
        # Sphinx marks each inlined page's sections with its docname (and leaves their parent pointers stale)
        docname = next((a["docname"] for a in ancestors(cite)
                        if isinstance(a, (addnodes.start_of_file, nodes.section)) and a.get("docname")), fromdocname)
        labels = "".join(r"\label{%s:%s}" % (docname, node_id) for node_id in cite["ids"])
        cite.parent.insert(cite.parent.index(cite), nodes.raw("", r"\phantomsection" + labels, format="latex"))


def place_latex_bibliography(app, doctree, fromdocname):
    places = list(doctree.findall(bibliography_place))
    if app.builder.format == "latex":
        label_latex_citations(doctree, fromdocname)
    if app.builder.format == "latex" and places:
        gathered = list(doctree.findall(thebibliography))
        if gathered:
            gathered[0].parent.remove(gathered[0])
            places[0].replace_self(gathered[0])
    for place in doctree.findall(bibliography_place):
        place.parent.remove(place)


def note_changes(app, env, added, changed, removed):
    """Whether this build reads or removes any page (env-get-updated, below, is not told)."""
    app._book_pages_changed = bool(added or changed or removed)
    return []


def bibliography_outdated(app, env):
    """The book-wide bibliography's back-links come from every page: write it again when any page changed.
    Writing is enough, no reading: its doctree holds a node for every entry of the .bib files (sphinxcontrib-bibtex
    makes one per entry when it reads the page), and the back-links are added as it is written."""
    bibdoc = app.config.book_bibliography_doc
    return [bibdoc] if getattr(app, "_book_pages_changed", False) and bibdoc in env.found_docs else []


def resolved(app, doctree, fromdocname):
    fill_chapter_sources(app, doctree, fromdocname)
    add_backlinks(app, doctree, fromdocname)
    place_latex_bibliography(app, doctree, fromdocname)


def add_latex_preamble(app, config):
    config.latex_elements["preamble"] = config.latex_elements.get("preamble", "") + LATEX_PREAMBLE


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    app.setup_extension("ext.editor_notes")
    app.add_config_value("book_bibliography_doc", "bibliography", "env")
    app.add_node(chapter_sources)
    app.add_node(bibliography_place)
    app.connect("config-inited", add_latex_preamble)
    app.connect("doctree-read", mark_places)
    app.connect("env-get-outdated", note_changes)
    app.connect("env-get-updated", bibliography_outdated)
    app.connect("doctree-resolved", resolved)
    app.connect("builder-inited", FORMATTED.start)
    app.connect("env-updated", FORMATTED.store, priority=900)  # after sphinxcontrib-bibtex formats the entries
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
