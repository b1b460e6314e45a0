#!/usr/bin/env python3
"""Check the internal links of a built HTML book: every href and src, and every #anchor, must resolve.

Uses LinkChecker (https://linkchecker.github.io/linkchecker/) on the local files, with its AnchorCheck plugin
(made to parse each page once),
in-process: its command line drops root privileges to "nobody", who cannot read private temporary folders.
External links (http, https, mailto) are not checked here: that is `make linkcheck`, which needs the internet.

Prints one line per problem, "page:line: broken link 'target': reason", and exits 1 if there is any.

Exit status: 0 all links resolve; 1 broken links; 2 bad arguments.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit


def parse_each_page_once(aggregate) -> None:
    """Swap LinkChecker's AnchorCheck for one that keeps each page's anchors: LinkChecker checks every distinct
    page#anchor as a URL of its own, and AnchorCheck parses the target page again for each (about 900 parses of 25
    pages for this book: with the crawl stopped at the pages, 38 s against 3 s). The verdicts and messages are
    AnchorCheck's own.

    LinkChecker has no public way to replace a plugin (it knows AnchorCheck by name, and loads plugins only from
    folders), so this reaches into the aggregate's plugin manager; if that changes, this fails at once rather than
    checking no anchor."""
    from linkcheck.htmlutil import linkparse
    from linkcheck.plugins.anchorcheck import AnchorCheck, UrlAnchorCheck

    class PageAnchors(AnchorCheck):
        def __init__(self, config):
            super().__init__(config)
            self.pages: dict[str, UrlAnchorCheck] = {}  # page URL -> its anchors, for this run only

        def check(self, url_data):
            page = url_data.url.partition("#")[0]
            if page not in self.pages:
                self.pages[page] = UrlAnchorCheck()
                linkparse.find_links(url_data.get_soup(), self.pages[page].add_anchor, linkparse.AnchorTags)
            self.pages[page].check_anchor(url_data)

    plugins = aggregate.plugin_manager.content_plugins
    found = [n for n, plugin in enumerate(plugins) if type(plugin) is AnchorCheck]
    if len(found) != 1:
        raise RuntimeError("LinkChecker's plugins are not what scripts/check_links.py expects: no AnchorCheck to swap")
    plugins[found[0]] = PageAnchors(aggregate.config["AnchorCheck"])


def check(html_dir: Path) -> list[str]:
    """Return one message per broken internal link or missing anchor in the built HTML under html_dir."""
    from linkcheck import cmdline, configuration, director

    html_dir = html_dir.resolve()
    config = configuration.Configuration()  # defaults only: no user configuration file is read
    config["threads"] = 0  # checked in this thread: no thread start-up and shutdown waits
    config["status"] = False
    config["checkextern"] = False
    config["recursionlevel"] = 1  # every page is a start (below): check its links, never crawl from their targets
    config["enabledplugins"] = ["AnchorCheck"]  # the name also makes LinkChecker check each page#anchor on its own
    out = io.StringIO()
    config["logger"] = config.logger_new("csv", fd=out, separator=";")
    config.sanitize()
    aggregate = director.get_aggregate(config)
    parse_each_page_once(aggregate)
    # every page is a start: pages no other page links to (search, genindex) are checked too
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" not in page.relative_to(html_dir).parts:
            cmdline.aggregate_url(aggregate, page.as_uri())
    director.check_urls(aggregate)
    rows = csv.DictReader((line for line in out.getvalue().splitlines() if not line.startswith("#")),
                          delimiter=";")
    problems = []
    for row in rows:
        parent = unquote(urlsplit(row["parentname"]).path) if row["parentname"] else ""
        page = Path(parent).relative_to(html_dir).as_posix() if parent.startswith(str(html_dir)) else parent
        reason = row["result"] if row["valid"] == "False" else row["warningstring"]
        anchor = re.match(r"Anchor `([^']*)' .*not found", reason)
        if anchor:
            reason = f"no element with id '{anchor.group(1)}'"
        elif "No such file or directory" in reason:
            reason = "no such file"
        problems.append(f"{page}:{row['line']}: broken link '{row['urlname']}': {reason}")
    return sorted(set(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html_dir", type=Path, help="the built HTML book, e.g. _build/html")
    args = parser.parse_args(argv)
    if not (args.html_dir / "index.html").is_file():
        print(f"{args.html_dir}: no index.html here; build the book first (make html)", file=sys.stderr)
        return 2
    problems = check(args.html_dir)
    for problem in problems:
        print(problem)
    print(f"Internal links: {len(problems)} broken" if problems else "Internal links: all resolve",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
