"""The glossary of people, organisations and states, built from docs/entities/*.yaml, and its checks.

- ``{entity-glossary}`` with ``:kinds: person`` (or several kinds, space-separated) renders the entries of those
  kinds as a Sphinx glossary, sorted, one term per entry: the description, the variants the article uses, the
  entries it belongs to, what the article leaves unclear, and a "Mentioned in" list.
- "Mentioned in": each document's ``{term}`` references are recorded while reading (so parallel reading merges
  them, and an edited chapter replaces its own); the lists are filled in when the glossary page is written,
  resolving each reference through the standard domain's terms, and the glossary page is rewritten whenever a
  document was re-read, so an incremental build keeps every list right. In LaTeX the links carry page numbers.
- Checks, as warnings (errors under -W) with file and line: a bad entity file; in the checked documents
  (``entity_checked_docs``) a first mention of an entity that is not a ``{term}`` link, and a name one or two
  letters away from a recorded spelling; an entry that no document references (an orphan).
"""
from __future__ import annotations

import difflib
import fnmatch
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from booklib import named_things
from booklib.chapter_terms import chapter_problems
from booklib.entities import Entities, Matcher
from ext.library_internals import term_targets
from ext.tree_walks import reading_order  # documents in the order of the table of contents
from ext.evidence_links import placeholder as evidence_placeholder

logger = logging.getLogger(__name__)
HEADINGS = {"person": "People", "organisation": "Factions and organisations", "state": "States", "place": "Places"}


def entity_folder(env) -> Path:
    return Path(env.srcdir) / env.config.entity_folder


def registry(env) -> tuple[Entities, Matcher, list[str]]:
    """The entities (booklib/named_things.py: read once per change of the data files), their matcher and the problems
    found in them."""
    things = named_things.of_config(env.app.confdir, env.srcdir, env.config)
    return things.entities, things.matcher, things.entity_problems


def sort_key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


class mentioned_in(nodes.General, nodes.Element):
    """Placeholder for an entry's "Mentioned in" list, filled in when the page is written."""


class EntityGlossary(SphinxDirective):
    has_content = False
    option_spec = {"kinds": directives.unchanged_required}

    def run(self):
        entities, _, _ = registry(self.env)
        for path in sorted(entity_folder(self.env).glob("*.yaml")):
            self.env.note_dependency(str(path))
        kinds = (self.options.get("kinds") or "").split()
        bad = [k for k in kinds if k not in HEADINGS]
        if not kinds or bad:
            return [self.state.document.reporter.warning(
                f"entity-glossary: :kinds: must list one or more of {', '.join(HEADINGS)}", line=self.lineno)]
        self.env.entity_glossary_docs.add(self.env.docname)
        selected = [e for e in entities.items if e.kind in kinds]
        return [render_glossary(self, [
            GlossaryEntry(e.name, e.about, self.details(e), evidence_key=f"entity:{e.name}", see=e.variants)
            for e in selected])]

    def details(self, e) -> list[nodes.Node]:
        """What follows the description: the variants, the entries it belongs to, what the article leaves unclear."""
        found = []
        if e.variants:
            para = nodes.paragraph(classes=["entity-variants"])
            para += nodes.Text("Also written: ")
            for i, variant in enumerate(e.variants):
                para += nodes.Text(", " if i else "")
                para += nodes.emphasis(text=variant)
            para += nodes.Text(".")
            found.append(para)
        if e.belongs_to:
            para = nodes.paragraph(classes=["entity-belongs-to"])
            para += nodes.Text("Part of: " if e.kind != "person" else "Belonged to: ")
            for i, parent in enumerate(e.belongs_to):
                para += nodes.Text(", " if i else "")
                ref = addnodes.pending_xref("", refdomain="std", reftype="term", reftarget=parent.lower(),
                                            refexplicit=True, refwarn=True, refdoc=self.env.docname)
                ref += nodes.inline(parent, parent, classes=["xref", "std", "std-term"])
                para += ref
            para += nodes.Text(".")
            found.append(para)
        if e.unclear:
            para = nodes.paragraph(classes=["entity-unclear"])
            para += nodes.strong(text="Unclear in the article: ")
            for parsed in self.parse_text_to_nodes(e.unclear):
                para += parsed.children if isinstance(parsed, nodes.paragraph) else parsed
            found.append(para)
        return found


# -- The one glossary renderer (the glossary's pages and the gazetteer) -------------------------------------
@dataclass
class GlossaryEntry:
    name: str
    text: str  # Markdown: the description (and, for a place, its spellings and where it is on the maps)
    details: list[nodes.Node] = field(default_factory=list)  # built paragraphs after the text
    evidence_key: str = ""  # the entry's key in ext/evidence_links.py ("entity:<name>", "place:<name>")
    see: list[str] = field(default_factory=list)  # other spellings the index sends to the entry
    mentioned_in: bool = True  # a "Mentioned in" list (filled in when the page is written)


