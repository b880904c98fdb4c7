"""Cell-level readers, dates: formats, clocks, day/month order per column, years for yearless dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from core.parsing.dates import DateColumn

TODAY = date(2026, 2, 28)


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
