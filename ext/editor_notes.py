"""``{editor-note}``: our own words about the article, set apart from its text; ``{editor-note-list}``: all of them.

    :::{editor-note}
    ---
    kind: lost
    evidence: |
      the article's words the note discusses, one passage per line
    ---
    Our words, plainly.
    :::

``kind`` says what the note is about (optional; see KINDS); ``evidence`` is required when the book's
``evidence_required`` is on (ext/evidence_links.py checks it). In HTML and EPUB a note is
``<div class="admonition editor-note editor-note-<kind>" id="editor-note-N">`` with the title "Editor's note: …"
(styled in ``_static/book.css``); in the PDF it is a shaded, framed box with the same title. The list page
groups every note of the book by kind, in reading order, each with a link to the note.
"""
from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ext.tree_walks import ancestors, reading_order

logger = logging.getLogger(__name__)

LABEL = "Editor's note"
# kind -> (title shown after the label, heading on the list page)
KINDS = {
    "lost": ("text lost in the export", "Text lost in the export"),
    "tension": ("the article disagrees with itself", "Places where the article disagrees with itself"),
    "spelling": ("spelling of a name", "Names the article spells in more than one way"),
    "unverified": ("source not verified", "Sources that could not be verified"),
    "source": ("about the sources", "About the sources"),
    "other": ("", "Other notes"),
}
SUMMARY_WORDS = 24
# The PDF box: Sphinx's "todo" notice type (unused by the book otherwise), shaded and framed in our colours.
LATEX_TYPE = "todo"
LATEX_PREAMBLE = r"""
% editor notes (ext/editor_notes.py): a shaded, framed box, unlike any text of the article
\definecolor{EditorNoteBorder}{RGB}{122,74,0}
\definecolor{EditorNoteBackground}{RGB}{255,246,222}
\definecolor{EditorNoteTitle}{RGB}{240,219,168}
\sphinxsetup{%
  div.todo_border-TeXcolor=EditorNoteBorder,
  div.todo_background-TeXcolor=EditorNoteBackground,
  div.todo_title-background-TeXcolor=EditorNoteTitle,
  div.todo_title-foreground-TeXcolor=black,
  div.todo_border-width=1pt,
  div.todo_box-decoration-break=slice,
}
"""


class editor_note(nodes.admonition):
    """An editorial note. A subclass of admonition, so any builder without its own rule renders it as one."""


class editor_note_list(nodes.General, nodes.Element):
    """Placeholder for the list of all notes, filled in once all documents are read."""


def title_for(kind: str) -> str:
    extra = KINDS[kind][0]
    return f"{LABEL}: {extra}" if extra else LABEL


def plain_text(children) -> str:
    """The note's words for the list page, without citation keys (they become "[Author, year]" only later)."""
    words = []
    for child in children:
        for text in child.findall(nodes.Text):
            if not any(isinstance(a, addnodes.pending_xref) for a in ancestors(text)):
                words.append(str(text))
    return re.sub(r"\s+([.,;:)])", r"\1", " ".join(words))  # no gap where a citation was left out


class EditorNote(SphinxDirective):
    has_content = True
    # evidence: the article's words the note discusses, one passage per line (checked by ext/evidence_links.py)
    option_spec = {"kind": directives.unchanged, "evidence": directives.unchanged}

    def run(self):
        kind = self.options.get("kind", "other").strip() or "other"
        if kind not in KINDS:
            logger.warning("editor-note: unknown :kind: %r; use one of: %s", kind, ", ".join(KINDS),
                           location=(self.env.docname, self.lineno), type="editor_notes", subtype="kind")
            kind = "other"
        if not "".join(self.content).strip():
            logger.warning("editor-note: the note is empty; write what is wrong or missing, in our words",
                           location=(self.env.docname, self.lineno), type="editor_notes", subtype="empty")
            return []
        number = self.env.new_serialno("editor-note") + 1
        node = editor_note("\n".join(self.content), classes=["editor-note", f"editor-note-{kind}"],
                           ids=[f"editor-note-{number}"], kind=kind)
        self.set_source_info(node)
        if "evidence" in self.options:
            node["evidence"] = [p.strip() for p in self.options["evidence"].splitlines() if p.strip()]
        node["note_text"] = "\n".join(self.content)
        node += nodes.title("", title_for(kind))
        self.state.nested_parse(self.content, self.content_offset, node)
        text = plain_text(node.children[1:]).split()
        summary = " ".join(text[:SUMMARY_WORDS]) + (" …" if len(text) > SUMMARY_WORDS else "")
        notes = self.env.editor_notes.setdefault(self.env.docname, [])
        notes.append({"id": node["ids"][0], "kind": kind, "line": self.lineno, "summary": summary})
        return [node]


