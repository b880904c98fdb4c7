"""Bulk loading of canonical rows: PostgreSQL COPY into the file's next partition (core.partitions),
SQLite executemany through a staging file.

A file's rows are replaced in one transaction, so readers see the old rows or the new ones,
never a mix, and a file that fails half-way leaves nothing behind. Duplicate keys are detected
while the rows stream past (a hash per row, core.key_hashes), so a clean file needs no grouped scan afterwards.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path

from sqlalchemy import bindparam, delete, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql import sqltypes

from core import partitions
from core.key_hashes import KeyHashes
from core.models import ROW_COLUMNS, RawData
from core.parsing.types import Issue, ParseError

_EXTRA = len(ROW_COLUMNS) - 1
_BATCH = 5_000
_UNNAMED_KEY = ("date", "title", "url", "published_at")  # a post without an id is known by these


def lock_file(conn: Connection, file_id: uuid.UUID) -> None:
    """Serialise two deliveries of the same file (a redelivered task racing a slow one)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": str(file_id)})


# Binary COPY's type for each kind of raw_data column (exact Python types: int, date, str, aware
# datetime); most specific first, since BigInteger is an Integer and Text a String.
_COPY_TYPES = (
    (sqltypes.BigInteger, "int8"),
    (sqltypes.Integer, "int4"),
    (sqltypes.Date, "date"),
    (sqltypes.DateTime, "timestamptz"),
    (sqltypes.String, "text"),
    (sqltypes.JSON, "jsonb"),
)


def _copy_type(column: str) -> str:
    kind = RawData.__table__.c[column].type
    return next(name for base, name in _COPY_TYPES if isinstance(kind, base))


# PostgreSQL types of ROW_COLUMNS, read from the model: a new canonical column needs no edit here.
_PG_TYPES = {column: _copy_type(column) for column in ROW_COLUMNS}


@dataclass
class Load:
    """Rows loaded inside the caller's transaction: where they are and what is left to check."""

    file_id: uuid.UUID
    row_kind: str
    count: int
    table: str = "raw_data"  # PostgreSQL: the file's next partition, not yet attached
    repeats: bool = True  # whether two rows may share a key (False: the load proved none do)
    totals: list | None = None  # the rows' day_totals groups, when the load read them (core.copy_csv)


def copy_rows_pg(
    conn: Connection, *, file_id: uuid.UUID, rows: Iterable[tuple], row_kind: str, columns=ROW_COLUMNS
) -> Load:
    """COPY rows into a fresh table for the file, hashing each row's key on the way.

    `columns` are the slots the parser can fill (the others are always None and are not sent).
    """
    lock_file(conn, file_id)
    table = partitions.create_next(conn, file_id)
    cursor = conn.connection.driver_connection.cursor()
    pick, keys, hashes = _picker(columns), _keys(row_kind), KeyHashes()
    count = 0
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY, FREEZE)"
    try:
        with cursor.copy(sql) as copy:
            copy.set_types([_PG_TYPES[c] for c in columns])
            write = copy.write_row
            rows = iter(rows)
            while batch := list(islice(rows, _BATCH)):
                hashes.extend(map(hash, keys(batch)))
                for row in map(pick, batch):
                    write(row)
                count += len(batch)
    except BaseException:
        hashes.close()
        raise
    partitions.finish_next(conn, table, columns)
    return Load(file_id, row_kind, count, table=table, repeats=hashes.repeats())


def _picker(columns) -> Callable[[tuple], tuple]:
    """Row tuple -> the values of `columns`, extra wrapped for jsonb."""
    from psycopg.types.json import Jsonb

    at = [ROW_COLUMNS.index(c) for c in columns]
    get = itemgetter(*at)
    if "extra" not in columns:
        return get
    last = ROW_COLUMNS.index("extra")

    def pick(row):
        extra = row[last]
        return (*get(row)[:-1], None if extra is None else Jsonb(extra))

    return pick


_POST_ID, _UNNAMED = ROW_COLUMNS.index("post_id"), itemgetter(*(ROW_COLUMNS.index(c) for c in _UNNAMED_KEY))


