"""Build benchmarks: python bench/run.py [--sizes 23,1000,10000,20000] [--repeat 3] [--skip-anchors] [--skip-map].

For each size N: a synthetic tree (bench/generate.py, cached under /tmp/tracker-bench/trees/), cold builds of the
tracker in a child process (output deleted first), the child's wall time, CPU time and peak memory, the size of
what it wrote, the weight of each kind of page and of the map's data, the time until the home page map shows every
marker (bench/map_timing.py), the preview's one-record edit (bench/serve_timing.py), and the same records built by
Hugo, by Hugo then Pagefind on Hugo's output, and by Pelican (bench/anchors.py). Results are printed and written to
bench/results.md, with the targets of issue 14 judged at N = 10,000. See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import anchors
from generate import PAGES, jurisdiction_id, make_records, write_tree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = Path("/tmp/tracker-bench")
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
SLOW_S = 120.0  # a run slower than this is not repeated; Pelican slower than this is not run above 10,000
PELICAN_CAP = 10_000
# The targets (issue 14, item 5), judged at TARGET_N in the same run.
TARGET_N = 10_000
COLD_VS_ANCHOR = 1.1  # the tracker's cold build at most this many times Hugo + Pagefind's
EDIT_SHARE = 0.10  # a rebuild after editing one event's summary at most this share of the cold build
PREVIEW_MS = 500.0  # the preview shows a one-record edit within this
ASSET = re.compile(rb'<link[^>]*rel="?stylesheet"?[^>]*href="([^"]+)"|<script[^>]*src="([^"]+)"')
STYLESHEET = re.compile(rb'href="([^"]*)static/style\.css"')


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float
    status: str  # ok, failed (exit N), timeout
    load: float  # the machine's 1-minute load average when the run ended
    total_mib: float = 0.0  # the most that all its processes held at once (proportional set size, sampled)


@dataclass
class Timed:
    runs: list[Run]

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.runs)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(r.rss_mib for r in self.runs)

    @property
    def total_mib(self) -> float:
        return max(r.total_mib for r in self.runs)

    @property
    def status(self) -> str:
        return next((r.status for r in self.runs if r.status != "ok"), "ok")


@dataclass
class Weight:
    page: str
    html: int
    html_gz: int
    assets: int
    assets_gz: int


@dataclass
class Site:
    pages: int
    total_bytes: int
    home: tuple[int, int]
    geojson: tuple[int, int]
    weights: list[Weight]


@dataclass
class Row:
    n: int
    tracker: Timed | None = None
    tracker_total_mib: float = 0.0  # all the tracker's processes at once, from one more (untimed) cold build
    site: Site | None = None
    map: dict[str, object] | None = None
    hugo: Timed | None = None
    hugo_pages: int = 0
    hugo_pagefind: Timed | None = None  # Hugo's build, then Pagefind on its output: one timed run
    pelican: Timed | None = None
    pelican_pages: int = 0
    notes: list[str] = field(default_factory=list)
    edits: dict[str, Timed] = field(default_factory=dict)  # cached rebuilds after one edit
    serve: dict[str, object] | None = None  # bench/serve_timing.py


# ---- running a child and timing it -------------------------------------------------------------------------------


def kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_once(cmd: list[str], out: Path, log: Path, limit_s: float, keep: bool = False, tree: bool = False) -> Run:
    """One run: delete the output (unless `keep`), start the child, wait for it with wait4 to get its own rusage.

    `tree`: also sample the memory of all its processes (TreeMemory), which slows the run a little.
    """
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    # Every run starts with nothing waiting to be written back: on this disk the writeback of the last
    # run's 40,000 files (or of their deletion) would otherwise land on whichever tool runs next.
    os.sync()
    with log.open("w") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        timer = threading.Timer(limit_s, kill_group, (child.pid,))
        timer.start()
        sampler = TreeMemory(child.pid if tree else None)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        sampler.stop()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    verdict = "ok" if code == 0 else "timeout" if wall >= limit_s else f"failed (exit {code}, see {log})"
    # ru_maxrss is in KiB on Linux: the largest resident set of the child or any descendant it waited for.
    rss = usage.ru_maxrss / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, verdict, os.getloadavg()[0], sampler.peak_kib / 1024)


class TreeMemory(threading.Thread):
    """The most memory a process and its descendants held at once, sampled every 0.1 s (nothing for pid None).

    ru_maxrss is the largest single process; a build that forks workers holds more than that. Each process's
    proportional set size (PSS) counts pages it shares with others (a forked child's copy of its parent's data)
    in shares, so the sum is what the tree as a whole keeps in memory. Reading it walks every page table (about
    45 ms for a 10,000-record build's five processes), so timed runs do not sample.
    """

    def __init__(self, pid: int | None) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.done = pid, 0, threading.Event()
        if pid is not None:
            self.start()

    def run(self) -> None:
        assert self.pid is not None
        while not self.done.wait(0.1):
            self.peak_kib = max(self.peak_kib, sum(map(pss_kib, descendants(self.pid))))

    def stop(self) -> None:
        self.done.set()
        if self.pid is not None:
            self.join()


def descendants(pid: int) -> list[int]:
    """The process and all its descendants, from /proc (empty once it has ended)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as f:
                todo += map(int, f.read().split())
        except OSError:
            continue
        found.append(current)
    return found


def pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
    except (OSError, ValueError):
        return 0


def timed_in_turn(builds: list[tuple[str, list[str], Path]], repeat: int, limit_s: float) -> list[Timed]:
    """Each (name, command, output) `repeat` times, in rounds: one run of each build per round, in turn.

    The targets are ratios between builds, and this machine's speed drifts over minutes (its disk above all):
    taken in turn, a slow minute slows every build alike instead of the one whose runs fell in it.
    """
    runs: list[list[Run]] = [[] for _ in builds]
    for k in range(repeat):
        for (name, cmd, out), done in zip(builds, runs, strict=True):
            if done and (done[-1].status != "ok" or done[-1].wall > SLOW_S):
                continue  # a failure repeats itself; a slow run is timed once
            run = run_once(cmd, out, CACHE / "logs" / f"{name}-{k + 1}.log", limit_s)
            done.append(run)
            print(
                f"  {name} run {k + 1}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.rss_mib:.0f} MiB, {run.status}"
            )
    return [Timed(done) for done in runs]


# ---- trees -------------------------------------------------------------------------------------------------------


def fingerprint(*files: Path) -> str:
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


# Taken when this process loaded the modules, so a tree's stamp names the code that wrote it even if the files
# change during a long run.
GENERATE_STAMP = fingerprint(HERE / "generate.py")
ANCHORS_STAMP = fingerprint(HERE / "anchors.py")


def cached(folder: Path, stamp: str, make: Callable[[Path], None]) -> Path:
    """Make a tree once per stamp (the code that makes it): later runs reuse it."""
    marker = folder / ".bench-stamp"
    if not (marker.exists() and marker.read_text() == stamp):
        shutil.rmtree(folder, ignore_errors=True)
        make(folder)
        marker.write_text(stamp)
    return folder


def synthetic_tree(n: int, seed: int) -> Path:
    stamp = f"{GENERATE_STAMP} {n} {seed}"
    return cached(CACHE / "trees" / f"n{n}-seed{seed}", stamp, lambda d: write_tree(d, make_records(n, seed)))


def anchor_tree(kind: str, n: int, seed: int) -> Path:
    write = anchors.write_hugo if kind == "hugo" else anchors.write_pelican
    stamp = f"{GENERATE_STAMP} {ANCHORS_STAMP} {n} {seed}"
    return cached(CACHE / "anchors" / f"{kind}-n{n}-seed{seed}", stamp, lambda d: write(make_records(n, seed), d))


# ---- what a build wrote ------------------------------------------------------------------------------------------


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def raw_and_gz(path: Path) -> tuple[int, int]:
    data = path.read_bytes() if path.exists() else b""
    return len(data), gz(data)


def walk_sizes(out: Path) -> tuple[int, int]:
    """(index.html files, total bytes) under out."""
    pages = total = 0
    for folder, _, files in os.walk(out):
        pages += "index.html" in files
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return pages, total


def asset_files(html: bytes, out: Path, prefix: str) -> list[Path]:
    """The local CSS and JS files a page links to, once each."""
    found = []
    for css, js in ASSET.findall(html):
        href = (css or js).decode().split("?")[0]
        if href.startswith(prefix):
            found.append(out / href[len(prefix) :])
    return list(dict.fromkeys(p for p in found if p.is_file()))


def weigh(page: str, path: Path, out: Path, prefix: str) -> Weight:
    html = path.read_bytes() if path.exists() else b""
    files = [p.read_bytes() for p in asset_files(html, out, prefix)]
    return Weight(page, len(html), gz(html), sum(map(len, files)), sum(map(gz, files)))


def page_paths(out: Path, first_id: str) -> dict[str, Path]:
    article = next(iter(PAGES))
    names = {
        "home": "index.html",
        "jurisdiction": f"jurisdictions/{first_id}/index.html",
        "article": f"{article}/index.html",
        "letters": "letters/index.html",
        "grants": "grants/index.html",
        "timeline": "timeline/index.html",
    }
    return {k: out / v for k, v in names.items()}


def inspect_site(out: Path, first_id: str) -> Site:
    pages, total = walk_sizes(out)
    home = (out / "index.html").read_bytes()
    found = STYLESHEET.search(home)
    prefix = found.group(1).decode() if found else "/"
    weights = [weigh(k, p, out, prefix) for k, p in page_paths(out, first_id).items()]
    return Site(
        pages, total, raw_and_gz(out / "index.html"), raw_and_gz(out / "data" / "jurisdictions.geojson"), weights
    )


def map_timing(out: Path, timeout_s: float) -> dict[str, object]:
    cmd = [PYTHON, str(HERE / "map_timing.py"), str(out), "--json", "--timeout", str(timeout_s)]
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s + 60)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, json.JSONDecodeError, IndexError) as error:
        return {"status": f"error: {type(error).__name__}"}


