"""The explorer's and reports' aggregations on small hand-computed tables, on both backends."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from core import analytics
from core.db import session_scope
from core.models import SocialFile
from tests.factories import make_file
from tests.metrics_fixtures import DAYS, POSTS, days


def call(fn, file_id: uuid.UUID, **kwargs):
    with session_scope() as session:
        return fn(session, file=session.get(SocialFile, file_id), **kwargs)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts, with None for missing values."""
    plain = frame.astype(object)
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in plain.to_dict("records")]


def column(frame: pd.DataFrame, name: str) -> list:
    return [row[name] for row in records(frame)]


def test_daily_series_of_day_rows(any_db):
    frame = call(analytics.series, make_file(DAYS, row_kind="days"))
    assert list(frame.columns) == list(analytics.SERIES_COLUMNS)
    assert column(frame, "bucket") == [date(2024, 1, d) for d in range(1, 7)]
    assert column(frame, "views") == [100, 200, 300, 400, 500, 600]
    assert column(frame, "comments") == [2, 4, None, 8, None, 12]
    assert column(frame, "engagements") == [13, 27, 33, 54, None, 81]
    assert column(frame, "posts") == [1, 2, 1, 2, 1, 3]
    assert column(frame, "subscribers") == [1000, 1010, 1020, 1030, None, 1050]
    # No flow columns: the net is the level's change since the previous reading.
    assert column(frame, "subscribers_net") == [0, 10, 10, 10, None, 20]
    assert column(frame, "er_views") == [13.0, 13.5, 11.0, 13.5, None, 13.5]
    assert column(frame, "reach") == [None] * 6 and column(frame, "impressions") == [None] * 6


def test_a_date_range_limits_the_series(any_db):
    frame = call(analytics.series, make_file(DAYS), start=date(2024, 1, 3), end=date(2024, 1, 4))
    assert column(frame, "bucket") == [date(2024, 1, 3), date(2024, 1, 4)]
    assert column(frame, "views") == [300, 400]


FLOWS = days("""
date       views likes subscribers_net
2024-01-31 10    1     2
2024-02-01 20    2     3
2024-02-05 30    -     -1
""")


def test_weeks_start_on_monday_and_months_on_the_first(any_db):
    file_id = make_file(FLOWS, row_kind="days")
    weeks = records(call(analytics.series, file_id, grain="week"))
    assert [
        (r["bucket"], r["views"], r["engagements"], r["subscribers_net"], r["er_views"]) for r in weeks
    ] == [
        (date(2024, 1, 29), 30, 3, 5, 10.0),
        (date(2024, 2, 5), 30, None, -1, None),
    ]
    months = records(call(analytics.series, file_id, grain="month"))
    assert [
        (r["bucket"], r["views"], r["engagements"], r["subscribers_net"], r["er_views"]) for r in months
    ] == [
        (date(2024, 1, 1), 10, 1, 2, 10.0),
        (date(2024, 2, 1), 50, 2, 2, 4.0),
    ]
    assert {r["posts"] for r in weeks + months} == {None}  # day rows without a posts column
    assert {r["subscribers"] for r in weeks + months} == {None}  # flows only, no level


def test_series_of_post_rows_counts_posts_and_takes_the_last_level(any_db):
    frame = call(analytics.series, make_file(POSTS, row_kind="posts"))
    assert column(frame, "posts") == [3, 2, 1]
    assert column(frame, "views") == [130, 130, 0]
    assert column(frame, "subscribers") == [495, 505, None]  # the last count of the date, in file order
    assert column(frame, "subscribers_net") == [5, 10, None]  # 495 − 490 within 5 Feb, then 505 − 495
    assert column(frame, "er_views") == [pytest.approx(800 / 130), pytest.approx(1600 / 130), None]


def test_series_refuses_an_unknown_grain(any_db):
    with pytest.raises(ValueError, match="grain"):
        call(analytics.series, make_file(DAYS), grain="year")


def test_an_empty_file_gives_empty_results(any_db):
    file_id = make_file([], row_kind="posts")
    frame = call(analytics.series, file_id)
    assert frame.empty and list(frame.columns) == list(analytics.SERIES_COLUMNS)
    assert call(analytics.date_bounds, file_id) == (None, None)
    assert call(analytics.top_posts, file_id) == []
    assert column(call(analytics.weekday_engagements, file_id), "rows") == [0] * 7


def test_other_files_rows_never_mix_in(any_db):
    mine = make_file(DAYS)
    make_file(days("date views likes\n2024-01-01 9999 9999"))
    assert column(call(analytics.series, mine), "views")[0] == 100
    assert call(analytics.date_bounds, mine) == (date(2024, 1, 1), date(2024, 1, 6))


