"""How long until the home page map is interactive: python bench/map_timing.py SITE_DIR_OR_URL [--timeout 60] [--json].

A site folder is served on 127.0.0.1 (under the base path its links use, read from the home page); the home page
opens in headless Chromium (/usr/bin/chromium, the test suite's arguments) with OpenStreetMap tiles answered by a
1x1 PNG and every other host refused. Times are the page's own clock, milliseconds from navigation start:
`markers` when the number of `.leaflet-marker-icon` elements first equals the number of features in
data/jurisdictions.geojson (checked by the page on every animation frame, waited for with
page.wait_for_function): the moment the map is interactive, and the number that matters. A page that draws many
points on a canvas has no element per marker; for it the same moment is when its `.map-frame` gets
data-ready="true" (tracker.js sets it once the points are on the map), and the result says which signal it saw. Two more facts are
printed when the page has them: `ready` when `window.trackerMapReady` (tracker.js: filters, spreading of
overlapping markers) returned, and `load` the end of the load event. The markers may come after both when the
page fetches them (data/jurisdictions.geojson) once it has loaded.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [  # as tests/conftest.py
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
# Wrap trackerMapReady whenever the page defines it, to note when it has returned.
HOOK = """(() => {
  let inner;
  Object.defineProperty(window, "trackerMapReady", {
    configurable: true,
    get() {
      return inner && function () {
        const result = inner.apply(this, arguments);
        window.__benchReady = performance.now();
        return result;
      };
    },
    set(value) { inner = value; },
  });
})();"""
# From the first frame on, check on every animation frame until the map is interactive (an in-page poll starts at
# navigation; one injected later by wait_for_function would miss the moment): every marker is an element, or, when
# the page draws many points on a canvas instead, its map frame says data-ready="true".
POLL = """((n) => {
  const poll = () => {
    const icons = document.querySelectorAll(".leaflet-marker-icon").length;
    if (icons >= n || document.querySelector('.map-frame[data-ready="true"]')) {
      window.__benchMarkers = performance.now();
      window.__benchSignal = icons >= n ? "markers" : "data-ready";
    } else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})(%d);"""
STYLESHEET = re.compile(rb'href="([^"]*)static/style\.css"')


@dataclass
class MapTiming:
    features: int
    markers_ms: float | None = None  # all markers in the page: the map is interactive
    signal: str | None = None  # markers: every .leaflet-marker-icon; data-ready: the page said so (canvas points)
    ready_ms: float | None = None  # trackerMapReady returned
    load_ms: float | None = None  # the load event ended
    status: str = "ok"  # ok, timeout or error: ...


def base_path(site: Path) -> str:
    """The path prefix of the site's links ("/tracker/" for a default build, "/" for --base-url /)."""
    found = STYLESHEET.search((site / "index.html").read_bytes())
    prefix = found.group(1).decode() if found else "/"
    return urlsplit(prefix).path or "/"


def handler(site: Path, prefix: str) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            inside = path[len(prefix) - 1 :] if path.startswith(prefix) else "/__outside_the_site__"
            return super().translate_path(inside)

        def log_message(self, *args: object) -> None:
            pass

    return functools.partial(Handler, directory=str(site))  # type: ignore[return-value]


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 under its own base path; yield the home page's address."""
    prefix = base_path(site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler(site, prefix))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def feature_count(home: str) -> int:
    with urllib.request.urlopen(urljoin(home, "data/jurisdictions.geojson"), timeout=30) as response:
        return len(json.load(response)["features"])


def open_map(home: str, timing: MapTiming, timeout_s: float) -> None:
    allowed = urlsplit(home).hostname

    def route(r: Route) -> None:
        host = urlsplit(r.request.url).hostname
        if host == "tile.openstreetmap.org":
            r.fulfill(status=200, content_type="image/png", body=TILE)
        elif host == allowed:
            r.continue_()
        else:
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(HOOK + POLL % timing.features)
            page.route("**/*", route)
            wait(page, home, timing, timeout_s)
        finally:
            browser.close()


def wait(page: Page, home: str, timing: MapTiming, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s

    def left() -> float:
        return max(1.0, (deadline - time.monotonic()) * 1000)

    try:
        page.goto(home, wait_until="commit", timeout=left())
        page.wait_for_function("() => window.__benchMarkers !== undefined", polling=50, timeout=left())
    except PlaywrightTimeout:
        timing.status = "timeout"
        return
    timing.markers_ms = page.evaluate("window.__benchMarkers")
    timing.signal = page.evaluate("window.__benchSignal")
    with contextlib.suppress(PlaywrightTimeout):  # extra facts: a page may have neither hook nor a finished load
        page.wait_for_load_state("load", timeout=min(left(), 10_000))
        timing.load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    timing.ready_ms = page.evaluate("window.__benchReady ?? null")


def measure(target: str, timeout_s: float = 60.0) -> MapTiming:
    """Open the home page of a site folder or address and time its map; never raises for a slow page."""
    site = Path(target)
    with contextlib.ExitStack() as stack:
        home = stack.enter_context(serve(site)) if site.is_dir() else target
        timing = MapTiming(features=feature_count(home))
        try:
            open_map(home, timing, timeout_s)
        except Exception as error:  # a crash of the browser is a result to report, not a reason to stop the run
            timing.status = f"error: {str(error).splitlines()[0]}"
        return timing


def seconds(ms: float | None) -> str:
    return "-" if ms is None else f"{ms / 1000:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the home page map until every marker is on it.")
    parser.add_argument("target", help="a built site folder, or the address of a home page")
    parser.add_argument("--timeout", type=float, default=60.0, help="give up after this many seconds (default 60)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args(argv)
    timing = measure(args.target, args.timeout)
    if args.json:
        print(json.dumps(asdict(timing)))
    else:
        print(
            f"{timing.features} features: map interactive ({timing.signal or '-'}) after {seconds(timing.markers_ms)}, "
            f"trackerMapReady returned after {seconds(timing.ready_ms)}, load event after {seconds(timing.load_ms)} "
            f"({timing.status})"
        )
    return 0 if timing.status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
