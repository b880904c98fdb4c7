"""Per file, date and hour posted: the sums every per-date figure is made of (migration 0009).

Written in the loading transaction (`record`), so a file's totals are replaced together with its
rows; deleted with them (`drop`). An account's per-date series then reads thousands of these
instead of a million rows: core.timeline says which dates of which file are taken as they are
(`Lone` pieces), and core.analytics / core.best_hour / core.hours read those pieces from here.
A file without totals (rows inserted by hand, as tests do) is read from its rows instead.

`hour` is the hour of day (UTC, 0–23) of the rows' `published_at`, -1 for rows without one;
`eng` sums a row's engagements (likes + comments + shares + saves, blanks as 0, null when all are
blank) and `eng_rows` counts the rows that have them; `lo`/`hi` bound the `subscribers` level.
"""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Integer,
    Uuid,
    and_,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    null,
    select,
    table,
)
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import day_overflow
from core.db import Base
from core.models import RawData
from core.models.columns import ENGAGEMENT, SUMMED

RANKED = ("views", "impressions", "reach", "eng")  # what top posts rank by (core.analytics.RANKABLE)
BOUNDS = tuple(f"{f}_{m}" for f in ("max", "min") for m in RANKED)
NO_HOUR = -1


class Sums:
    """The totals of a group of rows (DayTotal's columns after its key; core.merge_store shares them)."""

    rows: Mapped[int] = mapped_column(BigInteger)
    eng: Mapped[int | None] = mapped_column(BigInteger)
    eng_rows: Mapped[int] = mapped_column(BigInteger)
    # The `subscribers` level's bounds (lo, hi); the sums of raw_data's summed measures, named alike
    # (SUMMED, from core.models.columns); the highest and lowest value of a row of each measure top
    # posts rank by (BOUNDS; engagements: `eng`).
    locals().update({name: mapped_column(BigInteger) for name in ("lo", "hi", *SUMMED, *BOUNDS)})


class DayTotal(Sums, Base):
    """One file's rows of one date (and hour posted), summed."""

    __tablename__ = "day_totals"

    file_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("social_files.id", ondelete="CASCADE"), primary_key=True
    )
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)


NAMES = ("date", "hour", "rows", "eng", "eng_rows", "lo", "hi", *SUMMED, *BOUNDS)  # what `_grouped` gives


def engagements(src, names=ENGAGEMENT):
    """A row's engagements over `names` (a file lacking a column has it blank on every row); None without any."""
    if not names:
        return None
    cols = [getattr(src.c, c) for c in names]
    total = sum((func.coalesce(c, 0) for c in cols[1:]), func.coalesce(cols[0], 0))
    return case((and_(*(c.is_(None) for c in cols)), null()), else_=total)


def hour_of(dialect: str, value):
    """The hour of day (UTC) of a timestamp, on either backend."""
    if dialect == "postgresql":
        return cast(func.extract("hour", func.timezone("UTC", value)), Integer)
    return cast(func.strftime("%H", value), Integer)


def _rows_of(name: str):
    return table(name, *(column(c.name, c.type) for c in RawData.__table__.c))


def _grouped(src, dialect: str, has: set[str]):
    """Per date and hour posted: the totals of `src`'s rows, labelled like DayTotal's columns."""
    timed = "published_at" in has
    hour = func.coalesce(hour_of(dialect, src.c.published_at), NO_HOUR) if timed else None
    eng = engagements(src, [c for c in ENGAGEMENT if c in has])

    def value(name: str):
        return getattr(src.c, name) if name in has else None

    def agg(fn, expr):
        return cast(null(), BigInteger) if expr is None else fn(expr)

    return select(
        src.c.date.label("date"),
        (hour if timed else literal(NO_HOUR, Integer)).label("hour"),
        func.count().label("rows"),
        agg(func.sum, eng).label("eng"),
        (func.count(eng) if eng is not None else literal(0, BigInteger)).label("eng_rows"),
        agg(func.min, value("subscribers")).label("lo"),
        agg(func.max, value("subscribers")).label("hi"),
        *(agg(func.sum, value(c)).label(c) for c in SUMMED),
        *(agg(getattr(func, b[:3]), eng if b[4:] == "eng" else value(b[4:])).label(b) for b in BOUNDS),
    ).group_by(src.c.date, *([hour] if timed else []))


def record(conn, *, file_id: uuid.UUID, table_name: str = "raw_data", columns=None) -> None:
    """Replace the file's totals with those of its rows in `table_name` (in the caller's transaction).

    `columns`: the canonical columns the rows can have (the parser's); the others are blank on every
    row, so their totals are written blank without reading them — each sum costs the load time.
    """
    src = _rows_of(table_name)
    has = set(RawData.__table__.c.keys() if columns is None else columns)
    grouped = _grouped(src, conn.dialect.name, has).where(src.c.file_id == file_id).subquery()
    query = select(literal(file_id, Uuid), *(grouped.c[n] for n in NAMES))
    drop(conn, file_id=file_id)
    try:
        with conn.begin_nested():  # an overflow leaves the rows readable for the refusal's detail
            conn.execute(insert(DayTotal).from_select(["file_id", *NAMES], query))
            if conn.dialect.name == "sqlite" and day_overflow.widened(conn, DayTotal, file_id=file_id):
                raise OverflowError("a sum went past a BIGINT")
    except (DataError, OperationalError, OverflowError) as exc:
        refusal = day_overflow.too_large(conn, src=src, file_id=file_id, has=has)
        if refusal is None:
            raise
        raise refusal from exc


