"""Aggregations of a file's rows for charts, tables and reports, done in the database.

Raw rows never leave the database: one grouped query per date range brings at most one row per
date into Python (a few thousand), and weeks, months and weekdays are rolled up from those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Float, and_, case, cast, func, null, select
from sqlalchemy.orm import Session

from core.models import MEASURES, RawData, SocialFile

if TYPE_CHECKING:  # pandas is imported where frames are built: the worker never needs it
    import pandas as pd

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")
SUMMED = tuple(m for m in MEASURES if m != "subscribers")  # flows and counts add up; a level does not
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GRAINS = ("day", "week", "month")
SERIES_COLUMNS = (
    "bucket", "views", "reach", "impressions", "likes", "comments", "shares", "saves",
    "engagements", "posts", "subscribers", "subscribers_net", "er_views",
)  # fmt: skip
TOP_ORDERS = ("views", "engagements", "er")
_WIDE = Context(prec=60)  # enough digits that storing to 10 places is the only rounding


def _nothing():
    """A typed NULL, so aggregates over an absent column are valid SQL on PostgreSQL too."""
    return cast(null(), BigInteger)


@dataclass(frozen=True)
class Day:
    """One date's aggregates; a sum is None when its column is absent or blank on every row."""

    date: date
    rows: int
    sums: dict[str, int | None]
    engagements: int | None
    engaged_rows: int  # rows whose engagements are not null
    level_first: int | None = None  # `subscribers` on the date's first row that has one (file order)
    level_last: int | None = None  # ... and on its last


def present_columns(file: SocialFile) -> set[str] | None:
    """Canonical columns the file has (from its mapping); None when unknown (no mapping)."""
    if file.mapping is None:
        return None
    return {v for v in file.mapping.values() if isinstance(v, str)}


def has_column(file: SocialFile, name: str) -> bool:
    """Whether the file has the canonical column `name` (True when its mapping is unknown)."""
    present = present_columns(file)
    return present is None or name in present


def engagement_columns(file: SocialFile) -> list:
    """The engagement columns the file has (likes, comments, shares, saves)."""
    return [getattr(RawData, c) for c in ENGAGEMENT_COLUMNS if has_column(file, c)]


def engagements_expr(file: SocialFile):
    """A row's engagements: the sum of its engagement cells, blanks as 0; null when all are blank."""
    cols = engagement_columns(file)
    if not cols:
        return _nothing()
    total = sum((func.coalesce(c, 0) for c in cols[1:]), func.coalesce(cols[0], 0))
    return case((and_(*(c.is_(None) for c in cols)), null()), else_=total)


def _scope(file: SocialFile, start: date | None, end: date | None) -> list:
    where = [RawData.file_id == file.id]
    if start is not None:
        where.append(RawData.date >= start)
    if end is not None:
        where.append(RawData.date <= end)
    return where


def _int(value) -> int | None:
    return None if value is None else int(value)


def daily(
    session: Session, *, file: SocialFile, start: date | None = None, end: date | None = None
) -> list[Day]:
    """Per-date aggregates of the file's rows in [start, end], in date order."""
    summed = [c for c in SUMMED if has_column(file, c)]
    eng = engagements_expr(file)
    level = RawData.subscribers if has_column(file, "subscribers") else _nothing()
    query = (
        select(
            RawData.date,
            func.count().label("rows"),
            func.sum(eng).label("eng"),
            func.count(eng).label("eng_rows"),
            func.min(level).label("lo"),
            func.max(level).label("hi"),
            *(func.sum(getattr(RawData, c)).label(c) for c in summed),
        )
        .where(*_scope(file, start, end))
        .group_by(RawData.date)
        .order_by(RawData.date)
    )
    found = session.execute(query).all()
    # Several different levels on one date: which is first and which last depends on file order.
    ambiguous = [r.date for r in found if r.lo != r.hi]
    ends = _level_ends(session, file=file, start=ambiguous[0], end=ambiguous[-1]) if ambiguous else {}
    return [
        Day(
            r.date,
            r.rows,
            {c: None for c in SUMMED} | {c: _int(getattr(r, c)) for c in summed},
            _int(r.eng),
            r.eng_rows,
            *ends.get(r.date, (_int(r.lo), _int(r.hi))),
        )
        for r in found
    ]


