"""The preview: it serves the build, reloads open tabs when an input changes, shows data problems in the
browser until they are fixed, adds nothing to a normal build, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import ROOT, run_build, tree_bytes
from tracker.config import make_config
from tracker.data.jurisdictions import load_document
from tracker.errors import BuildError, DataError
from tracker.serve.preview import BuildState
from tracker.serve.server import PreviewServer, open_preview, with_reload

RELOAD_TAG = '<script src="/__reload.js"'
RENAMED = "    name: Jackson (renamed in a test)\n"
BROKEN = "    name: Jackson: Mississippi\n"  # a second ": " on one line is a YAML syntax error


def start(
    tiny: Path, out: Path, templates: Path | None = None, static: Path | None = None
) -> tuple[PreviewServer, threading.Thread]:
    config = make_config(data_dir=tiny / "data", content_dir=tiny / "content", out_dir=out, tiles=False)
    config = dataclasses.replace(
        config, templates_dir=templates or config.templates_dir, static_dir=static or config.static_dir
    )
    # The first build runs in a thread of its own, as every later one does: the build may use asyncio.run(),
    # which refuses to start in this thread while Playwright's event loop runs here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        server = pool.submit(open_preview, config, 0).result()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def preview(tiny: Path, tmp_path: Path) -> Iterator[PreviewServer]:
    """The preview of a copy of the tiny tree, on a free port, in this process."""
    server, thread = start(tiny, tmp_path / "site")
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def edit(file: Path, text: str) -> None:
    """Save as an editor would; make sure the modification time moves even on a coarse clock."""
    before = file.stat().st_mtime_ns
    file.write_text(text, encoding="utf-8")
    if file.stat().st_mtime_ns <= before:
        os.utime(file, ns=(before + 1_000_000_000, before + 1_000_000_000))


def fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers["Content-Type"], e.read().decode("utf-8")


def test_the_open_tab_follows_edits_shows_problems_and_recovers(
    page: Page, preview: PreviewServer, tiny: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
    page.on("pageerror", lambda e: refused.append(str(e)))
    file = tiny / "data" / "jurisdictions.yaml"
    good = file.read_text(encoding="utf-8")
    page.goto(preview.address)
    table = page.locator("table.jurisdictions")
    expect(table).to_contain_text("Jackson")

    edit(file, good.replace("    name: Jackson\n", RENAMED))
    expect(table).to_contain_text("Jackson (renamed in a test)", timeout=5000)

    edit(file, good.replace("    name: Jackson\n", BROKEN))
    with pytest.raises(DataError) as caught:
        load_document(file)
    line = good.splitlines().index("    name: Jackson") + 1
    problem = str(caught.value.problems[0])
    assert f"jurisdictions.yaml:{line}:" in problem
    expect(page.locator("ul.problems li")).to_have_text([problem], timeout=5000)

    edit(file, good)
    expect(table).to_contain_text("Jackson", timeout=5000)
    expect(table).not_to_contain_text("renamed")
    assert refused == []
    assert problem in capsys.readouterr().out  # the terminal says it too


def test_only_the_served_html_carries_the_reload_script(preview: PreviewServer) -> None:
    status, kind, home = fetch(preview.address)
    assert (status, kind, home.count(RELOAD_TAG)) == (200, "text/html; charset=utf-8", 1)
    assert home.index(RELOAD_TAG) < home.rindex("</body>")
    on_disk = tree_bytes(preview.preview.config.out_dir)
    assert [path for path, body in on_disk.items() if b"__reload" in body] == []
    assert fetch(preview.address + "__version") == (200, "text/plain; charset=utf-8", preview.preview.state.version)
    status, kind, script = fetch(preview.address + "__reload.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8") and "location.reload()" in script
    assert "__reload" not in fetch(preview.address + "static/style.css")[2]
    status, _, missing = fetch(preview.address + "no-such-page/")
    assert status == 404 and RELOAD_TAG in missing and "<h1" in missing  # the site's own 404 page


def test_a_normal_build_has_no_reload_script(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    args = ["--data", str(tiny / "data"), "--content", str(tiny / "content"), "--out", str(out), "--no-tiles"]
    assert run_build(*args).returncode == 0
    assert [path for path, body in tree_bytes(out).items() if b"__reload" in body] == []


def test_data_broken_from_the_start_is_served_as_an_escaped_list_of_problems(tiny: Path, tmp_path: Path) -> None:
    file = tiny / "data" / "jurisdictions.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("kind: city", "kind: <b>town</b>", 1), encoding="utf-8")
    server, thread = start(tiny, tmp_path / "site")
    try:
        status, _, body = fetch(server.address + "jurisdictions/chicago-il/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert status == 500 and RELOAD_TAG in body
    assert "&quot;&lt;b&gt;town&lt;/b&gt;&quot;" in body and "<b>" not in body
    assert not (tmp_path / "site").exists()  # nothing was published


def test_the_reload_script_goes_before_the_end_of_the_body() -> None:
    assert with_reload(b"<p>x</p></BODY></html>", "7") == (
        b'<p>x</p><script src="/__reload.js" data-version="7" async></script></BODY></html>'
    )
    assert with_reload(b"<p>x</p>", "7").endswith(b"</script>")


def test_a_port_in_use_is_a_plain_message(tiny: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = make_config(data_dir=tiny / "data", content_dir=tiny / "content", out_dir=tmp_path / "site")
        with pytest.raises(BuildError, match=rf"cannot serve on 127.0.0.1:{port}: .* Try --port {port + 1}\."):
            open_preview(config, port)


def test_ctrl_c_stops_the_preview_with_status_0_and_one_line(tiny: Path, tmp_path: Path) -> None:
    # Background jobs may start with Ctrl-C ignored, so the child restores Python's own handler first.
    code = "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); " + (
        "from tracker.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    args = ["serve", "--port", "0", "--no-tiles", "--data", str(tiny / "data"), "--content", str(tiny / "content")]
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args, "--out", str(tmp_path / "site")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    first = [child.stdout.readline(), child.stdout.readline()]
    assert first[0].endswith(" Rebuilt.\n") and first[1].startswith("Serving "), first
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert (child.returncode, out.strip(), err) == (0, "Stopped the preview.", "")
    # No half-written folder left; the cache's records are kept beside the site.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build-cache", "site", "tree"]


def test_a_tab_asking_for_a_newer_build_is_answered_as_soon_as_one_is_done(preview: PreviewServer) -> None:
    seen = preview.preview.state.version
    answer: list[str] = []
    waiting = threading.Thread(target=lambda: answer.append(fetch(f"{preview.address}__version?after={seen}")[2]))
    waiting.start()
    waiting.join(timeout=1.0)
    assert waiting.is_alive() and answer == [], "with nothing new, the question is held open"
    data = preview.preview.config.data_file
    edit(data, data.read_text(encoding="utf-8").replace("    name: Jackson\n", RENAMED))
    waiting.join(timeout=30)
    assert answer == [preview.preview.state.version] and answer[0] != seen


def test_pages_made_on_request_are_the_built_files(preview: PreviewServer) -> None:
    """The tab sees a save before the build is done: its page is made from the data just read, by the same code."""
    live = preview.preview.state.live
    assert live is not None
    built = {path: body for path, body in tree_bytes(preview.preview.config.out_dir).items() if path.endswith(".html")}
    assert len(built) > 10 and {path: live.page(path) for path in built} == built
    assert live.page("no-such-page/index.html") is None


def test_a_save_caught_half_written_is_read_again_when_complete(preview: PreviewServer) -> None:
    """Saving empties the file, then writes it: both may fall in one tick of the file clock, so size counts too."""
    data = preview.preview.config.data_file
    text = data.read_text(encoding="utf-8")
    before = data.stat().st_mtime_ns
    data.write_text("", encoding="utf-8")
    os.utime(data, ns=(before, before))
    assert next_state(preview, lambda state: bool(state.problems)).problems  # the empty file, read
    data.write_text(text.replace("    name: Jackson\n", RENAMED), encoding="utf-8")
    os.utime(data, ns=(before, before))  # the same time as the empty file had
    state = next_state(preview, lambda state: not state.problems)
    assert state.live is not None and "renamed in a test" in (state.live.page("index.html") or b"").decode()


def next_state(preview: PreviewServer, wanted: Callable[[BuildState], bool], timeout: float = 10) -> BuildState:
    """The preview's first state that is `wanted` (the one it has, or a later one), within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    state = preview.preview.state
    while not wanted(state) and time.monotonic() < deadline:
        state = preview.preview.newer_than(state.version, deadline - time.monotonic())
    return state


