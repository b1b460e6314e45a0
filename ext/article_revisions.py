"""The revisions of the article taken into the book: who wrote what the reader reads, and what changed.

``{article-revisions}``: every revision taken in (received date, file, SHA-256, revision id where known), for
the attribution page; from ``article_revisions`` (sources/article.toml's ``[[revisions]]``, set in conf.py).

``{article-changes}``: per chapter, the sentences the article added and removed between two revisions taken in
(the article's edits, not the book's), dated and linked to the chapters; from the data the importer writes
(``article_changes_file``, docs/_data/article-changes.json). With one revision only, it says so.
"""
import json

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ext.config_paths import config_path


def revision_text(rev: dict) -> str:
    rid = f"revision id {rev['revision']}" if rev.get("revision") else "the export gives no revision id"
    return f"received {rev['received']}: file sources/{rev['file']}, SHA-256 {rev['sha256']}; {rid}"


def bullets(texts: list[str]) -> nodes.bullet_list:
    items = nodes.bullet_list()
    for text in texts:
        items += nodes.list_item("", nodes.paragraph(text=text))
    return items


class ArticleRevisions(SphinxDirective):
    def run(self):
        revisions = self.config.article_revisions
        if not revisions:
            return [self.state.document.reporter.error("article_revisions is empty: sources/article.toml names no "
                                                       "[[revisions]]", line=self.lineno)]
        return [bullets([f"{'The current text' if rev is revisions[-1] else 'Taken in earlier'}, "
                         + revision_text(rev) for rev in revisions])]


class ArticleChanges(SphinxDirective):
    def run(self):
        path = config_path(self.env.app, self.config.article_changes_file)
        if path.exists():
            self.env.note_dependency(str(path))
        else:  # a missing dependency counts as changed, which would re-read this page in every build
            self.env.article_changes_waiting = getattr(self.env, "article_changes_waiting", set()) | {self.env.docname}
        changes = json.loads(path.read_text(encoding="utf-8")).get("changes", []) if path.exists() else []
        if not changes:
            first = self.config.article_revisions[0]["received"] if self.config.article_revisions else "?"
            return [nodes.paragraph(text="No newer revision of the article has been taken in since the first "
                                         f"edition: the book's text is the export received on {first}.")]
        out = []
        for change in changes:
            before, after = change["from"], change["to"]
            head = nodes.paragraph()
            head += nodes.strong(text=f"From the revision received {before.get('received') or '(first import)'} "
                                      f"(SHA-256 {before.get('sha256', '')[:12]}) to the revision received "
                                      f"{after['received']} (SHA-256 {after['sha256'][:12]})")
            out.append(head)
            if not change["chapters"]:
                out.append(nodes.paragraph(text="The article's sentences did not change."))
            for chapter in change["chapters"]:
                out += self.chapter(chapter)
        return out

    def chapter(self, chapter: dict) -> list[nodes.Node]:
        para = nodes.paragraph()
        docname = f"chapters/{chapter['chapter']}"
        if docname in self.env.found_docs:
            ref = addnodes.pending_xref("", nodes.inline(text=chapter["title"]), refdomain="std", reftype="ref",
                                        reftarget=chapter["chapter"], refexplicit=True, refwarn=True,
                                        refdoc=self.env.docname)
            para += ref
        else:
            para += nodes.Text(chapter["title"])
        status = {"new": " (a new chapter)", "removed": " (the article removed this section)"}.get(chapter["status"], "")
        renamed = f" (formerly “{chapter['old_title']}”)" if chapter.get("old_title") and chapter["status"] == "changed" else ""
        para += nodes.Text(status + renamed)
        out = [para]
        for key, label in (("added", "Added by the article"), ("removed", "Removed by the article")):
            if chapter[key]:
                out.append(nodes.paragraph(text=f"{label}:"))
                out.append(bullets(chapter[key]))
        return out


def changes_file_appeared(app, env, added, changed, removed):
    """The pages that were written before the importer wrote the changes file: read again once it exists."""
    path = config_path(app, app.config.article_changes_file)
    waiting = getattr(env, "article_changes_waiting", set())
    if not path.exists() or not waiting:
        return []
    env.article_changes_waiting = set()
    return sorted(waiting & env.found_docs)


def setup(app):
    app.connect("env-get-outdated", changes_file_appeared)
    app.add_config_value("article_revisions", [], "env")
    app.add_config_value("article_changes_file", "docs/_data/article-changes.json", "env")
    app.add_directive("article-revisions", ArticleRevisions)
    app.add_directive("article-changes", ArticleChanges)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
