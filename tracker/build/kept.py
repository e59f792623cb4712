"""What one build leaves for the next, behind one interface: everything a build reuses comes from Kept."""

from __future__ import annotations

import contextlib
import functools
import shutil
from concurrent.futures import Future
from pathlib import Path

import jinja2

from tracker.build.beside import started
from tracker.build.cache import Cache, code_digest, kept_path, stats_under
from tracker.build.incremental import search_parts
from tracker.build.output import Staging, Update
from tracker.config import SiteConfig
from tracker.data.recall import Recall


class Kept:
    """What the last build left for this one in .build-cache/ beside the site, each part checked before it is used:
    the records as read (Recall), each record's pieces of the downloads (Memo, read and kept by the process that
    makes the downloads), the pages' keys and the files they were written to (Cache), the map as drawn and the
    templates as compiled. The pages' records are saved only once the new site is in place, as they describe it;
    the rest is kept by a hash of what it was made from, so it is right whatever the site holds. The site's files as
    found when the build starts (stats_under) say whether it is still exactly the last build's. With `enabled`
    False (a cold build) nothing is read or kept.
    """

    def __init__(self, config: SiteConfig, enabled: bool, read_recall: bool = True) -> None:
        """`read_recall`: read the records kept (not when the caller has just read the data itself)."""
        self.out_dir, self.enabled = config.out_dir, enabled
        self.code = code_digest(config.templates_dir, config.static_dir)
        out = config.out_dir.resolve()
        self.recall_file = kept_path(out, "recall")
        self.recall = Recall.read(self.recall_file, self.code) if enabled and read_recall else None
        self.pieces = kept_path(out, "pieces") if enabled else None  # read and kept where the downloads are made (Memo)
        self.map = (kept_path(out, "map"), self.code) if enabled else None
        self.templates = Compiled(kept_path(out, "templates")) if enabled else None
        # The site's files and their stats, walked on the other core while the data is read (0.17 s at 10,000
        # records), when there is a last build to compare with and the data is yet to be read.
        self.walk: Future[dict[str, list[int]]] | None = None
        if enabled and read_recall and kept_path(out, "json").is_file():
            with contextlib.suppress(OSError):  # no process to spare: walked when needed
                self.walk = started(stats_under, str(out))

    @functools.cached_property
    def pages(self) -> Cache:
        """Opened once the data is read (a preview's build is given the data and never opens the records)."""
        return Cache.open(self.out_dir.resolve(), self.code, self.enabled)  # where the other kept files are

    def target(self) -> Staging:
        """The site updated in place when it holds exactly the files last built, else a whole new one swapped in."""
        if not self.pages.old:
            return Staging(self.out_dir)
        try:
            on_disk = self.walk.result() if self.walk else stats_under(str(self.out_dir.resolve()))
        except Exception:  # unreadable, or the walk's process died: a whole new site is always right
            on_disk = None
        return Update(self.out_dir) if self.pages.matches(on_disk) else Staging(self.out_dir)

    def parts(self) -> contextlib.AbstractContextManager[Path]:
        """The folder for the search indexer's input, with the last build's parts in it (incremental.search_parts)."""
        return search_parts(self.out_dir, self.enabled)

    def save_recall(self) -> None:
        """Right whatever the site holds (kept by the records' text): saved while the downloads are being made."""
        if self.recall is not None:
            self.recall.write(self.recall_file, self.code)

    def save(self) -> None:
        self.pages.settle()
        self.pages.save()
        # Where builds before 5 December 2026 kept the search index's input (now "parts"): tens of MB left behind.
        shutil.rmtree(kept_path(self.out_dir.resolve(), "search"), ignore_errors=True)


class Compiled(jinja2.FileSystemBytecodeCache):
    """The templates as compiled by earlier builds, by a hash of their source (Jinja checks it); one that cannot be
    kept (a full disk, a read-only folder) is compiled again next time."""

    def __init__(self, folder: Path) -> None:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