# ---- one size ----------------------------------------------------------------------------------------------------


@dataclass
class Options:
    repeat: int
    seed: int
    limit_s: float
    map_timeout_s: float
    skip_map: bool
    tools: anchors.Tools | None
    preview_up_to: int = TARGET_N  # the preview is timed at this size and below
    state: dict[str, str] = field(default_factory=dict)  # why later sizes skip a tool
    notes: list[str] = field(default_factory=list)  # notes about the whole run


def tracker_build(n: int, opts: Options) -> tuple[str, list[str], Path]:
    """The tracker's cold build of N records: (name, command, output)."""
    tree = synthetic_tree(n, opts.seed)
    out = CACHE / "out" / f"tracker-n{n}"
    cmd = [PYTHON, "build.py", "--data", str(tree / "data"), "--content", str(tree / "content"), "--out", str(out)]
    return f"tracker-n{n}", [*cmd, "--no-tiles", "--no-cache"], out


def bench_tracker(row: Row, build: tuple[str, list[str], Path], timing: Timed, opts: Options) -> None:
    """After the cold builds: the memory of all its processes, the site, its map, rebuilds after one edit and
    the preview."""
    name, cmd, out = build
    row.tracker = timing
    if row.tracker.status == "timeout":
        opts.state["tracker"] = f"a tracker build took over {opts.limit_s:.0f} s at N = {row.n:,}"
    if not row.tracker.ok:
        return
    print("  memory of all its processes (one more cold build, sampled)...")
    row.tracker_total_mib = run_once(cmd, out, CACHE / "logs" / f"{name}-memory.log", opts.limit_s, tree=True).total_mib
    row.site = inspect_site(out, jurisdiction_id(1))
    if not opts.skip_map:
        print(f"  map timing (cap {opts.map_timeout_s:.0f} s)...")
        row.map = map_timing(out, opts.map_timeout_s)
    tree = synthetic_tree(row.n, opts.seed)
    row.edits = bench_edits(tree, row.n, opts)
    if times_preview(row.n, opts):
        print("  preview: one-record edit until the browser shows it...")
        row.serve = serve_timing(tree)


