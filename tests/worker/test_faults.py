"""Duplicate deliveries and transient database faults, with a real Celery worker on Redis and PostgreSQL."""

from __future__ import annotations

import time

from sqlalchemy import text

from core.db import get_engine
from tests.factories import make_user
from tests.worker.harness import WorkerProcess
from tests.worker.uploads import (
    canonical_csv,
    expected_sums,
    file_row,
    metric_values,
    paused,
    stored_rows,
    upload,
    wait_for,
)
from worker import dispatch, jobs
from worker.celery_app import task_name

ROWS = 200_000
SKIPPED = "is being processed by a live worker: this delivery does nothing"


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"{what} after {timeout} s"
        time.sleep(0.05)
    return found


def assert_loaded_once(file_id, rows: int) -> None:
    row = wait_for(file_id, ("ready", "error"), timeout=120)
    assert (row.status, row.rows, row.attempts, row.error_text) == ("ready", rows, 1, None)
    assert stored_rows(file_id) == (rows, rows)
    values = metric_values(file_id)
    assert {code: values[code] for code in expected_sums(rows)} == expected_sums(rows)


def test_four_concurrent_deliveries_of_one_file_load_it_once(broker, tmp_path):
    """A redelivered message (visibility timeout, reconnect) meeting the live run is not an attempt."""
    worker = WorkerProcess(tmp_path, concurrency=4).start()
    try:
        file_id = upload(make_user(), "stats.csv", canonical_csv(ROWS, per_day=500))
        for _ in range(4):
            assert dispatch.enqueue_file(file_id) is True
        with paused(file_id):  # the delivery that claimed the file is held while the others arrive
            wait_until(
                lambda: worker.output().count(SKIPPED) == 3,
                timeout=60,
                what=f"the three duplicate deliveries did not stand aside:\n{worker.output()}",
            )
        assert_loaded_once(file_id, ROWS)
        assert worker.output().count(f"Task {task_name(jobs.PROCESS_FILE)}[") >= 4
    finally:
        worker.stop()


def _loading_backend() -> int | None:
    """The backend running the COPY of raw_data in this test's database, if one is."""
    query = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND state = 'active' AND query LIKE 'COPY raw_data%'"
    )
    with get_engine().connect() as conn:
        return conn.scalar(query)


def test_backend_terminated_mid_copy_is_retried_by_itself(broker, tmp_path):
    worker = WorkerProcess(tmp_path, env={"TRANSIENT_BACKOFF_S": "1.5"}).start()
    try:
        file_id = upload(make_user(), "stats.csv", canonical_csv(ROWS, per_day=500))
        dispatch.enqueue_file(file_id)
        pid = wait_until(_loading_backend, timeout=60, what="no COPY into raw_data")
        with get_engine().connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}) is True

        retrying = wait_for(file_id, ("processing", "ready", "error"), timeout=30)
        wait_until(
            lambda: (row := file_row(file_id)).status != "processing" or row.error_text,
            timeout=30,
            what="the file never said it was retrying",
        )
        retrying = file_row(file_id)
        assert retrying.status == "processing", retrying.error_text
        assert "trying again by itself (retry 1 of 3)" in retrying.error_text

        assert_loaded_once(file_id, ROWS)
        assert "met a transient fault (OperationalError" in worker.output()
    finally:
        worker.stop()
