"""Aggregations of a file's, an account's or a brand's rows for charts, tables and reports, in the database.

Every function's `file` is a SocialFile or a core.timeline.Scope (an account's or brand's merged
timeline): the rows are read through `timeline.source`, so the same code serves both.

Raw rows never leave the database: one grouped query per date range brings at most one row per
date into Python (a few thousand), and weeks, months and weekdays are rolled up from those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Float, and_, case, cast, func, null, or_, select
from sqlalchemy.orm import Session

from core import timeline
from core.models import MEASURES, RawData, SocialFile
from core.timeline import Scope, as_scope

Source = SocialFile | Scope  # what the functions below read: one file, or a merged timeline

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
TOP_ORDERS = ("views", "impressions", "reach", "engagements", "er")
RANKABLE = ("views", "impressions", "reach", "engagements")  # what top posts rank by, in preference
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
    level_last: int | None = None  # ... and on its last (a brand: summed over its accounts)
    post_rows: int | None = None  # rows that are posts (None: unknown, the file's row kind says)


def present_columns(file: Source) -> set[str] | None:
    """Canonical columns the file (or any file of the scope) has; None when unknown (no mapping)."""
    columns = as_scope(file).columns
    return None if columns is None else set(columns)


def has_column(file: Source, name: str) -> bool:
    """Whether the file has the canonical column `name` (True when its mapping is unknown)."""
    present = present_columns(file)
    return present is None or name in present


def engagement_columns(file: Source, src=None) -> list:
    """The engagement columns the file has (likes, comments, shares, saves), of `src` when given."""
    table = RawData if src is None else src.c
    return [getattr(table, c) for c in ENGAGEMENT_COLUMNS if has_column(file, c)]


def engagements_expr(file: Source, src=None):
    """A row's engagements: the sum of its engagement cells, blanks as 0; null when all are blank."""
    cols = engagement_columns(file, src)
    if not cols:
        return _nothing()
    total = sum((func.coalesce(c, 0) for c in cols[1:]), func.coalesce(cols[0], 0))
    return case((and_(*(c.is_(None) for c in cols)), null()), else_=total)


def _int(value) -> int | None:
    return None if value is None else int(value)


def daily(session: Session, *, file: Source, start: date | None = None, end: date | None = None) -> list[Day]:
    """Per-date aggregates of the rows that add up in [start, end], in date order.

    For a merged timeline: the winning rows, day rows where the account has them on a date, else
    its post rows; a brand's accounts are added up per date (their subscriber levels summed).
    """
    scope = as_scope(file)
    summed = [c for c in SUMMED if has_column(scope, c)]
    found = []
    for leaf in timeline.leaves(scope, start=start, end=end):  # disjoint: each date and account in one
        found += session.execute(_daily_query(scope, leaf.subquery("timeline"))).all()
    if len(found) > 1:
        found.sort(key=lambda r: (r.date, r.account_id or 0))
    # Several different levels on one date: which is first and which last depends on file order.
    ambiguous = [r.date for r in found if r.lo != r.hi]
    ends = _level_ends(session, scope=scope, start=min(ambiguous), end=max(ambiguous)) if ambiguous else {}
    days = [
        Day(
            r.date,
            r.rows,
            {c: None for c in SUMMED} | {c: _int(getattr(r, c)) for c in summed},
            _int(r.eng),
            r.eng_rows,
            *ends.get((r.account_id, r.date), (_int(r.lo), _int(r.hi))),
            r.post_rows,
        )
        for r in found
    ]
    return _per_date(days) if len(scope.accounts) > 1 else days


