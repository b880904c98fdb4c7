"""The best hour to post: engagements by the hour of day (UTC) the posts were published at.

Aggregated in the database per leaf of the merged timeline (core.timeline.leaves), so only 24
numbers per leaf reach Python; scoped like the rest, since a Scope holds only its owner's files.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from core import day_totals, memo, timeline
from core.analytics import Source, engagement_columns, engagements_expr
from core.analytics.days import kept_groups, stored

HOURS = range(24)


def hourly_engagements(
    session: Session, *, file: Source, start: date | None = None, end: date | None = None
) -> pd.DataFrame | None:
    """Per hour 0–23: `posts` (rows with a publication time and engagements), `engagements` (their sum)
    and `mean_engagements`; None when the rows have no publication times or no engagement column."""
    scope = timeline.as_scope(file)
    if not engagement_columns(scope):
        return None
    return memo.kept("hours", scope, (start, end), lambda: _hourly(session, scope, start, end))


def _hourly(session: Session, scope, start: date | None, end: date | None) -> pd.DataFrame | None:
    totals = {h: [0, 0] for h in HOURS}
    for piece in timeline.pieces(scope, start=start, end=end):
        groups = None if stored(session, piece.lone) else kept_groups(session, scope, piece)
        if groups is not None or stored(session, piece.lone):
            found = day_totals.per_hour(session, piece.lone) if groups is None else day_totals.by_hour(groups)
            for hour, eng, posts in found:
                totals[hour][0] += eng
                totals[hour][1] += posts
            continue
        src = piece.rows.subquery("timeline")
        hour = extract("hour", src.c.published_at)
        eng = engagements_expr(scope, src)
        query = (
            select(hour.label("hour"), func.sum(eng).label("eng"), func.count(eng).label("posts"))
            .where(src.c.published_at.is_not(None))
            .group_by(hour)
        )
        if scope.merged:
            query = query.where(src.c.counts == 1)
        for row in session.execute(query):
            totals[int(row.hour)][0] += int(row.eng or 0)
            totals[int(row.hour)][1] += int(row.posts)
    if not any(posts for _, posts in totals.values()):
        return None
    frame = pd.DataFrame(
        {
            "hour": list(HOURS),
            "posts": [totals[h][1] for h in HOURS],
            "engagements": [totals[h][0] for h in HOURS],
        }
    )
    frame["mean_engagements"] = (frame["engagements"] / frame["posts"].where(frame["posts"] > 0)).astype(
        "Float64"
    )
    return frame
