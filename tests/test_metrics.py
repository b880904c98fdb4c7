"""The metric catalogue on small hand-computed tables, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Context, Decimal
from fractions import Fraction

import pytest

from core import metrics
from tests.factories import make_file
from tests.metrics_fixtures import DAYS, POSTS, compute, days

D = Decimal


def ten_places(value: Fraction) -> Decimal:
    """A hand-written fraction as the metric stores it: exact, rounded to 10 places."""
    return metrics.exact(Context(prec=60).divide(D(value.numerator), D(value.denominator)))


def test_every_code_on_day_rows_for_the_period_and_the_one_before(any_db):
    result = compute(make_file(DAYS, row_kind="days", period_days=3))
    assert (result.period_start, result.period_end) == (date(2024, 1, 4), date(2024, 1, 6))
    assert (result.previous_start, result.previous_end) == (date(2024, 1, 1), date(2024, 1, 3))
    assert result.current == {
        "posts": 6,
        "views": 1500,
        "reach": None,
        "impressions": None,
        "likes": 100,
        "comments": 20,
        "shares": 10,
        "saves": 5,
        "engagements": 135,  # Thursday 54 + Saturday 81; Friday is null
        "subscribers_start": 1030,
        "subscribers_end": 1050,
        "subs_growth": 20,
        "subs_growth_pct": D("1.9417475728"),  # 20 / 1030 × 100
        "er_views": 9,
        "err": None,
        "er_impressions": None,  # no impressions column
        "er_followers": ten_places((Fraction(54, 1030) + Fraction(81, 1050)) / 2 * 100),
        "avg_views": 250,
        "avg_engagements": D("22.5"),
        "virality": D("0.6666666667"),
        "best_weekday": "Saturday",
        "best_hour": None,  # day rows have no post times
    }
    assert result.previous == {
        "posts": 4,
        "views": 600,
        "reach": None,
        "impressions": None,
        "likes": 60,
        "comments": 6,
        "shares": 6,
        "saves": 1,
        "engagements": 73,  # 13 + 27 + 33: blank comments and saves count 0
        "subscribers_start": 1000,
        "subscribers_end": 1020,
        "subs_growth": 20,
        "subs_growth_pct": 2,
        "er_views": D("12.1666666667"),
        "err": None,
        "er_impressions": None,
        "er_followers": ten_places((Fraction(13, 1000) + Fraction(27, 1010) + Fraction(33, 1020)) / 3 * 100),
        "avg_views": 150,
        "avg_engagements": D("18.25"),
        "virality": 1,
        "best_weekday": "Wednesday",
        "best_hour": None,
    }
    assert list(result.current) == [m.code for m in metrics.CATALOGUE]


def test_every_code_on_post_rows(any_db):
    result = compute(make_file(POSTS, row_kind="posts"))
    assert (result.period_start, result.period_end) == (date(2024, 2, 5), date(2024, 2, 7))
    assert (result.previous_start, result.previous_end) == (date(2024, 2, 2), date(2024, 2, 4))
    assert result.current == {
        "posts": 6,  # post rows, not a posts column
        "views": 260,
        "reach": 145,
        "impressions": 370,
        "likes": 19,
        "comments": 5,
        "shares": None,
        "saves": None,
        "engagements": 24,
        "subscribers_start": 490,  # 5 Feb, the first of its rows in file order that has a count
        "subscribers_end": 505,  # 6 Feb (7 Feb has none), its last row in file order
        "subs_growth": 15,
        "subs_growth_pct": D("3.0612244898"),
        "er_views": D("9.2307692308"),
        "err": D("16.5517241379"),
        "er_impressions": D("6.4864864865"),  # 24 / 370 × 100
        # Each post over the count on its date (5 Feb: 495, its last; 6 Feb: 505); p3 has no
        # engagements and p5's date no count, so four posts: p2, p6, p1, p4.
        "er_followers": ten_places((Fraction(6 + 2, 495) + Fraction(10 + 6, 505)) / 4 * 100),
        "avg_views": D("43.3333333333"),
        "avg_engagements": 4,
        "virality": None,
        "best_weekday": "Tuesday",  # mean per post: Monday 8/2, Tuesday 16/2, Wednesday 0/1
        "best_hour": None,  # no post times
    }
    # The whole file is the period: the one before it has no rows, so everything is null.
    assert result.previous == dict.fromkeys(metrics.CODES)


def test_a_period_without_rows_is_all_null_even_posts(any_db):
    rows = days("""
    date       post_id views likes
    2024-03-01 a       10    1
    2024-03-10 b       20    2
    """)
    result = compute(make_file(rows, row_kind="posts", period_days=3))
    assert (result.previous_start, result.previous_end) == (date(2024, 3, 5), date(2024, 3, 7))
    assert result.previous == dict.fromkeys(metrics.CODES)
    assert result.current["posts"] == 1 and result.current["views"] == 20


def test_a_file_without_rows_has_no_period(any_db):
    result = compute(make_file([], row_kind="days"))
    assert result.period_start is None and result.previous_end is None
    assert result.current == dict.fromkeys(metrics.CODES) == result.previous


@pytest.mark.parametrize(
    ("spec", "growth"),
    [
        # Net flows are summed (YouTube's daily "Subscribers").
        ("date subscribers_net\n2024-01-01 5\n2024-01-02 -2\n2024-01-03 -", 3),
        # Without a net column: gained − lost, blanks skipped.
        ("date subscribers_gained subscribers_lost\n2024-01-01 5 1\n2024-01-02 7 -", 11),
        # Gained without lost is not a growth: null, never a guess.
        ("date subscribers_gained\n2024-01-01 5\n2024-01-02 7", None),
        # Net wins over gained and lost when both are there.
        ("date subscribers_net subscribers_gained subscribers_lost\n2024-01-01 4 9 1", 4),
    ],
)
def test_flow_subscribers_give_growth_without_levels(any_db, spec, growth):
    result = compute(make_file(days(spec), row_kind="days"))
    now = result.current
    assert now["subs_growth"] == growth
    assert now["subscribers_start"] is None and now["subscribers_end"] is None
    assert now["subs_growth_pct"] is None  # no start level to divide by
    assert now["er_followers"] is None


def test_a_level_wins_over_flows(any_db):
    rows = days("""
    date       subscribers subscribers_net
    2024-01-01 -           7
    2024-01-02 100         7
    2024-01-03 110         7
    2024-01-04 -           7
    """)
    now = compute(make_file(rows, row_kind="days")).current
    assert (now["subscribers_start"], now["subscribers_end"], now["subs_growth"]) == (100, 110, 10)
    assert now["subs_growth_pct"] == 10


@pytest.mark.parametrize(
    ("spec", "kind", "best"),
    [
        # Monday and Wednesday tie: the earlier day of the week wins.
        ("date likes\n2024-01-03 10\n2024-01-01 10", "days", "Monday"),
        # Sunday comes first in the file and on the calendar, Monday still wins the tie.
        ("date likes\n2024-01-07 10\n2024-01-08 10", "days", "Monday"),
        # A mean per row: Tuesday (4 + 6) / 2 ties Thursday 5 / 1.
        ("date post_id likes\n2024-01-04 c 5\n2024-01-02 a 4\n2024-01-02 b 6", "posts", "Tuesday"),
        # A row without engagement cells is left out of its weekday's mean.
        (
            "date post_id likes comments\n2024-01-02 a 6 -\n2024-01-02 b - -\n2024-01-01 c 5 -",
            "posts",
            "Tuesday",
        ),
    ],
)
def test_best_weekday_and_its_ties(any_db, spec, kind, best):
    assert compute(make_file(days(spec), row_kind=kind)).current["best_weekday"] == best


HOURS = [
    # (post times with likes), best hour
    ([("09:15", 10), ("09:45", 2), ("18:05", 5)], "9"),  # 9h: 12/2 = 6 > 18h: 5
    ([("09:15", 4), ("18:05", 5), ("18:30", 7)], "18"),  # 18h: 12/2 = 6 > 9h: 4
    ([("07:00", 5), ("21:59", 5)], "7"),  # a tie goes to the earlier hour
    ([("00:30", 1), ("23:59", 3)], "23"),
    ([("09:15", None)], None),  # no engagements: no best hour
]


@pytest.mark.parametrize(("posts", "best"), HOURS)
def test_best_hour_is_the_hour_with_the_most_engagements_per_post(any_db, posts, best):
    rows = [
        {
            "date": "2024-03-01",
            "post_id": f"p{i}",
            "likes": likes,
            "published_at": datetime.combine(date(2024, 3, 1), time.fromisoformat(at), tzinfo=UTC),
        }
        for i, (at, likes) in enumerate(posts)
    ]
    result = compute(make_file(rows, row_kind="posts"))
    assert result.current["best_hour"] == best
    assert metrics.BY_CODE["best_hour"].name == "Best hour"