def _daily_query(scope: Scope, src):
    """Per (account, date) aggregates of the rows of `src` (one leaf of the timeline) that add up."""
    summed = [c for c in SUMMED if has_column(scope, c)]
    eng = engagements_expr(scope, src)
    level = src.c.subscribers if has_column(scope, "subscribers") else _nothing()
    is_post = src.c.kind == "posts"
    query = select(
        src.c.account_id,
        src.c.date,
        func.count().label("rows"),
        func.sum(eng).label("eng"),
        func.count(eng).label("eng_rows"),
        func.min(level).label("lo"),
        func.max(level).label("hi"),
        func.count(case((is_post, 1))).label("post_rows"),
        *(func.sum(getattr(src.c, c)).label(c) for c in summed if c != "posts"),
        *([func.sum(case((~is_post, src.c.posts))).label("posts")] if "posts" in summed else []),
    ).group_by(src.c.account_id, src.c.date)
    return query.where(src.c.counts == 1) if scope.merged else query


def _per_date(days: list[Day]) -> list[Day]:
    """One Day per date from several accounts' Days (already in date order): everything added up."""
    groups: dict[date, list[Day]] = {}
    for day in days:
        groups.setdefault(day.date, []).append(day)
    return [
        members[0]
        if len(members) == 1
        else Day(
            when,
            sum(d.rows for d in members),
            {c: add(d.sums[c] for d in members) for c in SUMMED},
            add(d.engagements for d in members),
            sum(d.engaged_rows for d in members),
            add(d.level_first for d in members),
            add(d.level_last for d in members),
            sum(d.post_rows or 0 for d in members),
        )
        for when, members in groups.items()
    ]


def _level_ends(session: Session, *, scope: Scope, start: date, end: date) -> dict[tuple, tuple[int, int]]:
    """Per (account, date): the `subscribers` level of its first and last row that has one (file order).

    Window functions over one scan, never a self-join: without statistics on freshly loaded rows the
    planner turned the join into a nested loop over every pair of rows (quadratic in the file).
    """
    src = timeline.source(scope, start=start, end=end)
    where = [src.c.subscribers.is_not(None), *([src.c.counts == 1] if scope.merged else [])]
    part = (src.c.account_id, src.c.date)
    first = func.first_value(src.c.subscribers).over(
        partition_by=part, order_by=(src.c.prio.desc(), src.c.line)
    )
    last = func.first_value(src.c.subscribers).over(
        partition_by=part, order_by=(src.c.prio, src.c.line.desc())
    )
    query = (
        select(src.c.account_id, src.c.date, first.label("first"), last.label("last"))
        .where(*where)
        .distinct()
    )
    return {(r.account_id, r.date): (r.first, r.last) for r in session.execute(query)}


def date_bounds(session: Session, *, file: Source) -> tuple[date | None, date | None]:
    """The first and last date of the file's (or timeline's) rows (None, None when it has none)."""
    scope = as_scope(file)
    if scope.kind != "file" and all(p.first is not None for p in scope.files):
        firsts, lasts = [p.first for p in scope.files], [p.last for p in scope.files]
        return (min(firsts), max(lasts)) if firsts else (None, None)
    ids = [p.id for p in scope.files]
    query = select(func.min(RawData.date), func.max(RawData.date)).where(RawData.file_id.in_(ids))
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


def _post_rows(day: Day, row_kind: str | None) -> int:
    if day.post_rows is not None:
        return day.post_rows
    return day.rows if row_kind == "posts" else 0


def post_count(days: list[Day], file: Source) -> int | None:
    """Post rows, plus the `posts` column of day rows (None when neither is there)."""
    if not days:
        return None
    kind = as_scope(file).row_kind
    posts = sum(_post_rows(d, kind) for d in days)
    return add([posts or None, add(d.sums["posts"] for d in days)])


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


def _bucket_record(bucket: date, members: list[Day], file: Source) -> dict[str, Any]:
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
    file: Source,
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


def series_from_days(days: list[Day], *, file: Source, grain: str = "day") -> pd.DataFrame:
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
    session: Session, *, file: Source, start: date | None = None, end: date | None = None
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


