"""What a report says, independent of its format: KPIs, series, weekdays, top posts, and how numbers read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from core.analytics import ratio
from core.formatting import DASH, ZERO, platform_name
from core.i18n import N_, _, fmt_date, fmt_decimal
from core.metrics import MetricDef, Value, exact, weekday_text
from core.metrics import change as metric_change

Number = Decimal | int | float


class ReportUnavailable(ValueError):
    """The file cannot be reported on yet (not ready, no metrics); the message says why."""


@dataclass(frozen=True)
class Kpi(MetricDef):
    """One metric of the catalogue with its value in the period and the period before."""

    value: Value
    previous: Value

    @property
    def change(self) -> Decimal | None:
        """value − previous (percentage points for % metrics); None when either is absent."""
        return self._changes()[0]

    @property
    def change_pct(self) -> Decimal | None:
        """The relative change in %; None when not comparable (no previous value, or it was 0)."""
        return self._changes()[1]

    def _changes(self) -> tuple[Decimal | None, Decimal | None]:
        # The catalogue's own rule, so the dashboard and the report agree on every change.
        return metric_change(code=self.code, current=self.value, previous=self.previous)


@dataclass(frozen=True)
class Point:
    """One bucket (a day, week or month) of the file's rows, as core.analytics.series gives it."""

    day: date
    views: int | None = None
    reach: int | None = None
    impressions: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    engagements: int | None = None
    posts: int | None = None
    subscribers: int | None = None  # the level at the end of the bucket
    subscribers_net: int | None = None  # the change within the bucket
    days: int = 1  # calendar days of the period the bucket covers (a first or last week may be short)

    @property
    def er_views(self) -> Decimal | None:
        """Engagements / views × 100, to the 10 places the catalogue stores."""
        return exact(ratio(self.engagements, self.views))


@dataclass(frozen=True)
class Post:
    title: str | None
    url: str | None
    published: date | datetime | None
    views: int | None
    engagements: int | None

    @property
    def er_views(self) -> Decimal | None:
        return exact(ratio(self.engagements, self.views))


@dataclass(frozen=True)
class Letterhead:
    """A brand on a report: its name, colour (#rrggbb) and logo file (PNG, JPEG or SVG), each optional."""

    name: str | None = None
    colour: str | None = None
    logo: Path | None = None

    @property
    def rgb(self) -> tuple[int, int, int] | None:
        text = (self.colour or "").lstrip("#")
        return tuple(int(text[i : i + 2], 16) for i in (0, 2, 4)) if len(text) == 6 else None


@dataclass(frozen=True)
class ReportData:
    """Everything a PDF or CSV report shows, already aggregated (no raw rows)."""

    file_name: str
    platform: str | None
    row_kind: str | None
    period_start: date | None
    period_end: date | None
    previous_start: date | None
    previous_end: date | None
    generated_at: datetime
    kpis: list[Kpi]
    daily: list[Point] = field(default_factory=list)  # one point per day, for the CSV
    chart_series: list[Point] = field(default_factory=list)  # the grain the charts use
    grain: str = "day"
    weekdays: list[tuple[str, Decimal | None]] = field(default_factory=list)  # mean engagements per row
    top_posts: list[Post] = field(default_factory=list)
    top_order: str = "engagements"  # what the top posts are ranked by: "engagements" or "views"
    warnings: list[str] = field(default_factory=list)
    title: str | None = None  # the account's or brand's name; the file's name when None
    letterhead: Letterhead | None = None
    weakest_post: Post | None = None
    best_hour: int | None = None  # 0–23, the export's own time
    # By hour of day 0–23: mean engagements per post published then, and mean followers online then
    # (core.activity, from a follower activity export); empty when the data have none.
    hours: list[tuple[int, Decimal | None]] = field(default_factory=list)
    online: list[tuple[int, float | None]] = field(default_factory=list)
    partial_previous: bool = False  # the data do not reach back over the whole previous period
    summary: list[str] = field(default_factory=list)  # sentences in the report's language

    @property
    def platform_name(self) -> str:
        return _(platform_name(self.platform, unknown=N_("Unknown platform")))

    @property
    def heading(self) -> str:
        """What the report is about: the account's or brand's name, else the file's."""
        return self.title or self.file_name

    def kpi(self, code: str) -> Kpi | None:
        return next((k for k in self.kpis if k.code == code), None)


def fmt_period(start: date | None, end: date | None) -> str:
    """'Mar 1, 2024 – Mar 30, 2024' ('01.03.2024 – 30.03.2024' in Russian; a dash when there is no period)."""
    if start is None or end is None:
        return DASH
    return f"{fmt_date(start)} – {fmt_date(end)}"


def fmt_number(value: Number | None, *, decimals: int | None = None) -> str:
    """1,234,567 for whole numbers, 1,234.57 otherwise (1 234 567 and 1 234,57 in Russian); a dash for None."""
    if value is None:
        return DASH
    value = Decimal(value)
    if decimals is None:
        decimals = 0 if value == value.to_integral_value() else 2
    return fmt_decimal(value, decimals=decimals).replace("-", "−")


def fmt_value(kpi_kind: str, value: Decimal | str | None) -> str:
    """A metric value as a marketer reads it."""
    if value is None:
        return DASH
    if kpi_kind == "text":
        return weekday_text(str(value))
    if kpi_kind == "pct":
        return percent(fmt_number(value, decimals=2))
    if kpi_kind == "rate":
        return fmt_number(value, decimals=2)
    return fmt_number(value)


def fmt_change(kpi: Kpi) -> str:
    """'+12.5%' for counts and rates, '+0.42 pp' for percentages ('+12,5 %', '+0,42 п.п.'), a dash when not comparable."""
    change = kpi.change
    if change is None:
        return DASH
    if kpi.kind == "pct":
        return _("{value} pp").format(
            value=_signed(change)
        )  # a rate moves in points; "+12%" of a rate misleads
    pct = kpi.change_pct
    if pct is None:
        return _signed(change, whole=kpi.kind == "count")
    return percent(_signed(pct))


def percent(number: str) -> str:
    """'12.5%' in English, '12,5 %' in Russian (a formatted number in, its percent out)."""
    return _("{value}%").format(value=number)


def _signed(value: Decimal, *, whole: bool = False) -> str:
    """'+1,234.50' / '+1 234,50' with a true minus; ±0 when it rounds to zero (a "−0.00" reads as a fall)."""
    decimals = 0 if whole and value == value.to_integral_value() else 2
    shown = round(value, decimals)
    if shown == 0:
        return ZERO
    return ("+" if shown > 0 else "−") + fmt_number(abs(shown), decimals=decimals)
