"""Issue 9: reading is never silently wrong. One small file per hazard (tests/data/trust), each
with what it reads as, or the refusal naming line, column and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from core.parsing import ParseError
from tests.conftest import DATA
from tests.parsing.conftest import as_dicts, read_all

TRUST = DATA / "trust"


@dataclass
class Read:
    file: str
    rows: int
    values: dict  # (line, canonical column) -> value
    encoding: str = "utf-8"
    delimiter: str = ","
    platform: str = "generic"
    warnings: list = field(default_factory=list)


READ = [
    Read(
        "vk_excel_er_percent.csv",  # VK statistics saved by Excel: cp1251, ";", decimal commas, "ER, %"
        3,
        {
            (2, "date"): date(2024, 3, 1),
            (2, "views"): 1234,
            (2, "reach"): 1000,
            (2, "subscribers_gained"): 12,
            (4, "subscribers_lost"): 0,
            (2, "extra"): {"Уникальные посетители": "1 020", "ER, %": "5,6"},
        },
        encoding="cp1251",
        delimiter=";",
        platform="vk",
    ),
    Read(
        "tab_comma_headers.tsv",
        3,
        {(3, "views"): 200, (3, "extra"): {"Likes, total": "9", "ER, %": "4.1"}},
        delimiter="\t",
    ),
    Read("comma_semicolon_titles.csv", 3, {(2, "title"): "Sale; today only", (4, "views"): 300}),
    Read(
        "koi8r.csv",
        3,
        {(2, "title"): "Новости недели", (3, "title"): "Привет всем", (4, "views"): 987},
        encoding="koi8-r",
        delimiter=";",
    ),
    Read(
        "short_trailing.csv",  # the exporter habitually drops trailing empty cells
        6,
        {(3, "views"): 11, (3, "likes"): None, (3, "saves"): None, (4, "likes"): 3, (7, "saves"): None},
        warnings=[
            "3 rows had fewer values than the header's 4 columns (lines 3, 4, 6); the exporter leaves out "
            "empty cells at the end of a row, so the missing cells were read as empty."
        ],
    ),
    Read(
        "ambiguous_thousands.csv",  # nothing in the file decides the decimal mark: read, and said so
        3,
        {(2, "views"): 1234, (3, "views"): 2500, (4, "views"): 999},
        warnings=[
            '"views": nothing in the file says whether "," and "." are decimal marks or group thousands; '
            'values like "1,234" were read with "," and "." grouping thousands. If that is wrong, choose '
            "the decimal mark when mapping the columns."
        ],
    ),
]


@pytest.mark.parametrize("case", READ, ids=[c.file for c in READ])
def test_hazard_is_read_right(case: Read):
    table, rows = read_all(TRUST / case.file)
    det = table.detection
    assert (det.platform, det.encoding, det.delimiter) == (case.platform, case.encoding, case.delimiter)
    assert len(rows) == case.rows
    by_line = {r["line"]: r for r in as_dicts(rows)}
    assert {(line, col): by_line[line][col] for line, col in case.values} == case.values
    assert table.warnings == case.warnings


QUOTE = (
    'opens a quote (") that never closes, so the rest of the file would be read as one value. '
    "Close or remove that quote and upload the file again."
)
REFUSED = [
    ("unclosed_quote_long.csv", f"Line 3: {QUOTE}"),  # 2,001 lines, was `ready` with 1 row
    ("unclosed_quote_end.csv", f"Line 4: {QUOTE}"),
    (
        "unbalanced_quote.csv",
        'Line 3: has a quoted value with more text after its closing quote: a quote (") inside the value '
        'is not doubled (write "" for a quote inside quotes), so the rows after it would be merged.',
    ),
    (
        "short_row.csv",
        "Line 4: has 2 values but the header has 3 columns (a value is missing, or a delimiter inside "
        "a value was lost).",
    ),
    (
        "mixed_utf8_cp1251.csv",
        "Line 4: is not UTF-8 text, unlike the rest of the file; its letters would be stored garbled. "
        'Copy that text again from its source, save the file as "CSV UTF-8" and upload it again.',
    ),
    (
        "digit_hazards.csv",
        "3 problems found:\n"
        '- Line 2, column "views": "1_000" is not a number.\n'
        '- Line 3, column "views": "\u0661\u0662\u0663" is not a number.\n'
        '- Line 4, column "likes": "\uff11\uff12" is not a number.',
    ),
    (
        "count_limits.csv",  # a negative comment delta is real (TikTok); negative views are not
        "2 problems found:\n"
        '- Line 2, column "views": "-5" is negative; this column counts things and cannot be below 0.\n'
        '- Line 3, column "likes": "99999999999999999999" is larger than a count can be '
        "(at most 9,223,372,036,854,775,807).",
    ),
    (
        "dates_out_of_range.csv",
        "2 problems found:\n"
        '- Line 2, column "date": "1999-12-31" is before 2004: no platform exported statistics that early '
        "(a wrong year, or the wrong column?).\n"
        '- Line 4, column "date": "2031-01-01" is after 2026-02-28, the day the file was uploaded: '
        "statistics cannot be from the future (a wrong year or day/month order?).",
    ),
]


@pytest.mark.parametrize(("file", "message"), REFUSED, ids=[f for f, _ in REFUSED])
def test_hazard_is_refused_saying_where(file, message):
    with pytest.raises(ParseError) as caught:
        read_all(TRUST / file)
    assert str(caught.value) == message


def test_a_mostly_cp1251_file_with_a_pasted_utf8_line_is_refused_at_that_line(write):
    data = "date,title,views\n2024-03-01,Привет,5\n2024-03-02,Новости,6\n".encode("cp1251")
    path = write("m.csv", data + "2024-03-03,Итоги года,7\n".encode())
    with pytest.raises(ParseError) as caught:
        read_all(path)
    assert str(caught.value).startswith("Line 4: is UTF-8 text, unlike the rest of the file (Windows-1251);")


def test_a_quote_closing_hundreds_of_lines_later_is_an_unclosed_quote(write):
    body = "".join(f"2024-03-{1 + i % 28:02d},Post,{i}\n" for i in range(300))
    path = write("q.csv", 'date,title,views\n2024-03-01,"Open,1\n' + body + '2024-03-02,close",2\n')
    with pytest.raises(ParseError) as caught:
        read_all(path)
    assert str(caught.value).startswith('Line 2: opens a quote (") that does not close within 100 lines')
