#!/usr/bin/env python3
"""Keep the book's public anchors: links from other sites to page.html#label must not silently break.

The public anchors are what the book's inventory (objects.inv, the file intersphinx and other sites use) names:
every page, every explicit label (`(label)=`, which never changes when a title does) and every glossary term.
Docutils' numbered ids (id1, id2...) and the slugs of titles are not promises and are left out. The check reads
the built pages themselves: a listed anchor vanishes when its page or the element with its id is gone.

    check_anchors.py _build/html              fail (exit 1) if an anchor of the committed list vanished
    check_anchors.py _build/html --update     rewrite the committed list from this build (make anchors)

Anchors that are new in a build are fine; run `make anchors` to add them to the list deliberately.
Exit status: 0 none vanished (or list written); 1 some vanished; 2 bad arguments.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bs4 import BeautifulSoup, SoupStrainer

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = ROOT / "public-anchors.txt"
HEADER = ("# The book's public anchors (page or page#id): a check fails when one vanishes.\n"
          "# Written by 'make anchors' (scripts/check_anchors.py --update); never edit by hand.\n")


def public_anchors(html_dir: Path) -> set[str]:
    """The pages, labels and glossary terms of the book's inventory, as page or page#id."""
    from sphinx.util.inventory import InventoryFile

    with open(html_dir / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    anchors = set()
    for kind in ("std:doc", "std:label", "std:term"):
        for item in inventory.get(kind, {}).values():
            anchors.add(item.uri if hasattr(item, "uri") else item[2])
    return {a for a in anchors if (html_dir / a.partition("#")[0]).is_file()}  # not py-modindex: never built


def ids_in(page: Path) -> set[str]:
    only_ids = SoupStrainer(attrs={"id": True})
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser", parse_only=only_ids)
    return {tag["id"] for tag in soup.find_all(attrs={"id": True})}


def read_list(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def vanished(html_dir: Path, listed: Path = ANCHORS) -> list[str]:
    """One message for each anchor of the committed list whose page or element this build no longer has."""
    problems, pages = [], {}
    for anchor in sorted(read_list(listed)):
        name, _, fragment = anchor.partition("#")
        page = html_dir / name
        if name not in pages:
            pages[name] = ids_in(page) if page.is_file() else None
        if pages[name] is None or (fragment and fragment not in pages[name]):
            problems.append(f"{listed}: public anchor '{anchor}' vanished from the build "
                            "(run 'make anchors' if that is deliberate)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html_dir", type=Path, help="the built HTML book, e.g. _build/html")
    parser.add_argument("--list", type=Path, default=ANCHORS, help=f"the committed list (default: {ANCHORS})")
    parser.add_argument("--update", action="store_true", help="write the list from this build")
    args = parser.parse_args(argv)
    if not (args.html_dir / "index.html").is_file():
        print(f"{args.html_dir}: no index.html here; build the book first (make html)", file=sys.stderr)
        return 2
    if args.update:
        anchors = sorted(public_anchors(args.html_dir))
        args.list.write_text(HEADER + "\n".join(anchors) + "\n", encoding="utf-8")
        print(f"{args.list}: {len(anchors)} public anchors")
        return 0
    if not args.list.is_file():
        print(f"{args.list}: no list of public anchors; write one with 'make anchors'", file=sys.stderr)
        return 2
    problems = vanished(args.html_dir, args.list)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
