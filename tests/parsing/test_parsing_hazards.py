"""One tiny file per hazard of real exports (tests/data/parsing), each with what it must read as."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.parsing.conftest import PARSING_DATA, as_dicts, read_all


@dataclass
class Case:
    file: str
    platform: str
    rows: int
    values: dict  # (line, canonical column) -> value
    mapping: dict = field(default_factory=dict)  # a subset of the detected mapping
    encoding: str = "utf-8"
    delimiter: str = ","
    row_kind: str = "days"
    formats: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


CASES = [
    Case(
        "vk_cp1251_semicolon.csv",
        "vk",
        3,
        {
            (2, "date"): date(2024, 3, 1),
            (2, "views"): 1234,
            (2, "reach"): 1000,
            (2, "subscribers"): 15000,
            (3, "comments"): None,
            (3, "shares"): 2,
            (4, "date"): date(2024, 3, 13),
            (4, "reach"): 850,
        },
        mapping={
            "Дата": "date",
            "Просмотры": "views",
            "Охват": "reach",
            "Подписчики": "subscribers",
            "Лайки": "likes",
            "Комментарии": "comments",
            "Репосты": "shares",
        },
        encoding="cp1251",
        delimiter=";",
        formats={"Дата": "D/M/YYYY", "Охват": "decimal comma", "Просмотры": "thousands separators"},
    ),
    Case(
        "youtube_ru_totals.csv",
        "youtube",
        3,
        {
            (3, "date"): date(2024, 3, 3),
            (3, "views"): 1034,
            (3, "subscribers_net"): -2,
            (3, "impressions"): 4000,
            (5, "views"): 2345,
            (5, "extra"): {"Время просмотра (часы)": "7,0"},
        },
        mapping={
            "Дата": "date",
            "Просмотры": "views",
            "Подписчики": "subscribers_net",
            "Показы": "impressions",
        },
        encoding="utf-8-sig",
        warnings=["Skipped 1 totals row (line 2)."],
    ),
    Case(
        "cr_only.csv",
        "generic",
        3,
        {(2, "views"): 10, (4, "date"): date(2024, 3, 3), (4, "likes"): 3},
    ),
    Case("no_final_newline.csv", "generic", 2, {(3, "date"): date(2024, 3, 2), (3, "views"): 6}),
    Case(
        "quoted_newlines.csv",
        "generic",
        3,
        {
            (2, "title"): "First line\nsecond line",
            (4, "title"): 'He said "hi", then\r\nleft',
            (4, "views"): 200,
            (6, "post_id"): "a3",
        },
        row_kind="posts",
    ),
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
        "utf16_tab.csv",
        "generic",
        2,
        {(2, "title"): "Привет", (3, "title"): "Été", (3, "likes"): 2},
        encoding="utf-16",
        delimiter="\t",
        row_kind="posts",
    ),
    Case("utf8_bom.csv", "generic", 1, {(2, "views"): 5}, mapping={"Date": "date"}, encoding="utf-8-sig"),
    Case(
        "cp1252_accents.csv",
        "generic",
        3,
        {(2, "title"): "Café Barcelona — Catalunya", (3, "title"): "Järfälla’s best", (4, "title"): "Straße"},
        encoding="cp1252",
        row_kind="posts",
        formats={"Date": "M/D/YYYY"},
    ),
    Case("pipe.csv", "generic", 2, {(3, "likes"): 2}, delimiter="|"),
    Case(
        "padded_headers.csv",
        "generic",
        2,
        {(2, "views"): 5, (2, "comments"): 2, (2, "extra"): None},
        mapping={"DATE": "date", "Views": "views", "LIKES": "likes", "comments.": "comments"},
        warnings=[
            '1 column name appears more than once ("Views"); the first column of each name was used and the '
            "later copies ignored."
        ],
    ),
    Case(
        "preamble.csv",
        "generic",
        2,
        {(4, "date"): date(2024, 3, 1), (5, "views"): 6},
        warnings=["Skipped 1 line above the header."],
    ),
    Case("day_first_slash.csv", "generic", 4, {(2, "date"): date(2024, 3, 1)}, formats={"Date": "D/M/YYYY"}),
    Case(
        "month_first_slash.csv", "generic", 3, {(2, "date"): date(2024, 3, 1)}, formats={"Date": "M/D/YYYY"}
    ),
    # Every day fits both orders; consecutive days only under month/day.
    Case("ambiguous_slash.csv", "generic", 3, {(2, "date"): date(2024, 1, 2)}, formats={"Date": "M/D/YYYY"}),
    Case(
        "float_counts_percent.csv",
        "generic",
        2,
        {(2, "views"): 1777, (2, "likes"): 5, (3, "extra"): {"engagement rate": "1,5%"}},
    ),
    Case(
        "instagram_posts.csv",
        "instagram",
        2,
        {
            (2, "date"): date(2020, 4, 29),
            (2, "published_at"): datetime(2020, 4, 29, 10, 5, tzinfo=UTC),
            (2, "reach"): 800,
            (2, "subscribers_gained"): 2,
            (3, "saves"): 15,
        },
        mapping={"Publish time": "published_at", "Follows": "subscribers_gained", "Post ID": "post_id"},
        row_kind="posts",
    ),
    Case(
        "telegram_ru.csv",
        "telegram",
        2,
        {
            (2, "subscribers"): 5000,
            (2, "subscribers_gained"): 20,
            (3, "subscribers_lost"): 3,
            (3, "shares"): 11,
        },
        delimiter=";",
    ),
    Case(
        "linkedin_content.csv",
        "linkedin",
        2,
        {(2, "impressions"): 120, (2, "reach"): 80, (3, "likes"): 9},
        mapping={"Impressions (total)": "impressions", "Reactions (total)": "likes"},
    ),
    Case(
        "totals_and_footer.csv",
        "generic",
        1,
        {(2, "title"): "Весна", (2, "date"): date(2024, 3, 1), (2, "views"): 5},
        delimiter=";",
        row_kind="posts",
        warnings=[
            "Skipped 1 totals row (line 3).",
            'Skipped 1 note line that is not data (line 4: "Showing top 500 results").',
        ],
    ),
    Case("days_repeated_dates.csv", "generic", 4, {(4, "views"): 3}, row_kind="posts"),
    Case(
        "youtube_date.xlsx",
        "youtube",
        2,
        {
            (3, "date"): date(2024, 3, 2),
            (3, "views"): 1000,
            (3, "subscribers_net"): 4,
            (4, "likes"): None,
            (4, "extra"): {"Watch time (hours)": "21.25"},
        },
        encoding="xlsx",
        delimiter="",
        warnings=["Skipped 1 totals row (line 2)."],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_hazard_file_reads_as_expected(case: Case):
    table, rows = read_all(PARSING_DATA / case.file)
    det = table.detection
    assert (det.platform, det.encoding, det.delimiter, det.row_kind) == (
        case.platform,
        case.encoding,
        case.delimiter,
        case.row_kind,
    )
    assert det.mapping | case.mapping == det.mapping
    assert det.formats | case.formats == det.formats
    assert len(rows) == case.rows
    by_line = {r["line"]: r for r in as_dicts(rows)}
    got = {(line, col): by_line[line][col] for line, col in case.values}
    assert got == case.values
    assert table.warnings == case.warnings
    assert not any(name.startswith(("\ufeff", "ï»¿")) for name in (*det.mapping, *det.unmapped))


def test_every_hazard_file_is_in_the_table():
    assert {p.name for p in PARSING_DATA.iterdir()} - {c.file for c in CASES} == {
        "bad_values.csv",
        "many_bad.csv",
        "generic_unknown.csv",
    }
