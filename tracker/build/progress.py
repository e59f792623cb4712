"""Feedback on long builds: live progress in a terminal, one timed line per stage in CI."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO, TypeVar

T = TypeVar("T")
QUIET_SECONDS = 2.0  # short builds stay silent in a terminal


class Progress:
    def __init__(self, out: TextIO = sys.stderr, env: Mapping[str, str] = os.environ) -> None:
        self.out = out
        self.ci = env.get("CI") == "true" or env.get("GITHUB_ACTIONS") == "true"
        self.live = not self.ci and out.isatty()
        self.start = time.perf_counter()
        self.last_draw = 0.0

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def stage(self, name: str, func: Callable[..., T], *args: Any) -> T:
        """func(*args), timed as the stage `name` (a stage that fails prints nothing: its error follows)."""
        began = time.perf_counter()
        result = func(*args)
        took = time.perf_counter() - began
        if self.ci:
            print(f"build: {name} took {took:.2f} s", file=self.out, flush=True)
        elif self.live and self.elapsed() > QUIET_SECONDS:
            print(f"\r\033[K{name}: done in {took:.1f} s", file=self.out, flush=True)
        return result

    def count(self, name: str, items: Iterable[T], total: int) -> Iterator[T]:
        """Pass items through, redrawing "name: done/total" a few times a second in a terminal."""
        for done, item in enumerate(items, 1):
            now = time.perf_counter()
            if self.live and self.elapsed() > QUIET_SECONDS and now - self.last_draw > 0.2:
                print(f"\r\033[K{name}: {done:,}/{total:,}", end="", file=self.out, flush=True)
                self.last_draw = now
            yield item
