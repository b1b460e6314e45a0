"""``{article-corrections}``: list the deliberate changes to the article's words (sources/corrections.toml).

CC BY-SA asks an adaptation to say what it changed; the attribution page shows this list, and the lossless
test reads the same file.
"""
import tomllib
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from booklib import article_words
from ext.config_paths import config_path


def load_corrections(path: Path) -> list[dict]:
    if not path.is_file():
        raise ValueError(f"{path}: no such file (article_corrections_file, relative to the folder of conf.py)")
    corrections = article_words.corrections(path)  # the same reading as the check of the article's words
    for number, item in enumerate(corrections, 1):
        missing = {"chapter", "article", "book", "reason"} - item.keys()
        if missing:
            raise ValueError(f"{path}: correction {number} lacks {', '.join(sorted(missing))}")
    return corrections


class ArticleCorrections(SphinxDirective):
    def run(self):
        path = config_path(self.env.app, self.config.article_corrections_file)  # absolute: Sphinx reads a relative dependency from docs/
        self.env.note_dependency(str(path))
        try:
            corrections = load_corrections(path)
        except (ValueError, tomllib.TOMLDecodeError) as exc:
            return [self.state.document.reporter.error(str(exc), line=self.lineno)]
        if not corrections:
            return [nodes.paragraph(text="None so far: the book has the article's words as received.")]
        items = nodes.bullet_list()
        for c in corrections:
            para = nodes.paragraph()
            para += nodes.Text(f"{c['chapter']}: “{c['article']}” became “{c['book']}”. Reason: {c['reason']}")
            items += nodes.list_item("", para)
        return [items]


def setup(app):
    app.add_config_value("article_corrections_file", "sources/corrections.toml", "env")  # relative to conf.py
    app.add_directive("article-corrections", ArticleCorrections)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
