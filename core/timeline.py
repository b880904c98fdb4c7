"""The rows analytics, metrics and reports read: one file's, or an account's or brand's merged timeline.

A `Scope` (core.scopes) names what is looked at (a file, an account, a brand) and the ready files
behind it; `source(scope, start, end)` is the one query every aggregate reads through, so no caller
knows whether its rows came from one file or several (DESIGN.md, "The timeline").

Merging: where two files of one account hold the same key — the date for day rows; the post
(post_id, else url, else title + published_at) for post rows — the rows of the file whose data
ends latest win (ties: the later upload). Only the dates files share have work: there a file's
row is kept unless a file above it holds its key on a shared date (an anti-join on the key, linear
in the rows read, never a sort of them). Which row wins does not depend on the range read: a post
the newest export dates after `end` is not counted before it from an older export. Sums come from day rows on dates where the account has
them, else from post rows (`counts`; an account with both kinds ranks its shared dates with
`rank()` to know); per-post figures read post rows (`kind = 'posts'`).

`pieces` gives the timeline as disjoint parts; a `Lone` one is a file's rows taken as they are
(dates no other file shares), which core.day_totals has summed already.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlalchemy import Integer, String, and_, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from core import memo
from core.merge_store import Superseded
from core.models import DESCRIPTORS, MEASURES, RawData
from core.scopes import (  # noqa: F401  (re-exported: callers read scopes through core.timeline)
    Part,
    Provenance,
    Scope,
    account_scope,
    as_scope,
    brand_scope,
    file_scope,
    of_file,
    provenance,
    sub_scope,
)
from core.timeline_rank import key_of, ranked_shared
from core.timeline_rank import within as _within


@dataclass(frozen=True)
class Lone:
    """A file's rows in [start, end] outside the `outside` spans, taken as they are (no merging)."""

    part: Part
    start: date | None
    end: date | None
    outside: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class Shared:
    """A file's winning rows on the dates it shares, in [start, end]; `whole()`: on all those dates."""

    part: Part
    start: date | None
    end: date | None
    whole: Callable[[], object]


@dataclass(frozen=True)
class Piece:
    """One disjoint part of the timeline: its SELECT (`source`'s columns), and `lone` or `shared`
    when it is one of those."""

    rows: object
    lone: Lone | None = None
    shared: Shared | None = None


def _where(scope: Scope, start: date | None, end: date | None) -> list:
    where = [RawData.file_id.in_([p.id for p in scope.files]) if scope.files else literal(False)]
    if start is not None:
        where.append(RawData.date >= start)
    if end is not None:
        where.append(RawData.date <= end)
    return where


def _columns_of_raw() -> list:
    return [
        RawData.file_id,
        RawData.line,
        RawData.date,
        *(getattr(RawData, c) for c in (*MEASURES, *DESCRIPTORS)),
    ]


def _shared_ranges(scope: Scope) -> dict[uuid.UUID, list[tuple[date, date]]]:
    """Per file: the date ranges it shares with another file of its account (where merging has work).

    Outside them a date has one file only, so its rows are taken as they are, without ranking: an
    account of monthly exports that overlap by a few days ranks those days' rows, not every row.
    """
    by_account: dict[int | None, list[Part]] = {}
    for part in scope.files:
        by_account.setdefault(part.account_id, []).append(part)
    out: dict[uuid.UUID, list[tuple[date, date]]] = {}
    for members in by_account.values():
        for part in members:
            ranges = []
            for other in members:
                if other.id == part.id or None in (part.first, part.last, other.first, other.last):
                    continue
                lo, hi = max(part.first, other.first), min(part.last, other.last)
                if lo <= hi:
                    ranges.append((lo, hi))
            if ranges or part.first is None:
                out[part.id] = ranges or [(date.min, date.max)]  # unknown dates: rank them all
    return out


def _mixed(scope: Scope) -> bool:
    """Whether some account has both day and post files (then a date's sums pick one kind)."""
    kinds: dict[int | None, set] = {}
    for part in scope.files:
        kinds.setdefault(part.account_id, set()).add(part.row_kind or "days")
    return any(len(k) > 1 for k in kinds.values())


def _file_rows(part: Part, prio: int, where: list):
    """One file's rows with its constants (account, kind, priority): one partition, no CASE per row."""
    return select(
        *_columns_of_raw(),
        literal(part.account_id or 0, Integer).label("account_id"),
        literal(part.row_kind or "days", String).label("kind"),
        literal(prio, Integer).label("prio"),
    ).where(RawData.file_id == part.id, *where)


def _single(scope: Scope, start: date | None, end: date | None):
    part = scope.files[0] if scope.files else None
    return select(
        *_columns_of_raw(),
        literal(part.account_id if part else None, Integer).label("account_id"),
        literal((part.row_kind if part else None) or "days", String).label("kind"),
        literal(1, Integer).label("counts"),
        literal(0, Integer).label("prio"),
    ).where(*_where(scope, start, end))


