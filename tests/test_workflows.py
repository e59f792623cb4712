"""The GitHub Actions set-up, checked offline: zizmor, the published schemas, and the rules we rely on.

Rules: CI runs on every push and pull request; the token is read-only unless a job says otherwise; only
the deploy job can publish (pages: write, id-token: write), only for a push to main, and only after the
tests passed; checkouts keep no credentials; no pull_request_target; no ${{ }} inside shell scripts;
every action is pinned to a full commit SHA with its release named in a comment.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOW_FILES = sorted((GITHUB / "workflows").glob("*.yml")) + sorted((GITHUB / "workflows").glob("*.yaml"))
DEPENDABOT = GITHUB / "dependabot.yml"
BIN = Path(sys.executable).parent

MAIN_PUSH_CONDITIONS = ("github.event_name == 'push'", "github.ref == 'refs/heads/main'")
DEPLOYER = "actions/deploy-pages"
PAGES_UPLOADER = "actions/upload-pages-artifact"
PUBLISHING_PERMISSIONS = {"pages": "write", "id-token": "write"}
# owner/repo[/path]@<40 hex> # v1[.2[.3]]
PINNED_USES = re.compile(
    r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+){0,2}\s*$"
)
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:")


def tool(name: str) -> str:
    """A tool installed next to this Python (make test installs requirements-dev.txt into .venv)."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test`, which installs requirements-dev.txt.")
    return str(path)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=ROOT, capture_output=True, text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"}
    )


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` section as a mapping. PyYAML (YAML 1.1) reads the bare key `on` as True."""
    on = workflow["on"] if "on" in workflow else workflow[True]
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def jobs() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(file name, job id, job, workflow) for every job of every workflow."""
    return [
        (path.name, job_id, job, workflow)
        for path in WORKFLOW_FILES
        for workflow in [load(path)]
        for job_id, job in workflow["jobs"].items()
    ]


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def action(step: dict[str, Any]) -> str:
    """The action a step uses, without its ref ("" for a `run:` step)."""
    return str(step.get("uses", "")).split("@")[0]


def uses(job: dict[str, Any], name: str) -> bool:
    return any(action(step) == name for step in steps(job))


def jobs_using(name: str) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    return [entry for entry in jobs() if uses(entry[2], name)]


def needs(job: dict[str, Any]) -> list[str]:
    value = job.get("needs") or []
    return [value] if isinstance(value, str) else list(value)


def upstream(job_id: str, workflow: dict[str, Any]) -> set[str]:
    """Every job that must succeed before this one starts (the transitive `needs:`)."""
    seen: set[str] = set()
    todo = needs(workflow["jobs"][job_id])
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(needs(workflow["jobs"][current]))
    return seen


def runs_only_for_main_push(job: dict[str, Any]) -> bool:
    condition = " ".join(str(job.get("if", "")).split())
    return all(part in condition for part in MAIN_PUSH_CONDITIONS) and "||" not in condition


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in steps(job))


def test_there_is_a_workflow() -> None:
    assert WORKFLOW_FILES, "no workflow in .github/workflows/"


# --- the tools -----------------------------------------------------------------------------------


def test_zizmor_finds_nothing() -> None:
    result = run(tool("zizmor"), "--offline", "--format", "json", ".github/workflows/", ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == [], result.stdout


def test_workflows_match_the_github_workflow_schema() -> None:
    files = [str(path.relative_to(ROOT)) for path in WORKFLOW_FILES]
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_its_schema() -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", str(DEPENDABOT.relative_to(ROOT)))
    assert result.returncode == 0, result.stdout + result.stderr


# --- triggers and permissions --------------------------------------------------------------------


def test_ci_runs_on_every_push_and_pull_request() -> None:
    ci = [path for path in WORKFLOW_FILES if any("make test" in scripts(job) for job in load(path)["jobs"].values())]
    assert ci, "no workflow runs `make test`"
    for path in ci:
        on = triggers(load(path))
        assert {"push", "pull_request"} <= on.keys(), f"{path.name}: triggers are {sorted(on)}"
        for event in ("push", "pull_request"):
            filters = set(on[event] or {}) & {"branches", "branches-ignore", "paths", "paths-ignore", "tags"}
            assert not filters, f"{path.name}: {event} is limited by {sorted(filters)}"


def test_no_pull_request_target_anywhere() -> None:
    for path in WORKFLOW_FILES:
        assert "pull_request_target" not in triggers(load(path)), path.name
        assert "pull_request_target" not in path.read_text(encoding="utf-8"), path.name


def test_default_token_is_read_only() -> None:
    for path in WORKFLOW_FILES:
        assert load(path).get("permissions") == {"contents": "read"}, path.name


def test_only_the_deploy_job_can_publish() -> None:
    deployers = jobs_using(DEPLOYER)
    assert len(deployers) == 1, f"expected exactly one job using {DEPLOYER}, found {len(deployers)}"
    for name, job_id, job, _ in jobs():
        permissions = job.get("permissions")
        if (name, job_id) == deployers[0][:2]:
            assert permissions == PUBLISHING_PERMISSIONS, f"{name}:{job_id}: {permissions}"
            continue
        # Unset means the workflow's read-only default; "write-all" or any write scope is refused.
        assert permissions is None or isinstance(permissions, dict), f"{name}:{job_id}: permissions: {permissions}"
        assert "write" not in (permissions or {}).values(), f"{name}:{job_id} can write: {permissions}"


# --- publishing ----------------------------------------------------------------------------------


def test_deploy_runs_only_for_a_push_to_main_after_the_tests() -> None:
    [(name, job_id, job, workflow)] = jobs_using(DEPLOYER)
    assert runs_only_for_main_push(job), f"{name}:{job_id}: if: {job.get('if')!r}"
    before = upstream(job_id, workflow)
    builders = [other for other in before if uses(workflow["jobs"][other], PAGES_UPLOADER)]
    assert builders, f"{name}:{job_id} does not need the job that uploads the Pages artifact"
    for builder in builders:
        assert runs_only_for_main_push(workflow["jobs"][builder]), f"{name}:{builder} would build Pages for PRs"
    assert any("make test" in scripts(workflow["jobs"][other]) for other in before), (
        f"{name}:{job_id} can deploy without `make test` having passed"
    )


def test_deploy_job_uses_the_github_pages_environment() -> None:
    [(_, _, job, _)] = jobs_using(DEPLOYER)
    assert job["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    [deploy_step] = [step for step in steps(job) if action(step) == DEPLOYER]
    assert deploy_step.get("id") == "deployment"
    assert not any(action(step) == "actions/checkout" or "run" in step for step in steps(job)), (
        "the deploy job should run no project code"
    )


def test_one_deployment_at_a_time_never_cancelled() -> None:
    [(_, _, job, workflow)] = jobs_using(DEPLOYER)
    concurrency = job.get("concurrency", workflow.get("concurrency"))
    assert concurrency == {"group": "pages", "cancel-in-progress": False}


def test_pages_build_takes_the_address_from_configure_pages_through_env() -> None:
    [(_, _, job, _)] = jobs_using(PAGES_UPLOADER)
    [configure] = [step for step in steps(job) if action(step) == "actions/configure-pages"]
    address = "${{ steps." + configure["id"] + ".outputs.base_url }}"
    builds = [step for step in steps(job) if "--site-url" in str(step.get("run", ""))]
    assert builds, "the Pages build passes no --site-url"
    for step in builds:
        names = [name for name, value in (step.get("env") or {}).items() if value == address]
        assert names, f"{step.get('name')}: --site-url should come from an env: variable set to {address}"
        assert any(f'--site-url "${name}"' in step["run"] for name in names), step["run"]
    assert steps(job).index(configure) < steps(job).index(builds[0])


# --- the CI job ----------------------------------------------------------------------------------


def test_ci_job_checks_tests_and_uploads_a_preview() -> None:
    [(name, job_id, job, _)] = [entry for entry in jobs() if "make test" in scripts(entry[2])]
    order = [str(step.get("run") or action(step)) for step in steps(job)]
    check = next(i for i, s in enumerate(order) if "make check" in s or "build.py check" in s)
    test = next(i for i, s in enumerate(order) if "make test" in s)
    upload = next(i for i, s in enumerate(order) if s == "actions/upload-artifact")
    assert check < test < upload, f"{name}:{job_id}: expected check, then test, then the upload: {order}"
    assert steps(job)[upload]["with"]["path"].rstrip("/") == "site"
    [python] = [step for step in steps(job) if action(step) == "actions/setup-python"]
    assert python["with"] == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "requirements*.txt"}
    assert not runs_only_for_main_push(job), "CI must also run for pull requests"


# --- supply chain --------------------------------------------------------------------------------


def test_every_checkout_keeps_no_credentials() -> None:
    checkouts = [(name, job_id, step) for name, job_id, job, _ in jobs() for step in steps(job)]
    checkouts = [entry for entry in checkouts if action(entry[2]) == "actions/checkout"]
    assert checkouts
    for name, job_id, step in checkouts:
        assert (step.get("with") or {}).get("persist-credentials") is False, f"{name}:{job_id}"


def test_no_expressions_inside_shell_scripts() -> None:
    for name, job_id, job, _ in jobs():
        for step in steps(job):
            assert "${{" not in str(step.get("run", "")), f"{name}:{job_id}: pass values through env: instead"


def test_every_action_is_pinned_to_a_commit_with_its_release_named() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOW_FILES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not USES_LINE.match(line):
                continue
            match = PINNED_USES.match(line)
            assert match, f"{path.name}:{number}: pin to a full commit SHA with '# vX.Y.Z' after it: {line.strip()}"
            pins.setdefault(match[1], set()).add(match[2])
    assert pins
    for name, shas in pins.items():
        assert len(shas) == 1, f"{name} is pinned to different commits: {sorted(shas)}"
    parsed = {str(step["uses"]) for _, _, job, _ in jobs() for step in steps(job) if "uses" in step}
    assert {ref.split("@")[0] for ref in parsed} == set(pins), "a `uses:` was written in a form this test skipped"


def test_dependabot_updates_actions_and_pip_weekly() -> None:
    config = load(DEPENDABOT)
    assert config["version"] == 2
    updates = {entry["package-ecosystem"]: entry for entry in config["updates"]}
    assert set(updates) == {"github-actions", "pip"}
    for entry in updates.values():
        assert entry["directory"] == "/"
        assert entry["schedule"]["interval"] == "weekly"
