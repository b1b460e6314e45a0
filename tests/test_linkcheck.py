"""The external link check: Sphinx's real linkcheck builder, with the book's configuration, against a local HTTP
server that this test starts on 127.0.0.1 (port 0); nothing reaches the internet. As in Sphinx's own tests, each
scenario has its handler and the outcomes are read from output.json."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT
from scripts import linkcheck_report

TEMPLATE = ROOT / "tests" / "roots" / "links-to-a-local-server" / "index.md"
PAGE = b"<html><body><h1 id='kabul'>Kabul</h1></body></html>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    busy_seen: dict[str, float] = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def send(self, code, body=b"", headers=()):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.path
        if path == "/ok":
            self.send(200, PAGE, [("Content-Type", "text/html")])
        elif path == "/moved":
            self.send(301, headers=[("Location", "/ok")])
        elif path == "/busy":
            first = self.busy_seen.setdefault(path, time.monotonic())
            if time.monotonic() - first < 1:  # first request: 429, come back in one second
                self.send(429, headers=[("Retry-After", "1")])
            else:
                self.send(200, PAGE, [("Content-Type", "text/html")])
        elif path == "/slow":
            time.sleep(3)  # longer than the test's linkcheck_timeout
            self.send(200, PAGE, [("Content-Type", "text/html")])
        elif path == "/refusing":
            self.send(429)  # no Retry-After: back off until linkcheck_rate_limit_timeout, then give up
        else:
            self.send(404, b"not found")

    do_HEAD = do_GET


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    Handler.busy_seen = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, server):
    """One linkcheck run (seconds of waiting on the planted timeouts and retries) read by the tests below."""
    tmp_path = tmp_path_factory.mktemp("linkcheck")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(TEMPLATE.read_text(encoding="utf-8").replace("SERVER", server), encoding="utf-8")
    out = tmp_path / "linkcheck"
    env = dict(os.environ, NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    # the book's configuration; only the waits are shortened (tests/roots/links-to-a-local-server/conf.py)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-c", str(TEMPLATE.parent), "-n", "--keep-going", "-q", "-b", "linkcheck",
         "-d", str(tmp_path / "doctrees"), str(docs), str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    rows = [json.loads(line) for line in (out / "output.json").read_text(encoding="utf-8").splitlines()]
    return {row["uri"].replace(server, ""): row for row in rows}, result, out


@pytest.mark.slow
def test_each_outcome_of_the_linkcheck_builder(outcomes):
    rows, result, _ = outcomes
    status = {uri: row["status"] for uri, row in rows.items()}
    assert status == {
        "/ok": "working",
        "/missing": "broken",
        "/moved": "redirected",
        "/ok#no-such-section": "broken",
        "/ok#kabul": "working",
        "/busy": "working",  # after waiting the Retry-After second
        "/slow": "timeout",
        "/refusing": "broken",
    }
    assert rows["/missing"]["info"].startswith("404 Client Error: Not Found")
    assert rows["/ok#no-such-section"]["info"] == "Anchor 'no-such-section' not found"
    assert rows["/moved"]["code"] == 301 and rows["/moved"]["info"].endswith("/ok")
    assert rows["/refusing"]["info"].startswith("429 Client Error: Too Many Requests")
    assert rows["/missing"]["lineno"] == 6 and rows["/missing"]["filename"] == "index.md"
    # a redirect that conf.py does not allow is a warning, naming file and line; the build fails
    assert result.returncode != 0
    assert "index.md:7: WARNING: redirect  " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_report_lists_the_problems_with_file_and_line(outcomes):
    rows, _, out = outcomes
    text = linkcheck_report.report(list(rows.values()))
    assert "8 links: 3 broken, 1 timeout, 1 redirected, 3 working." in text
    assert "## Broken (3)" in text and "## Timeout (1)" in text and "## Redirected (1)" in text
    assert f"- `index.md:6` {rows['/missing']['uri']}: 404 Client Error" in text
    assert linkcheck_report.main([str(out / "output.json")]) == 0


def test_the_report_of_a_clean_run_says_so(tmp_path, capsys):
    (tmp_path / "output.json").write_text(json.dumps({"filename": "a.md", "lineno": 3, "status": "working", "code": 0,
                                                      "uri": "https://example.org/", "info": ""}) + "\n")
    assert linkcheck_report.main([str(tmp_path / "output.json")]) == 0
    assert "1 links: 1 working.\n\nEvery external link works." in capsys.readouterr().out
    assert linkcheck_report.main([str(tmp_path / "missing.json")]) == 2
