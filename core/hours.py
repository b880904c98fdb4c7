"""best_hour (DESIGN.md, metric catalogue): the hour of day with the highest mean engagements per post.

Hours are read in the export's own time: the reader stores a post time written without a zone as
that clock time in UTC, so the hour is taken in UTC on both backends.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from core import timeline
from core.analytics import Source, engagements_expr
from core.timeline import as_scope


def _hour(session: Session, column):
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("hour", func.timezone("UTC", column)), Integer)
    return cast(func.strftime("%H", column), Integer)


def hourly(session: Session, *, file: Source, start: date, end: date) -> list[tuple[int, int, int]]:
    """(hour, engagements, posts with engagements) of the post rows with a post time in [start, end]."""
    scope = as_scope(file)
    src = timeline.source(scope, start=start, end=end)
    eng = engagements_expr(scope, src)
    hour = _hour(session, src.c.published_at).label("hour")
    query = (
        select(hour, func.sum(eng), func.count(eng))
        .where(src.c.published_at.is_not(None), src.c.kind == "posts", eng.is_not(None))
        .group_by(hour)
    )
    if scope.merged:
        query = query.where(src.c.counts == 1)
    return [(int(h), int(e), n) for h, e, n in session.execute(query).all() if n]


def best_hour(hours: list[tuple[int, int, int]]) -> str | None:
    """The hour (as text, "0".."23") with the highest mean engagements per post; ties go to the earlier hour."""
    best, best_mean = None, None
    for hour, total, posts in sorted(hours):
        mean = Fraction(total, posts)
        if best_mean is None or mean > best_mean:
            best, best_mean = hour, mean
    return None if best is None else str(best)
