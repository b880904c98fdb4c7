"""Who is processing a file right now, and which failures are worth trying again.

A run holds a lock on its file for as long as it works on it: a PostgreSQL session advisory lock
(on a connection of its own) or, on the embedded SQLite default, an OS file lock under STORAGE_DIR.
Both are released by the server or the kernel the moment their holder dies, so a delivery that
cannot take the lock knows a live worker has the file; one that can, and finds the file still
`processing`, knows the previous run died.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import time
import uuid
from collections.abc import Callable

from filelock import FileLock, Timeout
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from core.config import get_settings
from core.db import get_engine

log = logging.getLogger(__name__)


def _pg_key(file_id: uuid.UUID) -> int:
    """The advisory lock's 64-bit key: the file id's first eight bytes."""
    return int.from_bytes(file_id.bytes[:8], "big", signed=True)


class RunLock:
    """The lock of one run on one file; `acquire()` is False when another live run holds it."""

    def __init__(self, file_id: uuid.UUID):
        self.file_id = file_id
        self._conn = None
        self._file: FileLock | None = None

    def acquire(self) -> bool:
        engine = get_engine()
        if engine.dialect.name != "postgresql":
            folder = get_settings().storage_dir / "locks"
            folder.mkdir(parents=True, exist_ok=True)
            self._file = FileLock(folder / f"{self.file_id}.lock")
            try:
                self._file.acquire(timeout=0)
            except Timeout:
                self._file = None
                return False
            return True
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        query = text("SELECT pg_try_advisory_lock(:k)")
        if conn.scalar(query, {"k": _pg_key(self.file_id)}):
            self._conn = conn
            return True
        conn.close()
        return False

    def still_held(self) -> bool:
        """Whether this run still has the file: a fault may have taken the lock's connection with it,
        and then the lock is taken again unless another run got it first."""
        if self._conn is None:
            return self._file is not None
        try:
            self._conn.scalar(text("SELECT 1"))
            return True
        except sa_exc.DBAPIError:
            log.warning("the lock of file %s lost its connection; taking it again", self.file_id)
            self._drop()
            return self.acquire()

    def release(self) -> None:
        if self._file is not None:
            self._file.release()
            self._file = None
        if self._conn is not None:
            try:
                self._conn.scalar(text("SELECT pg_advisory_unlock(:k)"), {"k": _pg_key(self.file_id)})
            except sa_exc.DBAPIError:  # the connection died: so did its lock
                pass
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        try:
            conn.close()
        except sa_exc.DBAPIError:
            conn.invalidate()


def _causes(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
            yield exc.orig
        exc = exc.__cause__ or exc.__context__


def is_transient(exc: BaseException) -> bool:
    """A fault that another try may not meet: a lost or refused connection, a serialization
    failure, a deadlock, a database that was busy or restarting."""
    import psycopg

    for cause in _causes(exc):
        if isinstance(cause, sa_exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, psycopg.OperationalError):
            return True  # classes 08 (connection), 40 (serialization, deadlock), 53, 57 (terminated)
        if isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause):
            return True
        if isinstance(cause, (ConnectionError, TimeoutError)):
            return True
    return False


def backoff_s(retry: int) -> float:
    """The pause before retry number `retry` (1, 2, …): doubling from the base, with some jitter."""
    base = get_settings().transient_backoff_s * 2 ** (retry - 1)
    return base * random.uniform(0.8, 1.2)


class LostRun(Exception):
    """Another run took the file over while this one waited to retry."""


def retrying(step: Callable[[], None], *, lock: RunLock, on_retry: Callable) -> None:
    """Run `step`; after a transient fault call `on_retry(exc, retry, limit)`, wait (backoff) and run
    it again, at most `transient_retries` times. Any other fault, or the last one, is raised."""
    limit = get_settings().transient_retries
    for retry in range(1, limit + 2):
        try:
            return step()
        except Exception as exc:
            if retry > limit or not is_transient(exc):
                raise
            pause = backoff_s(retry)
            log.warning(
                "file %s met a transient fault (%s: %s); retry %d of %d in %.1f s",
                *(lock.file_id, type(exc).__name__, str(exc).strip()[:200], retry, limit, pause),
            )
            on_retry(exc, retry, limit)
            time.sleep(pause)
            if not lock.still_held():
                raise LostRun(str(lock.file_id)) from exc