def _level_ends(session: Session, *, file: SocialFile, start: date, end: date) -> dict[date, tuple[int, int]]:
    """Per date: the `subscribers` level of its first and of its last row that has one (file order).

    Window functions over one scan, never a self-join: without statistics on freshly loaded rows the
    planner turned the join into a nested loop over every pair of rows (quadratic in the file).
    """
    where = [*_scope(file, start, end), RawData.subscribers.is_not(None)]
    first = func.first_value(RawData.subscribers).over(partition_by=RawData.date, order_by=RawData.line)
    last = func.first_value(RawData.subscribers).over(partition_by=RawData.date, order_by=RawData.line.desc())
    query = select(RawData.date, first.label("first"), last.label("last")).where(*where).distinct()
    return {r.date: (r.first, r.last) for r in session.execute(query)}


def date_bounds(session: Session, *, file: SocialFile) -> tuple[date | None, date | None]:
    """The file's first and last date (None, None when it has no rows)."""
    query = select(func.min(RawData.date), func.max(RawData.date)).where(RawData.file_id == file.id)
    first, last = session.execute(query).one()
    return first, last


def bucket_of(day: date, grain: str) -> date:
    """The first date of the day's bucket: itself, its week's Monday, or its month's first day."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def add(values: Iterable[int | None]) -> int | None:
    """The sum of the non-null values; None when all are null."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def ratio(numerator, denominator, *, scale: int = 100) -> Decimal | None:
    """numerator / denominator × scale, exact; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return _WIDE.divide(Decimal(numerator) * scale, Decimal(denominator))


def post_count(days: list[Day], file: SocialFile) -> int | None:
    """Post rows for post files; the sum of `posts` for day files (None where absent)."""
    if not days:
        return None
    if file.row_kind == "posts":
        return sum(d.rows for d in days)
    return add(d.sums["posts"] for d in days)


def flows(days: list[Day]) -> int | None:
    """Net subscriber flow: Σ subscribers_net, else Σ gained − Σ lost (both needed), else None."""
    net = add(d.sums["subscribers_net"] for d in days)
    if net is not None:
        return net
    gained = add(d.sums["subscribers_gained"] for d in days)
    lost = add(d.sums["subscribers_lost"] for d in days)
    return None if gained is None or lost is None else gained - lost


def _net_per_bucket(groups: dict[date, list[Day]]) -> list[int | None]:
    """Net subscriber change per bucket: from flows when the range has them, else from levels."""
    everything = [d for members in groups.values() for d in members]
    if flows(everything) is not None:
        return [flows(members) for members in groups.values()]
    out, before = [], None
    for members in groups.values():
        levels = [d for d in members if d.level_last is not None]
        if not levels:
            out.append(None)
            continue
        first = before if before is not None else levels[0].level_first
        out.append(levels[-1].level_last - first)
        before = levels[-1].level_last
    return out


def _bucket_record(bucket: date, members: list[Day], file: SocialFile) -> dict[str, Any]:
    sums = {
        c: add(d.sums[c] for d in members) for c in ("views", "reach", "impressions", *ENGAGEMENT_COLUMNS)
    }
    engagements = add(d.engagements for d in members)
    levels = [d.level_last for d in members if d.level_last is not None]
    er = ratio(engagements, sums["views"])
    return {
        "bucket": bucket,
        **sums,
        "engagements": engagements,
        "posts": post_count(members, file),
        "subscribers": levels[-1] if levels else None,
        "er_views": None if er is None else float(er),
    }


def series(
    session: Session,
    *,
    file: SocialFile,
    start: date | None = None,
    end: date | None = None,
    grain: str = "day",
) -> pd.DataFrame:
    """Per day, week (from Monday) or month with rows: sums, engagements, posts, subscribers, ER by views.

    `subscribers` is the last level in the bucket; `subscribers_net` the flow (from the level's
    change when the file has no flow columns). Buckets without rows are absent.
    """
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    return series_from_days(daily(session, file=file, start=start, end=end), file=file, grain=grain)


def series_from_days(days: list[Day], *, file: SocialFile, grain: str = "day") -> pd.DataFrame:
    """`series` rolled up from the file's `daily` list: any grain, without querying the rows again."""
    import pandas as pd

    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    groups: dict[date, list[Day]] = {}
    for day in days:
        groups.setdefault(bucket_of(day.date, grain), []).append(day)
    records = [_bucket_record(b, members, file) for b, members in groups.items()]
    for record, net in zip(records, _net_per_bucket(groups), strict=True):
        record["subscribers_net"] = net
    frame = pd.DataFrame.from_records(records, columns=list(SERIES_COLUMNS))
    counts = [c for c in SERIES_COLUMNS if c not in ("bucket", "er_views")]
    return frame.astype({c: "Int64" for c in counts} | {"er_views": "Float64", "bucket": object})


