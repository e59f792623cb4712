"""The benchmark's own measuring: builds timed in rounds, and the memory of a whole process tree."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# bench/run.py is a script beside its own modules (anchors, generate), which it imports by their bare names.
sys.path.insert(0, str(ROOT / "bench"))
_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
assert _spec is not None and _spec.loader is not None
bench = sys.modules["bench_run"] = importlib.util.module_from_spec(_spec)  # its dataclasses look it up there
_spec.loader.exec_module(bench)

# A child that forks a grandchild, then each writes 60 MB of its own and holds it until the file named by its
# argument exists: the tree holds about 120 MB at once while its largest process holds about 60.
TWO_PROCESSES = """
import os, sys, time
pid = os.fork()
held = bytearray(60 << 20)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_builds_are_timed_in_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    order = tmp_path / "order"

    def build(name: str) -> tuple[str, list[str], Path]:
        append = f"open({str(order)!r}, 'a').write({name!r} + ' ')"
        return name, [sys.executable, "-c", append], tmp_path / f"out-{name}"

    timings = bench.timed_in_turn([build("a"), build("b"), build("c")], repeat=2, limit_s=60)
    assert order.read_text().split() == ["a", "b", "c", "a", "b", "c"]
    assert [len(t.runs) for t in timings] == [2, 2, 2] and all(t.ok for t in timings)


def test_a_failed_build_is_not_run_again_while_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    failing = ("fails", [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "out-fails")
    working = ("works", [sys.executable, "-c", "pass"], tmp_path / "out-works")
    fails, works = bench.timed_in_turn([failing, working], repeat=3, limit_s=60)
    assert len(fails.runs) == 1 and fails.status.startswith("failed (exit 3")
    assert len(works.runs) == 3 and works.ok


def test_the_memory_of_all_processes_counts_a_forked_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = tmp_path / "release"

    class Watched(bench.TreeMemory):
        """Lets the processes end once a sample has seen both hold their memory (or the run's limit stops them)."""

        @property
        def peak_kib(self) -> int:
            return self._peak

        @peak_kib.setter
        def peak_kib(self, value: int) -> None:
            self._peak = value
            if value > 110 << 10:
                release.touch()

    monkeypatch.setattr(bench, "TreeMemory", Watched)
    command = [sys.executable, "-c", TWO_PROCESSES, str(release)]
    sampled = bench.run_once(command, tmp_path / "out", tmp_path / "log", limit_s=60, tree=True)
    assert sampled.status == "ok"
    # Both processes' 60 MB. (Not compared with rss_mib: a child forked from a large process, such as pytest,
    # counts the pages it shared with it before exec in its maximum resident set.)
    assert 110 < sampled.total_mib < 200
    unsampled = bench.run_once(command, tmp_path / "out", tmp_path / "log", limit_s=60)
    assert unsampled.total_mib == 0, "timed runs are not slowed by sampling"
