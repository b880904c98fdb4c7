"""Gather what a report shows from the database: stored metrics plus aggregates, never raw rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pandas as pd
from sqlalchemy.orm import Session

from core import activity, analytics, metrics
from core import hours as post_hours
from core.analytics import Source
from core.i18n import _, fmt_date
from core.i18n import render as render_message
from core.models import SocialFile
from core.presets import grain_for  # noqa: F401  (re-exported: core.reports.scoped reads it here)
from core.reports.content import Kpi, Letterhead, Point, Post, ReportData, ReportUnavailable
from core.reports.csv import build_csv
from core.reports.highlights import best_hour, weakest_post
from core.reports.summary import summarise
from core.timeline import as_scope

TOP_POSTS = 10


def _value(v):
    return None if v is None or pd.isna(v) else int(v)


def _points(frame: pd.DataFrame) -> list[Point]:
    names = [c for c in Point.__dataclass_fields__ if c not in ("day", "days")]
    return [
        Point(day=rec["bucket"], **{c: _value(rec[c]) for c in names}) for rec in frame.to_dict("records")
    ]


def _bucket_days(bucket: date, grain: str, start: date, end: date) -> int:
    """Calendar days of [start, end] that fall in the bucket beginning on `bucket`."""
    if grain == "week":
        after = bucket + timedelta(days=7)
    else:
        after = (bucket.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (min(after - timedelta(days=1), end) - max(bucket, start)).days + 1


def roll_up(daily: list[Point], *, grain: str, start: date, end: date) -> list[Point]:
    """Weeks or months from the daily points, without scanning the rows again.

    Flows and counts add up; a subscriber level keeps its last value in the bucket.
    """
    if grain == "day":
        return daily
    groups: dict[date, list[Point]] = {}
    for point in daily:
        groups.setdefault(analytics.bucket_of(point.day, grain), []).append(point)
    summed = [c for c in Point.__dataclass_fields__ if c not in ("day", "subscribers", "days")]
    return [
        Point(
            day=bucket,
            subscribers=next((p.subscribers for p in reversed(members) if p.subscribers is not None), None),
            days=_bucket_days(bucket, grain, start, end),
            **{c: analytics.add(getattr(p, c) for p in members) for c in summed},
        )
        for bucket, members in groups.items()
    ]


def _weekdays(frame: pd.DataFrame) -> list[tuple[str, object]]:
    return [
        (r["weekday"], None if pd.isna(r["mean_engagements"]) else r["mean_engagements"])
        for _, r in frame.iterrows()
    ]


def _top_posts(session: Session, *, file: Source, start: date, end: date) -> tuple[list[Post], str]:
    """Top posts by engagements (by views when the file has no engagement columns), and that order."""
    if not as_scope(file).has_posts:
        return [], "engagements"
    order = "engagements" if analytics.engagement_columns(file) else "views"
    rows = analytics.top_posts(session, file=file, start=start, end=end, order_by=order, limit=TOP_POSTS)
    posts = [Post(r["label"], r["url"], r["date"], r["views"], r["engagements"]) for r in rows]
    return posts, order


def _coverage(session: Session, *, file: SocialFile, result: metrics.MetricResult) -> list[str]:
    """A note when the file does not reach back over the whole previous period (the changes then mislead)."""
    first, _last = analytics.date_bounds(session, file=file)
    prev_start, prev_end = result.previous_start, result.previous_end
    if first is None or prev_start is None or first <= prev_start:
        return []
    if first > prev_end:
        return [_("The file has no data for the previous period, so there are no changes to show.")]
    covered = (prev_end - first).days + 1
    total = (prev_end - prev_start).days + 1
    note = _(
        "The file starts on {date}: the previous period is covered for {covered} of its {total} days, "
        "so changes against it are not like for like."
    )
    return [note.format(date=fmt_date(first), covered=covered, total=total)]


def by_hour(
    session: Session, *, file: Source, start: date | None, end: date | None
) -> tuple[list[tuple[int, Decimal | None]], list[tuple[int, float | None]]]:
    """(mean engagements per post by hour posted, mean followers online by hour) over [start, end];
    each list empty when the data have none (ReportData.hours, .online)."""
    posted = {h: Decimal(e) / n for h, e, n in post_hours.hourly(session, file=file, start=start, end=end)}
    means = [(h, posted.get(h)) for h in range(24)] if posted else []
    frame = activity.by_hour(session, scope=as_scope(file), start=start, end=end)
    online = [] if frame is None else [(int(h), v) for h, v in activity.as_dict(frame).items()]
    return means, online


def report_data(
    session: Session,
    *,
    file: SocialFile,
    generated_at: datetime,
    title: str | None = None,
    letterhead: Letterhead | None = None,
) -> ReportData:
    """Everything the report shows, aggregated in the database from the file's stored metrics and rows,
    with its written summary in the current language."""
    result = metrics.load(session, file=file)
    if result is None:
        raise ReportUnavailable(
            _('"{name}" has no metrics yet: wait until it is ready.').format(name=file.original_name)
        )
    kpis = [
        Kpi(m.code, m.label, m.explanation, m.kind, result.current.get(m.code), result.previous.get(m.code))
        for m in metrics.CATALOGUE
    ]
    start, end = result.period_start, result.period_end
    grain = grain_for(start, end)
    daily, chart_series, weekdays, posts, order = [], [], [], [], "engagements"
    weakest, hour = None, None
    if start is not None:
        days = analytics.daily(session, file=file, start=start, end=end)  # the one scan of the period's rows
        daily = _points(analytics.series_from_days(days, file=file, grain="day"))
        chart_series = roll_up(daily, grain=grain, start=start, end=end)
        weekdays = _weekdays(analytics.weekdays_from_days(days))
        posts, order = _top_posts(session, file=file, start=start, end=end)
        weakest = weakest_post(session, file=file, start=start, end=end, order=order)
        hour = best_hour(session, file=file, start=start, end=end)
    hours, online = by_hour(session, file=file, start=start, end=end)
    coverage = _coverage(session, file=file, result=result)
    data = ReportData(
        file_name=file.original_name,
        platform=file.platform,
        row_kind=file.row_kind,
        period_start=start,
        period_end=end,
        previous_start=result.previous_start,
        previous_end=result.previous_end,
        generated_at=generated_at,
        kpis=kpis,
        daily=daily,
        chart_series=chart_series,
        grain=grain,
        weekdays=weekdays,
        top_posts=posts,
        top_order=order,
        warnings=[*(render_message(w) for w in file.warnings or []), *coverage],
        title=title,
        letterhead=letterhead,
        weakest_post=weakest,
        best_hour=hour,
        hours=hours,
        online=online,
        partial_previous=bool(coverage),
    )
    return replace(data, summary=summarise(data))


def render(data: ReportData, *, fmt: str) -> bytes:
    """The report in `fmt` ('pdf' or 'csv')."""
    if fmt != "pdf":
        return build_csv(data)
    from core.reports.pdf import build_pdf  # fpdf2 and matplotlib: ~1 s of imports a page never needs

    return build_pdf(data)
