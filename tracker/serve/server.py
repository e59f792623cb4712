"""The preview's HTTP side: serve the site on 127.0.0.1, the pages made on request with the reload script added,
the problems while the data is broken, and /__version for the open tabs to wait on (long polling)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import html
import http.server
import logging
import os
import signal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tracker.config import SiteConfig, make_config
from tracker.errors import BuildError
from tracker.render.urls import Urls
from tracker.serve.background import problems_of
from tracker.serve.preview import HOLD_SECONDS, BuildState, Preview

log = logging.getLogger(__name__)
NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
# A file, not an inline script: the pages' Content-Security-Policy only runs inline scripts it lists by hash.
# The server holds each request until a rebuild (long polling), so a tab reloads as soon as one is done. It lives
# here, not in static/, because static/ is published and the script must exist only in the preview's answers.
RELOAD_JS = (Path(__file__).parent / "reload.js").read_bytes()


def reload_tag(version: str) -> str:
    # async: the page is ready (DOMContentLoaded) without waiting for this script
    return f'<script src="/__reload.js" data-version="{html.escape(version)}" async></script>'


def with_reload(page: bytes, version: str) -> bytes:
    """Add the reload script just before </body> (at the end when there is none)."""
    at = page.lower().rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + reload_tag(version).encode() + page[at:]


def error_page(problems: tuple[str, ...], version: str) -> bytes:
    """A plain page listing the problems; it reloads to the site once they are fixed."""
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Preview: the site was not rebuilt</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}"
        "li{margin:.5rem 0}code{white-space:pre-wrap}</style>\n</head>\n<body>\n"
        "<h1>The site was not rebuilt</h1>\n"
        f"<p>Fix {'this problem' if len(problems) == 1 else 'these problems'} and save; "
        "this page reloads by itself.</p>\n"
        f'<ul class="problems">\n{items}\n</ul>\n{reload_tag(version)}\n</body>\n</html>\n'
    ).encode()


class PreviewServer(http.server.ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that owns its Preview, so closing one stops both."""

    daemon_threads = True

    def __init__(self, port: int, config: SiteConfig) -> None:
        # A handler lives for one request and finds files by path, so it follows each swapped-in site.
        super().__init__(("127.0.0.1", port), functools.partial(PreviewHandler, directory=str(config.out_dir)))
        self.address = f"http://127.0.0.1:{self.server_address[1]}/"
        # Links start at "/" and absolute links name this address, whatever the published address is.
        self.preview = Preview(dataclasses.replace(config, base_url="/", site_url=self.address))

    def server_close(self) -> None:
        if hasattr(self, "preview"):  # absent when binding the port failed
            self.preview.close()
        super().server_close()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site's files and the pages made on request (with the reload script), or the problems."""

    server: PreviewServer

    def do_GET(self) -> None:
        route = urlsplit(self.path).path
        state = self.server.preview.state
        if route == "/__reload.js":
            self.send_bytes(200, RELOAD_JS, "text/javascript; charset=utf-8")
        elif route == "/__version":
            seen = parse_qs(urlsplit(self.path).query).get("after")
            if seen:
                state = self.server.preview.newer_than(seen[0], HOLD_SECONDS)
            self.send_bytes(200, state.version.encode(), "text/plain; charset=utf-8")
        elif not route.endswith(("/", ".html")):
            super().do_GET()
        elif state.problems:
            self.send_bytes(500, error_page(state.problems, state.version), "text/html; charset=utf-8")
        else:
            self.send_page(route, state)

    def send_page(self, route: str, state: BuildState) -> None:
        """The page made on request from the data as last read: one whose record was removed is gone at once."""
        assert state.live is not None  # every read without problems publishes its pages, and serving starts after one
        try:
            with self.server.preview.quiet:
                page = state.live.page(unquote(Urls.file_for(route)).lstrip("/"))
                status, page = (200, page) if page is not None else (404, state.live.page("404.html") or NOT_FOUND)
        except Exception as e:  # a template mistake: the tab says so, and reloads once it is fixed
            self.send_bytes(500, error_page(problems_of(e), state.version), "text/html; charset=utf-8")
            return
        self.send_bytes(status, with_reload(page, state.version), "text/html; charset=utf-8")

    def send_bytes(self, status: int, body: bytes, content_type: str) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the tab went elsewhere meanwhile
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def end_headers(self) -> None:
        # Every reload must fetch the new build, never a cached copy of the old one.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


def open_preview(config: SiteConfig, port: int) -> PreviewServer:
    """Bind 127.0.0.1:port (0: any free port), build once, start watching; the caller serves and closes."""
    try:
        server = PreviewServer(port, config)
    except OSError as e:
        raise BuildError(
            f"cannot serve on 127.0.0.1:{port}: {e.strerror}. Is another preview running? Try --port {port + 1}."
        ) from e
    try:
        server.preview.start()
    except BaseException:
        server.server_close()
        raise
    return server


def _stop(preview_pid: int, signum: int, frame: Any) -> None:
    """SIGTERM ends the preview as Ctrl-C does; processes forked from it (builds, workers) die of it as usual."""
    if os.getpid() == preview_pid:
        raise KeyboardInterrupt
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def serve(args: argparse.Namespace) -> None:
    """Run the preview until Ctrl-C, which ends it cleanly."""
    config = make_config(data_dir=args.data, content_dir=args.content, out_dir=args.out, tiles=not args.no_tiles)
    signal.signal(signal.SIGTERM, functools.partial(_stop, os.getpid()))
    try:
        with open_preview(config, args.port) as server:  # closing the server closes the preview
            print(f"Serving {server.preview.config.out_dir} at {server.address} (Ctrl-C to stop).", flush=True)
            server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped the preview.", flush=True)
