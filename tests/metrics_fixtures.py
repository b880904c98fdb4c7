"""Small hand-made rows for the metric and analytics tests (files of them: tests.factories.make_file)."""

from __future__ import annotations

import uuid

from core import metrics
from core.db import session_scope
from core.models import SocialFile
from tests.factories import DESCRIBED


def compute(file_id: uuid.UUID) -> metrics.MetricResult:
    """The metric catalogue of the file as computed now (nothing stored)."""
    with session_scope() as session:
        return metrics.compute(session, file=session.get(SocialFile, file_id))


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
