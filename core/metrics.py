"""The metric catalogue of DESIGN.md: what each metric means, its computation, its storage.

Rows are aggregated per date in the database (core.analytics.daily); every metric of a period is
then derived from those few per-date rows with exact decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Context, Decimal
from fractions import Fraction

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core.analytics import WEEKDAYS, Day, Source, add, daily, date_bounds, flows, post_count, ratio
from core.hours import best_hour, hourly
from core.i18n import N_, _, fmt_decimal, weekday_name
from core.models import Metric, SocialFile
from core.timeline import as_scope

Value = Decimal | str | None
STORED_PLACES = Decimal("1e-10")  # metrics.value is Numeric(30, 10)
SHOWN_PLACES = Decimal("1e-4")  # DESIGN: exact decimals, rounded to 4 places for display only
_WIDE = Context(prec=60)


@dataclass(frozen=True)
class MetricDef:
    """One metric: its code, a human name, a one-sentence definition (English message ids), and its kind."""

    code: str
    label: str
    explanation: str
    kind: str  # "count" | "rate" | "pct" | "text"

    @property
    def name(self) -> str:
        """The name in the current language."""
        return _(self.label)

    @property
    def definition(self) -> str:
        """The definition in the current language."""
        return _(self.explanation)


CATALOGUE: list[MetricDef] = [
    MetricDef(
        "posts",
        N_("Posts"),
        N_("Post rows in the period; for daily rows, the sum of the posts column."),
        "count",
    ),
    MetricDef("views", N_("Views"), N_("Sum of views over the period."), "count"),
    MetricDef("reach", N_("Reach"), N_("Sum of reach over the period."), "count"),
    MetricDef("impressions", N_("Impressions"), N_("Sum of impressions over the period."), "count"),
    MetricDef("likes", N_("Likes"), N_("Sum of likes over the period."), "count"),
    MetricDef("comments", N_("Comments"), N_("Sum of comments over the period."), "count"),
    MetricDef("shares", N_("Shares"), N_("Sum of shares over the period."), "count"),
    MetricDef("saves", N_("Saves"), N_("Sum of saves over the period."), "count"),
    MetricDef(
        "engagements",
        N_("Engagements"),
        N_("Likes + comments + shares + saves, summed over the period."),
        "count",
    ),
    MetricDef(
        "subscribers_start",
        N_("Subscribers at start"),
        N_("The subscriber count on the first date of the period that has one."),
        "count",
    ),
    MetricDef(
        "subscribers_end",
        N_("Subscribers at end"),
        N_("The subscriber count on the last date of the period that has one."),
        "count",
    ),
    MetricDef(
        "subs_growth",
        N_("Subscriber growth"),
        N_("Subscribers at end minus at start; without counts, net subscribers (or gained minus lost)."),
        "count",
    ),
    MetricDef(
        "subs_growth_pct",
        N_("Subscriber growth, %"),
        N_("Subscriber growth as a percentage of the subscribers at the start."),
        "pct",
    ),
    MetricDef("er_views", N_("ER by views, %"), N_("Engagements divided by views, × 100."), "pct"),
    MetricDef("err", N_("ER by reach, %"), N_("Engagements divided by reach, × 100."), "pct"),
    MetricDef(
        "er_impressions",
        N_("ER by impressions, %"),
        N_("Engagements divided by impressions, × 100 (as X, LinkedIn and Facebook report it)."),
        "pct",
    ),
    MetricDef(
        "er_followers",
        N_("ER by followers, %"),
        N_(
            "Mean over posts (for daily rows, over days) of engagements divided by that date's subscribers, × 100."
        ),
        "pct",
    ),
    MetricDef("avg_views", N_("Average views per post"), N_("Views divided by posts."), "rate"),
    MetricDef(
        "avg_engagements", N_("Average engagements per post"), N_("Engagements divided by posts."), "rate"
    ),
    MetricDef("virality", N_("Virality, %"), N_("Shares divided by views, × 100."), "pct"),
    MetricDef(
        "best_weekday",
        N_("Best weekday"),
        N_("The weekday with the highest mean engagements per row (ties go to the earlier day)."),
        "text",
    ),
    MetricDef(
        "best_hour",
        N_("Best hour"),
        N_(
            "The hour of day (0–23, in the export's own time) with the highest mean engagements per post; "
            "empty when the file has no post times."
        ),
        "text",
    ),
]
CODES = tuple(m.code for m in CATALOGUE)
BY_CODE = {m.code: m for m in CATALOGUE}
_SUMS = ("views", "reach", "impressions", "likes", "comments", "shares", "saves")


def _nulls() -> dict[str, Value]:
    return dict.fromkeys(CODES)


@dataclass
class MetricResult:
    """The catalogue for the file's period and for the period of the same length before it."""

    period_start: date | None = None
    period_end: date | None = None
    previous_start: date | None = None
    previous_end: date | None = None
    current: dict[str, Value] = field(default_factory=_nulls)
    previous: dict[str, Value] = field(default_factory=_nulls)


