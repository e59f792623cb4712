"""Text from the data and the Markdown never runs as code in a reader's browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page

from tests.conftest import run_build, serve

CANARY = "window.__pwned=1"
PAYLOADS = [
    f"<script>{CANARY}</script>",
    f'<img src=x onerror="{CANARY}">',
    f"</script><script>{CANARY}</script>",
    f"<!--<script>{CANARY}</script>",
    f"<svg onload={CANARY}>",
    f'" onmouseover="{CANARY}" x="',
    "\u202eevil\u202c",
]
MARKDOWN = f"""
<script>{CANARY}</script>

<img src="x" onerror="{CANARY}">

[click](javascript:{CANARY}) and [data](data:text/html,<script>{CANARY}</script>)

<iframe src="javascript:{CANARY}"></iframe>

<a href="#" onclick="{CANARY}" style="position:fixed;inset:0">cover</a>
"""


def poison(tree: Path) -> None:
    data = tree / "data" / "jurisdictions.yaml"
    text = data.read_text(encoding="utf-8")
    payload = " ".join(PAYLOADS)
    for field in ("name: Chicago", "official_name: City of Chicago", "name: Jackson"):
        key, value = field.split(": ")
        text = text.replace(f"    {field}\n", f"    {key}: {json.dumps(value + ' ' + payload)}\n", 1)
    for field in ("summary", "title", "publisher", "note"):
        text = re.sub(
            rf"^(\s+{field}: )(.*)$", lambda m: m.group(1) + json.dumps(m.group(2) + " " + payload), text, flags=re.M
        )
    data.write_text(text, encoding="utf-8")
    page = tree / "content" / "about.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("title: About", "title: " + json.dumps("About " + PAYLOADS[0]))
        + MARKDOWN
    )


def test_payloads_in_data_and_markdown_never_run(tiny: Path, tmp_path: Path, page: Page) -> None:
    poison(tiny)
    out = tmp_path / "site"
    result = run_build(
        "--data", str(tiny / "data"), "--content", str(tiny / "content"), "--out", str(out), "--base-url", "/"
    )
    assert result.returncode == 0, result.stderr
    dialogs, violations = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda r: r.abort())
    with serve(out) as address:
        for file in sorted(out.rglob("*.html")):
            page.goto(address + file.relative_to(out).as_posix())
            for marker in page.locator(".leaflet-marker-icon").all():
                marker.dispatch_event("click")  # opens its popup even when panned out of view
                marker.dispatch_event("mouseover")  # and its tooltip
            page.mouse.move(200, 200)
            assert page.evaluate("window.__pwned") is None, file
            assert "\u202e" not in page.content(), file
    assert dialogs == [] and violations == []
