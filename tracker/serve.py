"""Preview: build, serve on 127.0.0.1, rebuild when an input changes and reload the open browser tabs.

Only the preview's HTTP responses carry the reload script; the files it builds are the same as a normal build's.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import http.server
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from tracker import build
from tracker.config import SiteConfig, make_config
from tracker.errors import BuildError, DataError
from tracker.progress import Progress

log = logging.getLogger(__name__)
POLL_SECONDS = 0.1  # how often the inputs' modification times are compared (a few dozen stat calls)
HOLD_SECONDS = 25.0  # a tab's question "anything newer than my version?" waits this long for a rebuild
# A file, not an inline script: the pages' Content-Security-Policy only runs inline scripts it lists by hash.
# The server holds each request until a rebuild (long polling), so a tab reloads as soon as one is done.
RELOAD_JS = b"""/* Preview only (python build.py serve): reload this tab when the site is rebuilt. */
(function () {
  "use strict";
  var seen = document.currentScript && document.currentScript.dataset.version;
  function poll() {
    fetch("/__version?after=" + encodeURIComponent(seen), { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : seen; })
      .then(function (v) { if (v !== seen) location.reload(); else poll(); })
      .catch(function () { setTimeout(poll, 500); }); // the preview is restarting: keep asking
  }
  poll();
})();
"""


@dataclasses.dataclass(frozen=True)
class BuildState:
    """The outcome of the latest build; replaced whole, so request threads never see half of one."""

    version: str
    problems: tuple[str, ...] = ()


def snapshot(folders: list[Path]) -> dict[Path, int]:
    """Modification times of every input file; a change in any means a rebuild."""
    times = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    times[path] = path.stat().st_mtime_ns
            except OSError:  # editors save by writing a temporary file and renaming it: it may be gone already
                continue
    return times


class Preview:
    """Rebuilds the site when its inputs change and remembers whether the last build worked."""

    def __init__(self, config: SiteConfig, out: TextIO | None = None) -> None:
        self.config = config
        self.out = out  # None: whatever sys.stdout is when printing
        # The start time makes versions differ across restarts, so a tab left open reloads after one.
        self.run_id = time.time_ns()
        self.builds = 0
        self.state = BuildState(f"{self.run_id}-0")
        self.stop = threading.Event()
        self.changed = threading.Condition()  # notified after every build
        self.watcher = threading.Thread(target=self.watch, name="preview-watcher", daemon=True)
        self.seen: dict[Path, int] = {}

    def say(self, message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=self.out or sys.stdout, flush=True)

    def rebuild(self) -> None:
        """Build once; on failure keep the last good files and record the problems for the browser."""
        problems: tuple[str, ...] = ()
        try:
            build.build(self.config, Progress(env={}))  # the CI stage lines are for CI builds, not previews
        except DataError as e:
            problems = tuple(str(p) for p in e.problems)
        except Exception as e:  # a template or code error while editing must not end the preview
            log.debug("build failed", exc_info=True)
            problems = (str(e) if isinstance(e, BuildError) else f"{type(e).__name__}: {e}",)
        self.builds += 1
        with self.changed:
            self.state = BuildState(f"{self.run_id}-{self.builds}", problems)
            self.changed.notify_all()
        if problems:
            lines = "\n".join(f"  {p}" for p in problems)
            self.say(f"Not rebuilt; the browser shows these problems until they are fixed:\n{lines}")
        else:
            self.say("Rebuilt.")

    def folders(self) -> list[Path]:
        c = self.config
        return [c.data_dir, c.content_dir, c.templates_dir, c.static_dir]

    def start(self) -> None:
        """Build once, then watch; the snapshot comes first so a save during that build is not missed."""
        self.seen = snapshot(self.folders())
        self.rebuild()  # a broken first build still serves: the browser shows why
        self.watcher.start()

    def watch(self) -> None:
        while not self.stop.wait(POLL_SECONDS):
            now = snapshot(self.folders())
            if now != self.seen:
                self.seen = now
                self.rebuild()

    def newer_than(self, version: str, timeout: float) -> BuildState:
        """The build state, as soon as it is not `version` any more (or after `timeout` seconds)."""
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version or self.stop.is_set(), timeout)
            return self.state

    def close(self) -> None:
        """Stop watching; wait for a build in progress so no half-written folder is left behind."""
        self.stop.set()
        with self.changed:
            self.changed.notify_all()  # let held requests answer
        if self.watcher.is_alive():
            self.watcher.join()


def reload_tag(version: str) -> str:
    return f'<script src="/__reload.js" data-version="{html.escape(version)}"></script>'


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
        super().__init__(("127.0.0.1", port), PreviewHandler)
        self.address = f"http://127.0.0.1:{self.server_address[1]}/"
        # Links start at "/" and absolute links name this address, whatever the published address is.
        self.preview = Preview(dataclasses.replace(config, base_url="/", site_url=self.address))

    def server_close(self) -> None:
        if hasattr(self, "preview"):  # absent when binding the port failed
            self.preview.close()
        super().server_close()


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site, adding the reload script to HTML, or the problems while the build is broken."""

    server: PreviewServer

    def __init__(self, request: Any, client_address: Any, server: PreviewServer) -> None:
        # A handler lives for one request and finds files by path, so it follows each swapped-in site.
        super().__init__(request, client_address, server, directory=str(server.preview.config.out_dir))

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
        elif not (route.endswith("/") or route.endswith(".html")):
            super().do_GET()
        elif state.problems:
            self.send_bytes(500, error_page(state.problems, state.version), "text/html; charset=utf-8")
        else:
            self.send_page(Path(self.translate_path(self.path)), route, state.version)

    def send_page(self, file: Path, route: str, version: str) -> None:
        if route.endswith("/"):
            file = file / "index.html"
        status = 200
        if not file.is_file():
            status, file = 404, Path(self.directory) / "404.html"
        # Without a 404 page (or mid-swap) a bare page still carries the script, so the tab can recover.
        page = file.read_bytes() if file.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        self.send_bytes(status, with_reload(page, version), "text/html; charset=utf-8")

    def send_bytes(self, status: int, body: bytes, content_type: str) -> None:
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


def serve(args: argparse.Namespace) -> None:
    """Run the preview until Ctrl-C, which ends it cleanly."""
    config = make_config(data_dir=args.data, content_dir=args.content, out_dir=args.out, tiles=not args.no_tiles)
    server = None
    try:
        server = open_preview(config, args.port)
        print(f"Serving {server.preview.config.out_dir} at {server.address} (Ctrl-C to stop).", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped the preview.", flush=True)
    finally:
        if server is not None:
            server.server_close()
