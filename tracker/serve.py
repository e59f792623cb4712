"""Preview: build, serve on 127.0.0.1 and rebuild when an input changes."""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
import time
from pathlib import Path

from tracker import build
from tracker.config import SiteConfig, make_config
from tracker.errors import TrackerError

POLL_SECONDS = 0.5


def snapshot(folders: list[Path]) -> dict[Path, int]:
    """Modification times of every input file; a change in any means a rebuild."""
    return {p: p.stat().st_mtime_ns for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()}


def rebuild(config: SiteConfig) -> None:
    try:
        build.build(config)
        print(f"{time.strftime('%H:%M:%S')} rebuilt.", flush=True)
    except TrackerError as e:
        print(f"{time.strftime('%H:%M:%S')} not rebuilt; the last good site is still served:\n{e}", flush=True)


def watch(config: SiteConfig) -> None:
    folders = [config.data_dir, config.content_dir, config.templates_dir, config.static_dir]
    seen = snapshot(folders)
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(folders)
        if now != seen:
            seen = now
            rebuild(config)


def serve(args: argparse.Namespace) -> None:
    address = f"http://127.0.0.1:{args.port}/"
    config = make_config(
        data_dir=args.data,
        content_dir=args.content,
        out_dir=args.out,
        base_url="/",
        site_url=address,
        tiles=not args.no_tiles,
    )
    rebuild(config)
    threading.Thread(target=watch, args=(config,), daemon=True).start()
    # The handler resolves the folder on each request, so it follows the swapped-in site/.
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(config.out_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"Serving {config.out_dir} at {address} (Ctrl-C to stop).", flush=True)
        server.serve_forever()
