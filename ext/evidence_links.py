"""Evidence in the build: paragraph anchors, the check at every build, and "In the article:" links.

The checks themselves are in ``booklib/evidence.py`` (no Sphinx there). This extension:

- gives every paragraph of the chapters' article text (``evidence_chapters``; not editor's notes, not generated
  lists) a stable id from its first words (``evidence.paragraph_anchor``) and keeps its normalised text;
- registers each ``{editor-note}`` as a statement, with the passages of its ``evidence`` option;
- once all documents are read, gathers the statements of the glossary (``entity_glossary``), the gazetteer
  (``gazetteer``) and the timeline (``book_timeline``), resolves every passage to its paragraph and lints every
  statement (``evidence.check``); each problem is an error at the data file's (or chapter's) line. With
  ``evidence_required`` on, a statement without evidence is an error too;
- shows, under each entry and note, one link per paragraph its evidence stands in: in HTML and EPUB a link to
  the paragraph (highlighted as the link's target; the browser's Back returns), in the PDF the same link with
  its page number (``latex_show_pagerefs``).
"""
from __future__ import annotations

import fnmatch
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from booklib import evidence
from ext.tree_walks import ancestors, reading_order  # documents in the order of the table of contents
from ext.config_paths import config_path

logger = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")  # evidence.css
LEAD = "In the article: "  # before the links; the article's words themselves are each link's title


class evidence_sources(nodes.General, nodes.Inline, nodes.Element):
    """Placeholder for the links to a statement's evidence, filled in when the page is written."""


class paragraph_label(nodes.Inline, nodes.Element):
    """The start of a paragraph that evidence may point at: a \\label in LaTeX (HTML has the id on the <p>)."""


def visit_paragraph_label_latex(self, node):
    self.body.append(self.hypertarget(node["anchor"]))
    raise nodes.SkipNode


def skip(self, node):
    raise nodes.SkipNode


def placeholder(env, key: str) -> list[nodes.Node]:
    """What an entry or note adds where its evidence should be shown: nothing in a book without this extension."""
    if "ext.evidence_links" not in env.app.extensions:
        return []
    env.evidence_display_docs.setdefault(env.docname, set()).add(key.split(":", 1)[0])
    path = exceptions_path(env.app)
    if path.is_file():
        env.note_dependency(str(path))  # a changed exception list re-reads this page, so the check runs again
    return [evidence_sources(key=key)]


def exceptions_path(app) -> Path:
    return config_path(app, app.config.evidence_exceptions)


def is_chapter(config, docname: str) -> bool:
    return any(fnmatch.fnmatch(docname, pattern) for pattern in config.evidence_chapters)


# -- Reading: paragraphs and notes ---------------------------------------------------------------------------
def init_data(env):
    if not hasattr(env, "evidence_paragraphs"):
        env.evidence_paragraphs = {}  # docname -> [(anchor, normalised text)]
        env.evidence_notes = {}  # docname -> [note statement fields]
        env.evidence_display_docs = {}  # document -> kinds of statement it shows evidence of ("entity", ...)


def init_env(app, env, docnames):
    init_data(env)
    app._evidence_read = set(docnames)  # the documents this build reads


def purge(app, env, docname):
    init_data(env)
    env.evidence_paragraphs.pop(docname, None)
    env.evidence_notes.pop(docname, None)
    env.evidence_display_docs.pop(docname, None)


def merge(app, env, docnames, other):
    for d in docnames:
        for name in ("evidence_paragraphs", "evidence_notes"):
            if d in getattr(other, name):
                getattr(env, name)[d] = getattr(other, name)[d]
        if d in other.evidence_display_docs:
            env.evidence_display_docs[d] = other.evidence_display_docs[d]
    app._evidence_read.update(docnames)


def is_note(node) -> bool:
    return isinstance(node, nodes.admonition) and "editor-note" in node.get("classes", [])