def render_glossary(directive: SphinxDirective, entries: list[GlossaryEntry]) -> addnodes.glossary:
    """A Sphinx glossary (real terms, so {term}`Name` links to them), sorted by sort_key: per entry its text,
    details, evidence links and "Mentioned in" list."""
    env = directive.env
    glossary = addnodes.glossary(sorted=False)  # already sorted by sort_key
    dl = nodes.definition_list(classes=["glossary"])
    glossary += dl
    source, line = directive.get_source_info()
    for entry in sorted(entries, key=lambda entry: sort_key(entry.name)):
        item = nodes.definition_list_item()
        term = make_glossary_term(env, [nodes.Text(entry.name)], None, source, line, None,
                                  directive.state.document)
        index = term.next_node(addnodes.index)
        for variant in entry.see:  # the index sends each variant to the entry
            index["entries"].append(("see", f"{variant}; {entry.name}", term["ids"][0], "", None))
        item += term
        definition = nodes.definition()
        definition += directive.parse_text_to_nodes(entry.text)
        definition += entry.details
        definition += evidence_placeholder(env, entry.evidence_key)
        if entry.mentioned_in:
            definition += mentioned_in(entity=entry.name, glossary_doc=env.docname)
        item += definition
        dl += item
    return glossary


# -- Recording term references while reading ---------------------------------------------------------------
def init_env(app, env, docnames):
    if not hasattr(env, "entity_mentions"):
        env.entity_mentions = {}  # docname -> [(target, anchor, section title or "" for the chapter itself)]
        env.entity_glossary_docs = set()
    app._entity_read = set(docnames)
    # what the documents about to be re-read mentioned: unchanged mentions need no rewrite of the glossary pages
    app._entity_mentions_before = {d: list(env.entity_mentions.get(d, ())) for d in docnames}


def purge(app, env, docname):
    env.entity_mentions.pop(docname, None)
    env.entity_glossary_docs.discard(docname)


def merge(app, env, docnames, other):
    for d in docnames:
        if d in other.entity_mentions:
            env.entity_mentions[d] = other.entity_mentions[d]
        if d in other.entity_glossary_docs:
            env.entity_glossary_docs.add(d)
    app._entity_read.update(docnames)


def record_mentions(app, doctree):
    env = app.env
    found = []
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") != "std" or ref.get("reftype") != "term":
            continue
        section = ref.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        if section is None:
            continue
        top = isinstance(section.parent, nodes.document)
        # the book's stable label "(<chapter>-<section>)=" if the section has one, else its first id
        slug = env.docname.rsplit("/", 1)[-1]
        ids = section["ids"]
        anchor = next((i for i in ids if i.startswith(slug)), ids[0] if ids else "")
        title = "" if top else section[0].astext()
        found.append((ref["reftarget"], anchor, title))
    env.entity_mentions[env.docname] = found


def glossary_needs_rewrite(app, env):
    """A re-read document with new, fewer or moved references: rewrite the glossary pages (an edit that leaves a
    page's references as they were does not: the pages are rewritten only when their lists change)."""
    read = getattr(app, "_entity_read", set())
    before = getattr(app, "_entity_mentions_before", {})
    changed = {d for d in read - env.entity_glossary_docs
               if d not in before or before[d] != env.entity_mentions.get(d, [])}
    if changed:
        return sorted(env.entity_glossary_docs)
    return []


def reread_on_new_spellings(app, env, added, changed, removed):
    """The checks depend on the recorded spellings: re-read the checked documents when those change."""
    entities, _, _ = registry(app.env)
    stamp = entities.fingerprint()
    if getattr(env, "entity_fingerprint", None) == stamp:
        return []
    env.entity_fingerprint = stamp
    return [d for d in env.found_docs if is_checked(app.config, d)]


def is_checked(config, docname: str) -> bool:
    return any(fnmatch.fnmatch(docname, pattern) for pattern in config.entity_checked_docs)


# -- Checks --------------------------------------------------------------------------------------------------
def unreadable(env) -> bool:
    """A data file does not parse: its one message is enough; every term and mention would be a follow-on."""
    return any(": not valid YAML: " in p for p in registry(env)[2])


def report_entity_problems(app):
    _, _, problems = registry(app.env)
    for p in problems:
        where, _, message = p.partition(": ")
        logger.warning(message, location=where, type="entity", subtype="data")


