"""Test data every suite shares: accounts made as the app makes them, ready files with rows in raw_data."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, func, insert, select

from core import metrics, users
from core.db import get_engine, session_scope
from core.models import MEASURES, RawData, SocialFile, User

PASSWORD = "correct horse battery"
DESCRIBED = ("post_id", "title", "url")
AUTO = object()


def make_user(email: str | None = None, *, role: str = "user", password: str = PASSWORD) -> User:
    """A committed account (users.create_user) that can sign in with `password`; a fresh email unless given."""
    email = email or f"{uuid.uuid4().hex[:10]}@example.com"
    with session_scope() as session:
        return users.create_user(session, email=email, password=password, role=role, name=email.split("@")[0])


def make_file(
    rows: list[dict],
    *,
    owner: int | None = None,
    row_kind: str = "days",
    name: str = "test.csv",
    platform: str = "generic",
    period_days: int | None = None,
    mapping=AUTO,
    columns: Iterable[str] = (),
    warnings: list[str] | None = None,
    email: str | None = None,
    computed: bool = False,
) -> uuid.UUID:
    """A ready file of `owner` (else of a new bare user, `email`) holding `rows`: dicts with `date`
    (a date or ISO text) and any canonical columns, inserted straight into raw_data.

    Lines follow list order from 2 (line 1 is the header) unless a row gives its own `line`. The
    mapping names every canonical column used in `rows` plus `columns`, unless given. `computed`:
    as the pipeline leaves it, metrics computed and stored, version 1.
    """
    used = {key for row in rows for key in row if key in MEASURES or key in DESCRIBED} | set(columns)
    if mapping is AUTO:
        mapping = {"Date": "date", **{column.title(): column for column in sorted(used)}}
    with session_scope() as session:
        if owner is None:
            user = User(email=email or f"{uuid.uuid4().hex[:8]}@example.com", password_hash="!")
            session.add(user)
            session.flush()
            owner = user.id
        file = SocialFile(
            user_id=owner,
            original_name=name,
            path="/nonexistent/upload.csv",
            status="ready",
            platform=platform,
            period_days=period_days,
            mapping=mapping,
            row_kind=row_kind,
            warnings=[] if computed and warnings is None else warnings,
            **({"version": 1} if computed else {}),
        )
        session.add(file)
        session.flush()
        if rows:
            session.execute(insert(RawData), [_raw(file.id, i, row) for i, row in enumerate(rows)])
        if computed:
            metrics.store(session, file=file, result=metrics.compute(session, file=file))
        return file.id


def _raw(file_id: uuid.UUID, index: int, row: dict) -> dict:
    raw = dict.fromkeys((*MEASURES, *DESCRIBED)) | row
    raw["file_id"] = file_id
    raw["line"] = row.get("line", index + 2)
    if isinstance(raw["date"], str):
        raw["date"] = date.fromisoformat(raw["date"])
    return raw


@contextmanager
def watching_rows(file_id: uuid.UUID) -> Iterator[set[tuple[int, int | None]]]:
    """The (row count, sum of views) of the file's rows, read again and again on a connection of
    its own while the block runs: every state a concurrent reader saw."""
    seen, stop = set(), threading.Event()

    def read():
        query = select(func.count(), func.sum(RawData.views)).where(RawData.file_id == file_id)
        while not stop.is_set():
            with get_engine().connect() as conn:
                seen.add(tuple(conn.execute(query).one()))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        yield seen
    finally:
        stop.set()
        reader.join()


@contextmanager
def statements(matching):
    """The SQL text of every statement the engine runs while inside, that `matching(text)` keeps."""
    seen: list[str] = []

    def record(conn, cursor, statement, *_):
        if matching(statement):
            seen.append(statement)

    event.listen(get_engine(), "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(get_engine(), "before_cursor_execute", record)