def times_preview(n: int, opts: Options) -> bool:
    """The preview is timed in Chromium, so not with --skip-map, and only up to --preview-up-to."""
    return n <= opts.preview_up_to and not opts.skip_map


# One record edited, then a build that reuses the previous one (the cache): (label, old text, new text).
# The first is the edit the target judges.
EDITS = [
    (
        "an event's summary",
        " event 1 in the story of Synthetic City 1.",
        " event 1, edited, in the story of Synthetic City 1.",
    ),
    (
        "a name (search index rebuilt)",
        "official_name: City of Synthetic City 1\n",
        "official_name: City of Synthetic City One\n",
    ),
]


def bench_edits(tree: Path, n: int, opts: Options) -> dict[str, Timed]:
    """Cached rebuilds after one edit each, on a copy of the tree with a site already built from it.

    Each edit is timed `repeat` times: made, undone, made again (each a one-record edit of the same kind).
    """
    work = CACHE / "edits" / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, work / "tree")
    out = work / "site"
    cmd = [PYTHON, "build.py", "--data", str(work / "tree" / "data"), "--content", str(work / "tree" / "content")]
    cmd += ["--out", str(out), "--no-tiles"]
    first = run_once(cmd, out, CACHE / "logs" / f"edits-n{n}-first.log", opts.limit_s)
    results: dict[str, Timed] = {}
    data = work / "tree" / "data" / "jurisdictions.yaml"
    for label, old, new in EDITS if first.status == "ok" else []:
        if old not in data.read_text(encoding="utf-8"):
            continue
        runs: list[Run] = []
        for k in range(opts.repeat):
            before, after = (old, new) if k % 2 == 0 else (new, old)
            data.write_text(data.read_text(encoding="utf-8").replace(before, after, 1), encoding="utf-8")
            log = CACHE / "logs" / f"edits-n{n}-{len(results)}-{k + 1}.log"
            runs.append(run := run_once(cmd, out, log, opts.limit_s, keep=True))
            print(f"  after editing {label} ({k + 1}): {run.wall:.2f} s wall, {run.rss_mib:.0f} MiB, {run.status}")
            if run.status != "ok":
                break
        results[label] = Timed(runs)
    return results


