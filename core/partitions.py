"""PostgreSQL keeps each file's rows in a partition of its own (raw_data is LIST-partitioned on file_id).

A load fills a fresh table created in its own transaction (no index, no foreign-key trigger per
row), indexes and analyses it, then swaps it in for the file's old partition just before commit:
readers see the old rows or the new ones, never a mix. Deleting a file's rows drops its partition.
Rows inserted straight into raw_data for a file without a partition land in raw_data_default.
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import Connection

DEFAULT = "raw_data_default"


def name(file_id: uuid.UUID) -> str:
    """The file's partition (a UUID's hex is safe to splice into SQL)."""
    return f"raw_data_{file_id.hex}"


# raw_data's columns and CHECKs, read from the catalogue: CREATE TABLE ... (LIKE raw_data) would hold
# a lock on raw_data for the whole load, and a file's deletion (DROP of its partition) would wait for it.
_SHAPE = """
SELECT (SELECT string_agg(format('%I %s%s', attname, format_type(atttypid, atttypmod),
                                 CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY attnum)
          FROM pg_attribute WHERE attrelid = 'raw_data'::regclass AND attnum > 0 AND NOT attisdropped),
       (SELECT string_agg(format(', CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)), '')
          FROM pg_constraint WHERE conrelid = 'raw_data'::regclass AND contype = 'c')
"""


def create_next(conn: Connection, file_id: uuid.UUID) -> str:
    """A fresh, unattached table shaped like raw_data for the file's next rows; returns its name.

    file_id is constant: the server fills it in, and the CHECK lets ATTACH skip its validating scan.
    """
    table = f"{name(file_id)}_next"
    columns, checks = conn.execute(text(_SHAPE)).one()
    conn.execute(
        text(
            f"CREATE TABLE {table} ({columns}{checks or ''}, "
            f"CONSTRAINT {name(file_id)}_file CHECK (file_id = '{file_id}'))"
        )
    )
    conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN file_id SET DEFAULT '{file_id}'"))
    return table


# The columns queries on a file's rows filter, join or group on: the planner's statistics are of these
# (the others' cost ANALYZE most of its time, text sorted by collation, and no plan reads them).
PLANNED = ("file_id", "date", "published_at", "post_id")


def finish_next(conn: Connection, table: str, columns=PLANNED) -> None:
    """Index and analyse the loaded table before it is attached (plans need statistics at once)."""
    conn.execute(text(f"CREATE INDEX ON {table} (file_id, date)"))
    analysed = [c for c in PLANNED if c in columns or c == "file_id"]
    conn.execute(text(f"ANALYZE {table} ({', '.join(analysed)})"))


def swap_in(conn: Connection, file_id: uuid.UUID, table: str) -> None:
    """Make `table` the file's partition in place of the old one (the caller commits right after)."""
    drop(conn, file_id)
    conn.execute(text(f"ALTER TABLE raw_data ATTACH PARTITION {table} FOR VALUES IN ('{file_id}')"))
    conn.execute(text(f"ALTER TABLE {table} RENAME TO {name(file_id)}"))
    conn.execute(text(f"ALTER TABLE {name(file_id)} ALTER COLUMN file_id DROP DEFAULT"))


def drop(conn: Connection, file_id: uuid.UUID) -> None:
    """Remove the file's rows: its partition, and any rows inserted straight into the default one."""
    conn.execute(text(f"DROP TABLE IF EXISTS {name(file_id)}"))
    conn.execute(text(f"DELETE FROM {DEFAULT} WHERE file_id = :f"), {"f": file_id})


def count(conn: Connection) -> int:
    """How many partitions raw_data has (the default one included)."""
    return conn.scalar(text("SELECT count(*) FROM pg_inherits WHERE inhparent = 'raw_data'::regclass"))
