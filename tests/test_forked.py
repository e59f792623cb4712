"""tracker/build/forked.py: a value, an error, or a plain message when the second process dies or its error cannot cross."""

from __future__ import annotations

import os
import signal

import pytest

from tracker.build.forked import Forked
from tracker.errors import BuildError, DataError, Problem


def test_the_value_comes_back() -> None:
    with Forked("adding", lambda: sum(range(10))) as job:
        assert job.result() == 45


def test_an_error_in_the_child_is_raised_here() -> None:
    with Forked("opening a file", lambda: open("/nonexistent/x")) as job, pytest.raises(FileNotFoundError):
        job.result()


class Unpicklable(Exception):
    def __init__(self, a: str, b: str) -> None:  # pickling an exception calls it with args alone: it fails
        super().__init__(f"{a} {b}")


def raise_unpicklable() -> None:
    raise Unpicklable("half", "done")


def test_an_error_that_cannot_cross_still_says_what_it_was() -> None:
    with Forked("failing", raise_unpicklable) as job, pytest.raises(BuildError, match=r"^Unpicklable: half done$"):
        job.result()


def test_a_child_killed_midway_is_a_plain_message() -> None:
    with (
        Forked("making the downloads", lambda: os.kill(os.getpid(), signal.SIGKILL)) as job,
        pytest.raises(
            BuildError, match=r"^the process making the downloads ended without finishing \(exit status -9\)\.$"
        ),
    ):
        job.result()


def test_leaving_early_stops_the_child() -> None:
    with pytest.raises(RuntimeError), Forked("sleeping", lambda: __import__("time").sleep(60)) as job:
        raise RuntimeError("this process failed first")
    assert job.process.exitcode == -signal.SIGKILL


def raise_data_error() -> None:
    raise DataError([Problem("data/jurisdictions.yaml", 12, 3, "the id is used twice.", subject="chicago-il")])


def test_a_data_error_arrives_with_every_problem() -> None:
    with Forked("checking", raise_data_error) as job, pytest.raises(DataError) as caught:
        job.result()
    assert caught.value.problems == [
        Problem("data/jurisdictions.yaml", 12, 3, "the id is used twice.", subject="chicago-il")
    ]


def interrupted_then_done() -> int:
    os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C reaches the whole process group: the parent handles it
    return 42


def test_ctrl_c_is_left_to_the_parent() -> None:
    with Forked("counting", interrupted_then_done) as job:
        assert job.result() == 42
