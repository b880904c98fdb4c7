"""The best posts of a file, account or brand over a range, ranked in the database."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Float, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from core import day_totals, memo, timeline
from core.analytics.days import (
    Source,
    engagement_columns,
    engagements_expr,
    has_column,
    kept_groups,
    stored,
    typed_null,
)
from core.analytics.rollup import ratio
from core.models import RawData
from core.timeline import Scope, as_scope

TOP_ORDERS = ("views", "impressions", "reach", "engagements", "er")
RANKABLE = ("views", "impressions", "reach", "engagements")  # what top posts rank by, in preference


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
    for piece in timeline.pieces(scope, start=start, end=end):
        if scope.merged and piece.lone is not None and piece.lone.part.row_kind != "posts":
            continue  # a day export's rows are no posts
        src = piece.rows.subquery("timeline")
        key = _top_key(scope, order_by, src)
        query = select(
            src.c.file_id,
            src.c.date,
            src.c.line,
            src.c.prio,
            (key if key is not None else typed_null()).label("key"),
        )
        if scope.merged:
            query = query.where(src.c.kind == "posts")
        order = [*_descending(key, lowest=lowest), src.c.date, src.c.prio, src.c.line]
        query = query.order_by(*order).limit(limit)
        rows, dates = (
            None,
            _best_dates(session, scope, piece, key, order_by=order_by, lowest=lowest, limit=limit),
        )
        if dates is not None:  # only the dates that hold the best rows are read
            rows = session.execute(query.where(src.c.date.in_(dates))).all()
            rows = rows if sum(r.key is not None for r in rows) >= limit else None
        found += rows if rows is not None else session.execute(query).all()
    sign = 1 if lowest else -1
    found.sort(key=lambda r: (r.key is None, sign * (r.key or 0), r.date, r.prio, r.line))
    return found[:limit]


def _best_dates(session: Session, scope: Scope, piece, key, *, order_by: str, lowest: bool, limit: int):
    """The dates that hold a piece's top rows, from its totals; None when they are not known."""
    if key is None or order_by not in RANKABLE:
        return None
    if stored(session, piece.lone):
        return day_totals.best_dates(session, piece.lone, measure=order_by, lowest=lowest, limit=limit)
    groups = kept_groups(session, scope, piece)
    return (
        None
        if groups is None
        else day_totals.best_dates_of(groups, measure=order_by, lowest=lowest, limit=limit)
    )


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
    scope = as_scope(file)
    args = (start, end, order_by, limit, lowest)
    return memo.kept("top", scope, args, lambda: _top_posts(session, scope, *args))


def _top_posts(
    session: Session, file: Scope, start, end, order_by: str, limit: int, lowest: bool
) -> list[dict]:
    best = _candidates(session, file, start=start, end=end, order_by=order_by, limit=limit, lowest=lowest)
    if not best:
        return []

    def measure(name):
        return (getattr(RawData, name) if has_column(file, name) else typed_null()).label(name)

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
