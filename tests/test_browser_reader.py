"""The reader's side, in Debian's Chromium (Playwright): search, clean loading, accessibility, 404, dark, print.

The book is served from 127.0.0.1 with gzip (scripts/book_server.py); nothing here touches another host.
axe-core comes from scripts/browser (npm ci: make node-modules, which make test runs first).
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from scripts.book_server import serve
from scripts.browser_tools import PageWatch, describe_violations, launch, run_axe

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book_url(html_dir):
    with serve(html_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def largest_chapter(html_dir) -> str:
    return max((html_dir / "chapters").glob("*.html"), key=lambda p: p.stat().st_size).relative_to(html_dir).as_posix()


def pages_containing(html_dir, word: str) -> set[str]:
    """The pages whose article text has the whole word (any case), from the built HTML itself."""
    found = set()
    for path in html_dir.rglob("*.html"):
        if path.name in ("genindex.html", "search.html"):  # Sphinx never indexes its generated index pages
            continue
        article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article[role=main]")
        if article and re.search(rf"\b{word}\b", article.get_text(" "), re.IGNORECASE):
            found.add(path.relative_to(html_dir).as_posix())
    return found


def search_results(page) -> set[str]:
    page.wait_for_selector("p.search-summary:has-text('Search finished')", timeout=15_000)
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "els => els.map(a => a.href)")
    return {re.sub(r"^https?://[^/]+/|[?#].*$", "", h) for h in hrefs}


@pytest.mark.parametrize("word", ["Massoud", "Mazar"])
def test_the_sidebar_search_finds_the_chapters_that_use_a_word(page, book_url, html_dir, word):
    expected = pages_containing(html_dir, word)
    assert any(p.startswith("chapters/") for p in expected), f"no chapter mentions {word}: nothing to search for"
    page.goto(book_url + "index.html")
    page.fill("form.sidebar-search-container input[name=q]", word)
    page.press("form.sidebar-search-container input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    found = search_results(page)
    assert expected <= found, f"search for {word} missed {sorted(expected - found)}"


def test_every_page_loads_cleanly_from_this_host_only(browser, book_url, html_dir):
    """No console error, no uncaught exception, no failed request, no request to another host, on any page."""
    problems = []
    for path in sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")):
        page = browser.new_page()
        watch = PageWatch(page, book_url)
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
        page.goto(book_url + path, wait_until="load")
        if watch.console_errors or watch.foreign_requests or failed:
            problems.append(f"{path}: console {watch.console_errors}, other hosts {watch.foreign_requests}, "
                            f"failed {failed}")
        page.close()
    assert not problems, "\n".join(problems)


def test_axe_finds_no_violation(page, book_url, html_dir):
    pages = ["index.html", largest_chapter(html_dir), "search.html?q=Massoud", "chapters/no-such-page.html"]
    report = []
    for path in pages:
        page.goto(book_url + path, wait_until="networkidle")
        if "q=" in path:
            search_results(page)
        violations = run_axe(page)
        if violations:
            report.append(f"{path}:\n{describe_violations(violations)}")
    assert not report, "\n".join(report)


def test_a_missing_address_gets_the_404_page_with_working_links(page, book_url):
    responses = []
    page.on("response", lambda r: responses.append((r.status, r.url)))
    first = page.goto(book_url + "chapters/gone/deeper/page.html", wait_until="networkidle")
    assert first.status == 404
    assert page.locator("h1").first.inner_text() == "Page not found"
    broken = [(s, u) for s, u in responses[1:] if s >= 400]
    assert not broken, f"the 404 page's own files did not load: {broken}"
    assert any(u.endswith(".css") or ".css?" in u for _, u in responses), "no stylesheet was loaded"
    page.get_by_role("link", name="Go to the title page and the table of contents").click()
    page.wait_for_load_state()
    assert page.url == book_url + "index.html"


def test_dark_mode_follows_the_reader_system_and_the_toggle(page, book_url):
    def background() -> str:
        return page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.emulate_media(color_scheme="light")
    page.goto(book_url + "index.html")
    light = background()
    page.emulate_media(color_scheme="dark")
    dark = background()
    assert light != dark
    page.emulate_media(color_scheme="light")
    page.locator(".theme-toggle:visible").first.click()  # auto -> the other theme than the system's
    assert page.evaluate("document.body.dataset.theme") in ("dark", "light")
    assert background() == dark


def test_print_shows_the_text_without_navigation_and_spells_out_outside_links(page, book_url):
    page.goto(book_url + "about.html")
    page.emulate_media(media="print", color_scheme="dark")
    hidden = page.evaluate("""() => ['.sidebar-drawer', '.toc-drawer', '.theme-toggle-container']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    after = page.evaluate("""() => {
        const a = document.querySelector('article a[href^="http"]');
        return [a.href, getComputedStyle(a, '::after').content];
    }""")
    assert after[0] in after[1]