def test_a_template_mistake_shows_in_the_tab_with_its_message(tiny: Path, tmp_path: Path) -> None:
    """Pages are made on request: a mistake there is the tab's error page (which reloads), not a lost connection."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    server, thread = start(tiny, tmp_path / "site", templates)
    try:
        page = templates / "jurisdiction.html"
        seen = server.preview.state.version
        edit(page, page.read_text(encoding="utf-8").replace("}}</h1>", "}}{{ no_such_value }}</h1>", 1))
        server.preview.newer_than(seen, 10)
        status, _, body = fetch(server.address + "jurisdictions/chicago-il/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert status == 500 and RELOAD_TAG in body and "no_such_value" in body


def test_a_removed_record_is_gone_from_the_tab_at_once(preview: PreviewServer) -> None:
    """Pages come from the data as read, not from the last build: no page of a removed record is served."""
    data = preview.preview.config.data_file
    text = data.read_text(encoding="utf-8")
    assert fetch(preview.address + "jurisdictions/jackson-ms/")[0] == 200
    edit(data, text[: text.index("  - id: jackson-ms\n")])
    state = next_state(preview, lambda state: state.live is not None and "jackson-ms" not in str(state.live.records))
    assert not state.problems
    status, _, body = fetch(preview.address + "jurisdictions/jackson-ms/")
    assert status == 404 and RELOAD_TAG in body


def test_a_stylesheet_change_reloads_the_tab_again_once_built(tiny: Path, tmp_path: Path) -> None:
    """Pages show a save at once, but the files they link to are served as built: the tab reloads when they are."""
    static = tmp_path / "static"
    shutil.copytree(ROOT / "static", static)
    server, thread = start(tiny, tmp_path / "site", static=static)
    try:
        seen = server.preview.state.version
        edit(static / "style.css", (static / "style.css").read_text(encoding="utf-8") + "\n/* edited */\n")
        read = server.preview.newer_than(seen, 10)
        built = server.preview.newer_than(read.version, 30)
        css = fetch(server.address + "static/style.css")[2]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert read.version != seen and built.version != read.version and not built.problems
    assert "/* edited */" in css


def test_a_read_given_up_because_the_file_changed_keeps_the_build_waiting_and_its_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save caught half written is read again at the next event: the build already waiting stays, and a change
    to static/ seen with the given-up read still makes the tabs reload once the site is built."""
    from tracker.config import make_config
    from tracker.data.jurisdictions import FileChanged
    from tracker.serve.preview import READ_AGAIN, Preview

    config = make_config(out_dir=tmp_path / "site")
    preview = Preview(config, out=io.StringIO())
    waiting = (0, ("site", "outlines"), False)
    preview.pending = waiting  # type: ignore[assignment]
    reads: list[str] = []

    def read_while_saving() -> None:
        reads.append("given up")
        raise FileChanged("data/jurisdictions.yaml")

    monkeypatch.setattr(preview, "read", read_while_saving)
    preview.look({config.static_dir / "site.css"})
    assert preview.pending == waiting and reads == ["given up"] * (READ_AGAIN + 1)  # read again at once, then waits
    monkeypatch.setattr(preview, "read", lambda: ("site", "outlines"))
    preview.look({config.data_dir / "jurisdictions.yaml"})
    assert preview.pending == (preview.builds, ("site", "outlines"), True)  # the static change still counts