def serve_timing(tree: Path) -> dict[str, object]:
    cmd = [PYTHON, str(HERE / "serve_timing.py"), str(tree), "--json", "--edits", "5"]
    try:
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, json.JSONDecodeError, IndexError) as error:
        return {"status": f"error: {type(error).__name__}"}


ANCHOR_COMMANDS: dict[str, Callable[[anchors.Tools, Path, Path], list[str]]] = {
    "hugo": anchors.hugo_command,
    "hugo-pagefind": anchors.hugo_pagefind_command,  # Hugo's source tree, then Pagefind on its output
    "pelican": anchors.pelican_command,
}


def anchor_build(kind: str, n: int, opts: Options) -> tuple[str, list[str], Path]:
    """Hugo's, Hugo + Pagefind's or Pelican's build of N equivalent pages: (name, command, output)."""
    assert opts.tools is not None
    tree = anchor_tree("pelican" if kind == "pelican" else "hugo", n, opts.seed)
    out = CACHE / "out" / f"{kind}-n{n}"
    return f"{kind}-n{n}", ANCHOR_COMMANDS[kind](opts.tools, tree, out), out


def bench_size(n: int, opts: Options) -> Row:
    """The cold builds of the tracker, Hugo, Hugo + Pagefind and Pelican in turn, then the tracker's other
    measurements."""
    row = Row(n)
    print(f"N = {n:,}")
    builds: dict[str, tuple[str, list[str], Path]] = {}
    if "tracker" in opts.state:
        row.notes.append(f"Tracker skipped at N = {n:,}: {opts.state['tracker']}.")
    else:
        builds["tracker"] = tracker_build(n, opts)
    if opts.tools is not None:
        builds["hugo"] = anchor_build("hugo", n, opts)
        builds["hugo-pagefind"] = anchor_build("hugo-pagefind", n, opts)
        if n > PELICAN_CAP and "pelican" in opts.state:
            row.notes.append(f"Pelican skipped at N = {n:,}: {opts.state['pelican']}.")
        else:
            builds["pelican"] = anchor_build("pelican", n, opts)
    timings = dict(zip(builds, timed_in_turn(list(builds.values()), opts.repeat, opts.limit_s), strict=True))
    if "hugo" in timings:
        row.hugo, row.hugo_pages = timings["hugo"], walk_sizes(builds["hugo"][2])[0]
    row.hugo_pagefind = timings.get("hugo-pagefind")
    if "pelican" in timings:
        row.pelican, row.pelican_pages = timings["pelican"], walk_sizes(builds["pelican"][2])[0]
        if row.pelican.wall > SLOW_S or not row.pelican.ok:
            opts.state["pelican"] = f"it took over {SLOW_S:.0f} s (or failed) at N = {n:,}"
    if "tracker" in timings:
        bench_tracker(row, builds["tracker"], timings["tracker"], opts)
    return row


