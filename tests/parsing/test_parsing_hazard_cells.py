"""Hazard files whose trouble is in the cells: thousands, placeholders, negatives, clocks, offsets,
dates without a year or in month/day order, float counts and percentages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.parsing.hazard_case import Case, check

CELL_CASES = [
    Case(
        "thousands.csv",
        "generic",
        3,
        {
            (2, "views"): 1234,
            (2, "reach"): 1234567,
            (2, "impressions"): 1234567,
            (2, "likes"): 1234,
            (3, "views"): 12345678,
            (3, "reach"): 2000,
            (3, "likes"): 12345678,
            (4, "impressions"): 7654,
        },
        delimiter=";",
    ),
    Case(
        "placeholders.csv",
        "generic",
        2,
        {
            **{(2, m): None for m in ("views", "likes", "comments", "shares", "saves")},
            (3, "views"): 5,
            (3, "likes"): None,
            (3, "comments"): None,
            (3, "shares"): None,
            (3, "saves"): 7,
        },
    ),
    Case(
        "negatives.csv",
        "tiktok",
        3,
        {(2, "subscribers_net"): -5, (2, "subscribers"): 1000, (4, "subscribers_net"): -8},
        mapping={"Followers": "subscribers", "Difference in followers from previous day": "subscribers_net"},
    ),
    Case(
        "twelve_hour_clock.csv",
        "facebook",
        3,
        {
            (2, "date"): date(2014, 11, 15),
            (2, "published_at"): datetime(2014, 11, 15, 9, 50, 37, tzinfo=UTC),
            (3, "published_at"): datetime(2014, 11, 16, 12, 10, tzinfo=UTC),
            (4, "published_at"): datetime(2014, 11, 17, 0, 5, tzinfo=UTC),
            (4, "likes"): 30,
        },
        row_kind="posts",
        formats={"Posted": "M/D/YYYY with time"},
    ),
    Case(
        "utc_offset.csv",
        "twitter",
        3,
        {
            (2, "date"): date(2021, 11, 30),
            (2, "published_at"): datetime(2021, 11, 30, 16, 0, tzinfo=timezone(timedelta(hours=3))),
            (3, "date"): date(2021, 11, 29),  # the date as written, in the export's own offset
            (3, "published_at"): datetime(2021, 11, 30, 4, 30, tzinfo=UTC),
            (2, "impressions"): 1777,
            (3, "shares"): 3,
            (4, "likes"): None,
        },
        row_kind="posts",
    ),
    Case(
        "spanish_no_year.csv",
        "generic",
        3,
        {(2, "date"): date(2025, 3, 8), (4, "date"): date(2025, 3, 10), (4, "likes"): 7},
        warnings=[
            'The dates in "Fecha" have no year; years were given so that they run in order and end no later '
            "than 2026-02-28."
        ],
    ),
    Case(
        "russian_no_year.csv",
        "generic",
        4,
        {
            (2, "date"): date(2024, 12, 30),
            (3, "date"): date(2024, 12, 31),
            (4, "date"): date(2025, 1, 1),
            (5, "date"): date(2025, 3, 5),
        },
        formats={"Дата": "D Month (no year; ascending, ending by 2026-02-28)"},
        warnings=[
            'The dates in "Дата" have no year; years were given so that they run in order and end no later '
            "than 2026-02-28."
        ],
    ),
    Case(
        "month_day_year.csv",
        "youtube",
        2,
        {
            (2, "date"): date(2020, 4, 29),
            (3, "date"): date(2020, 5, 3),
            (2, "comments"): 4,
            (3, "title"): "Follow-up",
        },
        mapping={"Content": "post_id", "Video publish time": "published_at", "Comments added": "comments"},
        row_kind="posts",
    ),
    Case(
        "float_counts_percent.csv",
        "generic",
        2,
        {(2, "views"): 1777, (2, "likes"): 5, (3, "extra"): {"engagement rate": "1,5%"}},
    ),
]


@pytest.mark.parametrize("case", CELL_CASES, ids=[c.file for c in CELL_CASES])
def test_hazard_cells_read_as_expected(case: Case):
    check(case)
