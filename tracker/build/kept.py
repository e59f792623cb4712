"""What one build leaves for the next, behind one interface: everything a build reuses comes from Kept."""

from __future__ import annotations

import contextlib
import functools
import shutil
from pathlib import Path

import jinja2

from tracker.build.beside import started
from tracker.build.cache import Cache, code_digest, kept, stats_under
from tracker.build.output import Staging, Update
from tracker.config import SiteConfig
from tracker.data.recall import Recall


class Kept:
    """What the last build left for this one in .build-cache/ beside the site, each part checked before it is used:
    the records as read (Recall), each record's pieces of the downloads (Memo, read and kept by the process that
    makes the downloads), the pages' keys and the files they were written to (Cache), the map as drawn and the
    templates as compiled. The pages' records are saved only once the new site is in place, as they describe it;
    the rest is kept by a hash of what it was made from, so it is right whatever the site holds. With `enabled`
    False (a cold build) nothing is read or kept.
    """

    def __init__(self, config: SiteConfig, enabled: bool, records: bool = True) -> None:
        """`records`: read the records kept (not when the caller has just read the data itself)."""
        self.out_dir, self.enabled = config.out_dir, enabled
        self.code = code_digest(config.templates_dir, config.static_dir)
        out = config.out_dir.resolve()
        self.records_file = kept(out, "recall")
        self.records = Recall.read(self.records_file, self.code) if enabled and records else None
        self.pieces = kept(out, "pieces") if enabled else None  # read and kept where the downloads are made (Memo)
        self.map = (kept(out, "map"), self.code) if enabled else None
        self.templates = Compiled(kept(out, "templates")) if enabled else None
        # The site's files and their stats, looked at on the other core while the data is read (0.17 s at 10,000).
        self.on_disk = started(stats_under, str(out)) if enabled else None

    @functools.cached_property
    def pages(self) -> Cache:
        """Opened once the data is read (a preview's build is given the data and never opens the records)."""
        return Cache.open(self.out_dir, self.code, self.enabled)

    def target(self) -> Staging:
        """The site updated in place when it holds exactly the files last built, else a whole new one swapped in."""
        try:
            on_disk = self.on_disk.result() if self.on_disk else None
        except OSError:  # no site yet, or one that cannot be read: a whole new one
            on_disk = None
        return Update(self.out_dir) if self.pages.matches(on_disk) else Staging(self.out_dir)

    def save(self) -> None:
        self.pages.settle()
        self.pages.save()
        if self.records is not None:
            self.records.write(self.records_file, self.code)
        # Where builds before 5 December 2026 kept the search index's input (now "parts"): tens of MB left behind.
        shutil.rmtree(kept(self.out_dir.resolve(), "search"), ignore_errors=True)


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
