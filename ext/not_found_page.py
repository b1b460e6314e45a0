"""The book's "page not found" page, 404.html, whose links work at whatever address the server shows it.

A web host answers every missing address with the site's 404.html, so the page's relative links (its CSS, the
contents) would point into nowhere from /chapters/missing/page. A <base href> set to the book's root path
(not_found_base_path, "/" unless the book is served from a sub-folder such as "/book/") fixes all of them.
The page itself is the template docs/_templates/404.html; it is written for the web builders only (an e-book
has no missing addresses).
"""
from html import escape


def base_for_404(app, pagename, templatename, context, doctree):
    if pagename != "404":
        return
    base = app.config.not_found_base_path
    if not (base.startswith("/") and base.endswith("/")):
        raise ValueError(f"not_found_base_path must start and end with '/', got {base!r} (conf.py)")
    context["metatags"] = (f'<base href="{escape(base)}">\n<meta name="robots" content="noindex">\n'
                           + context.get("metatags", ""))
    context["title"] = "Page not found"
    context["last_updated"] = None  # no source to date


def add_404_page(app):
    """html-collect-pages: the page, for the web builders (not the EPUB)."""
    if app.builder.name in ("html", "dirhtml"):
        yield "404", {}, "404.html"


def setup(app):
    app.add_config_value("not_found_base_path", "/", "html", str)
    app.connect("html-collect-pages", add_404_page)
    app.connect("html-page-context", base_for_404)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
