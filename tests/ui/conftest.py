"""Fixtures of the page tests (AppTest): cheap password hashes, enqueues recorded instead of sent, and
the status board on a clock moved by hand."""

from __future__ import annotations

import pytest

from core import auth, live_status


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """Cheap hashes in tests (production uses auth.BCRYPT_ROUNDS = 12)."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def enqueued(monkeypatch) -> list[str]:
    """The file ids the pages hand to the worker (recorded; the test runs the pipeline itself)."""
    from worker import dispatch

    calls: list[str] = []
    monkeypatch.setattr(dispatch, "enqueue_file", lambda file_id: calls.append(str(file_id)) or True)
    return calls


class Clock:
    """The status board's clock, moved by hand: a refresh reads the board or its cache as the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def later(self, seconds: float = live_status.FRESH_S) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(live_status, "board", live_status.Board(clock=clock))
    return clock
