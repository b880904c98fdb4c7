"""A real Celery worker on real Redis and PostgreSQL: the upload journey and the faults it survives."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from core import files, storage
from core.config import get_settings
from core.db import session_scope
from tests.factories import make_user
from tests.worker.harness import KILL_MARK, ROOT, WorkerProcess
from tests.worker.uploads import (
    assert_ready_on_the_second_attempt,
    canonical_csv,
    enqueue_and_watch,
    expected_sums,
    file_row,
    metric_values,
    paused,
    stored_rows,
    upload,
    wait_for,
    wait_for_report,
)
from worker import dispatch

BIG = 300_000  # a few seconds of parsing: long enough to kill a worker in the middle


def test_upload_goes_queued_processing_ready(celery_worker):
    file_id = upload(make_user(), "stats.csv", canonical_csv(200_000, per_day=500))
    enqueue_and_watch(file_id, 200_000)
    assert "Task worker.tasks.process_file[" in celery_worker.output()


def test_a_message_queued_under_the_old_task_name_still_runs(celery_worker):
    """Messages sent before the task was renamed from parse_csv to process_file are not lost."""
    from worker.celery_app import app

    file_id = upload(make_user(), "stats.csv", canonical_csv(30))
    app.send_task("worker.tasks.parse_csv", args=(str(file_id),))
    row = wait_for(file_id, ("ready", "error"))

    assert (row.status, row.rows) == ("ready", 30)
    assert "Task worker.tasks.parse_csv[" in celery_worker.output()


def test_processing_again_gives_the_same_result(celery_worker):
    user = make_user()
    file_id = upload(user, "stats.csv", canonical_csv(3_000, per_day=30))
    dispatch.enqueue_file(file_id)
    first = wait_for(file_id, ("ready", "error"))
    metrics_before = {p: metric_values(file_id, p) for p in ("current", "previous")}

    with session_scope() as session:
        files.retry_file(session, actor=user, file_id=file_id)
    dispatch.enqueue_file(file_id)
    wait_for(file_id, ("processing", "ready", "error"))
    again = wait_for(file_id, ("ready", "error"))

    assert (again.status, again.rows, again.version) == ("ready", first.rows, first.version + 1)
    assert stored_rows(file_id) == (3_000, 3_000)
    assert {p: metric_values(file_id, p) for p in ("current", "previous")} == metrics_before


def test_pool_process_killed_mid_file_is_processed_again(celery_worker):
    """task_acks_late + task_reject_on_worker_lost: the message goes back and runs again."""
    file_id = upload(make_user(), "big.csv", canonical_csv(BIG, per_day=500))
    dispatch.enqueue_file(file_id)
    with paused(file_id):
        celery_worker.kill_pool_process()

    assert_ready_on_the_second_attempt(file_id, BIG)
    assert "WorkerLostError" in celery_worker.output()


def test_whole_worker_killed_mid_file_is_recovered_by_the_next_worker(broker, tmp_path):
    """The message is lost with the worker; the stale heartbeat in the database brings the file back."""
    worker = WorkerProcess(tmp_path).start()
    file_id = upload(make_user(), "big.csv", canonical_csv(BIG, per_day=500))
    dispatch.enqueue_file(file_id)
    with paused(file_id):
        worker.kill_all()
    killed_at = time.monotonic()
    assert stored_rows(file_id) == (0, 0)  # killed while loading: the COPY's rows died with it

    try:  # restarted at once, as a container is: the delayed pass finds the file once it is stale
        worker.start()
        row = wait_for(file_id, ("ready", "error"), timeout=90)
        recovery_s = time.monotonic() - killed_at
    finally:
        worker.stop()

    recovered = [line for line in worker.output().splitlines() if "left queued or processing" in line]
    assert (row.status, row.rows, row.attempts) == ("ready", BIG, 2), (row.error_text, recovered)
    assert stored_rows(file_id) == (BIG, BIG)
    assert f"file {file_id} was left queued or processing" in worker.output()
    assert recovery_s < 45


def test_a_file_that_kills_its_worker_every_time_ends_in_error(celery_worker):
    user = make_user()
    file_id = upload(user, f"{KILL_MARK}.csv", canonical_csv(10))
    cap = get_settings().max_attempts

    dispatch.enqueue_file(file_id)
    row = wait_for(file_id, ("ready", "error"), timeout=90)

    assert (row.status, row.attempts, row.rows) == ("error", cap + 1, 0)
    assert f"stopped unexpectedly {cap} times" in row.error_text
    assert celery_worker.output().count("exited with 'signal 9 (SIGKILL)'") == cap
    # The worker is still serving: the next file goes through.
    other = upload(user, "fine.csv", canonical_csv(10))
    dispatch.enqueue_file(other)
    assert wait_for(other, ("ready", "error")).status == "ready"
    assert file_row(file_id).status == "error"


def test_a_report_is_built_by_the_worker(celery_worker):
    user = make_user()
    file_id = upload(user, "stats.csv", canonical_csv(40))
    dispatch.enqueue_file(file_id)
    assert wait_for(file_id, ("ready", "error")).status == "ready"

    assert dispatch.enqueue_report(file_id, "csv", user.id) is True
    report = wait_for_report(file_id)

    data = storage.get_store().read_bytes(report.path)
    assert (report.format, report.user_id, report.size_bytes) == ("csv", user.id, len(data))
    assert data.startswith(b"\xef\xbb\xbf") and str(expected_sums(40)["views"]).encode() in data


def test_beat_recovers_a_file_whose_worker_vanished(broker, tmp_path):
    """The schedule re-enqueues a stale file while the worker keeps running (no restart needed)."""
    worker = WorkerProcess(tmp_path, env={"WORKER_RECOVER_EVERY_S": "1"})
    worker.extra_args = ["-B", "-s", str(tmp_path / "beat-schedule")]
    worker.start()
    try:
        file_id = upload(make_user(), "stats.csv", canonical_csv(30))  # committed, never enqueued
        row = wait_for(file_id, ("ready", "error"), timeout=30)
    finally:
        worker.stop()

    assert (row.status, row.rows, row.attempts) == ("ready", 30, 1)
    assert "Sending due task recover-stuck-files (worker.tasks.recover_stuck)" in worker.output()


def test_enqueue_reports_an_unreachable_broker(tmp_path):
    """The caller learns the file was not sent (it stays queued; recovery enqueues it later)."""
    code = "import uuid; from worker import dispatch; print(dispatch.enqueue_file(uuid.uuid4()))"
    env = {**os.environ, "CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "STORAGE_DIR": str(tmp_path)}
    started = time.monotonic()

    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)

    assert done.stdout.strip() == "False", done.stderr
    assert "could not reach the broker" in done.stderr
    assert time.monotonic() - started < 20
