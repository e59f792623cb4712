"""Preview: build, serve on 127.0.0.1, rebuild when an input changes and reload the open browser tabs.

After a save the data is read again (only the edited records are parsed and made anew) and the open tabs
reload at once: their pages are made on request from the loaded data, with the very code the build uses,
while the build writes the whole site (downloads, search index) in the background. Only the preview's HTTP
responses carry the reload script; the files it builds are the same as a normal build's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import multiprocessing
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

import jinja2
import watchfiles

from tracker.build import pipeline
from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines
from tracker.data.jurisdictions import FileChanged, file_stamp
from tracker.data.recall import Recall
from tracker.model.site import Site
from tracker.render.pages import contexts, make_env
from tracker.render.urls import Urls
from tracker.serve.background import build_in_process, interrupt, not_rebuilt, problems_of
from tracker.serve.live import Live

log = logging.getLogger(__name__)
# The watcher reads the inputs again after file-system events (watchfiles: inotify on Linux), not by polling.
SETTLE_MS = 10  # a save is read once no event came for this long: one read of a half-written file costs more
DEBOUNCE_MS = 1600  # a burst of events (a checkout, say) is read at the latest after this long
STOP_MS = 100  # how often the watcher looks whether the preview is closing
READ_AGAIN = 3  # a save caught half done is read again at once this many times, then at its next event
BUILD_AFTER_SECONDS = 1.0  # saves in a quick run are built once, after the last: an editor's pause
HOLD_SECONDS = 25.0  # a tab's question "anything newer than my version?" waits this long for a rebuild


@dataclasses.dataclass(frozen=True)
class BuildState:
    """The outcome of the latest build; replaced whole, so request threads never see half of one."""

    version: str
    problems: tuple[str, ...] = ()
    live: Live | None = None  # the pages, made on request; None before the first read and while there are problems


Loaded = tuple[Site, Outlines]


class Preview:
    """Two threads: the watcher reads each save and publishes its pages (made on request); the builder writes the
    site from the latest read, one build at a time, in a forked process so that it never slows the tabs' pages."""

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
        self.read_stamp: tuple[int, int] | None = None  # size and time of the data file the last read read
        self.reading, self.last_read = False, 0.0  # whether a save is being read; when the last read began or ended
        self.watcher = threading.Thread(target=self.watch, name="preview-watcher", daemon=True)
        self.builder = threading.Thread(target=self.build_each, name="preview-builder", daemon=True)
        self.child: Any = None  # the build process, while one runs (under self.changed)
        # Held by whatever a fork must not copy half done: a read (collector off, stderr redirected), a page
        # being made (its locks), a message being printed. The build process is forked only under it.
        self.quiet = threading.RLock()
        self.recall = Recall()  # the data as read last time: a save re-reads only the edited records
        self.unread: set[Path] = set()  # the changes of a read given up because a file changed while read
        self.env: jinja2.Environment | None = None  # made again after templates/ changes

    def say(self, message: str) -> None:
        with self.quiet:
            print(f"{time.strftime('%H:%M:%S')} {message}", file=self.out or sys.stdout, flush=True)

    def read(self) -> Loaded | None:
        """Read and check every input and publish its pages; on a problem, publish the problems instead."""
        seen = file_stamp(self.config.data_file)  # what was read, if the read ends (look() skips its late events)
        # Reading makes a million objects and frees most: collecting cycles among them meanwhile only costs time.
        gc.disable()
        try:
            loaded: Loaded | None = pipeline.read_inputs(self.config, self.recall)
            self.publish((), self.live(*loaded))
        except FileChanged:
            raise  # the caller decides: the watcher reads it again at the next event
        except Exception as e:  # a code error while editing must not end the preview either
            self.failed(problems_of(e))
            loaded = None
        finally:
            gc.enable()
        self.read_stamp = seen
        return loaded

    def read_whole(self) -> Loaded | None:
        """Read; a save caught half done is read again at once, a few times: the events of its rest reached the
        watcher 20 to 370 ms later (at 10,000 records)."""
        for _ in range(READ_AGAIN):
            with contextlib.suppress(FileChanged):
                return self.read()
        return self.read()

    def first_read(self) -> Loaded | None:
        """The read at start: a file changed meanwhile is read again at once (the watcher already runs)."""
        while True:
            with contextlib.suppress(FileChanged):
                return self.read()

    def failed(self, problems: tuple[str, ...]) -> None:
        self.publish(problems, None)
        self.say(not_rebuilt(problems))

    def publish(self, problems: tuple[str, ...], live: Live | None) -> None:
        """A new version: the tabs waiting for one reload."""
        with self.changed:
            self.builds += 1
            self.state = BuildState(f"{self.run_id}-{self.builds}", problems, live)
            self.changed.notify_all()

    def live(self, site: Site, outlines: Outlines) -> Live:
        config = self.config
        # One Jinja environment while the templates stay as they are: each compiles once, not after every save.
        self.env = self.env or make_env(config)
        urls = Urls(config.base_url, config.site_url)
        records = {urls.file_for(urls.jurisdiction(j)): j for j in site.jurisdictions}
        return Live(self.env, contexts(site, config, urls, outlines), records)

    def write(self, version: int, loaded: Loaded, again: bool = False) -> None:
        """Build the site from a read in a forked process; report unless a newer read has replaced it.
        `again`: the tabs reload once more when the build is done (files they link to have changed)."""
        problems = self.build_in_child(loaded)
        with self.changed:  # checked and published at once: a newer read can't slip in between
            if problems is None or version != self.builds or self.stop.is_set():
                return  # interrupted, or the next build is already due
            if problems:
                self.publish(problems, None)
            elif again:
                self.publish((), self.state.live)
        self.say(not_rebuilt(problems) if problems else "Rebuilt.")

    def build_in_child(self, loaded: Loaded) -> tuple[str, ...] | None:
        """Build in a forked copy of this process (it has the read data): its problems, (), or None if stopped."""
        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        with reader, writer:
            with self.quiet:  # no read, page or message half done in another thread is copied into the child
                child = context.Process(target=build_in_process, args=(self.config, loaded, writer))
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

    def start(self) -> None:
        """Watch, then read and build once: a save during that first build is seen by the watcher."""
        self.watcher.start()
        with self.quiet:
            loaded = self.first_read()  # a broken first read still serves: the browser shows why
        if loaded is not None:
            self.write(self.builds, loaded)
        self.builder.start()

    def watch(self) -> None:
        """Read the inputs again after each save, until the preview closes."""
        c = self.config
        folders = c.data_dir, c.content_dir, c.templates_dir, c.static_dir
        events = watchfiles.watch(
            *folders, stop_event=self.stop, step=SETTLE_MS, debounce=DEBOUNCE_MS, rust_timeout=STOP_MS
        )
        for changes in events:
            try:
                self.look({Path(path) for _, path in changes})
            except Exception as e:  # a code error while reading must not end the watching
                log.debug("reading after a change failed", exc_info=True)
                self.say(f"Could not read the inputs after a change ({type(e).__name__}: {e}); save again.")

    def look(self, changed: set[Path]) -> None:
        """Read the inputs again, and hand the read to the builder."""
        changed, self.unread = changed | self.unread, set()  # with those of a read given up (FileChanged)
        data = self.config.data_file.resolve()
        if {path.resolve() for path in changed} == {data} and file_stamp(data) == self.read_stamp:
            return  # the late events of a save already read (read_whole)
        # Files the pages link to (static/) are served as built: the tabs reload again once they are.
        again = any(self.config.static_dir in path.parents for path in changed)
        self.mark_reading(True)
        try:
            with self.quiet:  # after any read in progress, so that it can't keep the old environment
                if any(self.config.templates_dir in path.parents for path in changed):
                    self.env = None
                loaded = self.read_whole()
        except FileChanged:  # still being saved: the next event reads it again, with these changes
            self.unread = changed
            return
        finally:
            self.mark_reading(False)
        with self.changed:
            self.pending = None if loaded is None else (self.builds, loaded, again)
            self.changed.notify_all()

    def build_each(self) -> None:
        """Build the latest read, one build at a time, once saves pause; reads made meanwhile are replaced by the
        newest. The tabs show each save from the read: the build only writes site/ (downloads, search index)."""
        while (pending := self.next_read()) is not None:
            try:
                self.write(*pending)
            except Exception as e:  # the build could not even start (no memory, no file handles): say why
                self.failed(problems_of(e))

    def mark_reading(self, reading: bool) -> None:
        with self.changed:
            self.reading, self.last_read = reading, time.monotonic()
            self.changed.notify_all()

    def next_read(self) -> tuple[int, Loaded, bool] | None:
        """The latest read once no save was read for BUILD_AFTER_SECONDS; None when the preview closes. A build
        beside the next save's read slows it (at 10,000 records its search indexing doubled some reads)."""
        with self.changed:
            while not self.stop.is_set():
                wait = BUILD_AFTER_SECONDS - (time.monotonic() - self.last_read)
                if self.pending is not None and not self.reading and wait <= 0:
                    pending, self.pending = self.pending, None
                    return pending
                self.changed.wait(None if self.pending is None or self.reading else wait)
        return None

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
