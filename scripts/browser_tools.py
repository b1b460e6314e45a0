"""Debian's Chromium driven by Playwright, and axe-core inside it: shared by scripts/measure.py and the tests.

Chromium is /usr/bin/chromium (scripts/ensure-browser installs it); Playwright never downloads a browser.
axe-core comes from the npm lock in scripts/browser/ (make node-modules runs npm ci there).
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without these Chromium floods the closed network here with connections that are refused.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NODE_MODULES = ROOT / "scripts" / "browser" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def launch(playwright):
    """A headless Debian Chromium, or a clear error saying how to get it."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run 'make browser' (scripts/ensure-browser)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class PageWatch:
    """Records what a page does while it loads: console errors, uncaught exceptions, requests to other hosts."""

    def __init__(self, page, base_url: str):
        self.host = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on("request", self._on_request)

    def _on_request(self, request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != self.host:
            self.foreign_requests.append(request.url)


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as loaded (every rule axe runs by default), as plain dicts."""
    if not AXE_JS.is_file():
        raise SystemExit(f"{AXE_JS} is missing: run 'make node-modules' (npm ci in scripts/browser)")
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return json.loads(result)


def describe_violations(violations: list[dict]) -> str:
    """One line per violation and up to three of its elements: readable in a test failure."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements: {targets}): {v['help']}")
    return "\n".join(lines)
