"""Pages are content: they can make the builder read only files inside docs/, and run nothing.

A pull request that edits only docs/ is built by CI, by Read the Docs and on maintainers' machines. This
extension parses every Markdown page with a MyST renderer that holds it to the book's rules:

- ``{{ name }}`` only looks up one of the book's substitutions (conf.py's ``myst_substitutions``, or the page's
  own front matter); anything else (an expression, a filter, a method call) is an error and is never given to
  Jinja2, which would run it with Python's globals in reach.
- ``{eval-rst}`` is refused: it would reach every reStructuredText directive and role. So is a role made from
  ``raw`` (with ``{role}``), which docutils' switch would refuse without naming the line.
- ``{raw}`` and ``{timeline}`` are refused (raw markup; sphinx-timeline renders its body as an unsandboxed Jinja2
  template and reads ``:events:`` and ``:template:`` files from anywhere). The book's timeline is
  ``{dated-events}``, which builds its own. Any ``:file:`` or ``:url:`` option (``{csv-table}``) is refused.
- ``{include}`` and ``{literalinclude}`` (with its ``:diff:``) may name only a relative path that resolves,
  links followed, inside docs/.

Docutils' own switches for untrusted input are off for every page (``file_insertion_enabled``,
``raw_enabled``); a permitted include opens the first one for its own file only. A symbolic link under docs/
that points outside it stops the build before anything is read or copied. A reStructuredText page, which this
parser does not see, meets the same switches, and ``timeline`` refuses to run in it too. Images, downloads,
math, ``{tabularcolumns}`` and ``http-equiv`` meta tags are checked in the doctree by ext/safe_content.py.
"""
from __future__ import annotations

import os
from pathlib import Path

from docutils.parsers.rst import directives, roles
from docutils.parsers.rst.directives.misc import Include, Raw
from myst_parser.config.main import TopmatterReadError, merge_file_level, read_topmatter
from myst_parser.mdit_to_docutils.base import token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.directives import MarkupError, parse_directive_text
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from myst_parser.warnings_ import create_warning
from sphinx.directives.code import LiteralInclude
from sphinx.util import logging

logger = logging.getLogger(__name__)
HINT = "pages may read only files inside docs/, named relative to the page"


def refused_timeline():
    """sphinx-timeline's directive, refusing to run in any page (Markdown or reStructuredText); the book's
    {dated-events} uses the original class directly."""
    from sphinx_timeline.main import TimelineDirective
    why, subtype = refused_directives()[TimelineDirective]

    class RefusedTimeline(TimelineDirective):
        def run(self):
            logger.warning("{timeline} in a page: %s", why, location=(self.env.docname, self.lineno), type="book",
                           subtype=subtype)
            return []
    return RefusedTimeline


def refused_directives() -> dict[type, tuple[str, str]]:
    """Directive classes a page may not use: (why, subtype of the warning)."""
    from sphinx_timeline.main import TimelineDirective  # registered by ext/book_timeline.py
    return {
        Raw: ("pages may not carry raw HTML or code; use Markdown and the book's directives", "raw"),
        TimelineDirective: ("it renders its body as an unsandboxed Jinja2 template and reads files from anywhere; the "
                            "book's timeline is {dated-events}, from docs/_data/timeline.yaml", "directive"),
    }


