"""Issue 9, item 6: platform exports as those platforms write them (small samples in tests/data/platforms)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.conftest import DATA
from tests.parsing.conftest import as_dicts, read_all

PLATFORM_DATA = DATA / "platforms"
CASES = [
    # file, platform, row kind, rows, {(line, column): value}, account name, warnings
    (
        "meta_business_suite_content.csv",  # "Date" is "Lifetime" on every row: the date is the publish time
        "instagram",
        "posts",
        3,
        {
            (2, "date"): date(2024, 10, 2),
            (2, "published_at"): datetime(2024, 10, 2, 9, 15, tzinfo=UTC),
            (3, "impressions"): 3310,
            (3, "reach"): 2875,
            (3, "likes"): 210,
            (3, "shares"): 15,
            (3, "subscribers_gained"): 6,
            (3, "comments"): 21,
            (3, "saves"): 30,
            (3, "views"): 4102,
            (4, "views"): None,
            (2, "url"): "https://www.instagram.com/p/C1aBcDeF/",
        },
        "northwind.cafe",
        [],
    ),
    (
        "telegram_channel.csv",
        "telegram",
        "days",
        3,
        {
            (2, "subscribers"): 12040,
            (3, "views"): 9120,
            (3, "shares"): 41,
            (4, "likes"): 180,
            (4, "subscribers_lost"): 26,
        },
        None,
        [],
    ),
    (
        "facebook_post_level.csv",  # Windows-1252, CRLF, a description row; engagements by action type
        "facebook",
        "posts",
        3,
        {
            (3, "date"): date(2024, 10, 2),
            (4, "published_at"): datetime(2024, 10, 3, 18, 40, 12, tzinfo=UTC),
            (4, "reach"): 1544,
            (4, "impressions"): 2610,
            (4, "likes"): 96,
            (4, "comments"): 12,
            (4, "shares"): 9,
            (5, "comments"): None,
        },
        None,
        ["Skipped 1 description row under the header (line 2)."],
    ),
]


@pytest.mark.parametrize(("file", "platform", "kind", "rows", "values", "account", "warnings"), CASES)
def test_platform_export_is_read(file, platform, kind, rows, values, account, warnings):
    table, got = read_all(PLATFORM_DATA / file)
    det = table.detection
    assert (det.platform, det.row_kind, len(got)) == (platform, kind, rows)
    by_line = {r["line"]: r for r in as_dicts(got)}
    assert {(line, col): by_line[line][col] for line, col in values} == values
    assert det.account_name == account and det.as_dict()["account_name"] == account
    assert table.warnings == warnings
