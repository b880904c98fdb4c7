"""Cell-level readers: numbers, dates, years for yearless dates, code pages, delimiters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core.parsing.dates import DateColumn
from core.parsing.numbers import NumberColumn
from core.parsing.reader import sniff_delimiter
from core.parsing.source import choose_code_page

TODAY = date(2026, 2, 28)


def number_column(*cells: str) -> NumberColumn:
    col = NumberColumn("n")
    for cell in cells:
        col.observe(cell)
    col.decide()
    return col


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ((), "1,234", 1234),
        ((), "1.234", 1234),
        ((), "1 234 567", 1_234_567),
        ((), "1\u00a0234", 1234),
        ((), "1\u202f234", 1234),
        ((), "1'234'567", 1_234_567),
        ((), "1’234", 1234),
        ((), "1,234.00", 1234),
        ((), "1.234,00", 1234),
        ((), "1777.0", 1777),
        ((), "-5", -5),
        ((), "−8", -8),
        ((), "+12", 12),
        ((), "(12)", -12),
        ((), "1e+06", 1_000_000),
        ((), "  42 ", 42),
        ((), "-", None),
        ((), "—", None),
        ((), "undefined", None),
        ((), "N/A", None),
        ((), "", None),
        # The column decides what a separator means, not the cell.
        (("12,5", "3,25"), "1,000", 1),  # a decimal comma: one, not a thousand
        (("12,5", "3,25"), "1,5", "not whole"),
        (("12,5", "3,25"), "1.000", 1000),
        (("12.5",), "1,000", 1000),
        (("1.234.567",), "2.000", 2000),
        (("1,234,567",), "2,000", 2000),
    ],
)
def test_numbers(column, cell, value):
    col = number_column(*column)
    if value == "not whole":
        with pytest.raises(ValueError, match="is not a whole number"):
            col.parse(cell)
    else:
        assert col.parse(cell) == value
        assert col.read(cell) == value


@pytest.mark.parametrize("cell", ["12abc", "1.2.3,4,5", "12K", "inf", "1e400", "--5", "()", "1,2,34"])
def test_not_numbers(cell):
    with pytest.raises(ValueError, match="is not a number"):
        number_column().parse(cell)


def test_a_plain_column_reads_with_int_but_only_what_the_careful_parse_agrees_with():
    # Issue 9 changed this: the fast reader was int itself, which also reads "1_000" and non-ASCII digits.
    fast = number_column("1", "2", "-3").fast
    assert (fast("12"), fast(" -3 ")) == (12, -3)
    for cell in ("1_000", "\u0661\u0662\u0663", "\uff11\uff12", str(2**63)):
        with pytest.raises(ValueError):
            fast(cell)
    assert number_column("1", "", "3").fast("") is None
    spaced = number_column("1 234")
    assert spaced.fast == spaced.read


@pytest.mark.parametrize(
    ("signed", "cell", "message"),
    [
        (True, "1_000", "is not a number."),
        (True, "\u0661\u0662\u0663", "is not a number."),  # Arabic-Indic digits
        (True, "\uff11\uff12\uff13", "is not a number."),  # full-width digits
        (True, "1\u00a0\u0663\u0664\u0665", "is not a number."),
        (True, "99999999999999999999", "is larger than a count can be (at most 9,223,372,036,854,775,807)."),
        (True, "-99999999999999999999", "is larger than a count can be"),
        (True, "1e30", "is larger than a count can be"),
        (False, "-5", "is negative; this column counts things and cannot be below 0."),
        (False, "−8", "is negative"),
        (False, "(12)", "is negative"),
    ],
)
def test_numbers_refused(signed, cell, message):
    col = NumberColumn("n", signed=signed)
    col.observe(cell)
    col.decide()
    with pytest.raises(ValueError) as caught:
        col.fast(cell)
    with pytest.raises(ValueError) as caught:
        col.parse(cell)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("cells", "file_mark", "cell", "value", "undecided"),
    [
        (("1,234", "12"), None, "1,234", 1234, "1,234"),  # nothing decides: read, with a note
        (("1,234", "12"), ".", "1,234", 1234, None),  # the file writes decimals with "."
        (("1,234", "12"), ",", "1,234", "not whole", None),  # the file writes decimals with ","
        (("1,234", "12,345,678"), None, "1,234", 1234, None),  # the column itself decides
    ],
)
def test_an_undecidable_separator_takes_the_files_mark_or_gets_a_note(
    cells, file_mark, cell, value, undecided
):
    col = NumberColumn("Views")
    for c in cells:
        col.observe(c)
    col.decide(file_mark)
    assert col.undecided == undecided
    assert (col.undecided_note() is not None) == bool(undecided)
    if value == "not whole":
        with pytest.raises(ValueError, match="is not a whole number"):
            col.parse(cell)
    else:
        assert col.parse(cell) == value


def date_column(*cells: str, dayfirst: bool = False) -> DateColumn:
    col = DateColumn("d", today=TODAY, dayfirst=dayfirst)
    for cell in cells:
        col.observe(cell)
    col.decide()
    return col


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024/03/01", date(2024, 3, 1)),
        ("2024.03.01", date(2024, 3, 1)),
        ("1.3.2024", date(2024, 3, 1)),
        ("01.03.24", date(2024, 3, 1)),
        ("Apr 29, 2020", date(2020, 4, 29)),
        ("April 29 2020", date(2020, 4, 29)),
        ("Wednesday, April 29, 2020", date(2020, 4, 29)),
        ("29 Apr 2020", date(2020, 4, 29)),
        ("29-Apr-2020", date(2020, 4, 29)),
        ("5 марта 2024 г.", date(2024, 3, 5)),
        ("5 мар. 2024", date(2024, 3, 5)),
        ("8 de marzo de 2024", date(2024, 3, 8)),
        ("3. März 2024", date(2024, 3, 3)),
        ("1 janvier 2024", date(2024, 1, 1)),
        ("Sept 3, 2024", date(2024, 9, 3)),
    ],
)
def test_dates(cell, day):
    assert date_column(cell).parse(cell) == day


@pytest.mark.parametrize(
    ("cell", "moment"),
    [
        ("2024-03-01T10:00:00Z", datetime(2024, 3, 1, 10, tzinfo=UTC)),
        ("2024-03-01 10:00:00.250", datetime(2024, 3, 1, 10, 0, 0, 250000, tzinfo=UTC)),
        ("2021-11-30 16:00 +0000", datetime(2021, 11, 30, 16, tzinfo=UTC)),
        (
            "2024-03-01 10:00 +05:30",
            datetime(2024, 3, 1, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("11/15/2014 09:50:37 AM", datetime(2014, 11, 15, 9, 50, 37, tzinfo=UTC)),
        ("11/15/2014 9:50 pm", datetime(2014, 11, 15, 21, 50, tzinfo=UTC)),
        ("11/15/2014 12:00 AM", datetime(2014, 11, 15, 0, 0, tzinfo=UTC)),
        ("11/15/2014 12:30 PM", datetime(2014, 11, 15, 12, 30, tzinfo=UTC)),
        ("Apr 29, 2020, 10:05 AM UTC", datetime(2020, 4, 29, 10, 5, tzinfo=UTC)),
        ("Apr 29, 2020 10:05 GMT-3", datetime(2020, 4, 29, 10, 5, tzinfo=timezone(timedelta(hours=-3)))),
        ("5 марта 2024 г. в 14:30", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-01", None),
    ],
)
def test_datetimes(cell, moment):
    assert date_column(cell).parse_datetime(cell) == moment


def test_a_12_hour_clock_refuses_hour_13():
    col = date_column("11/15/2014 01:00 PM")
    with pytest.raises(ValueError, match="impossible 12-hour time"):
        col.parse_datetime("11/15/2014 13:00 PM")


@pytest.mark.parametrize(
    ("cells", "dayfirst", "order", "guessed"),
    [
        (["13/01/2024", "01/02/2024"], False, "dmy", False),
        (["01/13/2024", "02/01/2024"], True, "mdy", False),
        (["01/02/2024", "02/02/2024", "03/02/2024"], False, "dmy", False),  # consecutive days
        (["05/06/2024"], False, "mdy", True),
        (["05/06/2024"], True, "dmy", True),
        (["05.06.2024"], False, "dmy", False),  # nobody writes month.day.year
    ],
)
def test_day_month_order_is_decided_for_the_whole_column(cells, dayfirst, order, guessed):
    col = date_column(*cells, dayfirst=dayfirst)
    assert (col.order, col.guessed_order) == (order, guessed)


def test_the_minority_order_in_a_column_is_an_error_not_a_silent_swap():
    col = date_column("13/01/2024", "14/01/2024", "01/15/2024")
    assert col.parse("13/01/2024") == date(2024, 1, 13)
    with pytest.raises(ValueError, match="not a real date"):
        col.parse("01/15/2024")


def walk(col: DateColumn, cells: list[str]) -> list[date]:
    col.reset()
    return [col.parse(c) for c in cells]


def test_yearless_dates_newest_first_count_back_across_new_year():
    cells = ["January 2", "January 1", "December 31", "December 30"]
    assert walk(date_column(*cells), cells) == [
        date(2026, 1, 2),
        date(2026, 1, 1),
        date(2025, 12, 31),
        date(2025, 12, 30),
    ]


def test_yearless_dates_over_two_years_wrap_twice():
    days = [date(2024, 3, 1) + timedelta(days=i) for i in range(0, 700, 10)]
    cells = [f"{d:%B} {d.day}" for d in days]
    col = DateColumn("d", today=days[-1], dayfirst=False)
    for cell in cells:
        col.observe(cell)
    col.decide()
    assert walk(col, cells) == days


def test_yearless_dates_end_no_later_than_the_upload_date():
    cells = ["February 27", "February 28", "March 1"]
    # March 1 would be after the upload day in 2026, so the series ends on 2025-03-01.
    assert walk(date_column(*cells), cells) == [date(2025, 2, 27), date(2025, 2, 28), date(2025, 3, 1)]


def test_unordered_yearless_dates_each_get_the_latest_year_up_to_the_upload_date():
    cells = ["July 16", "January 23", "December 2", "March 1", "February 28"]
    assert walk(date_column(*cells), cells) == [
        date(2025, 7, 16),
        date(2026, 1, 23),
        date(2025, 12, 2),
        date(2025, 3, 1),
        date(2026, 2, 28),
    ]


def test_february_29_without_a_year_goes_to_a_leap_year():
    assert walk(date_column("February 29"), ["February 29"]) == [date(2024, 2, 29)]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Дата;Просмотры;Охват;Подписчики;Лайки;Комментарии;Репосты", "cp1251"),
        ("Итоговое значение", "cp1251"),
        ("Café Barcelona, Cataluña; Järfälla; São Paulo; Kraków", "cp1252"),
        ("#finance\u00a0#money’s", "cp1252"),  # the same bytes in both: Latin text wins
    ],
)
def test_code_page_gives_plausible_text(text, encoding):
    raw = text.encode("cp1252", errors="ignore") if encoding == "cp1252" else text.encode("cp1251")
    assert choose_code_page(raw) == encoding


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Дата;Охват;Показы\n01.03.2024;1,5;2,5\n02.03.2024;3,5;4\n", ";"),
        ("date\tviews\ttitle\n2024-03-01\t5\ta, b, c\n2024-03-02\t6\td, e\n", "\t"),
        ("date|views\n2024-03-01|5\n", "|"),
        ('date,title,views\n2024-03-01,"a; b; c",5\n2024-03-02,d;e,6\n2024-03-03,f,7\n', ","),
    ],
)
def test_delimiter_is_sniffed_over_many_rows(text, delimiter):
    assert sniff_delimiter(text) == delimiter


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised_by_its_zero_bytes(write, encoding):
    from tests.parsing.conftest import read_all

    table, rows = read_all(write("u.csv", "Дата,Просмотры\n2024-03-01,5\n".encode(encoding)))
    assert table.detection.encoding == encoding and table.detection.mapping == {
        "Дата": "date",
        "Просмотры": "views",
    }
    assert rows[0][:3] == (2, date(2024, 3, 1), 5)
