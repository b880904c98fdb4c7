"""The CSV report: read back with the csv module it equals the database; formulas come out inert."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core import analytics, metrics
from core.db import session_scope
from core.models import SocialFile
from core.reports.content import Kpi, Point, Post, ReportData
from core.reports.csv import METRIC_HEADER, build_csv, neutralise
from core.reports.gather import report_data
from tests.reports.report_factories import CYRILLIC_NAME

PINNED = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
PAYLOADS = ["=1+1", "+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","y")', " =1+1"]
FULL_WIDTH = ["\uff1d1+1", "\uff0b1", "\uff0d1+1", "\uff20SUM(1)", " \uff1d1+1"]
# Cells that become formulas once a spreadsheet splits them at ";" or ",".
SPLIT = ["a\n=1+1", "a;=1+1", "a,=1+1", "a; @SUM(1)", "x,\uff1d1", "ok;ok;+1", 'a;=HYPERLINK("http://x";"y")']
STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _sections(raw: bytes) -> list[list[list[str]]]:
    """The CSV as blocks of rows separated by blank rows."""
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads Cyrillic right
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


def _number(cell: str) -> Decimal | None:
    return None if cell == "" else Decimal(cell)


def test_metrics_and_daily_series_equal_what_is_stored(posts_file):
    with session_scope() as session:
        file = session.get(SocialFile, posts_file)
        raw = build_csv(report_data(session, file=file, generated_at=PINNED))
        stored = metrics.load(session, file=file)
        series = analytics.series(session, file=file, start=stored.period_start, end=stored.period_end)
    context, table, daily = _sections(raw)[:3]
    assert context[0] == ["file", CYRILLIC_NAME]
    assert context[2] == ["period", "2024-01-31", "2024-02-29"]
    assert table[0] == list(METRIC_HEADER)
    rows = {row[0]: row for row in table[1:]}
    assert list(rows) == list(metrics.CODES)
    for code, row in rows.items():
        value, previous = stored.current[code], stored.previous[code]
        if metrics.BY_CODE[code].kind == "text":
            assert row[2:4] == [value or "", previous or ""]
            continue
        assert (_number(row[2]), _number(row[3])) == (value, previous)
        delta, pct = metrics.change(code=code, current=value, previous=previous)
        assert (_number(row[4]), _number(row[5])) == (delta, pct)
    assert daily[0][0] == "date" and len(daily) - 1 == len(series) == 30
    header = daily[0]
    for row, (_, expected) in zip(daily[1:], series.iterrows(), strict=True):
        assert date.fromisoformat(row[0]) == expected["bucket"]
        for name in ("views", "engagements", "subscribers", "subscribers_net"):
            assert int(row[header.index(name)]) == expected[name]
    assert "impressions" not in header  # the file has no such column: no empty column either


def test_negative_numbers_stay_numbers(posts_file):
    with session_scope() as session:
        raw = build_csv(report_data(session, file=session.get(SocialFile, posts_file), generated_at=PINNED))
    table = _sections(raw)[1]
    changes = [row[4] for row in table[1:] if row[4].startswith("-")]
    assert changes, "the fixture has falling metrics"
    assert all(Decimal(cell) < 0 for cell in changes)  # "-106307", never "'-106307"


@pytest.mark.parametrize("payload", PAYLOADS + FULL_WIDTH)
def test_neutralise_defuses_every_formula_start(payload):
    assert neutralise(payload) == "'" + payload.replace("\r=", "\r'=")  # after a CR a new row may begin
    assert neutralise("Обзор = отличный") == "Обзор = отличный"
    assert neutralise("") == ""


def _hostile(name: str) -> ReportData:
    return ReportData(
        file_name=name,
        platform="=cmd",
        row_kind="posts",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 1, 2),
        previous_start=None,
        previous_end=None,
        generated_at=PINNED,
        kpis=[Kpi("views", "Views", "", "count", Decimal(-5), Decimal("-1.5"))],
        daily=[Point(day=date(2024, 1, 1), views=-3, subscribers_net=-7)],
        top_posts=[Post(p, "@evil", date(2024, 1, 1), -1, 2) for p in PAYLOADS],
    )


def test_payloads_from_user_data_come_out_inert_and_numbers_stay_numbers():
    raw = build_csv(_hostile("=1+1.csv"))
    cells = [cell for block in _sections(raw) for row in block for cell in row]
    for cell in cells:
        assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r")), cell
        if cell.startswith("-"):
            Decimal(cell)  # only numbers may start with a minus
    assert "'=1+1.csv" in cells and "'@evil" in cells
    for payload in PAYLOADS:
        assert neutralise(payload) in cells
    context, table, daily, posts = _sections(raw)
    assert table[1][2:4] == ["-5", "-1.5"]
    assert daily[1][daily[0].index("views")] == "-3"
    assert posts[1][posts[0].index("views")] == "-1"


@pytest.mark.parametrize("payload", SPLIT)
def test_neutralise_defuses_every_part_a_spreadsheet_may_split_off(payload):
    for part in re.split("[;,\r\n]", neutralise(payload)):
        assert not part.lstrip(" ").startswith(STARTS), (payload, part)
    assert neutralise("Views, likes; shares") == "Views, likes; shares"


def _is_number(cell: str) -> bool:
    try:
        Decimal(cell.replace(",", "."))
    except ArithmeticError:
        return False
    return True


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_is_a_formula_whichever_delimiter_opens_the_file(delimiter):
    hostile = PAYLOADS + FULL_WIDTH + SPLIT
    posts = [Post(p, q, date(2024, 1, 1), -1, 2) for p, q in zip(hostile, reversed(hostile), strict=True)]
    text = build_csv(replace(_hostile("=1+1.csv"), top_posts=posts)).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for c in row]
    assert len(cells) > len(hostile)
    for cell in cells:
        if cell.startswith("-"):
            assert _is_number(cell), cell  # only numbers may start with a minus
        else:
            assert not cell.lstrip(" ").startswith(STARTS), cell


def test_cells_are_quoted_as_rfc_4180_says_and_numbers_stay_bare():
    raw = build_csv(_hostile('say "hi", then\r\nleave')).decode("utf-8-sig")
    assert raw.startswith('"file","say ""hi"", then\r\nleave"\r\n')  # quotes doubled, CRLF kept inside
    assert '"views","Views",-5,-1.5,' in raw  # text in quotes, numbers bare
    context = _sections(raw.encode("utf-8-sig"))[0]
    assert context[0] == ["file", 'say "hi", then\r\nleave']