def test_weekday_engagements_are_means_per_row(any_db):
    frame = call(analytics.weekday_engagements, make_file(DAYS))
    assert column(frame, "weekday") == list(analytics.WEEKDAYS)
    assert column(frame, "rows") == [1, 1, 1, 1, 0, 1, 0]  # Friday's row has no engagements
    assert column(frame, "engagements") == [13, 27, 33, 54, 0, 81, 0]
    assert column(frame, "mean_engagements") == [13.0, 27.0, 33.0, 54.0, None, 81.0, None]
    posts = call(analytics.weekday_engagements, make_file(POSTS, row_kind="posts"))
    assert column(posts, "mean_engagements")[:3] == [4.0, 8.0, 0.0]  # (6 + 2) / 2, (10 + 6) / 2, 0 / 1


@pytest.mark.parametrize("grain", analytics.GRAINS)
def test_series_and_weekdays_from_one_daily_list_equal_the_queries(any_db, grain):
    for rows, kind in ((DAYS, "days"), (FLOWS, "days"), (POSTS, "posts")):
        file_id = make_file(rows, row_kind=kind)
        for span in ({}, {"start": date(2024, 1, 2), "end": date(2024, 2, 5)}):
            with session_scope() as session:
                file = session.get(SocialFile, file_id)
                days = analytics.daily(session, file=file, **span)
                pd.testing.assert_frame_equal(
                    analytics.series_from_days(days, file=file, grain=grain),
                    analytics.series(session, file=file, grain=grain, **span),
                )
                pd.testing.assert_frame_equal(
                    analytics.weekdays_from_days(days),
                    analytics.weekday_engagements(session, file=file, **span),
                )


def test_series_from_days_refuses_an_unknown_grain(any_db):
    with session_scope() as session:
        file = session.get(SocialFile, make_file(DAYS))
        with pytest.raises(ValueError, match="grain"):
            analytics.series_from_days(analytics.daily(session, file=file), file=file, grain="year")


def ids(rows: list[dict]) -> list[str]:
    return [r["post_id"] for r in rows]


def test_top_posts_by_views_engagements_and_er(any_db):
    file_id = make_file(POSTS, row_kind="posts")
    by_views = call(analytics.top_posts, file_id)
    assert ids(by_views) == ["p1", "p3", "p2", "p4", "p6", "p5"]
    assert {k: by_views[0][k] for k in ("impressions", "reach", "label")} == {
        "impressions": 150,
        "reach": 80,
        "label": "p1",  # no title: the id names it
    }
    assert {k: v for k, v in by_views[0].items() if k not in ("impressions", "reach", "label")} == {
        "post_id": "p1",
        "title": None,
        "url": None,
        "date": date(2024, 2, 6),
        "views": 100,
        "engagements": 10,
        "er": Decimal(10),
    }
    # Ties go to the earlier date, then file order; posts without engagements come last.
    assert ids(call(analytics.top_posts, file_id, order_by="engagements")) == [
        "p1",
        "p2",
        "p4",
        "p6",
        "p5",
        "p3",
    ]
    by_er = call(analytics.top_posts, file_id, order_by="er", limit=4)
    assert [(r["post_id"], r["er"]) for r in by_er] == [("p6", 20), ("p4", 20), ("p2", 12), ("p1", 10)]
    one_day = call(analytics.top_posts, file_id, start=date(2024, 2, 6), end=date(2024, 2, 6))
    assert ids(one_day) == ["p1", "p4"]
    with pytest.raises(ValueError, match="order_by"):
        call(analytics.top_posts, file_id, order_by="likes")


def test_top_posts_without_the_ordering_column_keep_date_order(any_db):
    rows = days("date post_id title likes\n2024-01-02 b Второй 5\n2024-01-01 a First 1")
    top = call(analytics.top_posts, make_file(rows, row_kind="posts"), order_by="er")
    assert [(r["post_id"], r["title"], r["views"], r["er"]) for r in top] == [
        ("a", "First", None, None),
        ("b", "Второй", None, None),
    ]


def test_top_posts_are_read_from_their_own_files_rows(any_db):
    # Same dates and lines in both files: the winners' titles must come from the ranked file.
    mine = make_file(days("date post_id title views likes\n2024-03-01 a Mine 10 5\n2024-03-01 b Also 20 1"),
                     row_kind="posts")  # fmt: skip
    make_file(days("date post_id title views likes\n2024-03-01 x Theirs 999 999\n2024-03-01 y Not 1 1"),
              row_kind="posts")  # fmt: skip
    for order, titles in (
        ("views", ["Also", "Mine"]),
        ("engagements", ["Mine", "Also"]),
        ("er", ["Mine", "Also"]),
    ):
        assert [r["title"] for r in call(analytics.top_posts, mine, order_by=order)] == titles
    assert [r["er"] for r in call(analytics.top_posts, mine, order_by="er")] == [50, 5]