# ---- reporting ---------------------------------------------------------------------------------------------------


def size(n: float) -> str:
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def secs(t: float | None) -> str:
    return "-" if t is None else f"{t:.2f} s"


def table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


def timed_cell(t: Timed | None) -> str:
    if t is None:
        return "-"
    runs = f" ({len(t.runs)} run{'s' if len(t.runs) > 1 else ''})"
    return f"{secs(t.wall)}{runs}" if t.ok else t.status


def tracker_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        t, s = r.tracker, r.site
        if t is None or s is None:
            body.append([f"{r.n:,}", "-", timed_cell(t), "-", "-", "-", "-", "-"])
            continue
        rate = f"{s.pages / t.wall:,.0f}"
        memory = [f"{t.rss_mib:,.0f} MiB", f"{r.tracker_total_mib:,.0f} MiB"]
        body.append([f"{r.n:,}", f"{s.pages:,}", timed_cell(t), secs(t.cpu), *memory, rate, size(s.total_bytes)])
    head = ["N", "pages", "wall (median)", "CPU (median)", "peak memory", "all processes", "pages/s", "output"]
    return table(head, body)


def map_ms(row: Row, key: str) -> str:
    value = (row.map or {}).get(key)
    return "-" if value is None else f"{float(value) / 1000:.2f} s"  # type: ignore[arg-type]


def map_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        if r.site is None:
            continue
        (h, hg), (g, gg) = r.site.home, r.site.geojson
        status = str((r.map or {}).get("status", "not measured"))
        signal = {"markers": "markers", "data-ready": "canvas, data-ready"}.get(str((r.map or {}).get("signal")), "?")
        markers = f"{map_ms(r, 'markers_ms')} ({signal})" if status == "ok" else status
        body.append(
            [f"{r.n:,}", size(h), size(hg), size(g), size(gg), markers, map_ms(r, "ready_ms"), map_ms(r, "load_ms")]
        )
    head = ["N", "home HTML", "home gz", "geojson", "geojson gz", "map interactive", "trackerMapReady", "load event"]
    return table(head, body)


