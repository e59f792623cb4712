"""The benchmark's own measuring and judging: builds timed in rounds, the memory of a whole process tree, the
Hugo + Pagefind anchor as one run, and the targets of issue 14 (from made-up timings: no real Hugo runs here)."""

from __future__ import annotations

import importlib.util
import shlex
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
anchors = sys.modules["anchors"]

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


# ---- Hugo + Pagefind: one run of two processes, one after the other ------------------------------------------------

# Stand-ins for Hugo (writes a page into --destination, holding 250 MB while it works, or exits 3 when told to)
# and Pagefind (writes its bundle into --site/pagefind if the page is there).
FAKE_HUGO = """
import sys
out = sys.argv[sys.argv.index("--destination") + 1]
held = bytearray(250 << 20)
if "fail" in out:
    raise SystemExit(3)
import os
os.makedirs(out)
open(os.path.join(out, "index.html"), "w").write("<p>a page</p>")
"""
FAKE_PAGEFIND = """
import os, sys
site = sys.argv[sys.argv.index("--site") + 1]
assert os.path.exists(os.path.join(site, "index.html")), "Pagefind ran before Hugo's page was written"
os.makedirs(os.path.join(site, "pagefind"))
"""


def fake_tools() -> anchors.Tools:
    python = sys.executable
    return anchors.Tools(hugo=[python, "-c", FAKE_HUGO], pelican=[], pagefind=[python, "-c", FAKE_PAGEFIND])


def test_hugo_then_pagefind_on_its_output_is_one_timed_run(tmp_path: Path) -> None:
    out = tmp_path / "site"
    command = anchors.hugo_pagefind_command(fake_tools(), tmp_path / "tree", out)
    hugo, pagefind = (shlex.split(step) for step in command[-1].split(" && "))
    assert hugo[hugo.index("--source") + 1] == str(tmp_path / "tree")
    assert pagefind[pagefind.index("--site") + 1] == hugo[hugo.index("--destination") + 1] == str(out)
    run = bench.run_once(command, out, tmp_path / "log", limit_s=60)
    assert run.status == "ok", (tmp_path / "log").read_text()
    assert (out / "index.html").exists() and (out / "pagefind").is_dir()
    # The larger of the two processes (Hugo's 250 MB); not a sum, and not sampled: they never run at once.
    assert run.rss_mib >= 250 and run.total_mib == 0


def test_hugo_failing_stops_the_run_before_pagefind(tmp_path: Path) -> None:
    out = tmp_path / "fail"
    run = bench.run_once(anchors.hugo_pagefind_command(fake_tools(), tmp_path, out), out, tmp_path / "log", 60)
    assert run.status.startswith("failed (exit 3")
    assert not (out / "pagefind").exists()


def test_the_anchor_is_built_from_hugos_tree_in_the_same_rounds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "CACHE", tmp_path)
    opts = bench.Options(1, 1, 60.0, 60.0, True, fake_tools())
    name, command, out = bench.anchor_build("hugo-pagefind", 3, opts)
    _, hugo_command, hugo_out = bench.anchor_build("hugo", 3, opts)
    assert (name, out.name) == ("hugo-pagefind-n3", "hugo-pagefind-n3") and out != hugo_out
    assert shlex.join(hugo_command).replace(str(hugo_out), str(out)) in command[-1]


def timed(wall: float, rss_mib: float = 100.0) -> bench.Timed:
    return bench.Timed([bench.Run(wall, wall, rss_mib, "ok", 0.0)])


def measured_row(n: int = 10_000, **changes: object) -> bench.Row:
    """A row as a run at N would leave it: the 10,000-record run of bench/results.md, roughly."""
    row = bench.Row(
        n,
        tracker=timed(22.0, 284),
        tracker_total_mib=700.0,
        hugo=timed(11.5, 620),
        hugo_pagefind=timed(20.0, 650),
        pelican=timed(24.0, 91),
        edits={"an event's summary": timed(2.2), "a name (search index rebuilt)": timed(9.6)},
        serve={"median_s": 0.45, "times_s": [0.45]},
    )
    for key, value in changes.items():
        setattr(row, key, value)
    return row


