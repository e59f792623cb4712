"""The preview's build in a second process (forked: it starts with the read data), and what a failed one says."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
from typing import Any

from tracker.build import pipeline
from tracker.build.progress import Progress
from tracker.config import SiteConfig
from tracker.data.boundaries import Outlines
from tracker.errors import BuildError, DataError
from tracker.model.site import Site

log = logging.getLogger(__name__)


def interrupt(child: Any) -> None:
    """Ctrl-C for a build process: it removes its staging folder and ends."""
    with contextlib.suppress(OSError, ValueError):  # it may have ended just now
        os.kill(child.pid, signal.SIGINT)


def problems_of(error: BaseException) -> tuple[str, ...]:
    """What the browser and the terminal show for a failed read or build."""
    if isinstance(error, DataError):
        return tuple(str(p) for p in error.problems)
    log.debug("build failed", exc_info=error)
    return (str(error) if isinstance(error, BuildError) else f"{type(error).__name__}: {error}",)


def not_rebuilt(problems: tuple[str, ...]) -> str:
    return "Not rebuilt; the browser shows these problems until they are fixed:" + "".join(f"\n  {p}" for p in problems)


def build_in_process(config: SiteConfig, loaded: tuple[Site, Outlines], writer: Any) -> None:
    """The preview's build, in a forked process: sends its problems, (), or None when interrupted."""
    problems: tuple[str, ...] | None = ()
    signal.signal(signal.SIGINT, _interrupt_once)
    gc.enable()
    with contextlib.suppress(OSError):
        os.nice(10)  # the next save's read, and the pages the tabs ask for, come first
    try:
        pipeline.build(config, Progress(env={}), loaded=loaded)  # CI's stage lines are not for previews
    except KeyboardInterrupt:
        problems = None  # Ctrl-C: the preview is ending
    except Exception as e:
        problems = problems_of(e)
    writer.send(problems)
    writer.close()


def _interrupt_once(signum: int, frame: Any) -> None:
    """Ctrl-C reaches a build twice (from the terminal and from close()): the second must not cut its clean-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt
