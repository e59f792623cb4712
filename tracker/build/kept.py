"""What one build leaves for the next, behind one interface: everything a build reuses comes from Kept."""

from __future__ import annotations

import functools

from tracker.build import memo
from tracker.build.cache import Cache, code_digest, kept
from tracker.build.output import Staging, Update
from tracker.config import SiteConfig
from tracker.data.recall import Recall


class Kept:
    """What the last build left for this one in .build-cache/ beside the site, each part checked before it is used:
    the records as read (Recall), each record's pieces of the downloads (Memo), the pages' keys and the files they
    were written to (Cache), the map as drawn and the templates as compiled (by a hash of their source). Saved only once the new site is in place;
    with `enabled` False (a cold build) nothing is read or kept.
    """

    def __init__(self, config: SiteConfig, enabled: bool, records: bool = True) -> None:
        """`records`: read the records kept (not when the caller has just read the data itself)."""
        self.out_dir, self.enabled = config.out_dir, enabled
        self.code = code_digest(config.templates_dir, config.static_dir)
        out = config.out_dir.resolve()
        self.records_file = kept(out, "recall")
        self.records = Recall.read(self.records_file, self.code) if enabled and records else None
        self.pieces = kept(out, "pieces") if enabled else None  # read where the downloads are made (memo.Memo)
        self.pieces_made: dict[str, bytes] = {}  # what of them to write, as memo.Memo.changes() gave it
        self.map = (kept(out, "map"), self.code) if enabled else None
        self.templates = kept(out, "templates") if enabled else None
        try:
            if self.templates is not None:
                self.templates.mkdir(parents=True, exist_ok=True)
        except OSError:
            self.templates = None  # compiled anew

    @functools.cached_property
    def pages(self) -> Cache:
        """Opened once the data is read (a preview's build is given the data and never opens the records)."""
        return Cache.open(self.out_dir, self.code, self.enabled)

    def target(self) -> Staging:
        """The site updated in place when it holds exactly the files last built, else a whole new one swapped in."""
        return Update(self.out_dir) if self.pages.matches(self.out_dir.resolve()) else Staging(self.out_dir)

    def save(self) -> None:
        self.pages.settle()
        self.pages.save()
        memo.save(self.pieces, self.pieces_made)
        if self.records is not None:
            self.records.write(self.records_file, self.code)
