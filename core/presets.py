"""Date ranges people pick: presets, the range to compare with, and which buckets are incomplete.

Pure date arithmetic, no database: the Explorer, the Dashboard and reports all call these. Presets
are anchored on a day (`anchor`: normally the timeline's last date, since exports lag behind the
calendar), and clipped to the data where a caller passes its first date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.i18n import N_

PRESETS = {  # labels are message ids: translated where shown
    "last_7": N_("Last 7 days"),
    "last_28": N_("Last 28 days"),
    "last_30": N_("Last 30 days"),
    "last_90": N_("Last 90 days"),
    "this_month": N_("This month"),
    "last_month": N_("Last month"),
    "this_quarter": N_("This quarter"),
    "last_quarter": N_("Last quarter"),
    "all": N_("Whole timeline"),
    "custom": N_("Custom"),
}
COMPARISONS = {"previous": N_("Previous period of the same length"), "year": N_("Same period a year earlier")}


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of dates; `partial` when a month or quarter preset is cut short by the data."""

    start: date
    end: date
    partial: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    return month_end(date(day.year, 3 * ((day.month - 1) // 3) + 3, 1))


def _calendar(start: date, end: date, anchor: date) -> DateRange:
    """A calendar month or quarter, cut at the anchor; partial when it does not reach its end."""
    return DateRange(start, min(end, anchor), partial=anchor < end)


def resolve(
    preset: str,
    *,
    anchor: date,
    first: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> DateRange:
    """The range a preset means on `anchor` (the last date to consider); "all" and "custom" need
    `first` (the data's first date) and `start`/`end`. ValueError for an unknown preset or a range
    that ends before it starts."""
    if preset.startswith("last_") and preset[5:].isdigit():
        return DateRange(anchor - timedelta(days=int(preset[5:]) - 1), anchor)
    if preset == "this_month":
        return _calendar(anchor.replace(day=1), month_end(anchor), anchor)
    if preset == "last_month":
        end_ = anchor.replace(day=1) - timedelta(days=1)
        return DateRange(end_.replace(day=1), end_)
    if preset == "this_quarter":
        return _calendar(quarter_start(anchor), quarter_end(anchor), anchor)
    if preset == "last_quarter":
        end_ = quarter_start(anchor) - timedelta(days=1)
        return DateRange(quarter_start(end_), end_)
    if preset == "all":
        return DateRange(first or anchor, anchor)
    if preset == "custom":
        if start is None or end is None:
            raise ValueError("A custom range needs a start and an end date.")
        if end < start:
            raise ValueError(f"The range ends ({end}) before it starts ({start}).")
        return DateRange(start, end)
    raise ValueError(f"Unknown preset {preset!r}: use one of {', '.join(PRESETS)}.")


def _year_before(day: date) -> date:
    """The same date a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def compare(current: DateRange, *, mode: str = "previous") -> DateRange:
    """The range to compare with: the same number of days just before, or the same dates a year earlier."""
    if mode == "previous":
        end = current.start - timedelta(days=1)
        return DateRange(end - timedelta(days=current.days - 1), end)
    if mode == "year":
        return DateRange(_year_before(current.start), _year_before(current.end))
    raise ValueError(f"Unknown comparison {mode!r}: use one of {', '.join(COMPARISONS)}.")


def bucket_end(bucket: date, grain: str) -> date:
    """The last date of the week (from Monday) or month that begins on `bucket`."""
    if grain == "week":
        return bucket + timedelta(days=6)
    if grain == "month":
        return month_end(bucket)
    return bucket


def partial_buckets(*, grain: str, start: date, end: date) -> set[date]:
    """First dates of the weeks or months that [start, end] covers only in part (to mark, not to read
    as dips): at most the first and the last bucket. Days are never partial."""
    if grain == "day":
        return set()
    out = set()
    first, last = bucket_of(start, grain), bucket_of(end, grain)
    if first != start:
        out.add(first)
    if bucket_end(last, grain) != end:
        out.add(last)
    return out


def pick_range(
    *, first: date | None, last: date | None, start: date | None = None, end: date | None = None,
    period_days: int | None = None,
) -> DateRange | None:  # fmt: skip
    """The range asked for: [start, end], else the last `period_days` days of the data, else all of it.

    None when the timeline has no rows. ValueError for an end before the start or a missing half.
    """
    if (start is None) != (end is None):
        raise ValueError("Give both --from and --to, or neither.")
    if start is not None:
        if end < start:
            raise ValueError(f"The range ends ({end}) before it starts ({start}).")
        return DateRange(start, end)
    if last is None:
        return None
    if period_days:
        return DateRange(last - timedelta(days=period_days - 1), last)
    return DateRange(first, last)


def bucket_of(day: date, grain: str) -> date:
    """The first date of the day's bucket: itself, its week's Monday, or its month's first day."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def grain_for(start: date | None, end: date | None) -> str:
    """The grouping a range reads best in, and what the Explorer opens on: days for up to a quarter,
    weeks up to two years, months beyond (at most ~100 points a series; a report's charts agree)."""
    days = (end - start).days + 1 if start and end else 0
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def grain_of_longest(ranges: list[tuple[date, date]]) -> str:
    """`grain_for` the longest of ranges shown side by side (each keeps its own dates); days without any."""
    return grain_for(*max(ranges, key=lambda r: r[1] - r[0])) if ranges else "day"
