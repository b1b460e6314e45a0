"""Turn a crash inside a directive or a role into an error that names the file and line.

Some extensions raise on bad input instead of reporting it (sphinxcontrib-bibtex on a malformed citation such
as ``{cite:p}`key1 key2```, for one), and Sphinx then stops with a traceback that names no page. This wraps
every registered directive and role once, when the builder starts: an unexpected exception becomes an ERROR at
the directive's or role's line (a failed build under -W), and the other pages are still read and reported.
Docutils' and MyST's own errors pass through untouched: they already report properly.
"""
from sphinx.util import logging

from ext.library_internals import docutils_registries

logger = logging.getLogger(__name__)
PASS_THROUGH = ("docutils.", "myst_parser.")


def is_report(exc: Exception) -> bool:
    return type(exc).__module__.startswith(PASS_THROUGH)


def guard_directive(cls):
    if getattr(cls, "_crash_guarded", False) or not isinstance(cls, type):
        return cls

    class Guarded(cls):
        _crash_guarded = True

        def run(self):
            try:
                return super().run()
            except Exception as exc:
                if is_report(exc):
                    raise
                message = (f'the "{self.name}" directive could not handle this input ({type(exc).__name__}: '
                           f"{exc}); check its syntax")
                return [self.state.document.reporter.error(message, line=self.lineno)]

    Guarded.__name__ = Guarded.__qualname__ = cls.__name__
    Guarded.__module__ = cls.__module__
    return Guarded


def guard_role(role):
    if getattr(role, "_crash_guarded", False) or not callable(role):
        return role

    def guarded(name, rawtext, text, lineno, inliner, options=None, content=None):
        try:
            return role(name, rawtext, text, lineno, inliner, options or {}, content or [])
        except Exception as exc:
            if is_report(exc):
                raise
            message = inliner.reporter.error(f"the role {name!r} could not handle {text!r} ({type(exc).__name__}: "
                                             f"{exc}); check its syntax", line=lineno)
            return [inliner.problematic(rawtext, rawtext, message)], [message]

    guarded._crash_guarded = True
    return guarded


def install(app):
    directive_table, role_table = docutils_registries()
    for table, guard in ((directive_table, guard_directive), (role_table, guard_role)):
        for name, item in list(table.items()):
            table[name] = guard(item)
    for domain in app.env.domains.sorted():
        for name, cls in list(domain.directives.items()):
            domain.directives[name] = guard_directive(cls)
        for name, role in list(domain.roles.items()):
            domain.roles[name] = guard_role(role)


def setup(app):
    app.connect("builder-inited", install, priority=900)  # after every extension has registered its own
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
