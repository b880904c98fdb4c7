"""The metric catalogue of DESIGN.md: each metric's code, name, definition and kind; the shape of a result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Context, Decimal

from core.i18n import N_, _

Value = Decimal | str | None
STORED_PLACES = Decimal("1e-10")  # metrics.value is Numeric(30, 10)
SHOWN_PLACES = Decimal("1e-4")  # DESIGN: exact decimals, rounded to 4 places for display only
WIDE = Context(prec=60)  # enough digits that storing to 10 places is the only rounding


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


def no_values() -> dict[str, Value]:
    return dict.fromkeys(CODES)


@dataclass
class MetricResult:
    """The catalogue for the file's period and for the period of the same length before it."""

    period_start: date | None = None
    period_end: date | None = None
    previous_start: date | None = None
    previous_end: date | None = None
    current: dict[str, Value] = field(default_factory=no_values)
    previous: dict[str, Value] = field(default_factory=no_values)


def exact(value) -> Value:
    """A metric value as stored: text as is, numbers as Decimals with at most 10 places."""
    if value is None or isinstance(value, str):
        return value
    value = Decimal(value).quantize(STORED_PLACES, context=WIDE)
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize(WIDE)
