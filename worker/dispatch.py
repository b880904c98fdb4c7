"""Hand work to the background: Celery when CELERY_BROKER_URL is set, else a process of our own.

Call the enqueue functions after the transaction that recorded the work has committed. A job is a
name in worker/jobs.py: with a broker it is sent to Celery by its task's name; without one, a few
child processes per app process (worker/runner.py, WORKER_PROCESSES) run the very same job
functions, different users' jobs at once and each user's in submission order; the runner lives in
this module, so Streamlit's reruns share it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Hashable
from functools import partial

from kombu.exceptions import OperationalError

from core import files, pipeline
from core.config import get_settings
from core.db import session_scope
from core.store_sweep import SWEEP_EVERY_S
from worker import jobs
from worker.celery_app import app, task_name
from worker.runner import LocalRunner

log = logging.getLogger(__name__)


def stuck_after_s() -> float:
    """A queued or processing file whose heartbeat is older than this has lost its worker.

    Processing writes a heartbeat at least every second or so; the longest silent steps (dedupe
    and metrics of millions of rows) take seconds. A false alarm costs a second run, not wrong data.
    """
    return get_settings().worker_stuck_after_s


_lock = threading.Lock()
_local: tuple[tuple[str, str], LocalRunner] | None = None
_started: set[tuple[str, str]] = set()


def enqueue_file(file_id: uuid.UUID | str) -> bool:
    """Parse the file and compute its metrics in the background; False if the broker is unreachable."""
    return _submit(jobs.PROCESS_FILE, str(file_id), lane=partial(_owner_of, file_id))


def enqueue_report(file_id: uuid.UUID | str, fmt: str, user_id: int) -> bool:
    """Build the file's PDF or CSV report in the background (report_exports records it)."""
    return _submit(jobs.GENERATE_REPORT, str(file_id), fmt, user_id, lane=lambda: user_id)


def _owner_of(file_id: uuid.UUID | str) -> int | None:
    """The embedded runner's lane of a file's job: its owner, whose jobs take turns."""
    with session_scope() as session:
        return files.owner_id(session, file_id=file_id)


def recover_stuck(*, older_than_s: float | None = None) -> list[uuid.UUID]:
    """Re-enqueue the files a crash or restart left queued or processing; returns their ids."""
    limit = stuck_after_s() if older_than_s is None else older_than_s
    found = pipeline.stuck_files(older_than_s=limit)
    for file_id in found:
        log.warning("file %s was left queued or processing; enqueueing it again", file_id)
        enqueue_file(file_id)
    return found


def start() -> None:
    """Once per process, cheap afterwards: without a broker, pick up what the last run left behind.

    The app calls this on every run; a Celery worker recovers on its own (worker_ready and beat).
    """
    settings = get_settings()
    key = _settings_key()
    with _lock:
        if settings.celery_broker_url or key in _started:
            return
        _started.add(key)
    # Nothing else runs this process's tasks: whatever is queued or processing now was orphaned.
    recover_stuck(older_than_s=0)


def shutdown(*, wait: bool = True) -> None:
    """Stop the background runner after its queued jobs (tests); at exit it finishes the running one."""
    global _local
    with _lock:
        runner, _local = _local, None
        _started.clear()
    if runner is not None:
        runner[1].close(wait=wait)


def _settings_key() -> tuple[str, str]:
    settings = get_settings()
    return settings.database_url, str(settings.storage_dir)


def _submit(name: str, *args, lane: Callable[[], Hashable]) -> bool:
    if get_settings().celery_broker_url:
        return _send(name, *args)
    start()
    _runner().submit((name, *args), lane=lane())
    return True


def _send(name: str, *args) -> bool:
    try:
        app.send_task(task_name(name), args=args, retry_policy=_PUBLISH_RETRY)
    except OperationalError:  # the file stays queued: recovery enqueues it once the broker is back
        log.exception("could not reach the broker to enqueue %s%r", name, args)
        return False
    return True


_PUBLISH_RETRY = {"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def _runner() -> LocalRunner:
    """This process's runner, made on first use (again if the settings changed, as in tests)."""
    global _local
    key = _settings_key()
    with _lock:
        if _local is not None and _local[0] != key:
            _local[1].close(wait=False)
            _local = None
        if _local is None:
            settings = get_settings()
            periodic = [
                ((jobs.RUN_SCHEDULES,), settings.schedules_every_s),
                ((jobs.SWEEP_STORAGE,), SWEEP_EVERY_S),
            ]
            runner = LocalRunner(
                max_deaths=settings.max_attempts, processes=settings.worker_processes, periodic=periodic
            )
            _local = (key, runner)
        return _local[1]


def runner_pid() -> int | None:
    """The pid of this process's background runner, if one is running (health checks, tests)."""
    return _local[1].pid if _local is not None else None