def _keys(row_kind: str) -> Callable[[list[tuple]], list]:
    """A batch of rows -> each row's key for duplicate detection (the Python twin of key_columns)."""
    if row_kind == "days":
        return partial(map, itemgetter(ROW_COLUMNS.index("date")))
    post_id = itemgetter(_POST_ID)

    def keys(batch):
        ids = list(map(post_id, batch))
        if None in ids:  # a post without an id is known by its descriptors
            ids = [(None, *_UNNAMED(r)) if i is None else i for i, r in zip(ids, batch, strict=True)]
        return ids

    return keys


def publish(conn: Connection, load: Load) -> None:
    """Last step before commit: the loaded table replaces the file's rows (PostgreSQL)."""
    if load.table != "raw_data":
        partitions.swap_in(conn, load.file_id, load.table)


def drop_rows(conn: Connection, *, file_id: uuid.UUID) -> None:
    """Delete a file's rows (PostgreSQL drops its partition; a load still running fails its foreign key)."""
    if conn.dialect.name == "postgresql":
        partitions.drop(conn, file_id)
    else:
        conn.execute(delete(RawData).where(RawData.file_id == file_id))


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


def move_staged_sqlite(conn: Connection, *, file_id: uuid.UUID, row_kind: str, count: int) -> Load:
    """Replace the file's rows with the attached staged ones, inside the caller's transaction."""
    conn.execute(delete(RawData).where(RawData.file_id == file_id))
    cols = ", ".join(ROW_COLUMNS)
    # Uuid is stored as 32 hex characters on SQLite.
    conn.execute(
        text(f"INSERT INTO raw_data (file_id, {cols}) SELECT :f, {cols} FROM staging.rows"),
        {"f": file_id.hex},
    )
    return Load(file_id, row_kind, count)


def key_columns(row_kind: str) -> list[str]:
    """What makes two rows "the same": the date for day rows, the post (id, else its descriptors) for posts."""
    if row_kind == "days":
        return ["date"]
    return ["post_id", *(f"CASE WHEN post_id IS NULL THEN {c} END" for c in _UNNAMED_KEY)]


def dedupe(conn: Connection, load: Load) -> int:
    """Drop exact duplicate rows (returns how many); raise ParseError on conflicting ones.

    Skipped when the load proved every key distinct; otherwise one windowed scan of the file's
    rows returns those whose key occurs more than once, grouped by key in file order: linear in
    the rows plus a sort, whatever the number of repeated keys.
    """
    if not load.repeats:
        return 0
    keys, table, row_kind = key_columns(load.row_kind), load.table, load.row_kind
    fid = load.file_id if conn.dialect.name == "postgresql" else load.file_id.hex
    key_list = ", ".join(keys)
    named = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    order = ", ".join(f"k{i}" for i in range(len(keys)))
    cols = ", ".join(c for c in ROW_COLUMNS if c != "extra")
    repeated = conn.execute(
        text(
            f"SELECT * FROM (SELECT {cols}, CAST(extra AS TEXT) AS extra_text, {named}, "
            f"COUNT(*) OVER (PARTITION BY {key_list}) AS n FROM {table} WHERE file_id = :f) AS keyed "
            f"WHERE n > 1 ORDER BY {order}, line"
        ),
        {"f": fid},
    )
    width = len(ROW_COLUMNS)  # the row's columns with extra as text, then the key and the count
    drop, conflicts = [], []
    for _key, group in groupby(repeated, key=lambda r: tuple(r[width : width + len(keys)])):
        first, *others = group
        for row in others:
            if tuple(row[1:width]) == tuple(first[1:width]):
                drop.append(row[0])
            elif len(conflicts) < 1000:
                conflicts.append((first, row))
    if conflicts:
        raise _conflict_error(conflicts, row_kind=row_kind)
    for start in range(0, len(drop), 500):
        conn.execute(
            text(f"DELETE FROM {table} WHERE file_id = :f AND line IN :lines").bindparams(
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
