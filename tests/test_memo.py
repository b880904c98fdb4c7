"""core.memo: kept per data and arguments; a computation under way is waited for, not repeated."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from core import memo


def _scope(version: int = 1):
    part = SimpleNamespace(
        id=7, version=version, first=None, last=None, rows=3, account_id=1, row_kind="posts", stored=True
    )
    return SimpleNamespace(kind="account", id=1, files=[part], accounts=(), columns=(), settled=frozenset())


def test_a_second_thread_waits_for_the_first_one_s_result():
    memo.clear()
    calls, results = [], []

    def slow():
        calls.append(threading.current_thread().name)
        time.sleep(0.3)
        return [{"views": 5}]

    threads = [
        threading.Thread(target=lambda: results.append(memo.kept("t", _scope(), (1,), slow)), name=f"t{i}")
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and results == [[{"views": 5}]] * 3
    assert results[0] is not results[1] and results[0][0] is not results[1][0]  # each a copy of its own
    assert memo.kept("t", _scope(version=2), (1,), lambda: ["reloaded"]) == ["reloaded"]  # new data: computed


def test_a_failed_computation_is_not_kept_and_others_compute_it_themselves():
    memo.clear()
    started, release = threading.Event(), threading.Event()

    def failing():
        started.set()
        release.wait(5)
        raise RuntimeError("database went away")

    errors = []

    def first():
        try:
            memo.kept("f", _scope(), (), failing)
        except RuntimeError as exc:
            errors.append(str(exc))

    worker = threading.Thread(target=first)
    worker.start()
    started.wait(5)
    got = []
    waiter = threading.Thread(target=lambda: got.append(memo.kept("f", _scope(), (), lambda: "fresh")))
    waiter.start()
    time.sleep(0.1)
    assert got == []  # waiting for the first
    release.set()
    worker.join()
    waiter.join()
    assert errors == ["database went away"] and got == ["fresh"]
    assert memo.kept("f", _scope(), (), lambda: "again") == "fresh"
