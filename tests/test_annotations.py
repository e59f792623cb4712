"""Under GitHub Actions, problems become annotations on the changed line and a step summary table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def check_in_actions(tree: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    args = ["check", "--data", "data", "--content", "content"]
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), *args], cwd=tree, env=env, capture_output=True, text=True
    )


def test_data_problem_is_an_error_annotation_on_its_line(tiny: Path, tmp_path: Path) -> None:
    data = tiny / "data" / "jurisdictions.yaml"
    data.write_text(
        data.read_text().replace("kind: city\n    state: IL", "kind: town\n    state: IL"), encoding="utf-8"
    )
    summary = tmp_path / "summary.md"
    result = check_in_actions(tiny, summary)
    assert result.returncode == 1
    expected = (
        "::error file=data/jurisdictions.yaml,line=14,col=11,title=Invalid value::"
        'Chicago (id: chicago-il): "kind" must be one of: state, county, city, city-county; it is "town".'
    )
    assert expected in result.stderr.splitlines()
    table = summary.read_text()
    assert '| data/jurisdictions.yaml | 14 | Chicago (id: chicago-il) | "kind" must be one of' in table


def test_front_matter_problem_is_annotated_too(tiny: Path, tmp_path: Path) -> None:
    page = tiny / "content" / "about.md"
    page.write_text(page.read_text().replace("title: About", "titel: About"), encoding="utf-8")
    result = check_in_actions(tiny, tmp_path / "summary.md")
    lines = result.stderr.splitlines()
    assert (
        '::error file=content/about.md,line=2,col=1,title=Front matter::unknown front matter field "titel". Did you mean "title"? Allowed: title, summary, date, updated, nav, nav_title.'
        in lines
    )
    assert '::error file=content/about.md,line=2,title=Front matter::"title" is missing (the page title).' in lines


def test_plain_text_outside_actions(tiny: Path) -> None:
    data = tiny / "data" / "jurisdictions.yaml"
    data.write_text(
        data.read_text().replace("kind: city\n    state: IL", "kind: town\n    state: IL"), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "check", "--data", "data", "--content", "content"],
        cwd=tiny,
        env=env,
        capture_output=True,
        text=True,
    )
    assert '  data/jurisdictions.yaml:14:11: Chicago (id: chicago-il): "kind" must be one of' in result.stderr
    assert "::error" not in result.stderr
