"""Issue 9, "no dead ends": the user overrides delimiter, decimal mark, encoding and date order; the
preview shows the first rows as they will be read; `ingest --delimiter … --decimal …` does the same."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.parsing import ParseError, ReadOptions
from core.parsing.preview import preview
from tests.conftest import DATA
from tests.parsing.conftest import LIMITS, PARSING_DATA, TODAY, as_dicts, read_all
from tests.test_cli import cli

TRUST = DATA / "trust"

READ = [
    # file, options, rows, {(line, column): value}, warnings
    (PARSING_DATA / "ambiguous_slash.csv", {"date_order": "dmy"}, 3, {(2, "date"): date(2024, 2, 1)}, []),
    (PARSING_DATA / "ambiguous_slash.csv", {"date_order": "mdy"}, 3, {(2, "date"): date(2024, 1, 2)}, []),
    (TRUST / "ambiguous_thousands.csv", {"decimal": "."}, 3, {(2, "views"): 1234}, []),
    (TRUST / "koi8r.csv", {"encoding": "koi8-r", "delimiter": ";"}, 3, {(2, "title"): "Новости недели"}, []),
]


@pytest.mark.parametrize(("path", "options", "rows", "values", "warnings"), READ)
def test_the_users_choice_decides(path, options, rows, values, warnings):
    table, got = read_all(path, options=ReadOptions.from_dict(options))
    assert len(got) == rows
    by_line = {r["line"]: r for r in as_dicts(got)}
    assert {(line, col): by_line[line][col] for line, col in values} == values
    assert table.warnings == warnings


REFUSED = [
    (
        TRUST / "ambiguous_thousands.csv",
        {"decimal": ","},
        '2 problems found:\n- Line 2, column "views": "1,234" is not a whole number (a count was expected).\n'
        '- Line 3, column "views": "2,500" is not a whole number (a count was expected).',
    ),
    (
        TRUST / "vk_excel_er_percent.csv",
        {"encoding": "utf-8"},
        'Line 1: is not valid UTF-8 text. Save the file again as "CSV UTF-8" and upload that.',
    ),
]


@pytest.mark.parametrize(("path", "options", "message"), REFUSED)
def test_a_wrong_choice_is_refused_saying_where(path, options, message):
    with pytest.raises(ParseError) as caught:
        read_all(path, options=ReadOptions.from_dict(options))
    assert str(caught.value) == message


def test_an_unknown_choice_is_refused_by_name():
    with pytest.raises(ValueError, match="The delimiter ':' is not one we read"):
        ReadOptions.from_dict({"delimiter": ":"})
    assert ReadOptions.from_dict({"delimiter": "tab", "encoding": "Windows-1251"}).as_dict() == {
        "delimiter": "\t",
        "encoding": "cp1251",
    }


def test_preview_shows_the_first_rows_as_they_will_be_read():
    path = PARSING_DATA / "ambiguous_slash.csv"
    shown = preview(path, options=ReadOptions(date_order="dmy"), today=TODAY, limits=LIMITS, rows=2)
    assert shown.problem is None
    assert shown.rows == [
        {"line": 2, "date": date(2024, 2, 1), "views": 1},
        {"line": 3, "date": date(2024, 3, 1), "views": 2},
    ]
    wrong = preview(TRUST / "comma_semicolon_titles.csv", options=ReadOptions(delimiter=";"), today=TODAY)
    assert wrong.rows == [] and "date" in wrong.problem.lower()
    assert wrong.detection is not None and wrong.detection.delimiter == ";"


@pytest.mark.parametrize(
    ("args", "status", "period"),
    [
        (["--date-order", "dmy"], "ready", {"start": "2024-02-01", "end": "2024-04-01"}),
        (["--date-order", "mdy"], "ready", {"start": "2024-01-02", "end": "2024-01-04"}),
    ],
)
def test_ingest_takes_the_choices_on_the_command_line(any_db, args, status, period):
    out = cli("ingest", str(PARSING_DATA / "ambiguous_slash.csv"), *args, "--json")
    result = json.loads(out.stdout)
    assert (result["status"], result["rows"], result["period"]) == (status, 3, period), out.stderr


def test_ingest_refuses_with_the_users_decimal_mark(any_db):
    out = cli("ingest", str(TRUST / "ambiguous_thousands.csv"), "--decimal", ",", "--json")
    assert out.returncode == 2
    result = json.loads(out.stdout)
    assert result["status"] == "error"
    assert 'Line 2, column "views": "1,234" is not a whole number' in result["error"]
