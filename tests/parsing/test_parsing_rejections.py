"""Files that cannot be used: each refusal names the problem, where it is, and what to do next."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.parsing import Limits, ParseError, open_table
from tests.parsing.conftest import LIMITS, PARSING_DATA, TODAY, read_all

NOT_TEXT = "Export the statistics as CSV or Excel (.xlsx) and upload that file."


def refusal(path, **kwargs) -> str:
    kwargs.setdefault("limits", LIMITS)
    with pytest.raises(ParseError) as err:
        read_all(path, **kwargs)
    return err.value.text


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"",
            "The file is empty: there is nothing to read. Export the statistics again and upload the new file.",
        ),
        (b"\n\r\n\n", "The file has no text in it: there is nothing to read."),
        (b"date,views\n", "The file has a header but no rows of data. Export a period that has activity."),
        (
            b"date,views\n\n\n",
            "The file has a header but no rows of data. Export a period that has activity.",
        ),
        (
            b"Date,Views\nTotal,10\n",
            "The file has a header but no rows of data. Export a period that has activity.",
        ),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            f"This is not a CSV or Excel file: it looks like a PDF document. {NOT_TEXT}",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            f"This is not a CSV or Excel file: it looks like a PNG image. {NOT_TEXT}",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "This is not a CSV or Excel file: it looks like an old Excel (.xls) or Word file; "
            f"save it as .xlsx or CSV first. {NOT_TEXT}",
        ),
        (
            b"date,views\n2024-03-01,\x00\x01\x02\x03\x00\x00",
            f"This is not a CSV or Excel file: it looks like binary data, not text. {NOT_TEXT}",
        ),
        (
            _zip(["stats.csv"]),
            f"This is a ZIP archive, not a table. Unpack it and upload the CSV inside. {NOT_TEXT}",
        ),
        (
            _zip(["content.xml", "mimetype"]),
            "This is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV and upload that.",
        ),
        (
            b"PK\x03\x04garbage",
            f"This file is a damaged ZIP archive or spreadsheet. {NOT_TEXT}",
        ),
        (
            b"2024-03-01,5,7\n2024-03-02,6,8\n",
            "The first line holds data (2024-03-01, 5, 7), not column names. Export the table with its header "
            "line, or add one (for example: Date, Views, Likes).",
        ),
        (
            b"When,Amount\n2024-03-01,5\n",
            "No date column found. Columns in this file: When, Amount. Date columns we recognise: Date, Day, "
            "Дата, День, Fecha, Datum, Period, Период, …. Export the table again with its date column, "
            "or choose which column holds the date.",
        ),
        (
            b"Date,Notes\n2024-03-01,ok\n",
            "No numbers to measure found. Columns in this file: Date, Notes. Columns we recognise: Views, "
            "Просмотры, Reach, Охват, Impressions, Показы, Likes, Лайки, …. Choose which columns hold views, "
            "likes or followers.",
        ),
        (
            b"Traffic source,Views,Watch time (hours)\nYouTube search,10,1.5\n",
            "This looks like a YouTube traffic-source breakdown (one row per source, no dates). "
            'Upload the "Date" or "Content" table instead.',
        ),
    ],
    ids=[
        "empty",
        "blank-lines",
        "header-only",
        "header-and-blank-lines",
        "only-a-total",
        "pdf",
        "png",
        "xls",
        "binary",
        "zip",
        "ods",
        "damaged-zip",
        "no-header",
        "no-date",
        "no-measure",
        "youtube-traffic-sources",
    ],
)
def test_unusable_files_are_refused_with_a_reason(write, data, expected):
    assert refusal(write("upload.csv", data)) == expected


def test_a_renamed_binary_is_judged_by_its_bytes_not_its_name(write):
    assert "PNG image" in refusal(write("stats.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50))


def test_upload_size_limit(write):
    path = write("big.csv", "date,views\n" + "2024-03-01,1\n" * 100_000)
    text = refusal(path, limits=Limits(max_bytes=1 << 20))
    assert (
        text
        == "The file is 1 MB, larger than the 1 MB upload limit. Export a shorter date range or split the file."
    )


def test_upload_size_limit_comes_from_max_upload_mb(write, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    path = write("big.csv", "date,views\n" + "2024-03-01,1\n" * 100_000)
    try:
        with pytest.raises(ParseError, match="larger than the 1 MB upload limit"):
            open_table(path, today=TODAY)
    finally:
        get_settings.cache_clear()


def test_row_limit(write):
    path = write("rows.csv", "date,views\n" + "".join(f"2024-03-01,{i}\n" for i in range(11)))
    assert refusal(path, limits=Limits(max_rows=10)) == (
        "The file has more than 10 rows of data, the limit for one upload. Export a shorter period or split the file."
    )


def test_column_limit(write):
    path = write(
        "wide.csv", ",".join(["date"] + [f"c{i}" for i in range(10)]) + "\n" + "2024-03-01" + ",1" * 10
    )
    assert refusal(path, limits=Limits(max_columns=5)) == (
        "The file has 11 columns, more than the limit of 5. Export fewer metrics or split the file."
    )


def test_thousands_of_columns_within_the_limit_are_fine(write):
    names = ["date", "views"] + [f"metric {i}" for i in range(3000)]
    path = write("wide.csv", ",".join(names) + "\n" + "2024-03-01,5" + ",1" * 3000 + "\n")
    table, rows = read_all(path)
    assert len(table.detection.unmapped) == 3000 and rows[0][2] == 5 and len(rows[0][-1]) == 3000


def test_line_length_limit(write):
    path = write("long.csv", "date,views,title\n2024-03-01,1,short\n2024-03-02,2," + "x" * 500 + "\n")
    assert refusal(path, limits=Limits(max_line_chars=200)) == (
        "Line 3: is longer than 200 characters, the limit for one line. This does not look like a statistics "
        "export. Export the statistics as CSV or Excel (.xlsx) and upload that file."
    )


def test_a_value_not_a_number_names_line_column_and_value():
    path = PARSING_DATA.parent / "bad_number.csv"
    assert refusal(path) == 'Line 3, column "views": "12abc" is not a number.'


def test_problems_are_listed_with_line_column_value_and_what_was_expected():
    assert refusal(PARSING_DATA / "bad_values.csv") == "\n".join(
        [
            "5 problems found:",
            '- Line 3, column "views": "12abc" is not a number.',
            '- Line 4, column "date": "31/02/2024" is not a date in the format of this column like "2024-03-01".',
            '- Line 5, column "views": "7.5" is not a whole number (a count was expected).',
            '- Line 6, column "date": the date is missing.',
            "- Line 7: has 4 values but the header has 3 columns (a value with an unquoted delimiter?).",
        ]
    )


def test_at_most_twenty_problems_are_listed_with_the_total():
    lines = refusal(PARSING_DATA / "many_bad.csv").splitlines()
    assert lines[0] == "25 problems found; the first 20:"
    assert lines[1] == '- Line 2, column "views": "x1" is not a number.'
    assert lines[-1] == '- Line 21, column "views": "x20" is not a number.'
    assert len(lines) == 21


def test_rows_stop_being_handed_out_once_the_file_is_known_to_be_refused(write):
    path = write("late.csv", "date,views\n2024-03-01,1\n2024-03-02,oops\n2024-03-03,3\n")
    table = open_table(path, today=TODAY, limits=LIMITS)
    seen = []
    with pytest.raises(ParseError, match='Line 3, column "views": "oops" is not a number.'):
        for row in table.rows():
            seen.append(row[0])
    assert seen == [2]


def test_an_impossible_date_for_the_column_format(write):
    path = write("d.csv", "Date,Views\n13.01.2024,1\n31.02.2024,2\n")
    assert refusal(path) == 'Line 3, column "Date": "31.02.2024" is not a real date (read as D/M/YYYY).'


def test_a_percentage_where_a_count_belongs(write):
    path = write("p.csv", "date,views\n2024-03-01,5%\n")
    assert refusal(path) == 'Line 2, column "views": "5%" is a percentage; a count was expected.'


def test_text_that_is_not_valid_in_its_encoding_is_refused_not_garbled(write):
    # 0x98 is undefined in Windows-1251 and 0x81 in Windows-1252; KOI8-R reads it, but as no plausible text.
    path = write("bad.csv", b"date,title,views\n2024-03-01,\x98\x81\xff,1\n")
    assert refusal(path) == (
        "The text encoding of this file is not one we can read (UTF-8, UTF-16, Windows-1251, "
        'Windows-1252 or KOI8-R). Save it again as "CSV UTF-8" and upload that.'
    )
