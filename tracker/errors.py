"""Errors the build reports to editors, each with the place it points at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    path: str
    line: int | None
    col: int | None
    message: str
    subject: str | None = None  # e.g. "chicago-il", the record the problem belongs to
    title: str = "Invalid data"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        about = f"{self.subject}: " if self.subject else ""
        return f"{where}: {about}{self.message}"


class TrackerError(Exception):
    """Base class: anything the CLI reports as a plain message and exit status 1."""


class DataError(TrackerError):
    """One or more problems in the input files; all are reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[DataError], tuple[list[Problem]]]:
        return (DataError, (self.problems,))  # so that one raised in a second process arrives whole


class BuildError(TrackerError):
    """The inputs were valid but the site could not be produced (templates, paths, disk)."""
