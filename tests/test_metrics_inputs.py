"""What a metric is computed from: absent and blank cells, the columns a file has, the period it covers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core import metrics
from tests.factories import make_file
from tests.metrics_fixtures import DAYS, compute, days

D = Decimal


def test_absent_and_blank_inputs_are_null_never_zero(any_db):
    # Views exist as a column but are blank in every row; no engagement column at all.
    rows = days("date views posts\n2024-01-01 - 0\n2024-01-02 - 0")
    now = compute(make_file(rows, row_kind="days")).current
    assert now["views"] is None and now["posts"] == 0
    assert now["engagements"] is None and now["er_views"] is None and now["best_weekday"] is None
    assert now["avg_views"] is None and now["avg_engagements"] is None  # zero posts: no average


def test_engagements_from_the_columns_present_only(any_db):
    rows = days("date views likes\n2024-01-01 200 10\n2024-01-02 0 -")
    now = compute(make_file(rows, row_kind="days")).current
    assert now["engagements"] == 10 and now["er_views"] == 5
    assert now["comments"] is None and now["shares"] is None and now["virality"] is None


def test_zero_views_give_no_rates(any_db):
    rows = days("date views reach shares likes\n2024-01-01 0 0 0 3")
    now = compute(make_file(rows, row_kind="days")).current
    assert now["views"] == 0 and now["engagements"] == 3
    assert now["er_views"] is None and now["err"] is None and now["virality"] is None


def test_the_mapping_says_which_columns_the_file_has(any_db):
    rows = days("date views likes reach\n2024-01-01 100 10 50")
    # Reach holds values but the file's mapping does not name it: it is not the file's column.
    mapped = {"Date": "date", "Views": "views", "Likes": "likes", "Followers": None}
    now = compute(make_file(rows, row_kind="days", mapping=mapped)).current
    assert now["reach"] is None and now["err"] is None and now["views"] == 100
    # Without a mapping, any value in a column means the file has it.
    now = compute(make_file(rows, row_kind="days", mapping=None)).current
    assert now["reach"] == 50 and now["err"] == 20 and now["engagements"] == 10


def test_all_of_the_file_when_the_period_is_empty(any_db):
    result = compute(make_file(DAYS, row_kind="days", period_days=None))
    assert (result.period_start, result.period_end) == (date(2024, 1, 1), date(2024, 1, 6))
    assert (result.previous_start, result.previous_end) == (date(2023, 12, 26), date(2023, 12, 31))
    assert result.current["views"] == 2100 and result.current["engagements"] == 208
    assert result.previous == dict.fromkeys(metrics.CODES)


def test_a_period_longer_than_the_data(any_db):
    result = compute(make_file(DAYS, row_kind="days", period_days=30))
    assert (result.period_start, result.period_end) == (date(2023, 12, 8), date(2024, 1, 6))
    assert result.current["subscribers_start"] == 1000 and result.current["posts"] == 10
