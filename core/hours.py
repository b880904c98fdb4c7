"""best_hour (DESIGN.md, metric catalogue): the hour of day with the highest mean engagements per post.

Hours are read in the export's own time: the reader stores a post time written without a zone as
that clock time in UTC, so the hour is taken in UTC on both backends.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import day_totals, memo, timeline
from core.analytics import Source, engagements_expr
from core.analytics.days import kept_groups, stored
from core.timeline import as_scope


def _hour(session: Session, column):
    return day_totals.hour_of(session.get_bind().dialect.name, column)


def hourly(session: Session, *, file: Source, start: date, end: date) -> list[tuple[int, int, int]]:
    """(hour, engagements, posts with engagements) of the post rows with a post time in [start, end]."""
    scope = as_scope(file)
    return memo.kept("hourly", scope, (start, end), lambda: _hourly(session, scope, start, end))


def _hourly(session: Session, scope, start: date, end: date) -> list[tuple[int, int, int]]:
    totals: dict[int, list[int]] = {}
    for piece in timeline.pieces(scope, start=start, end=end):
        part = piece.lone.part if piece.lone else piece.shared.part if piece.shared else None
        if part is not None and (part.row_kind or "days") != "posts":
            continue  # post rows only
        if stored(session, piece.lone):
            found = day_totals.per_hour(session, piece.lone)
        elif (groups := kept_groups(session, scope, piece)) is not None:
            found = day_totals.by_hour(groups)
        else:
            src = piece.rows.subquery("timeline")
            eng = engagements_expr(scope, src)
            hour = _hour(session, src.c.published_at).label("hour")
            query = (
                select(hour, func.sum(eng), func.count(eng))
                .where(src.c.published_at.is_not(None), src.c.kind == "posts", eng.is_not(None))
                .group_by(hour)
            )
            if scope.merged:
                query = query.where(src.c.counts == 1)
            found = session.execute(query).all()
        for h, e, n in found:
            total = totals.setdefault(int(h), [0, 0])
            total[0] += int(e or 0)
            total[1] += int(n)
    return [(h, e, n) for h, (e, n) in sorted(totals.items()) if n]


def best_hour(hours: list[tuple[int, int, int]]) -> str | None:
    """The hour (as text, "0".."23") with the highest mean engagements per post; ties go to the earlier hour."""
    best, best_mean = None, None
    for hour, total, posts in sorted(hours):
        mean = Fraction(total, posts)
        if best_mean is None or mean > best_mean:
            best, best_mean = hour, mean
    return None if best is None else str(best)
