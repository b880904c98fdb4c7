"""Per-day totals past a BIGINT (core.day_totals.record): the refusal that names the date and the measure.

Only looked for once recording the totals failed so (PostgreSQL raises; SQLite raises on a sum and
quietly makes a REAL of a row's engagements, which `widened` finds): a valid file never pays for it.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import BigInteger, func, or_, select

from core.i18n import N_, _, fmt_date, fmt_decimal
from core.models.columns import ENGAGEMENT, SUMMED
from core.parsing.mapping import COLUMN_LABELS
from core.parsing.numbers import MAX_COUNT
from core.parsing.types import Issue, ParseError


def widened(conn, totals, *, file_id: uuid.UUID) -> bool:
    """Whether SQLite made any of the file's `totals` (core.day_totals.DayTotal) a REAL: a row's
    engagements past a BIGINT are added as floats, where PostgreSQL raises."""
    cols = [c for c in totals.__table__.c if isinstance(c.type, BigInteger)]
    found = select(totals.date).where(
        totals.file_id == file_id, or_(*(func.typeof(c) == "real" for c in cols))
    )
    return conn.execute(found.limit(1)).first() is not None


def too_large(conn, *, src, file_id: uuid.UUID, has: set[str]) -> ParseError | None:
    """The refusal naming the first date and measure whose rows add up past what the database holds
    (exact, in Python: only after a load failed so); None when none does."""
    summed = [c for c in SUMMED if c in has]
    parts = [c for c in ENGAGEMENT if c in has]
    query = select(src.c.date, *(src.c[c] for c in summed), *(src.c[c] for c in parts)).where(
        src.c.file_id == file_id
    )
    totals: dict[tuple[date, str], int] = {}
    for row in conn.execute(query.order_by(src.c.date)):
        values = dict(zip([*summed, *parts], row[1:], strict=True))
        eng = [values[c] for c in parts if values[c] is not None]
        for name, value in [*((c, values[c]) for c in summed), ("engagements", sum(eng) if eng else None)]:
            if value is None:
                continue
            total = totals[row.date, name] = totals.get((row.date, name), 0) + int(value)
            if not -MAX_COUNT - 1 <= total <= MAX_COUNT or (
                name == "engagements" and abs(sum(eng)) > MAX_COUNT
            ):
                message = _(
                    "the rows of {date} add up to {total}, more than the database holds for one day "
                    "({limit}): no real export counts so many. Check the file and upload it again."
                ).format(date=fmt_date(row.date), total=fmt_decimal(total), limit=fmt_decimal(MAX_COUNT))
                label = COLUMN_LABELS.get(name, N_("Engagements"))
                return ParseError([Issue(message, column=_(label))])
    return None