def weight_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        for w in r.site.weights if r.site else []:
            total = size(w.html_gz + w.assets_gz)
            body.append([f"{r.n:,}", w.page, size(w.html), size(w.html_gz), size(w.assets), size(w.assets_gz), total])
    return table(["N", "page", "HTML", "HTML gz", "CSS+JS", "CSS+JS gz", "total gz"], body)


def ratio(a: Timed | None, b: Timed | None) -> str:
    return f"{a.wall / b.wall:.2f}×" if a and b and a.ok and b.ok else "-"


def mem_cell(t: Timed | None) -> str:
    return f"{t.rss_mib:,.0f} MiB" if t else "-"


def anchor_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        builds = (r.tracker, r.hugo, r.hugo_pagefind, r.pelican)
        ratios = [ratio(r.tracker, r.hugo), ratio(r.tracker, r.hugo_pagefind), ratio(r.pelican, r.tracker)]
        body.append([f"{r.n:,}", *map(timed_cell, builds), *ratios, *map(mem_cell, builds)])
    head = ["N", "tracker", "Hugo", "Hugo + Pagefind", "Pelican"]
    head += ["tracker/Hugo", "tracker/(Hugo + Pagefind)", "Pelican/tracker"]
    head += ["tracker mem", "Hugo mem", "Hugo + Pagefind mem", "Pelican mem"]
    pages = [f"N = {r.n:,}: Hugo wrote {r.hugo_pages:,} pages, Pelican {r.pelican_pages:,}." for r in rows if r.hugo]
    return table(head, body) + ("\n" + " ".join(pages) + "\n" if pages else "")


def edits_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        cold = r.tracker.wall if r.tracker and r.tracker.ok else None
        for label, timed in r.edits.items():
            share = f"{timed.wall / cold:.0%}" if cold and timed.ok else "-"
            body.append([f"{r.n:,}", label, timed_cell(timed), share, f"{timed.rss_mib:,.0f} MiB"])
    head = ["N", "one record's edit", "cached rebuild (median)", "of the cold build", "peak memory"]
    return table(head, body)


def serve_lines(rows: list[Row]) -> str:
    lines = []
    for r in rows:
        if r.serve and "median_s" in r.serve:
            times = ", ".join(f"{float(t) * 1000:.0f}" for t in r.serve["times_s"])  # type: ignore[union-attr]
            lines.append(f"- N = {r.n:,}: {float(r.serve['median_s']) * 1000:.0f} ms median (each edit, ms: {times})\n")
        elif r.serve:
            lines.append(f"- N = {r.n:,}: {r.serve.get('status')}\n")
    return "".join(lines)


@dataclass(frozen=True)
class Check:
    target: str
    measured: str
    met: bool | None  # None: not measured in this run
    issue: int = 14


def not_measured(target: str, why: str, issue: int = 14) -> Check:
    return Check(target, f"not measured ({why})", None, issue)


def cold_check(row: Row) -> Check:
    target = f"cold build ≤ {COLD_VS_ANCHOR} × Hugo + Pagefind"
    t, anchor = row.tracker, row.hugo_pagefind
    if t is None or anchor is None or not anchor.ok:
        return not_measured(target, "Hugo + Pagefind not built" if anchor is None else anchor.status)
    measured = f"{t.wall:.2f} s / {anchor.wall:.2f} s = {t.wall / anchor.wall:.2f} ×"
    return Check(target, measured, t.wall <= COLD_VS_ANCHOR * anchor.wall)


def edit_check(row: Row) -> Check:
    label = EDITS[0][0]
    target = f"rebuild after editing {label} ≤ {EDIT_SHARE:.0%} of cold"
    t, edit = row.tracker, row.edits.get(label)
    if t is None or edit is None or not edit.ok:
        return not_measured(target, "no rebuild" if edit is None else edit.status)
    share = edit.wall / t.wall
    return Check(target, f"{edit.wall:.2f} s = {share:.0%}", share <= EDIT_SHARE)