def test_saves_in_a_quick_run_are_built_once_after_the_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build beside a read slows it: saves a moment apart are built once, when they pause, from the newest read
    (not while a save is being read); a preview closing stops the waiting."""
    from tracker.config import make_config
    from tracker.serve.preview import BUILD_AFTER_SECONDS, Preview

    config = make_config(data_dir=tmp_path / "data", out_dir=tmp_path / "site")
    config.data_dir.mkdir()
    config.data_file.write_text("saved\n", encoding="utf-8")
    preview = Preview(config, out=io.StringIO())
    built: list[object] = []
    first = threading.Event()

    def next_reads() -> None:
        for _ in range(2):
            built.append(preview.next_read())
            first.set()

    builder = threading.Thread(target=next_reads)
    builder.start()
    started = time.monotonic()
    for version in range(3):  # saves much less than BUILD_AFTER_SECONDS apart
        monkeypatch.setattr(preview, "read", lambda v=version: time.sleep(BUILD_AFTER_SECONDS / 20) or (v, "outlines"))
        edit(config.data_file, f"saved {version}\n")
        preview.look({config.data_file})
    assert first.wait(timeout=10 * BUILD_AFTER_SECONDS)
    assert built == [(0, (2, "outlines"), False)]
    assert time.monotonic() - started >= BUILD_AFTER_SECONDS
    preview.close()
    builder.join(timeout=5)
    assert built[1:] == [None] and preview.pending is None


def test_a_save_caught_half_done_is_read_again_at_once_and_its_late_events_skipped(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of a save can reach the watcher a third of a second late: a read that finds the file changing is
    made again at once, and the events that come after for the file as read do not read or reload it again."""
    from tracker.build import pipeline
    from tracker.data.jurisdictions import FileChanged
    from tracker.serve.preview import Preview

    config = make_config(data_dir=tiny / "data", content_dir=tiny / "content", out_dir=tmp_path / "site", tiles=False)
    preview = Preview(config, out=io.StringIO())
    reads: list[str] = []
    real = pipeline.load_site

    def load_mid_save(*args: object) -> object:
        reads.append("read")
        if len(reads) < 3:
            raise FileChanged("data/jurisdictions.yaml")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "load_site", load_mid_save)
    preview.look({config.data_file})
    assert len(reads) == 3 and preview.pending is not None and preview.pending[1] is not None and not preview.unread
    preview.look({config.data_file})  # the save's late events
    assert len(reads) == 3
    edit(config.data_file, config.data_file.read_text(encoding="utf-8") + "\n")
    preview.look({config.data_file})
    assert len(reads) == 4
