"""Small hand-made files for the metric and analytics tests: rows inserted straight into raw_data."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import insert

from core.db import session_scope
from core.models import MEASURES, RawData, SocialFile, User

DESCRIBED = ("post_id", "title", "url")
AUTO = object()


def make_file(
    rows: list[dict],
    *,
    row_kind: str = "days",
    period_days: int | None = None,
    mapping=AUTO,
    columns: Iterable[str] = (),
    email: str | None = None,
) -> uuid.UUID:
    """A ready file holding `rows` (dicts with `date` as ISO text and any canonical columns).

    Lines follow list order from 2 (line 1 is the header) unless a row gives its own `line`.
    The mapping names every canonical column used in `rows` plus `columns`, unless given.
    """
    used = {key for row in rows for key in row if key in MEASURES or key in DESCRIBED} | set(columns)
    if mapping is AUTO:
        mapping = {"Date": "date", **{name.title(): name for name in sorted(used)}}
    with session_scope() as session:
        user = User(email=email or f"{uuid.uuid4().hex[:8]}@example.com", password_hash="!")
        session.add(user)
        session.flush()
        file = SocialFile(
            user_id=user.id,
            original_name="test.csv",
            path="/nonexistent/test.csv",
            status="ready",
            platform="generic",
            period_days=period_days,
            mapping=mapping,
            row_kind=row_kind,
        )
        session.add(file)
        session.flush()
        if rows:
            session.execute(insert(RawData), [_raw(file.id, i, row) for i, row in enumerate(rows)])
        return file.id


def _raw(file_id: uuid.UUID, index: int, row: dict) -> dict:
    raw = dict.fromkeys((*MEASURES, *DESCRIBED))
    raw.update(row)
    raw["file_id"] = file_id
    raw["line"] = row.get("line", index + 2)
    raw["date"] = date.fromisoformat(row["date"])
    return raw


def days(spec: str, **constant) -> list[dict]:
    """Rows from a compact table: a header line of column names, then one line per row ("-" is blank)."""
    lines = [line.split() for line in spec.strip().splitlines()]
    header, body = lines[0], lines[1:]
    out = []
    for cells in body:
        row = dict(constant)
        for name, cell in zip(header, cells, strict=True):
            row[name] = None if cell == "-" else cell if name in ("date", *DESCRIBED) else int(cell)
        out.append(row)
    return out


# Day rows, Monday 1 to Saturday 6 January 2024. Wednesday lacks comments and saves; Friday has
# no engagement cell at all (its engagements are null, not 0) and no subscriber count.
DAYS = days("""
date       views likes comments shares saves posts subscribers
2024-01-01 100   10    2        1      0     1     1000
2024-01-02 200   20    4        2      1     2     1010
2024-01-03 300   30    -        3      -     1     1020
2024-01-04 400   40    8        4      2     2     1030
2024-01-05 500   -     -        -      -     1     -
2024-01-06 600   60    12       6      3     3     1050
""")


# Post rows, out of date order in the file: ties on a date are taken in file order. No shares or
# saves column; p3 has no engagement cells; 7 February has no subscriber count.
POSTS = days("""
date       post_id views reach impressions likes comments subscribers
2024-02-06 p1      100   80    150         10    0        500
2024-02-05 p2      50    40    60          5     1        490
2024-02-05 p3      70    -     90          -     -        495
2024-02-06 p4      30    20    40          3     3        505
2024-02-07 p5      0     0     10          0     0        -
2024-02-05 p6      10    5     20          1     1        -
""")
