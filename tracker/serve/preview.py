"""Preview: build, serve on 127.0.0.1, rebuild when an input changes and reload the open browser tabs.

After a save the data is read again (only the edited records are parsed and made anew) and the open tabs
reload at once: their pages are made on request from the loaded data, with the very code the build uses,
while the build writes the whole site (downloads, search index) in the background. Only the preview's HTTP
responses carry the reload script; the files it builds are the same as a normal build's.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import gc
import html
import http.server
import logging
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

import jinja2

from tracker.build import pipeline
from tracker.build.progress import Progress
from tracker.config import SiteConfig, make_config
from tracker.data.boundaries import Outlines
from tracker.data.jurisdictions import Recall
from tracker.errors import BuildError, DataError
from tracker.model.records import Jurisdiction
from tracker.model.site import Site
from tracker.render.pages import Common, Sheet, contexts, jurisdiction_sheet, make_env, plan_sheets, render_sheet
from tracker.render.urls import Urls

log = logging.getLogger(__name__)
POLL_SECONDS = 0.025  # how often the inputs' modification times are compared (a few dozen stat calls)
SETTLE_SECONDS = 0.01  # a change is read once the files have stayed the same this long
HOLD_SECONDS = 25.0  # a tab's question "anything newer than my version?" waits this long for a rebuild
NOT_FOUND = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
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
class Live:
    """The pages of the data as last read, made when a tab asks for one (planned only when first asked for)."""

    env: jinja2.Environment
    common: Common
    cached: Common
    records: dict[str, Jurisdiction]  # by the file of its page, e.g. "jurisdictions/chicago-il/index.html"

    @functools.cached_property
    def sheets(self) -> dict[str, Sheet]:
        """Every other page, by its file (the whole plan: a few dozen ms at 1,000 records)."""
        c = self.common
        return {c.urls.file_for(sheet.path): sheet for sheet in plan_sheets(c.site, c.config, c.urls, c.outlines)}

    def page(self, file: str) -> bytes | None:
        c = self.common
        record = self.records.get(file)
        sheet = jurisdiction_sheet(c.site, c.outlines, record) if record else self.sheets.get(file)
        if sheet is None:
            return None
        return render_sheet(self.env, self.cached if sheet.cached else self.common, sheet)[1]


@dataclasses.dataclass(frozen=True)
class BuildState:
    """The outcome of the latest build; replaced whole, so request threads never see half of one."""

    version: str
    problems: tuple[str, ...] = ()
    live: Live | None = None  # None: pages come from the built files


Stamp = tuple[int, int]  # a file's modification time and size


def snapshot(folders: list[Path]) -> dict[Path, Stamp]:
    """Modification time and size of every input file; a change in any means a rebuild.

    The size too: a file saved by emptying it and writing it again may keep its time (the clock behind file
    times ticks every few milliseconds), and a read between the two would otherwise be the last.
    """
    stamps = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                status = path.stat()
            except OSError:  # editors save by writing a temporary file and renaming it: it may be gone already
                continue
            if stat.S_ISREG(status.st_mode):
                stamps[path] = (status.st_mtime_ns, status.st_size)
    return stamps


def settled(folders: list[Path], now: dict[Path, Stamp]) -> dict[Path, Stamp]:
    """The snapshot once a save is over: one read of a file caught half written costs more than this wait."""
    while True:
        time.sleep(SETTLE_SECONDS)
        again = snapshot(folders)
        if again == now:
            return now
        now = again


Loaded = tuple[Site, Outlines]


class Preview:
    """Reads the inputs again when they change, shows the result at once, and builds the site in the background.

    Two threads: the watcher reads each save and publishes its pages (made on request); the builder writes
    the site from the latest read, one build at a time, in a forked process so that it never slows the
    pages the tabs are asking for.
    """

    def __init__(self, config: SiteConfig, out: TextIO | None = None) -> None:
        self.config = config
        self.out = out  # None: whatever sys.stdout is when printing
        # The start time makes versions differ across restarts, so a tab left open reloads after one.
        self.run_id = time.time_ns()
        self.builds = 0
        self.state = BuildState(f"{self.run_id}-0")
        self.stop = threading.Event()
        self.changed = threading.Condition()  # notified after every new version, and when a read wants building
        self.pending: tuple[int, Loaded, bool] | None = None  # the latest read to build: version, read, reload again
        self.watcher = threading.Thread(target=self.watch, name="preview-watcher", daemon=True)
        self.builder = threading.Thread(target=self.build_each, name="preview-builder", daemon=True)
        self.seen: dict[Path, Stamp] = {}
        self.child: Any = None  # the build process, while one runs (under self.changed)
        # Held by whatever a fork must not copy half done: a read (collector off, stderr redirected), a page
        # being made (its locks), a message being printed. The build process is forked only under it.
        self.quiet = threading.RLock()
        self.recall = Recall()  # the data as read last time: a save re-reads only the edited records
        self.env: tuple[tuple[tuple[str, Stamp], ...], jinja2.Environment] | None = None

    def say(self, message: str) -> None:
        with self.quiet:
            print(f"{time.strftime('%H:%M:%S')} {message}", file=self.out or sys.stdout, flush=True)

    def read(self) -> Loaded | None:
        """Read and check every input and publish its pages; on a problem, publish the problems instead."""
        # Reading makes a million objects and frees most: collecting cycles among them meanwhile only costs time.
        gc.disable()
        try:
            site = pipeline.load_site(self.config, self.recall)
            outlines = pipeline.load_outlines(pipeline.boundaries_dir(self.config), site.jurisdictions)
            self.publish((), self.live(site, outlines))
            return site, outlines
        except Exception as e:  # a code error while editing must not end the preview either
            self.failed(problems_of(e))
            return None
        finally:
            gc.enable()

    def failed(self, problems: tuple[str, ...]) -> None:
        self.publish(problems, None)
        lines = "\n".join(f"  {p}" for p in problems)
        self.say(f"Not rebuilt; the browser shows these problems until they are fixed:\n{lines}")

    def publish(self, problems: tuple[str, ...], live: Live | None) -> None:
        """A new version: the tabs waiting for one reload."""
        with self.changed:
            self.builds += 1
            self.state = BuildState(f"{self.run_id}-{self.builds}", problems, live)
            self.changed.notify_all()

    def live(self, site: Site, outlines: Outlines) -> Live:
        config = self.config
        urls = Urls(config.base_url, config.site_url)
        common, cached = contexts(site, config, urls, outlines)
        records = {urls.file_for(urls.jurisdiction(j)): j for j in site.jurisdictions}
        return Live(self.templates(), common, cached, records)

    def templates(self) -> jinja2.Environment:
        """One Jinja environment while the templates stay as they are: each compiles once, not after every save."""
        folder = self.config.templates_dir
        stamp = tuple(sorted((str(path), seen) for path, seen in self.seen.items() if folder in path.parents))
        if self.env is None or self.env[0] != stamp:
            self.env = (stamp, make_env(self.config))
        return self.env[1]

    def write(self, version: int, loaded: Loaded, again: bool = False) -> None:
        """Build the site from a read, in a forked process; report unless a newer read has replaced it.

        `again`: the tabs reload once more when the build is done (files they link to have changed).
        """
        problems = self.build_in_child(loaded)
        with self.changed:  # checked and published at once: a newer read can't slip in between
            if problems is None or version != self.builds or self.stop.is_set():
                return  # interrupted, or the next build is already due
            if problems:
                self.publish(problems, None)
            elif again:
                self.publish((), self.state.live)
        if problems:
            lines = "\n".join(f"  {p}" for p in problems)
            self.say(f"Not rebuilt; the browser shows these problems until they are fixed:\n{lines}")
        else:
            self.say("Rebuilt.")

    def build_in_child(self, loaded: Loaded) -> tuple[str, ...] | None:
        """Build in a forked copy of this process (it has the read data): its problems, (), or None if stopped."""
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        try:
            with self.quiet:  # no read, page or message half done in another thread is copied into the child
                child = context.Process(target=_build, args=(self.config, loaded, writer))
                child.start()
            with self.changed:  # either close() sees this child, or this sees that the preview is closing
                self.child, stopping = child, self.stop.is_set()
            if stopping:
                interrupt(child)
            writer.close()
            try:
                return reader.recv()
            except EOFError:  # it ended without a word: killed (out of memory, say)
                child.join()
                return (f"the build process ended without finishing (exit status {child.exitcode}).",)
            finally:
                child.join()
                with self.changed:
                    self.child = None
        finally:
            reader.close()
            writer.close()

    def folders(self) -> list[Path]:
        c = self.config
        return [c.data_dir, c.content_dir, c.templates_dir, c.static_dir]

    def start(self) -> None:
        """Read and build once, then watch; the snapshot comes first so a save during that build is not missed."""
        self.seen = snapshot(self.folders())
        loaded = self.read()  # a broken first read still serves: the browser shows why
        if loaded is not None:
            self.write(self.builds, loaded)
        self.watcher.start()
        self.builder.start()

    def watch(self) -> None:
        while not self.stop.wait(POLL_SECONDS):
            try:
                self.look()
            except Exception as e:  # a folder removed mid-walk, say: the next look starts afresh
                log.debug("watching failed", exc_info=True)
                self.say(f"Could not check the inputs for changes ({type(e).__name__}: {e}); trying again.")

    def look(self) -> None:
        """Read the inputs again if they changed, and hand the read to the builder."""
        now = snapshot(self.folders())
        if now == self.seen:
            return
        now = settled(self.folders(), now)
        # Files the pages link to (static/) are served as built: the tabs reload again once they are.
        changed = {path for path in now.keys() | self.seen.keys() if now.get(path) != self.seen.get(path)}
        again = any(self.config.static_dir in path.parents for path in changed)
        self.seen = now
        with self.quiet:
            loaded = self.read()
        with self.changed:
            self.pending = None if loaded is None else (self.builds, loaded, again)
            self.changed.notify_all()

    def build_each(self) -> None:
        """Build the latest read, one build at a time; reads made meanwhile are replaced by the newest."""
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.pending is not None or self.stop.is_set())
                if self.stop.is_set():
                    return
                assert self.pending is not None
                (version, loaded, again), self.pending = self.pending, None
            try:
                self.write(version, loaded, again)
            except Exception as e:  # the build could not even start (no memory, no file handles): say why
                self.failed(problems_of(e))

    def newer_than(self, version: str, timeout: float) -> BuildState:
        """The build state, as soon as it is not `version` any more (or after `timeout` seconds)."""
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version or self.stop.is_set(), timeout)
            return self.state

    def close(self) -> None:
        """Stop watching; interrupt a build in progress and wait, so no half-written folder is left behind."""
        with self.changed:
            self.stop.set()
            self.changed.notify_all()  # let held requests answer, and the builder end
            child = self.child
        if child is not None:
            interrupt(child)
        for thread in (self.watcher, self.builder):
            if thread.is_alive():
                thread.join()


def interrupt(child: Any) -> None:
    """Ctrl-C for a build process: it removes its staging folder and ends."""
    with contextlib.suppress(OSError, ValueError):  # it may have ended just now
        os.kill(child.pid, signal.SIGINT)


def problems_of(error: BaseException) -> tuple[str, ...]:
    """What the browser and the terminal show for a failed read or build."""
    if isinstance(error, DataError):
        return tuple(str(p) for p in error.problems)
    log.debug("build failed", exc_info=error)
    return (str(error) if isinstance(error, BuildError) else f"{type(error).__name__}: {error}",)


def _build(config: SiteConfig, loaded: Loaded, writer: Any) -> None:
    problems: tuple[str, ...] | None = ()
    signal.signal(signal.SIGINT, _interrupt_once)
    gc.enable()
    with contextlib.suppress(OSError):
        os.nice(10)  # the next save's read, and the pages the tabs ask for, come first
    try:
        pipeline.build(config, Progress(env={}), loaded=loaded)  # CI's stage lines are not for previews
    except KeyboardInterrupt:
        problems = None  # Ctrl-C: the preview is ending
    except Exception as e:
        problems = problems_of(e)
    writer.send(problems)
    writer.close()


def _interrupt_once(signum: int, frame: Any) -> None:
    """Ctrl-C reaches a build twice (from the terminal and from close()): the second must not cut its clean-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


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
            self.send_page(route, state)

    def send_page(self, route: str, state: BuildState) -> None:
        """The page made on request from the data as last read (or the built file before a read)."""
        wanted = unquote(route).lstrip("/") + ("index.html" if route.endswith("/") else "")
        try:
            status, page = self.page_for(route, wanted, state.live)
        except Exception as e:  # a template mistake: the tab says so, and reloads once it is fixed
            self.send_bytes(500, error_page(problems_of(e), state.version), "text/html; charset=utf-8")
            return
        self.send_bytes(status, with_reload(page, state.version), "text/html; charset=utf-8")

    def page_for(self, route: str, wanted: str, live: Live | None) -> tuple[int, bytes]:
        if live is not None:  # every page of the data as read: one whose record was removed is gone at once
            with self.server.preview.quiet:
                page = live.page(wanted)
                return (200, page) if page is not None else (404, live.page("404.html") or NOT_FOUND)
        file = Path(self.translate_path(route)) / ("index.html" if route.endswith("/") else "")
        if file.is_file():
            return 200, file.read_bytes()
        not_found = Path(self.directory) / "404.html"
        # Without a 404 page (or mid-swap) a bare page still carries the script, so the tab can recover.
        return 404, not_found.read_bytes() if not_found.is_file() else NOT_FOUND

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


def _stopper(preview_pid: int) -> Callable[[int, Any], None]:
    """SIGTERM ends the preview as Ctrl-C does; processes forked from it (builds, workers) die of it as usual."""

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() == preview_pid:
            raise KeyboardInterrupt
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return stop


def serve(args: argparse.Namespace) -> None:
    """Run the preview until Ctrl-C, which ends it cleanly."""
    config = make_config(data_dir=args.data, content_dir=args.content, out_dir=args.out, tiles=not args.no_tiles)
    server = None
    signal.signal(signal.SIGTERM, _stopper(os.getpid()))  # as Ctrl-C: a build in progress is interrupted cleanly
    try:
        server = open_preview(config, args.port)
        print(f"Serving {server.preview.config.out_dir} at {server.address} (Ctrl-C to stop).", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped the preview.", flush=True)
    finally:
        if server is not None:
            server.server_close()
