"""Bulk loading of canonical rows: PostgreSQL COPY, SQLite executemany through a staging file.

A file's rows are replaced in one transaction, so readers see the old rows or the new ones,
never a mix, and a file that fails half-way leaves nothing behind.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import bindparam, delete, text
from sqlalchemy.engine import Connection

from core.models import MEASURES, ROW_COLUMNS, RawData
from core.parsing.types import Issue, ParseError

COLUMNS = ("file_id", *ROW_COLUMNS)
_EXTRA = len(ROW_COLUMNS) - 1
_BATCH = 5_000


def _pg_lock(conn: Connection, file_id: uuid.UUID) -> None:
    """Serialise two deliveries of the same file (a redelivered task racing a slow one)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": str(file_id)})


# PostgreSQL types of COLUMNS, for binary COPY (exact Python types: int, date, str, aware datetime).
_PG_TYPES = [
    "uuid",
    "int4",
    "date",
    *["int8"] * len(MEASURES),
    "text",
    "text",
    "text",
    "timestamptz",
    "jsonb",
]


def copy_rows_pg(conn: Connection, *, file_id: uuid.UUID, rows: Iterable[tuple]) -> int:
    """Replace the file's rows with `rows` through binary COPY, inside the caller's transaction."""
    from psycopg.types.json import Jsonb

    _pg_lock(conn, file_id)
    conn.execute(delete(RawData).where(RawData.file_id == file_id))
    cursor = conn.connection.driver_connection.cursor()
    count = 0
    with cursor.copy(f"COPY raw_data ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(_PG_TYPES)
        write = copy.write_row
        for row in rows:
            extra = row[_EXTRA]
            if extra is not None:
                row = (*row[:_EXTRA], Jsonb(extra))
            write((file_id, *row))
            count += 1
    return count


def _staged(rows: Iterable[tuple]) -> Iterator[tuple]:
    for row in rows:
        extra = row[_EXTRA]
        yield (*row[:_EXTRA], None if extra is None else json.dumps(extra, ensure_ascii=False))


def stage_rows_sqlite(path: Path, *, rows: Iterable[tuple]) -> int:
    """Write rows into a private staging database, so the main one stays writable meanwhile."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute(f"CREATE TABLE rows ({', '.join(ROW_COLUMNS)})")
        insert = f"INSERT INTO rows VALUES ({', '.join('?' * len(ROW_COLUMNS))})"
        count, batch = 0, []
        for row in _staged(rows):
            batch.append(row)
            if len(batch) >= _BATCH:
                con.executemany(insert, batch)
                count += len(batch)
                batch.clear()
        con.executemany(insert, batch)
        con.commit()
        return count + len(batch)
    finally:
        con.close()


@contextmanager
def attached(conn: Connection, path: Path | None) -> Iterator[None]:
    """Attach the staging database around the caller's transaction (SQLite forbids it inside)."""
    if path is None:
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute("ATTACH DATABASE ? AS staging", (str(path),))
    try:
        yield
    finally:
        raw.execute("DETACH DATABASE staging")


def move_staged_sqlite(conn: Connection, *, file_id: uuid.UUID) -> None:
    """Replace the file's rows with the attached staged ones, inside the caller's transaction."""
    conn.execute(delete(RawData).where(RawData.file_id == file_id))
    cols = ", ".join(ROW_COLUMNS)
    # Uuid is stored as 32 hex characters on SQLite.
    conn.execute(
        text(f"INSERT INTO raw_data (file_id, {cols}) SELECT :f, {cols} FROM staging.rows"),
        {"f": file_id.hex},
    )


def _key_columns(row_kind: str) -> list[str]:
    """What makes two rows "the same": the date for day rows, the post (id, else its descriptors) for posts."""
    if row_kind == "days":
        return ["date"]
    unnamed = ("date", "title", "url", "published_at")
    return ["post_id", *(f"CASE WHEN post_id IS NULL THEN {c} END" for c in unnamed)]


def dedupe(conn: Connection, *, file_id: uuid.UUID, row_kind: str) -> int:
    """Drop exact duplicate rows (returns how many); raise ParseError on conflicting ones.

    Only keys that occur more than once are fetched, so a clean file costs one grouped scan.
    """
    keys = _key_columns(row_kind)
    fid = file_id if conn.dialect.name == "postgresql" else file_id.hex
    key_list = ", ".join(keys)
    dup_keys = conn.execute(
        text(
            f"SELECT {key_list} FROM raw_data WHERE file_id = :f GROUP BY {key_list} "
            "HAVING COUNT(*) > 1 LIMIT 100000"
        ),
        {"f": fid},
    ).all()
    if not dup_keys:
        return 0
    cols = ", ".join(c for c in ROW_COLUMNS if c != "extra")
    match = " AND ".join(f"({k}) IS NOT DISTINCT FROM :k{i}" for i, k in enumerate(keys))
    if conn.dialect.name == "sqlite":
        match = match.replace("IS NOT DISTINCT FROM", "IS")
    drop, conflicts = [], []
    for key in dup_keys:
        params = {"f": fid, **{f"k{i}": v for i, v in enumerate(key)}}
        rows = conn.execute(
            text(
                f"SELECT {cols}, CAST(extra AS TEXT) FROM raw_data WHERE file_id = :f AND {match} ORDER BY line"
            ),
            params,
        ).all()
        first = rows[0]
        for row in rows[1:]:
            if tuple(row[1:]) == tuple(first[1:]):
                drop.append(row[0])
            elif len(conflicts) < 1000:
                conflicts.append((first, row))
    if conflicts:
        raise _conflict_error(conflicts, row_kind=row_kind)
    for start in range(0, len(drop), 500):
        conn.execute(
            text("DELETE FROM raw_data WHERE file_id = :f AND line IN :lines").bindparams(
                bindparam("lines", expanding=True)
            ),
            {"f": fid, "lines": drop[start : start + 500]},
        )
    return len(drop)


def _conflict_error(conflicts: list[tuple], *, row_kind: str) -> ParseError:
    issues = []
    for first, other in conflicts[:20]:
        if row_kind == "days":
            what = f"the date {first.date}"
        else:
            what = f'the post "{first.post_id or first.title or first.url or first.date}"'
        issues.append(
            Issue(
                f"Lines {first.line} and {other.line} both hold {what} with different values. "
                "Remove one of them and upload the file again."
            )
        )
    return ParseError(issues, total=len(conflicts))


class Progress:
    """Writes a file's progress (0–100) in its own short transactions, at most twice a second."""

    def __init__(self, write: Callable[[int], None], *, start: int = 0, span: int = 90):
        self._write, self._start, self._span = write, start, span
        self._last_pct, self._last_t = -1, 0.0

    def __call__(self, fraction: float) -> None:
        pct = self._start + int(max(0.0, min(1.0, fraction)) * self._span)
        now = time.monotonic()
        if pct != self._last_pct and now - self._last_t >= 0.5:
            self._last_pct, self._last_t = pct, now
            self._write(pct)