def _above(scope: Scope, prio: int, shared: dict) -> list[Part]:
    """The files of the same account and kind above the file at `prio` that share dates."""
    part, kind = scope.files[prio], scope.files[prio].row_kind or "days"
    return [
        p for p in scope.files[:prio]
        if (p.account_id or 0) == (part.account_id or 0) and (p.row_kind or "days") == kind and p.id in shared
    ]  # fmt: skip


def _clash(scope: Scope, prio: int, shared: dict, above: list[Part]):
    """Whether a file above holds the key of raw_data's row on a date it shares (correlated EXISTS)."""
    kind = scope.files[prio].row_kind or "days"
    other = aliased(RawData)
    held = [
        and_(other.file_id == p.id, or_(*(other.date.between(lo, hi) for lo, hi in shared[p.id])))
        for p in above
    ]
    return exists(select(literal(1)).where(or_(*held), key_of(other, kind) == key_of(RawData, kind)))


def _unsuperseded(scope: Scope, prio: int, shared: dict, start: date | None, end: date | None):
    """The file's rows on the dates it shares, less those whose key a file above it holds there
    (read from core.merge_store's superseded rows when its account's merge is stored)."""
    part = scope.files[prio]
    spans = [RawData.date.between(lo, hi) for lo, hi in shared[part.id]]
    mine = [*_within(start, end), or_(*spans)]
    above = _above(scope, prio, shared)
    if not above:
        return _file_rows(part, prio, mine)
    if part.account_id in scope.settled:
        lost = select(literal(1)).where(
            Superseded.file_id == part.id,
            Superseded.date == RawData.date,
            RawData.line.between(Superseded.first_line, Superseded.last_line),
        )
        return _file_rows(part, prio, [*mine, ~exists(lost)])
    return _file_rows(part, prio, [*mine, ~_clash(scope, prio, shared, above)])


def superseded_rows(scope: Scope, prio: int):
    """(date, line) of the rows of the file at `prio` that a file above it replaces; None when none
    can (core.merge_build stores them)."""
    shared = _shared_ranges(scope)
    part = scope.files[prio]
    above = _above(scope, prio, shared) if part.id in shared else []
    if not above or _mixed(scope):
        return None
    spans = [RawData.date.between(lo, hi) for lo, hi in shared[part.id]]
    return select(RawData.date, RawData.line).where(
        RawData.file_id == part.id, or_(*spans), _clash(scope, prio, shared, above)
    )


def pieces(scope: Scope, *, start: date | None = None, end: date | None = None) -> list[Piece]:
    """The timeline as disjoint parts: each file's rows on the dates it alone holds (`Lone`: as
    fast as reading one file), then the rows of shared dates that win.

    Aggregates run per piece and add up per account and date (each row lies in exactly one piece).
    The SELECTs are immutable: kept for the same files and range (core.memo).
    """
    return memo.kept("pieces", scope, (start, end), lambda: _pieces(scope, start, end))


def _pieces(scope: Scope, start: date | None, end: date | None) -> list[Piece]:
    if not scope.merged:
        lone = Lone(scope.files[0], start, end) if scope.files else None
        return [Piece(_single(scope, start, end), lone)]
    shared = _shared_ranges(scope)
    dates = _within(start, end)
    mixed = _mixed(scope)
    out, overlapping = [], []
    for prio, part in enumerate(scope.files):
        spans = [RawData.date.between(lo, hi) for lo, hi in shared.get(part.id, [])]
        lone = _file_rows(part, prio, [*dates, *(~span for span in spans)])
        rows = select(*lone.subquery("lone").c, literal(1, Integer).label("counts"))
        out.append(Piece(rows, Lone(part, start, end, tuple(shared.get(part.id, ())))))
        if spans and mixed:
            overlapping.append(_file_rows(part, prio, [or_(*spans)]))
        elif spans:
            kept = _unsuperseded(scope, prio, shared, start, end).subquery("kept")
            whole = Shared(part, start, end, partial(_unsuperseded, scope, prio, shared, None, None))
            out.append(Piece(select(*kept.c, literal(1, Integer).label("counts")), shared=whole))
    if overlapping:
        out.append(Piece(ranked_shared(scope, overlapping, start, end, mixed=True)))
    return out


def leaves(scope: Scope, *, start: date | None = None, end: date | None = None) -> list:
    """The timeline as disjoint SELECTs with `source`'s columns (`pieces`' rows); `source` is their
    UNION ALL, for callers that need the rows in one piece."""
    return [piece.rows for piece in pieces(scope, start=start, end=end)]


def source(scope: Scope, *, start: date | None = None, end: date | None = None):
    """The scope's rows in [start, end] as a subquery: raw_data's columns plus `account_id`,
    `kind` ("days"/"posts"), `counts` (1 where the row adds to sums) and `prio` (0 = newest file)."""
    parts = leaves(scope, start=start, end=end)
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("timeline")


def count_rows(session: Session, scope: Scope, *, start: date | None = None, end: date | None = None) -> int:
    """How many rows the timeline holds after merging (in [start, end] when given)."""
    src = source(scope, start=start, end=end)
    return session.scalar(select(func.count()).select_from(src)) or 0