def periods(*, first: date, last: date, period_days: int | None) -> tuple[date, date, date, date]:
    """(start, end, previous start, previous end): the last `period_days` days up to `last`."""
    start = last - timedelta(days=period_days - 1) if period_days and period_days > 0 else first
    length = timedelta(days=(last - start).days + 1)
    return start, last, start - length, start - timedelta(days=1)


def exact(value) -> Value:
    """A metric value as stored: text as is, numbers as Decimals with at most 10 places."""
    if value is None or isinstance(value, str):
        return value
    value = Decimal(value).quantize(STORED_PLACES, context=_WIDE)
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize(_WIDE)


def _er_followers(days: list[Day], *, row_kind: str | None) -> Decimal | None:
    """Mean of engagements / subscribers on the row's date × 100, over posts (or days) that have both."""
    total, count = Decimal(0), 0
    for day in days:
        if day.engagements is None or not day.level_last or day.level_last < 0:
            continue
        # Σ over a date's posts of e / L is (Σ e) / L: one exact division per date.
        total += _WIDE.divide(Decimal(day.engagements), Decimal(day.level_last))
        per_post = day.post_rows > 0 if day.post_rows is not None else row_kind == "posts"
        count += day.engaged_rows if per_post else 1
    return _WIDE.divide(total * 100, Decimal(count)) if count else None


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
        return _nulls()
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


def store(session: Session, *, file: SocialFile, result: MetricResult) -> None:
    """Replace the file's metric rows with `result` and record its period on the file."""
    session.execute(delete(Metric).where(Metric.file_id == file.id))
    rows = []
    for period, values, start, end in (
        ("current", result.current, result.period_start, result.period_end),
        ("previous", result.previous, result.previous_start, result.previous_end),
    ):
        for metric in CATALOGUE:
            value = values.get(metric.code)
            text = value if isinstance(value, str) else None
            rows.append(
                {
                    "file_id": file.id,
                    "metric_code": metric.code,
                    "period": period,
                    "period_start": start,
                    "period_end": end,
                    "value": None if text is not None else value,
                    "value_text": text,
                }
            )
    session.execute(insert(Metric), rows)
    file.period_start, file.period_end = result.period_start, result.period_end


def load(session: Session, *, file: SocialFile) -> MetricResult | None:
    """The stored catalogue of the file; None when its metrics were never computed."""
    query = select(
        Metric.metric_code,
        Metric.period,
        Metric.period_start,
        Metric.period_end,
        Metric.value,
        Metric.value_text,
    ).where(Metric.file_id == file.id)
    rows = session.execute(query).all()
    if not rows:
        return None
    result = MetricResult()
    for row in rows:
        if row.metric_code not in BY_CODE or row.period not in ("current", "previous"):
            continue  # a code from an older catalogue
        value = row.value_text if BY_CODE[row.metric_code].kind == "text" else exact(row.value)
        getattr(result, row.period)[row.metric_code] = value
        if row.period == "current":
            result.period_start, result.period_end = row.period_start, row.period_end
        else:
            result.previous_start, result.previous_end = row.period_start, row.period_end
    return result


def change(*, code: str, current: Value, previous: Value) -> tuple[Decimal | None, Decimal | None]:
    """(absolute change, relative change in %); for % metrics the absolute change is in points."""
    if BY_CODE[code].kind == "text" or current is None or previous is None:
        return None, None
    delta = exact(Decimal(current) - Decimal(previous))
    return delta, exact(ratio(delta, abs(Decimal(previous))))


def display(*, code: str, value: Value) -> str:
    """The value as shown to people: rounded to 4 places, thousands grouped, "—" when null."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return weekday_text(value)
    shown = Decimal(value).quantize(SHOWN_PLACES, context=_WIDE)
    return fmt_decimal(shown, pattern="#,##0.####") + (" %" if BY_CODE[code].kind == "pct" else "")


def weekday_text(value: str) -> str:
    """A stored weekday ("Thursday") in the current language; other text as it is."""
    return weekday_name(WEEKDAYS.index(value)) if value in WEEKDAYS else value
