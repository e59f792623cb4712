"""Report problems for people (plain text) or for GitHub Actions (annotations and a step summary)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from tracker.errors import Problem


def escape_data(text: str) -> str:
    """GitHub workflow-command escaping for the message part."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escaping for file=, title= and other properties (":" and "," separate them)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One `::error` line, placed on the problem's line so it shows in the pull request's diff."""
    props = [f"file={escape_property(problem.path)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
    props.append(f"title={escape_property(problem.title)}")
    subject = f"{problem.subject}: " if problem.subject else ""
    return f"::error {','.join(props)}::{escape_data(subject + problem.message)}"


def summary_table(problems: list[Problem]) -> str:
    """A Markdown table of the problems for $GITHUB_STEP_SUMMARY."""
    rows = ["### The data has problems; nothing was published", ""]
    rows += ["| File | Line | Record | Problem |", "|---|---|---|---|"]
    for p in problems:
        cells = [p.path, str(p.line or ""), p.subject or "", p.message]
        rows.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(rows) + "\n"


def report_problems(problems: list[Problem], env: Mapping[str, str] = os.environ, out: TextIO = sys.stderr) -> None:
    """Print every problem, as annotations under GitHub Actions, as plain lines otherwise."""
    in_actions = env.get("GITHUB_ACTIONS") == "true"
    count = len(problems)
    print(f"Found {count} problem{'s' if count != 1 else ''}; nothing was published:", file=out)
    for problem in problems:
        print(annotation(problem) if in_actions else f"  {problem}", file=out)
    summary = env.get("GITHUB_STEP_SUMMARY")
    if in_actions and summary:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(summary_table(problems))
