"""Run one function in a forked copy of this process while this one goes on; collect its value later.

Used where the two halves of the work need nothing from each other until the end: the data's checks while
the records are made (tracker/data/jurisdictions.py), and the downloads while the pages are planned and rendered
(tracker/build/pipeline.py). The child sends back only small values: a verdict, a list of paths.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from tracker.errors import BuildError

T = TypeVar("T")


class Forked(Generic[T]):
    """func() in a forked process, started on entry; result() is its value or raises what it raised.

    Leaving the block stops the process if it is still running (an error or Ctrl-C in this one).
    `nice` lowers its priority, so pages being rendered on both cores keep them.
    """

    def __init__(self, what: str, func: Callable[[], T], nice: int = 0) -> None:
        self.what, self.func, self.nice = what, func, nice

    def __enter__(self) -> Forked[T]:
        context = multiprocessing.get_context("fork")
        self.reader, writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_run, args=(self.func, writer, self.nice))
        self.received = False
        try:
            self.process.start()
        except OSError as e:  # no memory or processes left to fork
            self.reader.close()
            raise BuildError(f"could not start the process {self.what}: {e.strerror or e}.") from e
        except BaseException:  # Ctrl-C as it started: __exit__ will not run, and the child ignores Ctrl-C
            if self.process.pid is not None:
                self.process.kill()
                self.process.join()
            self.reader.close()
            raise
        finally:
            writer.close()
        return self

    def result(self) -> T:
        try:
            done, value = self.reader.recv()
        except (EOFError, OSError):  # it ended without a word, or in the middle of one: killed (out of memory, say)
            self.process.join()
            raise BuildError(
                f"the process {self.what} ended without finishing (exit status {self.process.exitcode})."
            ) from None
        self.received = True
        if not done:
            raise value
        return value

    def __exit__(self, *_: object) -> None:
        if not self.received:  # this process failed or was stopped before it needed the value
            self.process.kill()
        self.process.join()
        self.reader.close()


def _run(func: Callable[[], T], writer: Connection, nice: int) -> None:
    # Ctrl-C is the parent's to handle: it stops this process when it leaves the block.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A short-lived copy: the collector would visit, and so copy, every page of the parent's objects.
    gc.disable()
    os.nice(nice)
    try:
        outcome: tuple[bool, object] = (True, func())
    except BaseException as e:  # SystemExit too: the parent decides what it means
        outcome = (False, e if _crosses(e) else BuildError(f"{type(e).__name__}: {e}"))
    writer.send(outcome)
    writer.close()


def _crosses(error: BaseException) -> bool:
    """Whether the parent can unpickle the error (an exception whose __init__ takes other arguments cannot)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return False
    return True
