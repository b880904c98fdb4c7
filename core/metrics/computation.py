"""Every metric of the catalogue over a period, from the per-date rows of core.analytics.daily, exactly."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sqlalchemy.orm import Session

from core.analytics import WEEKDAYS, Day, Source, add, daily, date_bounds, flows, post_count, ratio
from core.hours import best_hour, hourly
from core.metrics.definitions import CODES, WIDE, MetricResult, Value, exact, no_values
from core.models import SocialFile
from core.timeline import as_scope

_SUMS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves")


def periods(*, first: date, last: date, period_days: int | None) -> tuple[date, date, date, date]:
    """(start, end, previous start, previous end): the last `period_days` days up to `last`."""
    start = last - timedelta(days=period_days - 1) if period_days and period_days > 0 else first
    length = timedelta(days=(last - start).days + 1)
    return start, last, start - length, start - timedelta(days=1)


def _er_followers(days: list[Day], *, row_kind: str | None) -> Decimal | None:
    """Mean of engagements / subscribers on the row's date × 100, over posts (or days) that have both."""
    total, count = Decimal(0), 0
    for day in days:
        if day.engagements is None or not day.level_last or day.level_last < 0:
            continue
        # Σ over a date's posts of e / L is (Σ e) / L: one exact division per date.
        total += WIDE.divide(Decimal(day.engagements), Decimal(day.level_last))
        per_post = day.post_rows > 0 if day.post_rows is not None else row_kind == "posts"
        count += day.engaged_rows if per_post else 1
    return WIDE.divide(total * 100, Decimal(count)) if count else None


def _best_weekday(days: list[Day]) -> str | None:
    """Weekday with the highest mean engagements per row; ties go to the earlier day."""
    totals: dict[int, list[int]] = {}
    for day in days:
        if day.engagements is not None and day.engaged_rows:
            pair = totals.setdefault(day.date.weekday(), [0, 0])
            pair[0] += day.engagements
            pair[1] += day.engaged_rows
    best, best_mean = None, None
    for weekday in sorted(totals):  # Monday first, and only a strictly higher mean replaces it
        mean = Fraction(*totals[weekday])
        if best_mean is None or mean > best_mean:
            best, best_mean = weekday, mean
    return None if best is None else WEEKDAYS[best]


def _subscribers(days: list[Day]) -> tuple[int | None, int | None, int | None]:
    """(start level, end level, growth): levels first, else flows."""
    levels = [d for d in days if d.level_first is not None]
    if not levels:
        return None, None, flows(days)
    start, end = levels[0].level_first, levels[-1].level_last
    return start, end, end - start


def catalogue(days: list[Day], *, file: Source, hours: list | None = None) -> dict[str, Value]:
    """Every metric of the catalogue over the given per-date aggregates (all null without rows);
    `hours` are the period's engagements per hour of post time (core.hours.hourly)."""
    if not days:
        return no_values()
    v: dict[str, object] = {c: add(d.sums[c] for d in days) for c in _SUMS}
    v["posts"] = posts = post_count(days, file)
    v["engagements"] = eng = add(d.engagements for d in days)
    v["subscribers_start"], v["subscribers_end"], v["subs_growth"] = _subscribers(days)
    v["subs_growth_pct"] = ratio(v["subs_growth"], v["subscribers_start"])
    v["er_views"] = ratio(eng, v["views"])
    v["err"] = ratio(eng, v["reach"])
    v["er_impressions"] = ratio(eng, v["impressions"])
    v["er_followers"] = _er_followers(days, row_kind=as_scope(file).row_kind)
    v["avg_views"] = ratio(v["views"], posts, scale=1)
    v["avg_engagements"] = ratio(eng, posts, scale=1)
    v["virality"] = ratio(v["shares"], v["views"])
    v["best_weekday"] = _best_weekday(days)
    v["best_hour"] = best_hour(hours or [])
    return {code: exact(v[code]) for code in CODES}


def compute(session: Session, *, file: SocialFile) -> MetricResult:
    """The catalogue for the file's period and the previous one, aggregated in the database."""
    first, last = date_bounds(session, file=file)
    if last is None:
        return MetricResult()
    start, end, prev_start, prev_end = periods(first=first, last=last, period_days=file.period_days)
    days = daily(session, file=file, start=prev_start, end=end)
    return MetricResult(
        start,
        end,
        prev_start,
        prev_end,
        catalogue(
            [d for d in days if d.date >= start],
            file=file,
            hours=hourly(session, file=file, start=start, end=end),
        ),
        catalogue(
            [d for d in days if d.date <= prev_end],
            file=file,
            hours=hourly(session, file=file, start=prev_start, end=prev_end),
        ),
    )


def compute_range(
    session: Session,
    *,
    file: Source,
    start: date,
    end: date,
    previous_start: date | None = None,
    previous_end: date | None = None,
) -> MetricResult:
    """The catalogue of a file, account or brand over [start, end] and over the previous range.

    The previous range defaults to the same length just before; give it to compare with, say, the
    same period a year earlier (core.presets.compare). A brand sums its accounts per date first, so
    ratios come from the sums, never from averaged ratios.
    """
    if previous_start is None or previous_end is None:
        previous_end = start - timedelta(days=1)
        previous_start = previous_end - (end - start)
    if previous_end < start and previous_end >= previous_start and (start - previous_end).days == 1:
        days = daily(session, file=file, start=previous_start, end=end)  # adjacent: one scan
        current = [d for d in days if d.date >= start]
        before = [d for d in days if d.date <= previous_end]
    else:
        current = daily(session, file=file, start=start, end=end)
        before = daily(session, file=file, start=previous_start, end=previous_end)
    return MetricResult(
        start,
        end,
        previous_start,
        previous_end,
        catalogue(current, file=file, hours=hourly(session, file=file, start=start, end=end)),
        catalogue(
            before, file=file, hours=hourly(session, file=file, start=previous_start, end=previous_end)
        ),
    )
