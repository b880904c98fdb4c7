"""Platform detection, suggested mappings with a confidence, and mappings chosen by the user."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import DESCRIPTORS, MEASURES
from core.parsing import CANONICAL_COLUMNS, PLATFORMS, ParseError, suggest_mapping
from tests.parsing.conftest import LIMITS, PARSING_DATA, TODAY, read_all, real


def suggest(path, **kwargs):
    return suggest_mapping(path, today=TODAY, limits=LIMITS, **kwargs)


def test_public_lists_for_the_mapping_screen():
    assert list(PLATFORMS) == [
        "youtube",
        "tiktok",
        "instagram",
        "facebook",
        "twitter",
        "linkedin",
        "vk",
        "telegram",
        "generic",
    ]
    assert PLATFORMS["twitter"] == "X (Twitter)" and PLATFORMS["vk"] == "VK"
    assert CANONICAL_COLUMNS == ("date", *MEASURES, *DESCRIPTORS)


def test_a_canonical_file_is_generic_with_full_confidence():
    det = suggest(PARSING_DATA.parent / "canonical_days.csv")
    assert (det.platform, det.confidence, det.row_kind) == ("generic", 1.0, "days")
    assert det.mapping == {c: c for c in ("date", "views", "likes", "comments", "shares", "subscribers")}
    assert det.candidates == {}


def test_detection_is_sure_when_many_platform_headers_agree_and_says_what_else_was_considered():
    det = suggest(real("twitter__"))
    assert det.platform == "twitter" and det.confidence == 1.0
    tiktok = suggest(real("tiktok__htupycollabs-spec__Analytics__Overview"))
    assert tiktok.platform == "tiktok" and tiktok.candidates == {"tiktok": 2.0}
    assert tiktok.confidence == 0.875


def test_suggestion_for_unknown_headers_has_low_confidence_says_why_and_offers_a_date_column():
    det = suggest(PARSING_DATA / "generic_unknown.csv")
    assert det.platform == "generic" and det.confidence < 0.5
    assert det.mapping == {"When": "date"} and det.unmapped == ["Amount", "Other"]
    assert det.notes[0].startswith("No date column found. Columns in this file: When, Amount, Other.")
    assert det.notes[1] == '"When" holds dates, judging by its values: is it the date column?'


def test_a_partly_recognised_generic_file_is_less_sure_than_a_fully_recognised_one(write):
    path = write("partial.csv", "Date,Views,Foo,Bar\n2024-03-01,1,x,y\n")
    det = suggest(path)
    assert det.mapping == {"Date": "date", "Views": "views"} and det.unmapped == ["Foo", "Bar"]
    assert det.confidence == 0.75


def test_a_mapping_chosen_by_the_user_is_used_and_validated_again():
    table, rows = read_all(
        PARSING_DATA / "generic_unknown.csv", mapping={"When": "date", "Amount": "views", "Other": ""}
    )
    det = table.detection
    assert det.mapping == {"When": "date", "Amount": "views"} and det.confidence == 1.0
    assert det.unmapped == ["Other"]
    assert [(r[1], r[2], r[-1]) for r in rows] == [
        (date(2024, 3, 1), 5, {"Other": "x"}),
        (date(2024, 3, 2), 6, {"Other": "y"}),
    ]


def test_a_user_mapping_replaces_the_detected_one_and_is_checked_row_by_row():
    from core.parsing import open_table

    table = open_table(
        real("youtube__billmengg__YTAnalytics__Date"),
        mapping={"Date": "date", "Watch time (hours)": "views"},
        today=TODAY,
        limits=LIMITS,
    )
    with pytest.raises(ParseError) as err:
        list(table.rows())
    # 450 days; three of them hold whole hours (10, 0, 0), the rest are refused.
    assert err.value.text.splitlines()[0] == "447 problems found; the first 20:"
    assert err.value.text.splitlines()[1] == (
        '- Line 3, column "Watch time (hours)": "35.8293" is not a whole number (a count was expected).'
    )


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (
            {"Nope": "date", "Amount": "views"},
            'The column "Nope" chosen for date is not in this file. Columns in this file: When, Amount, Other.',
        ),
        (
            {"When": "date", "Amount": "money"},
            '"money" is not a column we store. Choose one of: date, views, ',
        ),
        (
            {"When": "date", "Amount": "views", "Other": "views"},
            'Both "Amount" and "Other" are mapped to views',
        ),
        ({"Amount": "views"}, "No date column found. Columns in this file: When, Amount, Other."),
        ({"When": "date"}, "No numbers to measure found."),
    ],
    ids=["missing-column", "unknown-canonical", "twice", "no-date", "no-measure"],
)
def test_an_invalid_user_mapping_is_refused_with_the_reason(mapping, expected):
    with pytest.raises(ParseError) as err:
        read_all(PARSING_DATA / "generic_unknown.csv", mapping=mapping)
    assert err.value.text.startswith(expected)


def test_user_mapping_matches_headers_ignoring_case_and_padding():
    table, _ = read_all(PARSING_DATA / "padded_headers.csv", mapping={"date": "date", "views ": "views"})
    assert table.detection.mapping == {"DATE": "date", "Views": "views"}


def test_choosing_the_platform_the_file_is_from():
    table, _ = read_all(real("youtube__billmengg__YTAnalytics__Date"), platform="youtube")
    assert table.detection.platform == "youtube" and table.detection.confidence >= 0.9


def test_choosing_a_platform_the_file_does_not_match_is_refused_saying_what_it_looks_like():
    with pytest.raises(ParseError) as err:
        read_all(real("youtube__billmengg__YTAnalytics__Date"), platform="tiktok")
    assert err.value.text == (
        "You chose TikTok, but this file looks like a YouTube export (it has “Watch time (hours)”, "
        "“Average view duration”, “Estimated revenue (USD)”). Choose YouTube or automatic detection "
        "and upload it again."
    )


def test_the_mapping_screen_still_gets_a_suggestion_for_a_mismatched_platform():
    det = suggest(real("youtube__billmengg__YTAnalytics__Date"), platform="tiktok")
    assert det.platform == "tiktok" and det.mapping == {"Date": "date", "Views": "views"}
    assert det.notes == ["This file looks like a YouTube export, not TikTok."]


def test_a_platform_profile_gives_columns_their_meaning(write):
    # The same header means a net flow on YouTube and a level on a generic table.
    path = write("subs.csv", "Date,Views,Subscribers\n2024-03-01,5,3\n")
    youtube, _ = read_all(path, platform="youtube")
    generic, _ = read_all(path)
    assert youtube.detection.mapping["Subscribers"] == "subscribers_net"
    assert generic.detection.mapping["Subscribers"] == "subscribers"
    assert youtube.detection.notes == [
        '"Subscribers" is read as subscribers_net: a net flow (followers gained minus lost on each row).'
    ]


def test_a_generic_file_read_as_a_chosen_platform_without_its_headers_is_accepted():
    table, rows = read_all(PARSING_DATA.parent / "canonical_days.csv", platform="vk")
    assert table.detection.platform == "vk" and len(rows) == 14


def test_an_unknown_platform_is_refused():
    with pytest.raises(ParseError, match='Unknown platform "myspace". Choose one of: youtube, tiktok'):
        read_all(PARSING_DATA.parent / "canonical_days.csv", platform="myspace")


def test_notes_say_where_dates_and_times_come_from():
    det = suggest(PARSING_DATA / "instagram_posts.csv")
    assert det.notes == [
        '"Follows" is read as subscribers_gained: a flow (new followers on each row).',
        'Dates are taken from "Publish time".',
        'Times in "Publish time" are kept as the publication time (UTC where the file gives no offset).',
    ]


def test_detection_is_stored_as_plain_json():
    import json

    det = suggest(real("facebook__"))
    stored = json.loads(json.dumps(det.as_dict()))
    assert stored["platform"] == "facebook" and stored["encoding"] == "cp1252"
    assert stored["formats"]["Date"] == "M/D/YYYY" and stored["row_kind"] == "days"
