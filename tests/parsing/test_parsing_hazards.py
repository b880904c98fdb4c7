"""One tiny file per hazard of real exports (tests/data/parsing), each with what it must read as: the
file-level hazards here (encodings, delimiters, line ends, headers, preambles, totals, platforms);
the cell-level ones (numbers, dates) in test_parsing_hazard_cells.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.parsing.conftest import PARSING_DATA
from tests.parsing.hazard_case import Case, check
from tests.parsing.test_parsing_hazard_cells import CELL_CASES

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
    check(case)


def test_every_hazard_file_is_in_the_table():
    assert {p.name for p in PARSING_DATA.iterdir()} - {c.file for c in (*CASES, *CELL_CASES)} == {
        "bad_values.csv",
        "many_bad.csv",
        "generic_unknown.csv",
    }
