"""Every real export in tests/data/real, read as it is: what we detect, read, skip or refuse."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.parsing import ParseError, open_table
from tests.conftest import REAL_EXPORTS
from tests.parsing.conftest import LIMITS, TODAY, as_dicts, read_all, real

ASSERTED = {
    "youtube__billmengg__YTAnalytics__Date.csv",
    "youtube__billmengg__YTAnalytics__Cities.csv",
    "tiktok__htupycollabs-spec__Analytics__Overview.csv",
    "tiktok__htupycollabs-spec__Analytics__Content.csv",
    "tiktok__htupycollabs-spec__Analytics__FollowerActivity.csv",  # stored and shown: tests/test_activity.py
    "twitter__ropensci-org__ropensci-tweets__tweet_activity_metrics_rOpenSci_20211101_20211201_en.csv",
    "facebook__johankitti__vicvisual__Facebook Insights Data Export - Visualization Studio VIC - "
    "2014-01-01 - 2014-02-27.csv",
    "instagram__paragpatel07__Instagram_Reach_Analysis__Instagram data.csv",
}


def test_every_real_export_has_its_outcome_asserted_here():
    assert {p.name for p in REAL_EXPORTS.glob("*.csv")} == ASSERTED


def test_tiktok_follower_activity_is_read_as_hours_not_refused():
    table = open_table(
        real("tiktok__htupycollabs-spec__Analytics__FollowerActivity"), today=TODAY, limits=LIMITS
    )
    det = table.detection
    assert (det.platform, det.row_kind, det.encoding) == ("tiktok", "hours", "utf-8-sig")
    assert det.mapping == {"Date": "date", "Hour": "hour", "Active followers": "active_followers"}
    hours = table.hours()
    assert len(hours) == 168  # 7 days (Feb 21–27, the year ending by the upload day) of 24 hours
    assert (hours[0].line, hours[0].day, hours[0].hour, hours[0].followers) == (2, date(2026, 2, 21), 0, 491)
    assert [h.hour for h in hours[:24]] == list(range(24))
    assert [h.line for h in hours if not h.measured] == list(range(164, 170))  # Feb 27, 18:00–23:00: 0


def test_youtube_date_table_skips_the_total_row_and_keeps_newest_first_order():
    table, rows = read_all(real("youtube__billmengg__YTAnalytics__Date"))
    det = table.detection
    assert (det.platform, det.row_kind, det.encoding, det.delimiter) == ("youtube", "days", "utf-8", ",")
    assert det.mapping == {"Date": "date", "Views": "views"}
    assert det.unmapped == ["Watch time (hours)", "Average view duration", "Estimated revenue (USD)"]
    assert len(rows) == 450  # 452 lines: the header, the Total row, 450 days
    first, last = as_dicts(rows[:1] + rows[-1:])
    assert (first["line"], first["date"], first["views"]) == (3, date(2025, 4, 24), 1863)
    assert first["extra"] == {"Watch time (hours)": "35.8293", "Average view duration": "0:01:41"}
    assert (last["line"], last["date"], last["views"]) == (452, date(2024, 1, 21), 30)
    # The file's own Total row says 12100212 views: every day is there, the total itself is not.
    assert sum(r[2] for r in rows) == 12_100_212
    assert table.warnings == ["Skipped 1 totals row (line 2)."]


def test_youtube_geography_breakdown_is_refused_with_what_to_upload_instead():
    with pytest.raises(ParseError) as err:
        open_table(real("youtube__billmengg__YTAnalytics__Cities"), today=TODAY, limits=LIMITS)
    assert err.value.text == (
        "This looks like a YouTube geography breakdown (one row per city, no dates). "
        'Upload the "Date" or "Content" table instead.'
    )


def test_tiktok_overview_gets_years_ending_before_the_export_day_and_keeps_negative_comments():
    table, rows = read_all(real("tiktok__htupycollabs-spec__Analytics__Overview"))
    det = table.detection
    assert (det.platform, det.row_kind, det.encoding) == ("tiktok", "days", "utf-8-sig")
    assert det.mapping == {
        "Date": "date",
        "Video Views": "views",
        "Likes": "likes",
        "Comments": "comments",
        "Shares": "shares",
    }
    assert det.unmapped == ["Profile Views"]  # no BOM leaks into "Date" either
    assert len(rows) == 365
    days = [r[1] for r in rows]
    assert days[0] == date(2025, 2, 28) and days[-1] == date(2026, 2, 27)
    assert all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))  # in order, across New Year
    by_line = {r[0]: r for r in rows}
    assert by_line[308][1] == date(2025, 12, 31) and by_line[309][1] == date(2026, 1, 1)
    assert by_line[167][1:7] == (date(2025, 8, 12), 10280, None, None, 63, -1)  # comments -1 is real
    assert sum(r[2] for r in rows) == 2_946_198 and sum(r[6] for r in rows) == 3171
    assert table.warnings == [
        'The dates in "Date" have no year; years were given so that they run in order and end no later '
        "than 2026-02-28."
    ]


def test_tiktok_content_rows_are_videos_dated_by_post_time():
    table, rows = read_all(real("tiktok__htupycollabs-spec__Analytics__Content"))
    det = table.detection
    assert (det.platform, det.row_kind) == ("tiktok", "posts")
    assert det.mapping == {
        "Video title": "title",
        "Video link": "url",
        "Post time": "date",
        "Total likes": "likes",
        "Total comments": "comments",
        "Total shares": "shares",
        "Total views": "views",
    }
    assert len(rows) == 13
    posts = as_dicts(rows)
    # Not in date order (sorted by views): each date gets the latest year up to the upload date.
    assert [p["date"] for p in posts[:3]] == [date(2025, 7, 16), date(2025, 9, 3), date(2025, 7, 26)]
    assert posts[7]["date"] == date(2026, 1, 23) and posts[11]["date"] == date(2026, 2, 1)
    assert posts[0]["title"] == "@Unbrush #unbrush #unbrushplus #unbrushhairbrush"  # trailing space gone
    assert posts[2]["title"] is None  # an empty title
    assert "🚨BACK IN STOCK🚨" in posts[3]["title"]
    assert posts[0]["url"] == "https://www.tiktok.com/@haileytupy2.0/video/7527623000473079054"
    assert (posts[0]["views"], posts[0]["likes"], posts[0]["comments"], posts[0]["shares"]) == (
        191265,
        533,
        32,
        16,
    )
    assert posts[0]["extra"] == {"Time": "February 28"}
    assert sum(p["views"] for p in posts) == 537_161


def test_twitter_activity_reads_float_counts_dashes_and_multiline_tweets():
    table, rows = read_all(real("twitter__ropensci-org__ropensci-tweets"))
    det = table.detection
    assert (det.platform, det.row_kind) == ("twitter", "posts")
    assert det.mapping == {
        "Tweet id": "post_id",
        "Tweet permalink": "url",
        "Tweet text": "title",
        "time": "date",
        "impressions": "impressions",
        "retweets": "shares",
        "replies": "comments",
        "likes": "likes",
        "follows": "subscribers_gained",
    }
    assert len(det.unmapped) == 31  # 40 columns, 9 mapped
    tweets = as_dicts(rows)
    assert len(tweets) == 33
    first = tweets[0]
    assert first["post_id"] == "1465712230054432768" and first["impressions"] == 1777 and first["likes"] == 2
    assert first["published_at"] == datetime(2021, 11, 30, 16, 0, tzinfo=UTC)
    assert first["extra"]["engagement rate"] == "0.0028137310073157004"
    assert first["extra"]["promoted impressions"] == "-"
    second = tweets[1]
    assert second["line"] == 3 and second["title"].startswith("November News 💌 #RStats\n\nhttps://t.co/")
    assert tweets[2]["line"] > 3 + second["title"].count("\n")  # physical lines, not record numbers
    assert (tweets[-1]["date"], tweets[-1]["post_id"]) == (date(2021, 11, 2), "1455480762111832069")
    assert sum(t["impressions"] for t in tweets) == 131_651
    assert (sum(t["likes"] for t in tweets), sum(t["shares"] for t in tweets)) == (289, 138)
    assert sum(t["comments"] for t in tweets) == 11


def test_facebook_insights_windows_1252_with_descriptions_and_duplicate_columns():
    table, rows = read_all(real("facebook__johankitti__vicvisual"))
    det = table.detection
    assert (det.platform, det.row_kind, det.encoding, det.delimiter) == ("facebook", "days", "cp1252", ",")
    assert det.mapping["Lifetime Total Likes"] == "subscribers"
    assert det.mapping["Daily New Likes"] == "subscribers_gained"
    assert det.mapping["Daily Unlikes"] == "subscribers_lost"
    assert (det.mapping["Daily Total Reach"], det.mapping["Daily Total Impressions"]) == (
        "reach",
        "impressions",
    )
    assert det.formats["Date"] == "M/D/YYYY"
    assert (
        '"Lifetime Total Likes" is read as subscribers: a level (the follower count on each date).'
        in det.notes
    )
    assert len(rows) == 58  # 60 lines: the header, the description row, 58 days
    days = as_dicts(rows)
    assert (days[0]["line"], days[0]["date"]) == (3, date(2014, 1, 1))
    assert (days[-1]["date"], days[-1]["subscribers"], days[-1]["reach"]) == (date(2014, 2, 27), 128, 4)
    assert sum(d["reach"] for d in days) == 492 and sum(d["impressions"] for d in days) == 1762
    assert sum(d["subscribers_gained"] for d in days) == 21
    # Non-ASCII text decodes as Windows-1252 (Cataluña, Järfälla), not as Cyrillic mojibake.
    assert any("Catalu\u00f1a" in name for name in det.unmapped)
    assert any("J\u00e4rf\u00e4lla" in name for name in det.unmapped)
    assert table.warnings[0].startswith("17 column names appear more than once (")
    assert table.warnings[-1] == "Skipped 1 description row under the header (line 2)."


def test_instagram_table_without_dates_is_refused_listing_its_columns_and_the_ones_we_know():
    with pytest.raises(ParseError) as err:
        open_table(real("instagram__paragpatel07"), today=TODAY, limits=LIMITS)
    assert err.value.text == (
        "No date column found. Columns in this file: Impressions, From Home, From Hashtags, From Explore, "
        "From Other, Saves, Comments, Shares, Likes, Profile Visits, Follows, Caption, Hashtags. "
        "Date columns we recognise: Date, Day, Дата, День, Fecha, Datum, Period, Период, …. "
        "This Instagram table has one row per post but no dates, so it cannot become a time series. "
        'Export the posts again from Meta Business Suite (Insights, Content), which adds "Publish time", '
        "or choose which column holds the date."
    )


def test_instagram_file_is_still_recognised_and_decoded_as_windows_1252():
    from core.parsing import suggest_mapping

    det = suggest_mapping(real("instagram__paragpatel07"), today=TODAY, limits=LIMITS)
    assert (det.platform, det.encoding, det.delimiter) == ("instagram", "cp1252", ",")
    assert det.mapping == {
        "Impressions": "impressions",
        "Saves": "saves",
        "Comments": "comments",
        "Shares": "shares",
        "Likes": "likes",
        "Follows": "subscribers_gained",
        "Caption": "title",
    }
    assert det.confidence < 0.5 and det.notes[-1].startswith("No date column found.")


def test_tiktok_content_uploaded_months_later_still_dates_posts_before_the_export_day():
    # "Time" repeats the export day (February 28) on every row: posts cannot be later than it,
    # whenever the file is uploaded.
    later = date(2026, 11, 27)
    table = open_table(real("tiktok__htupycollabs-spec__Analytics__Content"), today=later, limits=LIMITS)
    dates = [row[1] for row in table.rows()]
    assert dates[:3] == [date(2025, 7, 16), date(2025, 9, 3), date(2025, 7, 26)]
    assert max(dates) == date(2026, 2, 1)
    assert "end no later than 2026-02-28" in table.warnings[-1]
