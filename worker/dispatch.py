"""Hand work to the background: Celery when CELERY_BROKER_URL is set, else a process of our own.

Call the enqueue functions after the transaction that recorded the work has committed. Without a
broker, one spawned process per app process runs the very same task functions in submission order
(a process rather than a thread: parsing is CPU-bound and must not hold the UI's GIL, a crash while
parsing must not take the app down, and spawn avoids forking Streamlit's threads).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import uuid
from collections import Counter
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from core import pipeline
from core.config import get_settings

log = logging.getLogger(__name__)

# A queued or processing file whose heartbeat is older than this has lost its worker. Processing
# writes a heartbeat at least every second or so; the longest silent steps (dedupe and metrics of
# millions of rows) take seconds. A false alarm costs a second, serialised run, never wrong data.
STUCK_AFTER_S = float(os.environ.get("WORKER_STUCK_AFTER_S") or 120)

_lock = threading.Lock()
_local: _LocalRunner | None = None
_started: set[tuple[str, str]] = set()


def enqueue_file(file_id: uuid.UUID | str) -> bool:
    """Parse the file and compute its metrics in the background; False if the broker is unreachable."""
    return _submit("parse_csv", str(file_id))


def enqueue_report(file_id: uuid.UUID | str, fmt: str, user_id: int) -> bool:
    """Build the file's PDF or CSV report in the background (report_exports records it)."""
    return _submit("generate_report", str(file_id), fmt, user_id)


def recover_stuck(*, older_than_s: float | None = None) -> list[uuid.UUID]:
    """Re-enqueue the files a crash or restart left queued or processing; returns their ids."""
    limit = STUCK_AFTER_S if older_than_s is None else older_than_s
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
    """Stop the in-process runner (tests; the interpreter also waits for it at exit)."""
    global _local
    with _lock:
        runner, _local = _local, None
        _started.clear()
    if runner is not None:
        runner.close(wait=wait)


def _settings_key() -> tuple[str, str]:
    settings = get_settings()
    return settings.database_url, str(settings.storage_dir)


def _submit(name: str, *args) -> bool:
    if get_settings().celery_broker_url:
        return _send(name, *args)
    start()
    _runner().submit(name, args)
    return True


def _send(name: str, *args) -> bool:
    from kombu.exceptions import OperationalError

    from worker import tasks

    try:
        getattr(tasks, name).apply_async(args=args, retry_policy=_PUBLISH_RETRY)
    except OperationalError:  # the file stays queued: recovery enqueues it once the broker is back
        log.exception("could not reach the broker to enqueue %s%r", name, args)
        return False
    return True


_PUBLISH_RETRY = {"max_retries": 3, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def _runner() -> _LocalRunner:
    """This process's runner, made on first use (again if the settings changed, as in tests)."""
    global _local
    key = _settings_key()
    with _lock:
        if _local is not None and _local.key != key:
            _local.close(wait=False)
            _local = None
        if _local is None:
            _local = _LocalRunner(key)
        return _local


def _child_init() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(name)s: %(message)s")
    if hasattr(os, "nice"):
        os.nice(5)  # the UI's process keeps the upper hand on a small machine


class _LocalRunner:
    """One spawned process that runs tasks one at a time; replaced if it dies."""

    def __init__(self, key: tuple[str, str]):
        self.key = key
        self._lock = threading.Lock()
        self._pending: set[tuple] = set()  # a file waiting twice would only run twice
        self._deaths: Counter[tuple] = Counter()
        self._pool = self._new_pool()

    @staticmethod
    def _new_pool() -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_child_init, max_tasks_per_child=50
        )

    def submit(self, name: str, args: tuple) -> None:
        from worker.tasks import run

        job = (name, *args)
        with self._lock:
            if job in self._pending:
                return
            self._pending.add(job)
            pool = self._pool
            try:
                future = pool.submit(run, name, *args)
            except BrokenProcessPool:
                self._pool = pool = self._new_pool()
                future = pool.submit(run, name, *args)
        future.add_done_callback(partial(self._done, job, pool))

    def _done(self, job: tuple, pool: ProcessPoolExecutor, future: Future) -> None:
        with self._lock:
            self._pending.discard(job)
            if future.cancelled():
                return
            error = future.exception()
            if not isinstance(error, BrokenProcessPool):
                if error is not None:
                    log.error("background task %r failed", job, exc_info=error)
                return
            if self._pool is pool:  # the process died (killed, out of memory): start another
                self._pool = self._new_pool()
            self._deaths[job] += 1
            again = self._deaths[job] <= get_settings().max_attempts
        log.error("the background process died while running %r%s", job, "; running it again" * again)
        if again:  # the file's own attempts counter ends a file that kills every process
            self.submit(job[0], job[1:])

    def close(self, *, wait: bool) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
