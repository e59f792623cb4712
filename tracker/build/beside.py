"""Work in a second process while the build goes on: the downloads beside the pages (beside), and the site's files
walked while the data is read (started).

`beside` forks once the data is read, so its process starts with the build's values in its memory: nothing is
pickled but its result. Errors come back as the build's own (a DataError or BuildError raised there is raised here).
`started` forks at once, while the process is small, and pickles the function and its arguments.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_WORK: tuple[Callable[..., Any], tuple[Any, ...]] | None = None  # in the second process only: what it was forked with


@contextlib.contextmanager
def beside(func: Callable[..., T], *args: Any) -> Iterator[Future[T]]:
    """func(*args) in a forked process; the future of its result. Leaving waits for it (a failed build too, so that
    nothing writes into a staging folder being removed)."""
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=fork, initializer=_remember, initargs=((func, args),)) as pool:
        yield pool.submit(_run)


def started(func: Callable[..., T], *args: Any) -> Future[T]:
    """func(*args) in a forked process started now, while this one goes on (func and args are pickled to it)."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    try:
        return pool.submit(func, *args)
    finally:
        pool.shutdown(wait=False)  # the process ends once it has done this


def _remember(work: tuple[Callable[..., Any], tuple[Any, ...]]) -> None:
    global _WORK
    _WORK = work


def _run() -> Any:
    assert _WORK is not None
    func, args = _WORK
    return func(*args)