def memory_check(row: Row) -> Check:
    """All the tracker's processes at once against Hugo + Pagefind's peak (the larger of its two processes)."""
    target = "all the build's processes together ≤ Hugo + Pagefind's peak memory"
    t, anchor = row.tracker, row.hugo_pagefind
    if t is None or not row.tracker_total_mib:
        return not_measured(target, "the tracker's processes were not sampled")
    if anchor is None or not anchor.ok:
        return not_measured(target, "Hugo + Pagefind not built" if anchor is None else anchor.status)
    total = row.tracker_total_mib
    measured = f"{total:,.0f} MiB (largest one {t.rss_mib:,.0f} MiB) / {anchor.rss_mib:,.0f} MiB"
    return Check(target, measured, total <= anchor.rss_mib)


def preview_check(row: Row) -> Check:
    target = f"preview shows a one-record edit ≤ {PREVIEW_MS:.0f} ms (N = {row.n:,})"
    serve = row.serve or {}
    if "median_s" not in serve:
        return not_measured(target, str(serve.get("status", "preview not timed at this size")))
    ms = float(serve["median_s"]) * 1000  # type: ignore[arg-type]
    return Check(target, f"{ms:.0f} ms (median)", ms <= PREVIEW_MS)


def page_checks(row: Row) -> list[Check]:
    """Issue 7's targets for the home page, which stand."""
    checks = []
    if row.site:
        home = row.site.home[0]
        checks.append(Check("home page HTML < 100 KB", size(home), home < 100_000, issue=7))
    markers = (row.map or {}).get("markers_ms")
    if markers is not None:
        seconds = float(markers) / 1000  # type: ignore[arg-type]
        checks.append(Check("map interactive ≤ 2 s", f"{seconds:.2f} s", seconds <= 2, issue=7))
    return checks


def target_checks(rows: list[Row]) -> list[Check]:
    """The targets at N = 10,000, each with the number measured in this run (none if it was not built)."""
    row = next((r for r in rows if r.n == TARGET_N), None)
    if row is None or row.tracker is None or not row.tracker.ok:
        return []
    return [cold_check(row), edit_check(row), memory_check(row), preview_check(row), *page_checks(row)]


def targets(rows: list[Row]) -> str:
    checks = target_checks(rows)
    if not checks:
        return f"Not measured: N = {TARGET_N:,} was not built.\n"
    verdict = {True: "yes", False: "no", None: "-"}
    body = [[c.target, c.measured, verdict[c.met], str(c.issue)] for c in checks]
    return table(["target", "measured", "met", "issue"], body)


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / (1 << 20)
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} {platform.release()}, Python {platform.python_version()}"


ANCHORS = (
    "Hugo and Pelican, pinned in bench/anchors-requirements.txt; Hugo + Pagefind is Hugo's build then the "
    "tracker's own Pagefind (requirements.txt) on Hugo's output"
)


def header(args: argparse.Namespace, started: dt.datetime, load: tuple[float, float, float]) -> str:
    changed = [line for line in git("status", "--porcelain").splitlines() if not line.endswith("bench/results.md")]
    dirty = " plus uncommitted changes in the work tree" if changed else ""  # the results file itself aside
    argv = " ".join(["python bench/run.py", *sys.argv[1:]])
    return (
        "# Build benchmark results\n\n"
        f"- Date: {started:%Y-%m-%d %H:%M} UTC\n"
        f"- Commit: {git('rev-parse', '--short', 'HEAD')} ({git('log', '-1', '--format=%s')}){dirty}\n"
        f"- Machine: {machine()}\n"
        f"- Load average (1 min) at start, highest at the end of a run, at end: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} "
        f"(on {os.cpu_count()} cores; well above 1 means other work shared the machine, and CPU times are steadier than wall times)\n"
        f"- Command: `{argv}`; repeats per build: {args.repeat} (a run over {SLOW_S:.0f} s is not repeated)\n"
        f"- Anchors: {'skipped' if args.skip_anchors else ANCHORS}\n"
        "\nMethod and the meaning of each number: [README.md](README.md).\n"
    )


