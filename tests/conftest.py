"""Shared fixtures: build trees in tmp folders, serve them, drive Chromium."""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "tiny"
# A frozen copy of data/ and content/ (its README says when and how it was made): the page, export and browser tests
# assert on it, so that an editor's change to the live data never breaks them.
SNAPSHOT = ROOT / "tests" / "fixtures" / "snapshot"
SNAPSHOT_TREE = ("--data", str(SNAPSHOT / "data"), "--content", str(SNAPSHOT / "content"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run build.py as an editor would, capturing what they would see."""
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture tree (data/ and content/)."""
    shutil.copytree(TINY, tmp_path / "tree")
    return tmp_path / "tree"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live data built once, with the default settings: what the site publishes (the HTML validator reads it)."""
    out = tmp_path_factory.mktemp("real") / "site"
    result = run_build("--out", str(out), "--site-url", "https://example.org/tracker/")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def snapshot_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The snapshot built once, with the default settings, for page and export tests."""
    out = tmp_path_factory.mktemp("snapshot") / "site"
    result = run_build(*SNAPSHOT_TREE, "--out", str(out), "--site-url", "https://example.org/tracker/")
    assert result.returncode == 0, result.stderr
    return out


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 in a background thread; yield its address."""
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The snapshot built for the root path and served on 127.0.0.1; yields the base address."""
    out = tmp_path_factory.mktemp("served") / "site"
    result = run_build(*SNAPSHOT_TREE, "--out", str(out), "--base-url", "/", "--site-url", "http://127.0.0.1/")
    assert result.returncode == 0, result.stderr
    with serve(out) as address:
        yield address


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# A 1x1 transparent PNG stands in for OpenStreetMap tiles: tests run offline and stay deterministic.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture
def reader(page: Page, served_site: str) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page that records console errors and any request to a host other than ours or the tiles."""
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Route) -> None:
        host = urlsplit(r.request.url).hostname
        if host == "tile.openstreetmap.org":
            r.fulfill(status=200, content_type="image/png", body=TILE)
        elif host == "127.0.0.1":
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield page, errors, foreign


def open_map(page: Page, address: str) -> None:
    """Open a page with the map and wait until its symbols are placed (tracker.js marks the frame ready) and the
    state outlines have arrived: a click on a symbol before then was lost once in about six full runs."""
    page.goto(address)
    page.locator(".map-frame[data-ready=true]").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
