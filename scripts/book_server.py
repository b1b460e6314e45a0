#!/usr/bin/env python3
"""Serve a built HTML book on 127.0.0.1 with gzip, as a web host would, for measurements and browser tests.

Text files (HTML, CSS, JavaScript, JSON, SVG) are sent gzip-compressed when the browser asks for it, so the
bytes a browser counts are the bytes a reader would download. A missing page gets the book's 404.html with
status 404. Also usable by hand: python -m scripts.book_server _build/html --port 8000
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import mimetypes
import sys
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class BookHandler(BaseHTTPRequestHandler):
    """GET and HEAD of files under `root`; gzip for text; 404.html for anything missing."""

    def __init__(self, *args, root: Path, **kwargs):
        self.root = root
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 (the base class's name) - quiet: tests read no logs
        pass

    def _resolve(self) -> Path | None:
        path = unquote(urlsplit(self.path).path)
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def _send(self, head_only: bool) -> None:
        target = self._resolve()
        status = 200
        if target is None:
            status, target = 404, self.root / "404.html"
            if not target.is_file():
                self.send_error(404)
                return
        body = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        if ctype.startswith(COMPRESSIBLE) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._send(head_only=False)

    def do_HEAD(self):  # noqa: N802
        self._send(head_only=True)


@contextlib.contextmanager
def serve(root: Path, port: int = 0):
    """Serve `root` on 127.0.0.1 (a free port unless given) in a thread; yield the base URL ending in '/'."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        raise SystemExit(f"book_server: {root} has no index.html: build the HTML first (make html)")
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(BookHandler, root=root))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path, nargs="?", default=Path("_build/html"), help="built HTML (default: %(default)s)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: %(default)s)")
    args = parser.parse_args()
    with serve(args.root, args.port) as url:
        print(f"Serving {args.root} at {url} (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
