"""Rebuild only what changed: each page's key is a hash of everything its HTML is made from.

A page is left as it is in the previous site only when its key is the one recorded when that file was
written, and the file on disk, as found when the build started, is still the very file written then (same size,
time and inode). The key covers the generator's own code, the templates and static files, the libraries that shape
the HTML, the settings and addresses, the outlines the locator maps are drawn from, what the layout shows of the
whole site, and the page's own values. So a cached build writes
the same bytes as a cold one; tests/test_cache.py checks this edit by edit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tracker.keep import digest, replace_file

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent.parent  # tracker/: all the code a page may depend on
# Libraries whose version can change the bytes of a page, or what the data reads as and whether it is valid.
LIBRARIES = (
    "Jinja2",
    "MarkupSafe",
    "Markdown",
    "nh3",
    "folium",
    "branca",
    "XStatic-Leaflet",
    "PyYAML",
    "rapidyaml",
    "jsonschema",
    "jsonschema-rs",
    "pagefind",
)
Record = list[Any]  # [key, size, mtime_ns, inode, search part digest or None]


def tree_files(folder: Path) -> list[Path]:
    """The files under `folder`, but Python's caches, in sorted order."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def tree_digest(*folders: Path) -> str:
    """A hash of every file's name and bytes under the folders."""
    sha = hashlib.sha256()
    for folder in folders:
        for path in tree_files(folder):
            sha.update(f"{path.relative_to(folder).as_posix()}\0{path.stat().st_size}\0".encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def code_digest(templates: Path, static: Path) -> str:
    """The generator itself: its code, templates, static files, Python and the libraries that shape pages."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    return digest(FORMAT, sys.version, versions, tree_digest(PACKAGE, templates, static))


def kept_path(out_dir: Path, name: str) -> Path:
    """Where a build keeps something for the next: beside the site, not in it (nothing there is for publishing).

    The names: "json" the pages' records (this manifest), "recall" the data's records as read (tracker/data/recall.py),
    "pieces" each record's pieces of the downloads (keep.Memo), "map" the home page's map as last drawn
    (maps.drawn_map: drawing it needs folium, whose import alone is 0.5 s), "templates" Jinja's bytecode cache,
    "parts" the search indexer's input (incremental.search_parts).
    """
    return out_dir.parent / ".build-cache" / f"{out_dir.name}.{name}"


def stat_of(path: Path | str) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def files_under(root: str, prefix: str = "") -> Iterator[str]:
    """The paths of all files under `root`, relative to it with "/" ("a/b.html"), in no particular order."""
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from files_under(entry.path, f"{prefix}{entry.name}/")
            else:
                yield prefix + entry.name


def stats_under(root: str) -> dict[str, list[int]]:
    """Each file under `root`, named as files_under names it, with its size, time and inode (a Record's [1:4])."""
    found: dict[str, list[int]] = {}
    for path in files_under(root):
        try:
            found[path] = list(stat_of(f"{root}/{path}"))
        except OSError:  # gone since listed, or a link to nothing: that page is made again
            found[path] = []
    return found


@dataclass
class Cache:
    """The previous build's records, and this build's as they are made."""

    out_dir: Path
    code: str
    old: dict[str, Record] = field(default_factory=dict)
    old_search: str | None = None
    new: dict[str, Record] = field(default_factory=dict)
    search: str | None = None
    placed: list[str] = field(default_factory=list)
    on_disk: dict[str, list[int]] = field(default_factory=dict)  # the site's files as found (stats_under)

    @classmethod
    def open(cls, out_dir: Path, code: str, enabled: bool = True) -> Cache:
        cache = cls(out_dir, code)
        if not enabled:  # a cold build (--no-cache)
            return cache
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):  # none usable: cold
            saved = json.loads(kept_path(out_dir, "json").read_text(encoding="utf-8"))
            if saved.get("format") == FORMAT and saved.get("code") == code:
                cache.old, cache.old_search = saved["files"], saved.get("search")
        return cache

    def matches(self, on_disk: dict[str, list[int]] | None) -> bool:
        """Whether the site holds exactly the files the previous build recorded (`on_disk`: stats_under the site,
        None when it cannot be read): then it can be updated in place, and `unchanged` compares with `on_disk`."""
        self.on_disk = on_disk or {}
        return bool(self.old) and self.on_disk.keys() == self.old.keys()

    def unchanged(self, path: str, key: str) -> bool:
        """Whether the site's file for `path` was made from `key` and is still, as found when this build started, the
        very file written then (changed or replaced since, it is made again)."""
        record = self.old.get(path)
        if not record or record[0] != key or self.on_disk.get(path) != record[1:4]:
            return False
        self.new[path] = record
        return True

    def wrote(self, path: str, key: str, part: str | None) -> None:
        """Record a file made in this build; its size, time and inode are read once it is in place."""
        self.new[path] = [key, 0, 0, 0, part]
        self.placed.append(path)

    def settle(self) -> None:
        """Read the size, time and inode of the files this build put in place."""
        for path in self.placed:
            self.new[path][1:4] = stat_of(self.out_dir / path)

    def save(self) -> None:
        """Record this build, once its site is in place (a failed build keeps the old records and site)."""
        target = kept_path(self.out_dir, "json")
        with contextlib.suppress(OSError):  # the site is built; without records the next build is simply a cold one
            target.parent.mkdir(parents=True, exist_ok=True)
            data = {"format": FORMAT, "code": self.code, "search": self.search, "files": self.new}
            replace_file(target, json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))
