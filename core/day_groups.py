"""core.day_totals' groups as the server's CSV path (core.copy_csv) records them: read back by one
SELECT right after the COPY (one pass, which parallel workers may share, where an INSERT … SELECT
runs alone) that also gives the dates' bounds and the lowest counts the load checks, then written
with COPY at the end of the load. What they hold is exactly what day_totals.record writes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func

from core.day_totals import BOUNDS, SUMMED, DayTotal, _grouped, _rows_of, drop
from core.parsing.numbers import MAX_COUNT

NAMES = ["date", "hour", "rows", "eng", "eng_rows", "lo", "hi", *SUMMED, *BOUNDS]


def read(conn, *, table_name: str, columns, lowest=()) -> tuple[list, list]:
    """The groups of the rows in `table_name`, and the lowest value of each column of `lowest`."""
    src = _rows_of(table_name)
    grouped = _grouped(src, conn.dialect.name, set(columns))
    grouped = grouped.add_columns(*(func.min(src.c[c]).label(f"lowest_{c}") for c in lowest))
    groups = conn.execute(grouped).all()
    names = [f"lowest_{c}" for c in lowest]
    low = [min((v for g in groups if (v := g._mapping[n]) is not None), default=None) for n in names]
    return groups, low


def write(conn, *, file_id: uuid.UUID, groups: list) -> bool:
    """Replace the file's totals with `groups`; False (nothing written) when a sum is past a BIGINT:
    day_totals.record then gives the refusal that names its date and measure."""
    rows = [(file_id, *(g._mapping[n] for n in NAMES)) for g in groups]
    if any(v is not None and not -MAX_COUNT - 1 <= v <= MAX_COUNT for row in rows for v in row[3:]):
        return False
    drop(conn, file_id=file_id)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {DayTotal.__tablename__} (file_id, {', '.join(NAMES)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return True