def check_chapter(app, docname, source):
    if not is_checked(app.config, docname) or unreadable(app.env):
        return
    entities, matcher, _ = registry(app.env)
    misnamed = set()  # entries whose {term} role is misspelt: fixing the role, not linking the text, is the cure
    for line, name, meant in misnamed_terms(source[0], entities):
        misnamed.add(meant)
        logger.warning(f"{{term}}`{name}` names no glossary entry: did you mean {{term}}`{meant}`? Correct the "
                       f"name in the role ('make link-terms' links plain text; it does not change roles)",
                       location=(docname, line), type="entity", subtype="misnamed")
    for problem in chapter_problems(source[0], matcher, misnamed):
        logger.warning(problem.message, location=(docname, problem.line), type="entity", subtype=problem.kind)


TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")


def misnamed_terms(source: str, entities: Entities):
    """(line, name, the entry it is close to) for each {term} role naming no entry but close to one."""
    names = {e.name.casefold(): e.name for e in entities.items}
    for number, line in enumerate(source.splitlines(), 1):
        for role in TERM_ROLE.finditer(line):
            target = re.search(r"<([^<>]+)>\s*$", role.group(1))
            name = (target.group(1) if target else role.group(1)).strip()
            if name.casefold() in names:
                continue
            close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.8)
            if close:
                yield number, name, names[close[0]]


def quiet_terms_while_unreadable(app, env, node, contnode):
    """missing-reference: while a data file does not parse, a term is shown unlinked, without a second message."""
    if node.get("reftype") == "term" and unreadable(env):
        return contnode
    return None


def check_orphans(app, env):
    entities, _, _ = registry(app.env)
    if not env.entity_glossary_docs or unreadable(env):  # no glossary page in this book: nothing can be an orphan
        return
    referenced = {target.casefold() for doc, found in env.entity_mentions.items()
                  if doc not in env.entity_glossary_docs for target, _, _ in found}
    for e in entities.items:
        if e.name.casefold() not in referenced:
            logger.warning(f"glossary entry {e.name!r} is never referenced from the book (an orphan)",
                           location=e.where, type="entity", subtype="orphan")


# -- Filling in "Mentioned in" -------------------------------------------------------------------------------
def fill_mentioned_in(app, doctree, docname):
    placeholders = list(doctree.findall(mentioned_in))
    if not placeholders:
        return
    env = app.env
    terms = term_targets(env)  # lower-case term -> (docname, anchor)
    by_entry: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for doc in reading_order(env):
        if doc in env.entity_glossary_docs:
            continue
        for target, anchor, title in env.entity_mentions.get(doc, []):
            resolved = terms.get(target.lower())
            if resolved is None:
                continue
            places = by_entry.setdefault(resolved, [])
            if (doc, anchor, title) not in places:
                places.append((doc, anchor, title))
    titles: dict[str, str] = {}  # each document's title as text, worked out once
    for node in placeholders:
        entry = terms.get(node["entity"].lower())
        places = by_entry.get(entry, []) if entry else []
        para = nodes.paragraph()
        para += nodes.strong(text="Mentioned in: ")
        if not places:
            para += nodes.Text("no page of the book.")
        for i, (doc, anchor, title) in enumerate(places):
            para += nodes.Text("; " if i else "")
            if doc not in titles:
                titles[doc] = env.titles[doc].astext()
            label = titles[doc] + (f" › {title}" if title else "")
            try:
                uri = app.builder.get_relative_uri(node["glossary_doc"], doc)
            except Exception:  # a builder that has no page for the document (NoUri)
                para += nodes.Text(label)
                continue
            ref = nodes.reference("", "", internal=True, refuri=f"{uri}#{anchor}" if anchor else uri)
            ref += nodes.inline(label, label)
            para += ref
        para += nodes.Text("." if places else "")
        node.replace_self(nodes.container("", para, classes=["entity-mentioned-in"]))


def setup(app):
    app.add_config_value("entity_folder", "entities", "env")  # relative to the source folder (docs/)
    app.add_config_value("entity_checked_docs", ["chapters/*"], "env")
    app.add_node(mentioned_in)
    app.add_directive("entity-glossary", EntityGlossary)
    app.connect("builder-inited", report_entity_problems)
    app.connect("missing-reference", quiet_terms_while_unreadable)
    app.connect("env-get-outdated", reread_on_new_spellings)
    app.connect("env-before-read-docs", init_env)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("source-read", check_chapter)
    app.connect("doctree-read", record_mentions)
    app.connect("env-get-updated", glossary_needs_rewrite)
    app.connect("env-check-consistency", check_orphans)
    app.connect("doctree-resolved", fill_mentioned_in)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