def _top_key(file: Source, order_by: str, src):
    """What `top_posts` orders by; None when the file lacks a column it needs."""
    eng = engagements_expr(file, src) if engagement_columns(file) else None
    views = src.c.views if has_column(file, "views") else None
    if order_by != "er":
        if order_by == "engagements":
            return eng
        return getattr(src.c, order_by) if has_column(file, order_by) else None
    if views is None or eng is None:
        return None
    # Float over float: over an integer column SQLAlchemy divides by CAST(... AS NUMERIC), and
    # PostgreSQL then converts every row's views to numeric and back, the costliest part of the scan.
    return cast(eng, Float) / cast(func.nullif(views, 0), Float)


def top_order(file: Source) -> str | None:
    """The measure top posts rank by by default: views, else impressions, reach, engagements."""
    for code in RANKABLE:
        if (code == "engagements" and engagement_columns(file)) or (
            code != "engagements" and has_column(file, code)
        ):
            return code
    return None


def _descending(key, *, lowest: bool = False) -> list:
    if key is None:
        return []
    return [key.asc().nulls_last() if lowest else key.desc().nulls_last()]


def _candidates(
    session: Session, file: Source, *, start, end, order_by: str, limit: int, lowest: bool = False
) -> list:
    """(file_id, date, line, prio, key) of the top `limit` post rows by key, then date, file and line.

    Each leaf of the timeline gives its own top `limit` (narrow rows: the top-N sort carries no
    titles or URLs through a million rows), and the best of those win: the leaves are disjoint.
    """
    scope = as_scope(file)
    found = []
    for leaf in timeline.leaves(scope, start=start, end=end):
        src = leaf.subquery("timeline")
        key = _top_key(scope, order_by, src)
        query = select(
            src.c.file_id,
            src.c.date,
            src.c.line,
            src.c.prio,
            (key if key is not None else _nothing()).label("key"),
        )
        if scope.merged:
            query = query.where(src.c.kind == "posts")
        order = [*_descending(key, lowest=lowest), src.c.date, src.c.prio, src.c.line]
        found += session.execute(query.order_by(*order).limit(limit)).all()
    sign = 1 if lowest else -1
    found.sort(key=lambda r: (r.key is None, sign * (r.key or 0), r.date, r.prio, r.line))
    return found[:limit]


def _title(row) -> str:
    """Something to call a post by in a table: never None."""
    return row.title or row.post_id or row.url or f"Post of {row.date:%-d %b %Y}"


def top_posts(
    session: Session,
    *,
    file: Source,
    start: date | None = None,
    end: date | None = None,
    order_by: str = "views",
    limit: int = 10,
    lowest: bool = False,
) -> list[dict[str, Any]]:
    """The post rows with the most (`lowest`: the fewest) views, impressions, reach, engagements or ER by views.

    Ties: earlier date, newer file, file order. Each dict has post_id, title, url, date, views,
    impressions, reach, engagements, er, and `label` (the title, else the id, url or date: never None).
    """
    if order_by not in TOP_ORDERS:
        raise ValueError(f"order_by must be one of {TOP_ORDERS}, not {order_by!r}")
    best = _candidates(session, file, start=start, end=end, order_by=order_by, limit=limit, lowest=lowest)
    if not best:
        return []

    def measure(name):
        return (getattr(RawData, name) if has_column(file, name) else _nothing()).label(name)

    query = select(
        RawData.file_id,
        RawData.line,
        RawData.post_id,
        RawData.title,
        RawData.url,
        RawData.date,
        measure("views"),
        measure("impressions"),
        measure("reach"),
        engagements_expr(file).label("engagements"),
    ).where(
        or_(
            *(
                and_(RawData.file_id == r.file_id, RawData.date == r.date, RawData.line == r.line)
                for r in best
            )
        )
    )
    details = {(row.file_id, row.line): row for row in session.execute(query)}
    rows = [details[(r.file_id, r.line)] for r in best if (r.file_id, r.line) in details]
    return [
        {**{k: v for k, v in row._asdict().items() if k not in ("file_id", "line")},
         "er": ratio(row.engagements, row.views), "label": _title(row)}
        for row in rows
    ]  # fmt: skip