def article_text(paragraph: nodes.paragraph) -> str:
    """What a reader sees of the article's words: {term} links' text counts, {ref}s and citations do not."""
    words = []
    for text in paragraph.findall(nodes.Text):
        parent, skipped = text.parent, False
        while parent is not None and parent is not paragraph:
            if isinstance(parent, addnodes.pending_xref) and parent.get("reftype") != "term" or isinstance(
                    parent, (nodes.footnote_reference, nodes.citation_reference, nodes.substitution_reference)):
                skipped = True
                break
            parent = parent.parent
        if not skipped:
            words.append(str(text))
    return evidence.normalise("".join(words))


def is_article_paragraph(node: nodes.paragraph) -> bool:
    """A paragraph of the article: in the chapter's own flow (sections, lists, tables), not in a note, a
    builder-specific block (the dated events), a figure, or a paragraph an extension marks "our-words"."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if is_note(parent) or isinstance(parent, (addnodes.only, nodes.figure, nodes.Admonition, nodes.sidebar,
                                                  nodes.topic, addnodes.glossary, nodes.thead)):
            return False
        if isinstance(parent, nodes.entry) and is_stub(parent):
            return False  # a table's header column holds our labels (the infobox's "Field (our label)")
        parent = parent.parent
    return node.line is not None and "our-words" not in node["classes"]


def is_stub(entry: nodes.entry) -> bool:
    row = entry.parent
    tgroup = next((a for a in ancestors(entry) if isinstance(a, nodes.tgroup)), None)
    if tgroup is None:
        return False
    specs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
    column = row.index(entry)
    return column < len(specs) and bool(specs[column].get("stub"))


def read_doctree(app, doctree):
    env = app.env
    docname = env.docname
    if is_chapter(app.config, docname):
        taken = set(doctree.ids)
        found = []
        for para in doctree.findall(nodes.paragraph):
            if not is_article_paragraph(para):
                continue
            text = article_text(para)
            if not text:
                continue
            anchor = evidence.paragraph_anchor(text, taken)
            taken.add(anchor)
            para["ids"].append(anchor)
            doctree.ids[anchor] = para
            para.insert(0, paragraph_label(anchor=anchor))
            found.append((anchor, text))
        env.evidence_paragraphs[docname] = found
    notes = []
    for node in doctree.findall(nodes.admonition):
        if not is_note(node):
            continue
        if node.get("evidence_of"):  # a note a data entry generated (a timeline conflict): the entry's evidence
            node += placeholder(env, node["evidence_of"])
            continue
        key = f"note:{docname}#{node['ids'][0]}"
        notes.append({"key": key, "line": node.line or 1, "text": node.get("note_text", ""),
                      "evidence": node.get("evidence")})
        node += placeholder(env, key)
    env.evidence_notes[docname] = notes


# -- The check, once all documents are read -------------------------------------------------------------------
def statements(app, env) -> list[evidence.Statement]:
    """Every statement of the book, from the loaders of its data files and from the notes read. A book answers
    for the entries it shows: a book without a glossary, gazetteer or timeline page (the tiny test books, which
    share the book's configuration) does not check those data files."""
    shown = set().union(*env.evidence_display_docs.values())
    found: list[evidence.Statement] = []
    lines: dict = {}  # each data file's lines, read once
    if "ext.entity_glossary" in app.extensions and "entity" in shown:
        from ext.entity_glossary import registry
        for e in registry(env)[0].items:
            if e.kind == "place":
                continue  # the gazetteer's own entries, below
            file, _, line = e.where.rpartition(":")
            found.append(evidence.Statement(
                key=f"entity:{e.name}", what=f"glossary entry {e.name!r}", entry=e.name, file=file, line=int(line),
                text=e.about + "\n\n" + e.unclear, passages=e.evidence, own_names=e.spellings,
                linked_names=e.belongs_to, history=e.about,
                passage_lines=evidence.passage_lines(Path(file), int(line), e.evidence or [], lines)))
    if "ext.gazetteer" in app.extensions and "place" in shown:
        from ext.gazetteer import gazetteer_of
        gazetteer = gazetteer_of(env)
        if gazetteer is not None:
            for p in gazetteer.places:
                found.append(evidence.Statement(
                    key=f"place:{p.name}", what=f"place {p.name!r}", entry=p.name, file=str(gazetteer.path),
                    line=p.line, text=p.about, passages=p.evidence, own_names=[*p.spellings, *p.map_spellings],
                    passage_lines=evidence.passage_lines(gazetteer.path, p.line, p.evidence or [], lines)))
    if "ext.book_timeline" in app.extensions and "event" in shown:
        from ext.book_timeline import timeline_of
        timeline = timeline_of(app)
        for event in timeline.events if timeline else []:
            found.append(evidence.Statement(
                key=f"event:{event.id}", what=f"timeline event {event.id!r}", entry=event.id,
                file=str(timeline.path), line=event.line,
                text=f"{event.shown()}: {event.text}\n\n{event.conflict}", passages=event.evidence, history=event.text,
                linked_names=event.terms,
                passage_lines=evidence.passage_lines(timeline.path, event.line, event.evidence or [], lines)))
    for docname in reading_order(env):
        for note in env.evidence_notes.get(docname, []):
            source = env.doc2path(docname)
            passages = note["evidence"]
            first = evidence.reduce_markup(note["text"])[0]
            found.append(evidence.Statement(
                key=note["key"], what="editor's note", entry=first, file=str(source), line=note["line"],
                text=note["text"], passages=passages, history="",
                passage_lines=evidence.passage_lines(source, note["line"], passages or [], lines)))
    return found


_RESOLVED: dict[str, dict] = {}  # this build's links, per process (forked writers inherit them)


def run_check(app, env) -> tuple[evidence.Result, list[evidence.Problem]]:
    paragraphs = [evidence.Paragraph(doc, anchor, text) for doc in reading_order(env)
                  for anchor, text in env.evidence_paragraphs.get(doc, [])]
    corpus = evidence.Corpus(paragraphs)
    path = exceptions_path(app)
    exceptions, problems = evidence.load_exceptions(path)
    if not hasattr(env, "evidence_memo"):
        env.evidence_memo = {}  # kept with the environment: the next build lints only what changed
    result = evidence.check(statements(app, env), corpus, app.config.evidence_required, exceptions, str(path),
                            memo=env.evidence_memo)
    _TITLES.clear()  # a re-read chapter may have a new title
    _RESOLVED["links"] = {key: [(passage, p.doc, p.anchor) for passage, p in found]
                          for key, found in result.resolved.items()}
    return result, problems


def check(app, env):
    """env-check-consistency (when documents were read): resolve, require and lint all evidence (already done
    this build if a chapter was read: pages_to_rewrite needed the links first)."""
    result, problems = getattr(app, "_evidence_checked", None) or run_check(app, env)
    app._evidence_checked = None
    for problem in problems + result.problems:
        logger.warning(problem.message, location=f"{problem.file}:{problem.line}", type="evidence",
                       subtype=problem.kind)


def resolved_links(app, env) -> dict:
    """What each statement's passages resolved to; worked out again (silently) when this build read nothing,
    e.g. a LaTeX build after an HTML one: the check then did not run, and its results are not in the pickle."""
    if "links" not in _RESOLVED:
        run_check(app, env)
    return _RESOLVED["links"]


def links_shown(env) -> tuple[dict, dict]:
    """What the pages show of the evidence: each statement's links, and the titles of the chapters they name."""
    links = _RESOLVED.get("links", {})
    docs = {doc for found in links.values() for _, doc, _ in found}
    return links, {doc: _title(env, doc) for doc in sorted(docs)}


def pages_to_rewrite(app, env):
    """A re-read chapter may have moved or retitled the paragraphs evidence points at: rewrite the pages whose
    links changed (only those: an edit that moves no evidence rewrites no other page)."""
    read = getattr(app, "_evidence_read", ())
    if not read:
        return []
    app._evidence_checked = run_check(app, env)  # check() reports its problems in a moment
    before_links, before_titles = getattr(env, "evidence_links_shown", ({}, {}))
    after_links, after_titles = env.evidence_links_shown = links_shown(env)  # kept with the environment
    if not any(is_chapter(app.config, doc) for doc in read):
        return []  # only pages that show evidence were read: they are written anyway
    if before_titles != after_titles:
        return sorted(env.evidence_display_docs)
    changed = {key for key in set(before_links) | set(after_links)
               if before_links.get(key) != after_links.get(key)}
    kinds = {key.split(":", 1)[0] for key in changed if not key.startswith("note:")}
    note_docs = {key[len("note:"):].partition("#")[0] for key in changed if key.startswith("note:")}
    return sorted(doc for doc, shown in env.evidence_display_docs.items()
                  if shown & kinds or ("note" in shown and doc in note_docs))


# -- Writing: the links --------------------------------------------------------------------------------------
def fill_links(app, doctree, fromdocname):
    env = app.env
    placeholders = list(doctree.findall(evidence_sources))
    resolved = resolved_links(app, env) if placeholders else {}
    for node in placeholders:
        targets: list[tuple[str, str, list[str]]] = []  # (doc, anchor, passages), one per paragraph
        for passage, doc, anchor in resolved.get(node["key"], []):
            same = next((t for t in targets if t[0] == doc and t[1] == anchor), None)
            if same:
                same[2].append(passage)
            else:
                targets.append((doc, anchor, [passage]))
        if not targets:
            node.replace_self([])
            continue
        para = nodes.inline(classes=["evidence-sources"]) if node.get("inline") else \
            nodes.paragraph(classes=["evidence-sources"])
        para += nodes.emphasis(text=LEAD.rstrip() + " ")
        previous = None
        for i, (doc, anchor, passages) in enumerate(targets):
            if i:
                para += nodes.Text(", " if doc == previous else "; ")
            title = _title(env, doc)
            label = "¶" if doc == previous else f"{title} ¶"
            previous = doc
            quoted = " … ".join(f"“{p}”" for p in passages)
            try:
                uri = app.builder.get_relative_uri(fromdocname, doc) + "#" + anchor
            except Exception:  # a builder with no page for the chapter (NoUri): the name, unlinked
                para += nodes.Text(label)
                continue
            ref = nodes.reference("", "", internal=True, refuri=uri, reftitle=f"The article: {quoted}",
                                  classes=["evidence-link"])
            ref += nodes.inline(label, label)
            para += ref
        node.replace_self(para if node.get("inline") else nodes.container("", para, classes=["evidence"]))


_TITLES: dict[str, str] = {}  # chapter titles, per process (the env's titles are slow to turn into text)


def _title(env, doc: str) -> str:
    if doc not in _TITLES:
        _TITLES[doc] = env.titles[doc].astext() if doc in env.titles else doc
    return _TITLES[doc]


def evidence_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{evidence}`event:<id>`: the links of a statement's evidence, where a generated text wants them."""
    env = inliner.document.settings.env
    found = placeholder(env, text.strip())
    for node in found:
        node["inline"] = True
    return found, []


def start_build(app):
    _RESOLVED.clear()  # a process that builds again (a live preview) works the links out afresh


def add_style(app, config):
    """The style of the links and of the paragraph they reach (HTML and EPUB). Added when the configuration is
    read, before Sphinx compares it with the last build's: added later, every build would see "the configuration
    has changed" and rewrite every page."""
    config.html_static_path.append(str(STATIC))
    app.add_css_file("evidence.css")


def setup(app):
    app.add_config_value("evidence_required", False, "env", bool)  # a statement without evidence is an error
    app.add_config_value("evidence_chapters", ["chapters/*"], "env")  # documents of the article's text
    app.add_config_value("evidence_exceptions", "docs/_data/evidence-exceptions.yaml", "env")  # from conf.py's folder
    app.add_node(evidence_sources)
    app.add_node(paragraph_label, html=(skip, None), latex=(visit_paragraph_label_latex, None), text=(skip, None),
                 man=(skip, None), texinfo=(skip, None))
    app.add_role("evidence", evidence_role)
    app.connect("config-inited", add_style)
    app.connect("builder-inited", start_build)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("doctree-read", read_doctree)
    app.connect("env-check-consistency", check)
    app.connect("env-get-updated", pages_to_rewrite)
    app.connect("doctree-resolved", fill_links)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
