"""Date presets: calendar edges, leap years, comparisons and partial buckets."""

from __future__ import annotations

from datetime import date

import pytest

from core.presets import DateRange, compare, partial_buckets, resolve


@pytest.mark.parametrize(
    ("preset", "anchor", "start", "end", "partial"),
    [
        ("last_7", date(2024, 3, 3), date(2024, 2, 26), date(2024, 3, 3), False),
        ("last_28", date(2024, 3, 1), date(2024, 2, 3), date(2024, 3, 1), False),
        ("last_30", date(2024, 3, 1), date(2024, 2, 1), date(2024, 3, 1), False),  # 29 Feb counts
        ("last_90", date(2023, 3, 31), date(2023, 1, 1), date(2023, 3, 31), False),
        ("this_month", date(2024, 2, 15), date(2024, 2, 1), date(2024, 2, 15), True),
        ("this_month", date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29), False),  # leap day ends it
        ("this_month", date(2023, 2, 28), date(2023, 2, 1), date(2023, 2, 28), False),
        ("last_month", date(2024, 3, 31), date(2024, 2, 1), date(2024, 2, 29), False),
        ("last_month", date(2024, 1, 5), date(2023, 12, 1), date(2023, 12, 31), False),  # over new year
        ("this_quarter", date(2024, 5, 10), date(2024, 4, 1), date(2024, 5, 10), True),
        ("this_quarter", date(2024, 12, 31), date(2024, 10, 1), date(2024, 12, 31), False),
        ("last_quarter", date(2024, 1, 1), date(2023, 10, 1), date(2023, 12, 31), False),
        ("last_quarter", date(2024, 4, 1), date(2024, 1, 1), date(2024, 3, 31), False),
    ],
)
def test_presets(preset, anchor, start, end, partial):
    assert resolve(preset, anchor=anchor) == DateRange(start, end, partial)


def test_whole_timeline_and_custom():
    assert resolve("all", anchor=date(2024, 3, 1), first=date(2023, 5, 2)) == DateRange(
        date(2023, 5, 2), date(2024, 3, 1)
    )
    custom = resolve("custom", anchor=date(2024, 3, 1), start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert custom.days == 31
    with pytest.raises(ValueError, match="before it starts"):
        resolve("custom", anchor=date(2024, 3, 1), start=date(2024, 2, 1), end=date(2024, 1, 1))
    with pytest.raises(ValueError, match="Unknown preset"):
        resolve("fortnight", anchor=date(2024, 3, 1))


def test_comparisons():
    march = DateRange(date(2024, 3, 1), date(2024, 3, 31))
    assert compare(march) == DateRange(date(2024, 1, 30), date(2024, 2, 29))  # 31 days before, leap year
    assert compare(march, mode="year") == DateRange(date(2023, 3, 1), date(2023, 3, 31))
    leap = DateRange(date(2024, 2, 1), date(2024, 2, 29))
    assert compare(leap, mode="year") == DateRange(date(2023, 2, 1), date(2023, 2, 28))
    q1 = DateRange(date(2024, 1, 1), date(2024, 3, 31))
    assert compare(q1) == DateRange(date(2023, 10, 2), date(2023, 12, 31))  # 91 days, leap Q1


def test_partial_first_and_last_buckets_are_marked():
    # Wed 3 Jan – Wed 31 Jan 2024: the first and the last week are cut; the month is whole at its end only
    assert partial_buckets(grain="week", start=date(2024, 1, 3), end=date(2024, 1, 31)) == {
        date(2024, 1, 1),
        date(2024, 1, 29),
    }
    assert partial_buckets(grain="month", start=date(2024, 1, 3), end=date(2024, 2, 29)) == {date(2024, 1, 1)}
    assert partial_buckets(grain="month", start=date(2024, 2, 1), end=date(2024, 2, 28)) == {date(2024, 2, 1)}
    assert partial_buckets(grain="day", start=date(2024, 1, 3), end=date(2024, 1, 4)) == set()