def report(rows: list[Row], opts: Options, args: argparse.Namespace, started: dt.datetime, load_start: float) -> str:
    notes = opts.notes + [n for r in rows for n in r.notes]
    runs = [run for r in rows for t in (r.tracker, r.hugo, r.hugo_pagefind, r.pelican) if t for run in t.runs]
    peak = max((run.load for run in runs), default=load_start)
    parts = [
        header(args, started, (load_start, peak, os.getloadavg()[0])),
        "\n## Tracker: cold build (`build.py --no-tiles --no-cache`)\n\n" + tracker_table(rows),
        "\n## Map: payload, and time from navigation until the map is interactive (Chromium, cap "
        f"{args.map_timeout:.0f} s)\n\n" + map_table(rows),
        "\n## Page weight: HTML and the CSS/JS it links (gzip level 6)\n\n" + weight_table(rows),
    ]
    parts.append("\n## One edit, then a build that reuses the previous one (the cache)\n\n" + edits_table(rows))
    if any(r.serve for r in rows):
        parts.append("\n## Preview: from saving a one-record edit until the open page shows it\n\n" + serve_lines(rows))
    if not args.skip_anchors:
        parts.append(
            "\n## Anchors: the same records built by Hugo, Hugo + Pagefind and Pelican (wall time, median; memory: "
            "the largest process, for Hugo + Pagefind the larger of the two)\n\n" + anchor_table(rows)
        )
    parts.append(f"\n## The targets at N = {TARGET_N:,} (issue 14; the home page's from issue 7)\n\n" + targets(rows))
    if notes:
        parts.append("\n## Notes\n\n" + "".join(f"- {n}\n" for n in notes))
    return "".join(parts)


# ---- main --------------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the tracker's build against Hugo (+ Pagefind) and Pelican.")
    parser.add_argument("--sizes", default="23,1000,10000,20000", help="numbers of jurisdictions, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="cold builds per tool and size; the median is kept")
    parser.add_argument("--skip-anchors", action="store_true", help="do not build with Hugo and Pelican")
    parser.add_argument("--skip-map", action="store_true", help="do not time the map in Chromium")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic data (default 1)")
    parser.add_argument("--limit", type=float, default=600.0, help="stop a build after this many seconds (default 600)")
    parser.add_argument("--map-timeout", type=float, default=60.0, help="give up on the map after this many seconds")
    parser.add_argument(
        "--preview-up-to",
        type=int,
        default=TARGET_N,
        help=f"time the preview's one-record edit at this N and below (default {TARGET_N:,}; needs Chromium)",
    )
    parser.add_argument("--results", type=Path, default=HERE / "results.md", help="where to write the results")
    return parser.parse_args(argv)


def prepare_anchors(args: argparse.Namespace, notes: list[str]) -> anchors.Tools | None:
    if args.skip_anchors:
        return None
    try:
        return anchors.ensure_venv(CACHE / "anchors-venv", PYTHON)
    except (subprocess.CalledProcessError, OSError) as error:
        notes.append(f"Anchors unavailable: could not install them ({error}).")
        return None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started, load_start = dt.datetime.now(dt.UTC), os.getloadavg()[0]
    opts = Options(args.repeat, args.seed, args.limit, args.map_timeout, args.skip_map, None, args.preview_up_to)
    opts.tools = prepare_anchors(args, opts.notes)
    rows: list[Row] = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows.append(bench_size(n, opts))
        args.results.write_text(report(rows, opts, args, started, load_start), encoding="utf-8")  # after each size
    print("\n" + report(rows, opts, args, started, load_start))
    print(f"Written to {args.results}")
    return 0 if all(r.tracker is None or r.tracker.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