def survivors(session: Session, rows) -> list:
    """DayTotal-like groups of a SELECT of rows (a file's winning rows on the dates it shares)."""
    src = rows.subquery("won")
    return list(session.execute(_grouped(src, session.get_bind().dialect.name, set(src.c.keys()))))


def drop(conn, *, file_id: uuid.UUID) -> None:
    conn.execute(delete(DayTotal).where(DayTotal.file_id == file_id))


def stored(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of the files have their totals recorded."""
    if not ids:
        return set()
    query = select(DayTotal.file_id).where(DayTotal.file_id.in_(ids)).group_by(DayTotal.file_id)
    return set(session.scalars(query))


def _where(piece) -> list:
    t = DayTotal
    where = [t.file_id == piece.part.id]
    if piece.start is not None:
        where.append(t.date >= piece.start)
    if piece.end is not None:
        where.append(t.date <= piece.end)
    where += [~t.date.between(lo, hi) for lo, hi in piece.outside]
    return where


def per_date(session: Session, piece, *, summed: list[str]) -> list:
    """One row per date of a `Lone` piece, with the columns of analytics' per-leaf daily query."""
    t = DayTotal
    query = (
        select(
            t.date,
            func.sum(t.rows).label("rows"),
            func.sum(t.eng).label("eng"),
            func.sum(t.eng_rows).label("eng_rows"),
            func.min(t.lo).label("lo"),
            func.max(t.hi).label("hi"),
            *(func.sum(getattr(t, c)).label(c) for c in summed),
        )
        .where(*_where(piece))
        .group_by(t.date)
    )
    return list(session.execute(query))


def per_hour(session: Session, piece) -> list[tuple[int, int, int]]:
    """(hour, engagements, rows with engagements) of a `Lone` piece's rows that have a post time."""
    t = DayTotal
    query = (
        select(t.hour, func.sum(t.eng), func.sum(t.eng_rows))
        .where(*_where(piece), t.hour != NO_HOUR)
        .group_by(t.hour)
    )
    return [(int(h), int(e or 0), int(n or 0)) for h, e, n in session.execute(query)]


def best_dates(session: Session, piece, *, measure: str, lowest: bool, limit: int) -> list[date] | None:
    """The dates of a `Lone` piece that hold its top `limit` rows by `measure` (lowest: the bottom ones).

    The rows of the `limit` (date, hour) groups with the highest maxima include the top `limit`
    rows: each of those groups has a row at least as high as any row of a group left out. None
    when fewer than `limit` groups have a value (the nulls' order then needs every row).
    """
    bound = getattr(
        DayTotal, f"{'min' if lowest else 'max'}_{'eng' if measure == 'engagements' else measure}"
    )
    order = bound.asc() if lowest else bound.desc()
    where = [*_where(piece), bound.is_not(None)]
    kth = session.scalar(select(bound).where(*where).order_by(order).offset(limit - 1).limit(1))
    if kth is None:
        return None
    reach = bound <= kth if lowest else bound >= kth
    return list(session.scalars(select(DayTotal.date).where(*where, reach).group_by(DayTotal.date)))


def within(groups: list, start: date | None, end: date | None) -> list:
    return [g for g in groups if (start is None or g.date >= start) and (end is None or g.date <= end)]


def _add(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def by_date(groups: list, *, summed: list[str]) -> list[SimpleNamespace]:
    """`per_date`'s rows from groups in memory (`survivors`)."""
    dates: dict[date, list] = {}
    for g in groups:
        dates.setdefault(g.date, []).append(g)
    return [
        SimpleNamespace(
            date=when,
            rows=sum(g.rows for g in members),
            eng=_add(g.eng for g in members),
            eng_rows=sum(g.eng_rows for g in members),
            lo=min((g.lo for g in members if g.lo is not None), default=None),
            hi=max((g.hi for g in members if g.hi is not None), default=None),
            **{c: _add(getattr(g, c) for g in members) for c in summed},
        )  # fmt: skip
        for when, members in sorted(dates.items())
    ]


def by_hour(groups: list) -> list[tuple[int, int, int]]:
    """`per_hour` from groups in memory."""
    hours: dict[int, list[int]] = {}
    for g in groups:
        if g.hour != NO_HOUR:
            total = hours.setdefault(g.hour, [0, 0])
            total[0] += int(g.eng or 0)
            total[1] += int(g.eng_rows or 0)
    return [(h, e, n) for h, (e, n) in sorted(hours.items())]


def best_dates_of(groups: list, *, measure: str, lowest: bool, limit: int) -> list[date] | None:
    """`best_dates` from groups in memory."""
    name = f"{'min' if lowest else 'max'}_{'eng' if measure == 'engagements' else measure}"
    values = sorted((v for g in groups if (v := getattr(g, name)) is not None), reverse=not lowest)
    if len(values) < limit:
        return None
    kth = values[limit - 1]
    return sorted(
        {g.date for g in groups if (v := getattr(g, name)) is not None and (v <= kth if lowest else v >= kth)}
    )