class EditorNoteList(SphinxDirective):
    def run(self):
        self.env.editor_note_lists.add(self.env.docname)
        return [editor_note_list()]


def init_env(app, env, docnames):
    if not hasattr(env, "editor_notes"):
        env.editor_notes = {}  # docname -> notes in that document, in order
        env.editor_note_lists = set()  # documents that show the list of all notes


def purge(app, env, docname):
    init_env(app, env, [])
    env.editor_notes.pop(docname, None)
    env.editor_note_lists.discard(docname)


def merge(app, env, docnames, other):
    init_env(app, env, docnames)
    for docname in docnames:
        if docname in other.editor_notes:
            env.editor_notes[docname] = other.editor_notes[docname]
    env.editor_note_lists |= other.editor_note_lists & set(docnames)


def list_pages_to_rewrite(app, env):
    """The list shows the notes of every document, filled in when its page is written: write it again when a
    document read in this build added, removed, moved or reworded a note, or retitled its chapter."""
    init_env(app, env, [])
    notes = [(docname, note["id"], note["kind"], note["summary"]) for docname, note in all_notes(env)]
    titles = {docname: env.titles[docname].astext() for docname, *_ in notes if docname in env.titles}
    shown, before = (notes, titles), getattr(env, "editor_notes_shown", None)
    env.editor_notes_shown = shown  # kept with the environment, for the next build
    return sorted(env.editor_note_lists) if shown != before else []


def all_notes(env) -> list[tuple[str, dict]]:
    notes = getattr(env, "editor_notes", {})
    return [(docname, note) for docname in reading_order(env) for note in notes.get(docname, [])]


def fill_lists(app, doctree, fromdocname):
    env = app.env
    for placeholder in list(doctree.findall(editor_note_list)):
        notes = all_notes(env)
        content: list[nodes.Node] = []
        summary = nodes.paragraph()
        counts = [(kind, sum(1 for _, n in notes if n["kind"] == kind)) for kind in KINDS]
        summary += nodes.Text(f"The book has {len(notes)} editor's notes: " + "; ".join(
            f"{KINDS[kind][1].lower()}: {count}" for kind, count in counts if count) + ".")
        content.append(summary)
        for kind, count in counts:
            if not count:
                continue
            section_title = nodes.rubric("", f"{KINDS[kind][1]} ({count})", classes=[f"editor-note-list-{kind}"])
            content.append(section_title)
            items = nodes.enumerated_list(classes=["editor-note-list"])
            for docname, note in notes:
                if note["kind"] != kind:
                    continue
                title = env.titles[docname].astext() if docname in env.titles else docname
                para = nodes.paragraph()
                para += make_refnode(app.builder, fromdocname, docname, note["id"],
                                     nodes.inline("", title, classes=["editor-note-chapter"]))
                para += nodes.Text(f": {note['summary']}")
                items += nodes.list_item("", para)
            content.append(items)
        placeholder.replace_self(content)


def visit_editor_note_latex(self, node):
    self.body.append("\n" + self.hypertarget_to(node, anchor=True) + "\\begin{sphinxadmonition}{%s}" % LATEX_TYPE)
    self.no_latex_floats += 1


def depart_editor_note_latex(self, node):
    self.body.append("\\end{sphinxadmonition}\n")
    self.no_latex_floats -= 1


def add_latex_preamble(app, config):
    elements = config.latex_elements
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE


def setup(app):
    app.add_node(editor_note, latex=(visit_editor_note_latex, depart_editor_note_latex))
    app.add_node(editor_note_list)
    app.add_directive("editor-note", EditorNote)
    app.add_directive("editor-note-list", EditorNoteList)
    app.connect("config-inited", add_latex_preamble)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-updated", list_pages_to_rewrite)
    app.connect("doctree-resolved", fill_lists)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
