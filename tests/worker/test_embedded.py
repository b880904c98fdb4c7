"""The embedded defaults: SQLite and the in-process runner, no Redis, no worker to start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import types
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from core.config import get_settings
from core.db import session_scope
from core.models import SocialFile, utcnow
from tests.factories import make_user
from tests.worker.harness import ROOT
from tests.worker.uploads import (
    assert_ready_on_the_second_attempt,
    canonical_csv,
    enqueue_and_watch,
    file_row,
    paused,
    reports_of,
    upload,
    wait_for,
    wait_for_report,
)
from worker import dispatch

BIG = 100_000


@pytest.fixture
def embedded(sqlite_db):
    assert get_settings().celery_broker_url is None
    yield
    dispatch.shutdown()


def runner_pid() -> int:
    """The process that runs this process's background tasks (it may be starting)."""
    deadline = time.monotonic() + 30
    while (pid := dispatch.runner_pid()) is None:
        assert time.monotonic() < deadline, "no background runner"
        time.sleep(0.02)
    return pid


@pytest.fixture
def page_as_main(tmp_path, monkeypatch):
    """What Streamlit does while a page runs: the page is `__main__` (and must not run twice)."""
    page = tmp_path / "page.py"
    page.write_text("raise SystemExit('the page ran again in the background process')\n")
    module = types.ModuleType("__main__")
    module.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", module)


def test_upload_goes_queued_processing_ready_off_the_calling_process(embedded, page_as_main):
    file_id = upload(make_user(), "stats.csv", canonical_csv(100_000, per_day=100))
    enqueue_and_watch(file_id, 100_000)
    assert runner_pid() != os.getpid()


def test_files_left_behind_by_a_crash_are_picked_up_at_start(embedded):
    user = make_user()
    never_sent = upload(user, "a.csv", canonical_csv(50))
    cut_short = upload(user, "b.csv", canonical_csv(60))
    with session_scope() as session:  # what a process killed in the middle of b.csv leaves
        long_ago = utcnow() - timedelta(minutes=5)
        session.execute(
            update(SocialFile)
            .where(SocialFile.id == cut_short)
            .values(status="processing", progress=40, attempts=1, heartbeat_at=long_ago)
        )

    dispatch.start()

    assert [wait_for(f, ("ready", "error")).rows for f in (never_sent, cut_short)] == [50, 60]
    assert [file_row(f).attempts for f in (never_sent, cut_short)] == [1, 2]


def test_runner_killed_mid_file_runs_it_again(embedded):
    file_id = upload(make_user(), "big.csv", canonical_csv(BIG, per_day=200))
    dispatch.enqueue_file(file_id)
    with paused(file_id):
        os.kill(runner_pid(), signal.SIGKILL)

    assert_ready_on_the_second_attempt(file_id, BIG)


def test_a_file_that_kills_the_runner_every_time_ends_in_error(embedded):
    file_id = upload(make_user(), "big.csv", canonical_csv(BIG, per_day=200))
    cap = get_settings().max_attempts
    dispatch.enqueue_file(file_id)

    for attempt in range(1, cap + 1):
        with paused(file_id, attempt=attempt):
            os.kill(runner_pid(), signal.SIGKILL)
    row = wait_for(file_id, ("ready", "error"), timeout=60)

    assert (row.status, row.attempts, row.rows) == ("error", cap + 1, 0)
    assert f"stopped unexpectedly {cap} times" in row.error_text
    # The runner came back and serves the next file.
    other = upload(make_user(), "fine.csv", canonical_csv(10))
    dispatch.enqueue_file(other)
    assert wait_for(other, ("ready", "error")).status == "ready"


def test_a_report_is_built_off_the_calling_process(embedded):
    user = make_user()
    file_id = upload(user, "stats.csv", canonical_csv(40))
    dispatch.enqueue_file(file_id)
    assert wait_for(file_id, ("ready", "error")).status == "ready"

    assert dispatch.enqueue_report(file_id, "pdf", user.id) is True
    report = wait_for_report(file_id)
    dispatch.enqueue_report(file_id, "pdf", user.id)  # the same file version: reused
    dispatch.shutdown()  # waits for what was submitted

    assert Path(report.path).read_bytes().startswith(b"%PDF")
    assert [r.id for r in reports_of(file_id)] == [report.id]


def test_the_runners_child_process_loads_no_celery():
    """The embedded runner runs worker/jobs.py: the Celery app is not on its import path."""
    code = "import sys, worker.runner; print(sorted(m for m in ('celery', 'kombu') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
