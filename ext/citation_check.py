"""Report a malformed citation as an error naming file and line, instead of sphinxcontrib-bibtex's traceback.

``{cite:p}`key1 key2``` (keys separated by spaces) or ``{cite:p}`{see key1``` (broken pre/post text) make
sphinxcontrib-bibtex raise ValueError deep inside the build. This wraps each ``cite:*`` role: the target is
parsed first, and a malformed one becomes a warning with the document and line (a failure under ``-W``).
"""
from docutils import nodes
from sphinx.util import logging
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.roles import CiteRole

logger = logging.getLogger(__name__)

HOW = "write keys separated by commas, with pre- and post-text in braces: {cite:p}`{see}key1,key2{p. 3}`"


def malformed(target: str) -> bool:
    try:
        list(parse_citation_targets(target))
    except ValueError:
        return True
    return False


class CheckedCiteRole(CiteRole):
    def run(self):
        if malformed(self.target):
            logger.warning("malformed citation %s: %s", f"{{{self.name}}}`{self.text}`", HOW,
                           location=(self.env.docname, self.exact_line()), type="bibtex",
                           subtype="malformed_citation")
            return [nodes.inline(self.rawtext, self.text, classes=["malformed-citation"])], []
        return super().run()


    def exact_line(self) -> int:
        """MyST gives a role the first line of its paragraph; find the line that holds it (error path only)."""
        try:
            lines = self.env.doc2path(self.env.docname).read_text(encoding="utf-8").splitlines()
        except OSError:
            return self.lineno
        for number in range(max(self.lineno, 1), len(lines) + 1):
            if f"`{self.text}`" in lines[number - 1]:
                return number
        return self.lineno


def setup(app):
    app.setup_extension("sphinxcontrib.bibtex")
    for name in BibtexDomain.roles:
        app.add_role_to_domain("cite", name, CheckedCiteRole(), override=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