def weekday_engagements(
    session: Session, *, file: SocialFile, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Monday..Sunday: rows with engagements, their sum, and the mean engagements per row (NaN without rows)."""
    return weekdays_from_days(daily(session, file=file, start=start, end=end))


def weekdays_from_days(days: list[Day]) -> pd.DataFrame:
    """`weekday_engagements` from a `daily` list, without querying the rows again."""
    import pandas as pd

    totals = {w: [0, 0] for w in range(7)}
    for day in days:
        if day.engagements is not None:
            totals[day.date.weekday()][0] += day.engagements
            totals[day.date.weekday()][1] += day.engaged_rows
    frame = pd.DataFrame(
        {
            "weekday": list(WEEKDAYS),
            "rows": [totals[w][1] for w in range(7)],
            "engagements": [totals[w][0] for w in range(7)],
        }
    )
    frame["mean_engagements"] = (frame["engagements"] / frame["rows"].where(frame["rows"] > 0)).astype(
        "Float64"
    )
    return frame


def _top_key(file: SocialFile, order_by: str):
    """What `top_posts` orders by; None when the file lacks a column it needs."""
    eng = engagements_expr(file) if engagement_columns(file) else None
    views = RawData.views if has_column(file, "views") else None
    if order_by != "er":
        return {"views": views, "engagements": eng}[order_by]
    if views is None or eng is None:
        return None
    # Float over float: over an integer column SQLAlchemy divides by CAST(... AS NUMERIC), and
    # PostgreSQL then converts every row's views to numeric and back, the costliest part of the scan.
    return cast(eng, Float) / cast(func.nullif(views, 0), Float)


def _descending(key) -> list:
    return [] if key is None else [key.desc().nulls_last()]


def _ranked(file: SocialFile, *, start: date | None, end: date | None, key, limit: int):
    """(date, line, key) of the top `limit` rows by key, then date and line.

    Narrow rows: the top-N sort carries no titles or URLs through a million rows, and the caller
    reads the winners' columns after, through (file_id, date) (with the line, a row's identity).
    """
    keyed = [] if key is None else [key.label("key")]
    return (
        select(RawData.date, RawData.line, *keyed)
        .where(*_scope(file, start, end))
        .order_by(*_descending(key), RawData.date, RawData.line)
        .limit(limit)
        .subquery()
    )


def top_posts(
    session: Session,
    *,
    file: SocialFile,
    start: date | None = None,
    end: date | None = None,
    order_by: str = "views",
    limit: int = 10,
) -> list[dict[str, Any]]:
    """The rows with the most views, engagements or ER by views (ties: earlier date, file order)."""
    if order_by not in TOP_ORDERS:
        raise ValueError(f"order_by must be one of {TOP_ORDERS}, not {order_by!r}")
    ranked = _ranked(file, start=start, end=end, key=_top_key(file, order_by), limit=limit)
    query = (
        select(
            RawData.post_id,
            RawData.title,
            RawData.url,
            RawData.date,
            (RawData.views if has_column(file, "views") else _nothing()).label("views"),
            engagements_expr(file).label("engagements"),
        )
        .join(
            ranked,
            and_(RawData.file_id == file.id, RawData.date == ranked.c.date, RawData.line == ranked.c.line),
        )
        .order_by(*_descending(ranked.c.get("key")), ranked.c.date, ranked.c.line)
    )
    rows = session.execute(query)
    return [{**row._asdict(), "er": ratio(row.engagements, row.views)} for row in rows]
