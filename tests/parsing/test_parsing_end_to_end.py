"""Real exports through the whole pipeline (parse, load, metrics) on SQLite, metrics worked out by hand."""

from __future__ import annotations

import pytest

from core import users
from core.cli_ingest import ingest_path
from core.db import session_scope
from tests.parsing.conftest import PARSING_DATA, real


def test_youtube_date_table_last_week_against_the_week_before(sqlite_db):
    out = ingest_path(real("youtube__billmengg__YTAnalytics__Date"), platform="auto", period_days=7)
    assert (out["status"], out["platform"], out["rows"], out["row_kind"]) == ("ready", "youtube", 450, "days")
    assert out["warnings"] == ["Skipped 1 totals row (line 2)."]
    assert out["period"] == {"start": "2025-04-18", "end": "2025-04-24"}
    # 1863 + 1934 + 2052 + 2179 + 1862 + 1923 + 1997; the week before: 1737 + ... + 2742.
    assert out["metrics"]["views"] == 13_810 and out["previous"]["views"] == 17_020
    assert out["metrics"]["likes"] is None and out["metrics"]["engagements"] is None


def test_tiktok_overview_last_week_keeps_a_negative_comment_count(sqlite_db):
    out = ingest_path(real("tiktok__htupycollabs-spec__Analytics__Overview"), period_days=7)
    assert (out["status"], out["platform"], out["rows"]) == ("ready", "tiktok", 365)
    now = out["metrics"]
    # February 21..27: views 43886 + 39647 + 29938 + 32320 + 25574 + 18327 + 18237.
    assert (now["views"], now["likes"], now["comments"], now["shares"]) == (207_929, 299, 4, 30)
    assert now["engagements"] == 333
    # The same bytes again are a duplicate for their owner (issue 11): the whole year is read by another user.
    with session_scope() as session:
        users.create_user(session, email="whole@example.com", password="a-long-enough-password")
    whole = ingest_path(real("tiktok__htupycollabs-spec__Analytics__Overview"), email="whole@example.com")[
        "metrics"
    ]
    assert (whole["views"], whole["comments"]) == (2_946_198, 3171)


def test_tiktok_content_counts_videos_as_posts(sqlite_db):
    out = ingest_path(real("tiktok__htupycollabs-spec__Analytics__Content"))
    assert (out["status"], out["row_kind"], out["rows"]) == ("ready", "posts", 13)
    assert out["metrics"]["posts"] == 13 and out["metrics"]["views"] == 537_161


def test_twitter_month_of_tweets(sqlite_db):
    out = ingest_path(real("twitter__ropensci-org__ropensci-tweets"))
    assert (out["status"], out["platform"], out["rows"], out["row_kind"]) == ("ready", "twitter", 33, "posts")
    assert out["period"] == {"start": "2021-11-02", "end": "2021-11-30"}
    now = out["metrics"]
    assert (now["posts"], now["impressions"], now["likes"], now["comments"], now["shares"]) == (
        33,
        131_651,
        289,
        11,
        138,
    )
    assert now["engagements"] == 438
    assert now["avg_engagements"] == pytest.approx(438 / 33)
    assert now["views"] is None and now["er_views"] is None  # no views column: null, never 0


def test_facebook_page_growth_from_lifetime_likes(sqlite_db):
    out = ingest_path(real("facebook__johankitti__vicvisual"))
    assert (out["status"], out["platform"], out["rows"]) == ("ready", "facebook", 58)
    assert out["period"] == {"start": "2014-01-01", "end": "2014-02-27"}
    now = out["metrics"]
    assert (now["reach"], now["impressions"]) == (492, 1762)
    assert (now["subscribers_start"], now["subscribers_end"], now["subs_growth"]) == (0, 128, 128)
    assert now["subs_growth_pct"] is None  # no growth rate from a start of zero


@pytest.mark.parametrize(
    ("prefix", "starts"),
    [
        ("youtube__billmengg__YTAnalytics__Cities", "This looks like a YouTube geography breakdown"),
        ("instagram__paragpatel07", "No date column found. Columns in this file: Impressions, From Home,"),
    ],
)
def test_unusable_real_exports_end_in_error_with_the_reason(sqlite_db, prefix, starts):
    out = ingest_path(real(prefix))
    assert out["status"] == "error" and out["rows"] == 0
    assert out["error"].startswith(starts)


def test_a_russian_vk_export_through_the_pipeline(sqlite_db):
    out = ingest_path(PARSING_DATA / "vk_cp1251_semicolon.csv")
    assert (out["status"], out["platform"], out["rows"]) == ("ready", "vk", 3)
    now = out["metrics"]
    assert (now["views"], now["reach"], now["likes"], now["comments"], now["shares"]) == (
        4566,
        2950,
        33,
        4,
        3,
    )
    assert (now["subscribers_start"], now["subscribers_end"], now["subs_growth"]) == (15_000, 15_020, 20)
