"""What the written summary needs beyond the KPIs: the weakest post and the best hour of the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from core import analytics
from core.models import RawData, SocialFile
from core.reports.content import Post


def weakest_post(session: Session, *, file: SocialFile, start: date, end: date, order: str) -> Post | None:
    """The post with the fewest engagements (views where there are none) in the period; None for day rows."""
    if file.row_kind != "posts":
        return None
    rows = analytics.top_posts(session, file=file, start=start, end=end, order_by=order, limit=1, lowest=True)
    return next(
        (Post(r["title"] or r["post_id"], r["url"], r["date"], r["views"], r["engagements"]) for r in rows),
        None,
    )


def best_hour(session: Session, *, file: SocialFile, start: date, end: date) -> int | None:
    """The hour (0–23, the export's own time) with the highest mean engagements per post; ties: the earlier hour."""
    if file.row_kind != "posts" or not analytics.engagement_columns(file):
        return None
    hour = extract("hour", RawData.published_at)
    engagements = analytics.engagements_expr(file)
    query = (
        select(hour.label("hour"), func.avg(engagements).label("mean"))
        .where(
            RawData.file_id == file.id,
            RawData.date >= start,
            RawData.date <= end,
            RawData.published_at.is_not(None),
            engagements.is_not(None),
        )
        .group_by(hour)
    )
    means = [(int(r.hour), Decimal(str(r.mean))) for r in session.execute(query) if r.mean is not None]
    return min(means, key=lambda hm: (-hm[1], hm[0]))[0] if means else None