class ContentRenderer(SphinxRenderer):
    """SphinxRenderer that looks substitutions up, refuses {eval-rst} and checks what directives read."""

    def warn(self, message: str, subtype: str, line: int) -> None:
        # the file being read: the page, or the file it includes (MyST would name the page with the file's line)
        logger.warning(message, location=f"{self.document['source']}:{line}", type="book", subtype=subtype)

    def render_substitution(self, token, inline: bool) -> None:
        name = token.content.strip()
        if name in self.md_config.substitutions and name != "env":
            return super().render_substitution(token, inline)  # an exact name: looked up, never rendered
        known = ", ".join(sorted(self.md_config.substitutions))
        self.warn(f"substitution {{{{ {name} }}}} is not one of the book's names ({known}): a page names "
                  "a substitution, it never computes one", "substitution", token_line(token))

    def render_restructuredtext(self, token) -> None:
        self.warn("{eval-rst} is not allowed in pages: it reaches every reStructuredText directive and role; "
                  "write Markdown and the book's directives", "eval_rst", token_line(token))

    def render_myst_role(self, token) -> None:
        role, _ = roles.role(token.meta["name"], self.language_module_rst, token_line(token), self.reporter)
        while role is not None and role is not roles.raw_role:
            role = getattr(role, "base_role", None)  # a role made with {role} name(base)
        if role is None:
            return super().render_myst_role(token)
        self.warn(f"{{{token.meta['name']}}} in a page: a role made from raw inserts markup unchecked; pages may not "
                  "carry raw HTML or code", "raw", token_line(token))

    def outside(self, target: str) -> str | None:
        """Why a page may not read ``target`` (as include and literalinclude resolve it), or None if it may."""
        target = "".join(part.strip() for part in target.splitlines())
        if target.startswith("<") and target.endswith(">"):
            return f"{target!r} is one of docutils' own files, outside docs/"
        if os.path.isabs(target) or target.startswith(("/", "\\")):
            return f"{target!r} is an absolute path"
        env = self.sphinx_env
        srcdir = Path(env.srcdir).resolve()
        # the folder of the file being read (an included file's own) and of the page: both must stay inside
        for folder in {Path(self.document["source"]).parent, Path(env.doc2path(env.docname)).parent}:
            if not (folder / target).resolve().is_relative_to(srcdir):
                return f"{target!r} is outside docs/"
        return None

    def run_directive(self, name, first_line, content, position, additional_options=None, *, block_text=None):
        directive_class, _ = directives.directive(name, self.language_module_rst, self.document)
        if directive_class is None or not isinstance(directive_class, type):
            return super().run_directive(name, first_line, content, position, additional_options,
                                         block_text=block_text)
        run = lambda: super(ContentRenderer, self).run_directive(  # noqa: E731
            name, first_line, content, position, additional_options, block_text=block_text)
        for refused, (why, subtype) in refused_directives().items():
            if issubclass(directive_class, refused):
                self.warn(f"{{{name}}} in a page: {why}", subtype, position)
                return []
        reads = issubclass(directive_class, (Include, LiteralInclude))
        spec = getattr(directive_class, "option_spec", None) or {}
        if not reads and "file" not in spec and "url" not in spec:
            return run()
        try:
            parsed = parse_directive_text(directive_class, first_line, content, line=position,
                                          additional_options=additional_options)
        except MarkupError:
            return run()  # MyST reports the malformed directive itself
        refusal = None
        if not reads:
            for option in ("file", "url"):
                if option in parsed.options:
                    refusal = f":{option}: {parsed.options[option]!r} is refused"
        else:
            targets = parsed.arguments[:1] + ([parsed.options["diff"]] if "diff" in parsed.options else [])
            refusal = next(filter(None, map(self.outside, targets)), None)
        if refusal is not None:
            self.warn(f"{{{name}}} may not read this file: {refusal}; {HINT}", "file", position)
            return []
        if not reads:
            return run()
        settings = self.document.settings
        settings.file_insertion_enabled = True  # this one file, checked above; closed again once it is read
        self.sphinx_env.temp_data["content_sandbox_open"] = settings
        try:
            return run()
        finally:
            settings.file_insertion_enabled = False
            self.sphinx_env.temp_data.pop("content_sandbox_open", None)


class ContentParser(MystParser):
    """MyST's Sphinx parser (MystParser.parse) with the ContentRenderer."""

    def parse(self, inputstring: str, document) -> None:
        config = document.settings.env.myst_config
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            pass  # reported during the render
        else:
            if topmatter:
                warning = lambda wtype, msg: create_warning(document, msg, wtype, line=1,  # noqa: E731
                                                            append_to=document)
                config = merge_file_level(config, topmatter, warning)
        parser = create_md_parser(config, ContentRenderer)
        parser.options["document"] = document
        parser.render(inputstring)


def close_switches(app, env, docnames) -> None:
    """Every page is read with docutils' switches for untrusted input: no file insertion, no raw markup."""
    env.settings["file_insertion_enabled"] = False
    env.settings["raw_enabled"] = False


def included(app, relative_path, parent_docname, content) -> None:
    """An included file has been read: close the switch again before its text is parsed; check where it was."""
    settings = app.env.temp_data.pop("content_sandbox_open", None)
    if settings is not None:
        settings.file_insertion_enabled = False
    if not (Path(app.srcdir) / relative_path).resolve().is_relative_to(Path(app.srcdir).resolve()):
        content[0] = ""
        logger.warning("an included file outside docs/ (%s) was dropped; %s", relative_path, HINT,
                       location=parent_docname, type="book", subtype="file")


def links_out(srcdir: Path) -> list[tuple[Path, str]]:
    """The symbolic links under srcdir that lead outside it, with their targets (links inside it are fine)."""
    root = srcdir.resolve()
    found = []
    for folder, subfolders, files in os.walk(srcdir):
        for name in subfolders + files:
            path = Path(folder, name)
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                found.append((path, os.readlink(path)))
    return sorted(found)


def check_links(app) -> None:
    """A link out of docs/ would make the builder read or copy (static files, templates) what it points at: the
    build stops before anything is read or written."""
    found = links_out(Path(app.srcdir))
    for path, target in found:
        logger.error("%s is a symbolic link to %r, outside docs/: the builder would read or publish what it points "
                     "at; replace it by the file itself, inside docs/", path, target, type="book", subtype="symlink")
    if found:
        raise SystemExit(2)  # not an exception: Sphinx would print a traceback and ask for a bug report


def refuse_timeline(app) -> None:
    if "sphinx_timeline" in app.extensions:  # registered by ext/book_timeline.py, after this extension
        app.add_directive("timeline", refused_timeline(), override=True)


def setup(app):
    app.setup_extension("myst_parser")
    app.connect("builder-inited", refuse_timeline)
    app.add_source_parser(ContentParser, override=True)
    app.connect("builder-inited", check_links)
    app.connect("env-before-read-docs", close_switches)
    app.connect("include-read", included)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
