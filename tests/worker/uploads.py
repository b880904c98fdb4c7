"""Uploads as the UI makes them, and what the database says about them afterwards."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from core.db import get_engine, session_scope
from core.models import Metric, RawData, ReportExport, SocialFile, User


def upload(user: User, name: str, data: bytes, **options) -> uuid.UUID:
    """Store the bytes as the user's upload (committed, queued) and return the file id."""
    from core import uploads

    with session_scope() as session:
        return uploads.create_upload(session, actor=user, name=name, data=data, **options).id


def canonical_csv(rows: int, *, per_day: int = 1, start: date = date(2024, 1, 1)) -> bytes:
    """Post rows in canonical columns: views = 100 + i, likes = i % 50, so every sum is known."""
    lines = ["date,post_id,views,likes,comments,shares"]
    for i in range(rows):
        day = start + timedelta(days=i // per_day)
        lines.append(f"{day.isoformat()},p{i},{100 + i},{i % 50},{i % 7},{i % 3}")
    return ("\n".join(lines) + "\n").encode()


def expected_sums(rows: int) -> dict[str, int]:
    """The totals of canonical_csv(rows) over all its rows."""
    return {
        "views": sum(100 + i for i in range(rows)),
        "likes": sum(i % 50 for i in range(rows)),
        "comments": sum(i % 7 for i in range(rows)),
        "shares": sum(i % 3 for i in range(rows)),
    }


def file_row(file_id: uuid.UUID) -> SocialFile:
    with session_scope() as session:
        return session.get(SocialFile, file_id)


def wait_for(
    file_id: uuid.UUID,
    statuses: tuple[str, ...],
    *,
    timeout: float = 60,
    seen: list | None = None,
    progress_at_least: int | None = None,
) -> SocialFile:
    """Poll the file's row until its status is one of `statuses` (recording each status seen)."""
    deadline = time.monotonic() + timeout
    while True:
        row = file_row(file_id)
        if seen is not None and (not seen or seen[-1] != row.status):
            seen.append(row.status)
        if row.status in statuses and (progress_at_least is None or row.progress >= progress_at_least):
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"file {file_id} is still {row.status} ({row.progress}%) after {timeout} s")
        time.sleep(0.02)


@contextmanager
def paused(file_id: uuid.UUID, *, attempt: int = 1, timeout: float = 60) -> Iterator[None]:
    """Once attempt `attempt` has claimed the file, hold the lock its worker's next write needs.

    Inside the block that worker is stopped mid-file: it cannot write its progress, commit its rows
    or mark the file ready. A test kills it there without racing the end of the file (polling for
    "processing" and killing a moment later lost that race on a loaded CI machine). The file must
    take the worker longer than a poll to process, or the pause may find it ready already.
    """
    engine = get_engine()
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")  # the database's write lock
            # On PostgreSQL, the file row's lock: progress, the rows' foreign key and "ready" all need it.
            query = select(SocialFile.status, SocialFile.attempts).where(SocialFile.id == file_id)
            status, attempts = conn.execute(query.with_for_update()).one()
            if (status, attempts) == ("processing", attempt):
                try:
                    yield
                finally:
                    conn.rollback()
                return
            conn.rollback()
        assert time.monotonic() < deadline, f"attempt {attempt} never started: {status}, {attempts} attempts"
        time.sleep(0.02)


def enqueue_and_watch(file_id: uuid.UUID, rows: int) -> SocialFile:
    """Enqueue a canonical_csv upload and watch it go queued → processing → ready, every row and sum right.

    The file must be large enough (a second of work or more) that the pause catches it mid-file.
    """
    from worker import dispatch

    seen = ["queued"]
    assert dispatch.enqueue_file(file_id) is True
    with paused(file_id):  # held mid-file, so the poll below sees it processing however fast it runs
        wait_for(file_id, ("processing",), seen=seen)
    row = wait_for(file_id, ("ready", "error"), timeout=60, seen=seen)

    assert seen == ["queued", "processing", "ready"], row.error_text
    assert (row.rows, row.progress, row.attempts, row.row_kind) == (rows, 100, 1, "posts")
    assert stored_rows(file_id) == (rows, rows)
    values, sums = metric_values(file_id), expected_sums(rows)
    assert {code: values[code] for code in sums} == sums
    return row


def assert_ready_on_the_second_attempt(file_id: uuid.UUID, rows: int) -> None:
    """After a worker was killed mid-file: the file ends ready, once, with every row and no duplicate."""
    row = wait_for(file_id, ("ready", "error"), timeout=90)
    assert (row.status, row.rows, row.attempts) == ("ready", rows, 2), row.error_text
    assert stored_rows(file_id) == (rows, rows)
    assert metric_values(file_id)["views"] == expected_sums(rows)["views"]


def stored_rows(file_id: uuid.UUID) -> tuple[int, int]:
    """How many raw_data rows the file has, and how many distinct lines among them."""
    with session_scope() as session:
        query = select(func.count(), func.count(func.distinct(RawData.line))).where(
            RawData.file_id == file_id
        )
        return tuple(session.execute(query).one())


def metric_values(file_id: uuid.UUID, period: str = "current") -> dict:
    with session_scope() as session:
        query = select(Metric.metric_code, Metric.value, Metric.value_text).where(
            Metric.file_id == file_id, Metric.period == period
        )
        return {code: text if text is not None else value for code, value, text in session.execute(query)}


def stored_path(file_id: uuid.UUID) -> Path:
    return Path(file_row(file_id).path)


def reports_of(file_id: uuid.UUID) -> list[ReportExport]:
    with session_scope() as session:
        query = select(ReportExport).where(ReportExport.file_id == file_id).order_by(ReportExport.created_at)
        return list(session.scalars(query))


def wait_for_report(file_id: uuid.UUID, *, timeout: float = 60) -> ReportExport:
    """Poll report_exports until the file has a report (the UI does the same)."""
    deadline = time.monotonic() + timeout
    while not (found := reports_of(file_id)):
        assert time.monotonic() < deadline, f"no report for file {file_id} after {timeout} s"
        time.sleep(0.05)
    return found[-1]
