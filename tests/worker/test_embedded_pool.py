"""The embedded runner's turns and pool (WORKER_PROCESSES): users take turns, different users' files
run at once in a pool, one user's files one after another in the order they were sent."""

from __future__ import annotations

import pytest

from core.config import get_settings
from tests.factories import make_user
from tests.worker.uploads import canonical_csv, file_row, stored_rows, upload, wait_for
from worker import dispatch

LONG = 150_000  # seconds of work, against well under one for the short files


@pytest.fixture
def embedded(sqlite_db, monkeypatch, request):
    monkeypatch.setenv("WORKER_PROCESSES", str(request.param))
    get_settings.cache_clear()
    assert get_settings().celery_broker_url is None
    yield request.param
    dispatch.shutdown()


def _finished_in_order(*file_ids) -> list:
    """The files, as the order they became ready in (each must end ready)."""
    rows = {f: wait_for(f, ("ready", "error"), timeout=120) for f in file_ids}
    assert {f: r.status for f, r in rows.items()} == dict.fromkeys(file_ids, "ready")
    return sorted(file_ids, key=lambda f: rows[f].finished_at)


def _three_files():
    anna, boris = make_user(), make_user()
    long_one = upload(anna, "long.csv", canonical_csv(LONG, per_day=200))
    annas_next = upload(anna, "next.csv", canonical_csv(30))
    boris_file = upload(boris, "short.csv", canonical_csv(40))
    for file_id in (long_one, annas_next, boris_file):  # as sent: Anna's two, then Boris's
        assert dispatch.enqueue_file(file_id) is True
    return long_one, annas_next, boris_file


@pytest.mark.parametrize("embedded", [2], indirect=True)
def test_another_users_file_is_not_kept_waiting_behind_a_long_one(embedded):
    long_one, annas_next, boris_file = _three_files()
    # Boris's file goes at once, beside Anna's long one; Anna's next waits for her long one.
    assert _finished_in_order(long_one, annas_next, boris_file) == [boris_file, long_one, annas_next]
    assert [stored_rows(f) for f in (long_one, annas_next, boris_file)] == [(LONG, LONG), (30, 30), (40, 40)]
    assert [file_row(f).attempts for f in (long_one, annas_next, boris_file)] == [1, 1, 1]


@pytest.mark.parametrize("embedded", [1], indirect=True)
def test_with_one_process_users_take_turns(embedded):
    long_one, annas_next, boris_file = _three_files()
    # Anna's long file first (sent first), then Boris's turn, though Anna's next was sent before it.
    assert _finished_in_order(long_one, annas_next, boris_file) == [long_one, boris_file, annas_next]
