"""One row per date: a file's, account's or brand's rows grouped by date in the database (`daily`), and
which columns the data has."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import BigInteger, and_, case, cast, func, null, select
from sqlalchemy.orm import Session

from core import day_totals, memo, merge_store, timeline
from core.models import MEASURES, RawData, SocialFile
from core.timeline import Scope, as_scope

Source = SocialFile | Scope  # what the functions below read: one file, or a merged timeline

ENGAGEMENT_COLUMNS = ("likes", "comments", "shares", "saves")
SUMMED = tuple(m for m in MEASURES if m != "subscribers")  # flows and counts add up; a level does not
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def typed_null():
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
        return typed_null()
    total = sum((func.coalesce(c, 0) for c in cols[1:]), func.coalesce(cols[0], 0))
    return case((and_(*(c.is_(None) for c in cols)), null()), else_=total)


def _int(value) -> int | None:
    return None if value is None else int(value)


def daily(session: Session, *, file: Source, start: date | None = None, end: date | None = None) -> list[Day]:
    """Per-date aggregates of the rows that add up in [start, end], in date order.

    For a merged timeline: the winning rows, day rows where the account has them on a date, else
    its post rows; a brand's accounts are added up per date (their subscriber levels summed).
    A timeline's dates do not depend on the range read, so its whole list is kept (core.memo)
    and any range is cut from it.
    """
    scope = as_scope(file)
    if memo.data_key(scope) is None:
        return _daily(session, scope, start, end)
    days = memo.kept("daily", scope, (), lambda: _daily(session, scope, None, None))
    return [d for d in days if (start is None or d.date >= start) and (end is None or d.date <= end)]


def _daily(session: Session, scope: Scope, start: date | None, end: date | None) -> list[Day]:
    summed = [c for c in SUMMED if has_column(scope, c)]
    found = []
    for piece in timeline.pieces(scope, start=start, end=end):  # disjoint: each row in one
        if stored(session, piece.lone):
            found += _stored_days(session, scope, piece.lone)
        elif (groups := kept_groups(session, scope, piece)) is not None:
            found += _days_of(scope, piece.shared.part, day_totals.by_date(groups, summed=summed))
        else:
            found += session.execute(_daily_query(scope, piece.rows.subquery("timeline"))).all()
    if len(found) > 1:
        found = _combined(sorted(found, key=lambda r: (r.date, r.account_id or 0)), summed)
    # Several different levels on one date: which is first and which last depends on file order.
    ambiguous = sorted({r.date for r in found if r.lo != r.hi})
    ends = _level_ends(session, scope=scope, dates=ambiguous) if ambiguous else {}
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


def _combined(found: list, summed: list[str]) -> list:
    """One row per (account, date): the files that share a date each give their winning rows' sums."""
    out = [found[0]]
    for r in found[1:]:
        last = out[-1]
        if (r.date, r.account_id or 0) != (last.date, last.account_id or 0):
            out.append(r)
            continue
        levels = [v for v in (last.lo, last.hi, r.lo, r.hi) if v is not None]
        out[-1] = SimpleNamespace(
            account_id=last.account_id, date=r.date, rows=last.rows + r.rows,
            eng=add([last.eng, r.eng]), eng_rows=last.eng_rows + r.eng_rows,
            lo=min(levels, default=None), hi=max(levels, default=None), post_rows=last.post_rows + r.post_rows,
            **{c: add([getattr(last, c), getattr(r, c)]) for c in summed},
        )  # fmt: skip
    return out


def stored(session: Session, lone: timeline.Lone | None) -> bool:
    """Whether a piece of the timeline can be read from core.day_totals instead of its rows."""
    if lone is None:
        return False
    if lone.part.stored is None:
        return lone.part.id in day_totals.stored(session, [lone.part.id])
    return lone.part.stored


def kept_groups(session: Session, scope: Scope, piece: timeline.Piece) -> list | None:
    """A shared piece's winning rows as totals per date and hour: stored with its account's merge
    (core.merge_store) when that matches the files, else summed once per timeline and kept
    (core.memo: which rows win does not depend on the range); None when neither."""
    shared = piece.shared
    if shared is None or memo.data_key(scope) is None:
        return None
    if shared.part.account_id in scope.settled:
        stored_groups = memo.kept(
            "shared", scope, (), lambda: merge_store.shared_groups(session, scope.settled)
        )
        groups = stored_groups.get(shared.part.id, [])
    else:
        groups = memo.kept(
            "won", scope, (shared.part.id,), lambda: day_totals.survivors(session, shared.whole())
        )
    return day_totals.within(groups, shared.start, shared.end)


def _stored_days(session: Session, scope: Scope, lone: timeline.Lone) -> list[SimpleNamespace]:
    """`_daily_query`'s rows for a piece taken as it is, from the file's recorded totals."""
    summed = [c for c in SUMMED if has_column(scope, c)]
    return _days_of(scope, lone.part, day_totals.per_date(session, lone, summed=summed))


def _days_of(scope: Scope, part: timeline.Part, totals: list) -> list[SimpleNamespace]:
    """`_daily_query`'s rows from per-date totals of one file's rows."""
    summed = [c for c in SUMMED if has_column(scope, c)]
    posts = (part.row_kind or "days") == "posts"
    engaged, level = bool(engagement_columns(scope)), has_column(scope, "subscribers")
    account = (part.account_id or 0) if scope.merged else part.account_id
    return [
        SimpleNamespace(
            account_id=account,
            date=r.date,
            rows=int(r.rows),
            eng=r.eng if engaged else None,
            eng_rows=int(r.eng_rows) if engaged else 0,
            lo=r.lo if level else None,
            hi=r.hi if level else None,
            post_rows=int(r.rows) if posts else 0,
            **{c: None if posts and c == "posts" else getattr(r, c) for c in summed},
        )  # fmt: skip
        for r in totals
    ]


def _daily_query(scope: Scope, src):
    """Per (account, date) aggregates of the rows of `src` (one leaf of the timeline) that add up."""
    summed = [c for c in SUMMED if has_column(scope, c)]
    eng = engagements_expr(scope, src)
    level = src.c.subscribers if has_column(scope, "subscribers") else typed_null()
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


def add(values: Iterable[int | None]) -> int | None:
    """The sum of the non-null values; None when all are null."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


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


def _level_ends(session: Session, *, scope: Scope, dates: list[date]) -> dict[tuple, tuple[int, int]]:
    """Per (account, date) of `dates`: the `subscribers` level of its first and last row that has one
    (file order).

    Window functions over one scan, never a self-join: without statistics on freshly loaded rows the
    planner turned the join into a nested loop over every pair of rows (quadratic in the file).
    """
    src = timeline.source(scope, start=dates[0], end=dates[-1])
    where = [src.c.subscribers.is_not(None), *([src.c.counts == 1] if scope.merged else [])]
    if len(dates) > 1 and (dates[-1] - dates[0]).days + 1 > len(dates):
        where.append(src.c.date.in_(dates))
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