def test_the_anchor_table_has_hugo_plus_pagefind_beside_hugo_and_pelican() -> None:
    lines = bench.anchor_table([measured_row()]).splitlines()
    head, row = ([cell.strip() for cell in line.strip("|").split("|")] for line in (lines[0], lines[2]))
    cells = dict(zip(head, row, strict=True))
    assert cells["Hugo + Pagefind"] == "20.00 s (1 run)" and cells["tracker/(Hugo + Pagefind)"] == "1.10×"
    assert cells["tracker/Hugo"] == "1.91×" and cells["Pelican/tracker"] == "1.09×"
    assert cells["Hugo + Pagefind mem"] == "650 MiB"


# ---- the targets, from made-up timings --------------------------------------------------------------------------


def verdicts(*rows: bench.Row) -> dict[str, bool | None]:
    return {c.target: c.met for c in bench.target_checks(list(rows))}


def test_the_targets_are_issue_14s_and_pelican_is_no_longer_one() -> None:
    assert verdicts(measured_row()) == {
        "cold build ≤ 1.1 × Hugo + Pagefind": True,  # 22.0 s against 20.0 s: 1.10 × exactly
        "rebuild after editing an event's summary ≤ 10% of cold": True,  # 2.2 s of 22.0 s
        "all the build's processes together ≤ Hugo + Pagefind's peak memory": False,  # 700 MiB against 650 MiB
        "preview shows a one-record edit ≤ 500 ms (N = 10,000)": True,
    }
    report = bench.targets([measured_row()])
    assert "Pelican" not in report and "4 ×" not in report and "a name" not in report
    assert "22.00 s / 20.00 s = 1.10 ×" in report and "700 MiB (largest one 284 MiB) / 650 MiB" in report


def test_each_target_fails_just_past_its_bound() -> None:
    row = measured_row(
        tracker=timed(22.1, 284),  # 1.105 × Hugo + Pagefind
        edits={"an event's summary": timed(2.3)},  # 10.4 % of 22.1 s
        tracker_total_mib=651.0,
        serve={"median_s": 0.501, "times_s": [0.501]},
    )
    assert set(verdicts(row).values()) == {False}
    assert all(verdicts(measured_row(tracker_total_mib=650.0)).values())


def test_a_target_not_measured_is_said_so_not_judged() -> None:
    failed = bench.Timed([bench.Run(1.0, 1.0, 10.0, "timeout", 0.0)])
    row = measured_row(hugo_pagefind=failed, edits={}, serve=None, tracker_total_mib=0.0)
    assert set(verdicts(row).values()) == {None}
    report = bench.targets([row])
    assert "not measured (timeout)" in report and "| - |" in report
    assert bench.targets([measured_row(n=1_000)]) == "Not measured: N = 10,000 was not built.\n"


def test_the_preview_is_judged_at_10000_not_at_a_smaller_size() -> None:
    fast_small = measured_row(n=1_000, serve={"median_s": 0.2, "times_s": [0.2]})
    slow_large = measured_row(serve={"median_s": 0.9, "times_s": [0.9]})
    assert verdicts(fast_small, slow_large)["preview shows a one-record edit ≤ 500 ms (N = 10,000)"] is False


def test_the_preview_is_timed_up_to_10000_unless_told_otherwise() -> None:
    opts = bench.Options(3, 1, 600.0, 60.0, False, None, bench.parse_args([]).preview_up_to)
    assert [bench.times_preview(n, opts) for n in (23, 10_000, 20_000)] == [True, True, False]
    opts.preview_up_to = bench.parse_args(["--preview-up-to", "1000"]).preview_up_to
    assert not bench.times_preview(10_000, opts)
    opts.skip_map = True  # no Chromium
    assert not bench.times_preview(23, opts)
