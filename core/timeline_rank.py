"""What core.timeline merges by: a row's key, a range's conditions, and the one-`rank()` merge of the
dates files share in an account with both day and post files."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String, case, cast, func, literal, select, union_all

from core.bytewise import bytewise
from core.models import RawData
from core.scopes import Scope


def within(start: date | None, end: date | None, table=RawData) -> list:
    return [c for c in (start and table.date >= start, end and table.date <= end) if c is not None]


def post_key_of(c):
    """What identifies a post across exports: its id, else its URL, else its title and time."""
    when = func.coalesce(cast(c.published_at, String), cast(c.date, String))
    return func.coalesce(
        literal("i:") + c.post_id,
        literal("u:") + c.url,
        literal("t:") + c.title + literal("|") + when,
        literal("l:") + cast(c.line, String),  # no identity: the row stands alone in its file
    )


def key_of(c, kind: str):
    """What merging compares: the date for day rows, the post's key for post rows."""
    return c.date if kind == "days" else post_key_of(c)


def _with_counts(rows, mixed: bool):
    """`counts`: 1 for day rows, and for post rows on dates their account has no day rows."""
    if not mixed:
        return select(*rows.c, literal(1, Integer).label("counts"))
    has_days = func.max(case((rows.c.kind == "days", 1), else_=0)).over(
        partition_by=(rows.c.account_id, rows.c.date)
    )
    flagged = select(*rows.c, has_days.label("has_days")).subquery("flagged")
    counts = case(((flagged.c.kind == "days") | (flagged.c.has_days == 0), 1), else_=0)
    return select(*(c for c in flagged.c if c.name != "has_days"), counts.label("counts"))


def ranked_shared(scope: Scope, overlapping: list, start: date | None, end: date | None, *, mixed: bool):
    """The rows of the dates files share, each key kept from its highest-priority file only (decided
    over all shared dates, then cut to [start, end])."""
    rows = (
        union_all(*overlapping).subquery("shared")
        if len(overlapping) > 1
        else overlapping[0].subquery("shared")
    )
    kinds = {p.row_kind or "days" for p in scope.files}
    day_key = cast(rows.c.date, String)
    if kinds == {"posts"}:
        key = post_key_of(rows.c)
    elif kinds == {"days"}:
        key = day_key
    else:
        key = case((rows.c.kind == "posts", post_key_of(rows.c)), else_=day_key)
    # Equal keys across files: only the rows of the highest-priority file rank 1. Within one file
    # every row ranks alike, so a single file's rows all survive as they are.
    pick = func.rank().over(
        partition_by=(rows.c.account_id, rows.c.kind, bytewise(key)), order_by=rows.c.prio
    )
    ranked = select(*rows.c, pick.label("pick")).subquery("ranked")
    won = (
        select(*(c for c in ranked.c if c.name != "pick"))
        .where(ranked.c.pick == 1, *within(start, end, ranked.c))
        .subquery("won")
    )
    return _with_counts(won, mixed)
