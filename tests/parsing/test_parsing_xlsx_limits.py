"""Issue 9, item 5: a workbook that expands far beyond its size is refused before (or while) it is
read, with a message naming the limit and what the workbook holds; the limits are settings."""

from __future__ import annotations

import importlib.util
import tracemalloc
from datetime import date

import pytest

from core import config
from core.i18n import use_language
from core.parsing import Limits, ParseError, open_table
from tests.conftest import ROOT
from tests.parsing.conftest import read_all

_spec = importlib.util.spec_from_file_location("xlsx_memory", ROOT / "bench" / "xlsx_memory.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

NEXT = "Delete the empty rows and columns, or save the sheet as CSV, and upload that."
CASES = [
    # rows, far column, declared dimension, limits, message (None: read, with that many rows)
    (20, None, "A1:B21", Limits(), None),
    (20, None, "A1:B2", Limits(), None),  # a dimension that understates the sheet: every row is still read
    (
        20,
        None,
        "A1:XFD1048576",
        Limits(),
        "This Excel workbook's sheet declares 16,384 columns (A1:XFD1048576), more than the 5,000 columns "
        f"we read from one upload. {NEXT}",
    ),
    (
        20,
        None,
        "A1:B1048576",
        Limits(max_cells=1_000_000),
        "This Excel workbook's sheet declares 2,097,152 cells (A1:B1048576), more than the 1,000,000 cells "
        f"we read from one upload. {NEXT}",
    ),
    (
        30_000,
        None,
        "A1:B30001",
        Limits(max_xlsx_unpacked=1 << 20),
        f"This Excel workbook unpacks to 3.1 MB of data, more than the 1 MB we read from one upload. {NEXT}",
    ),
    (30_000, None, "A1:B30001", Limits(max_xlsx_unpacked=4 << 20), None),
    (
        # The dimension understates the sheet (rows past it are read, never dropped): the running count
        # stops it on the row that passes the limit.
        20,
        None,
        "A1:B2",
        Limits(max_cells=21),
        f"Line 11: by this row the Excel workbook holds 22 cells, more than the 21 cells we read from one upload. {NEXT}",
    ),
    (
        20,
        "H",
        "A1:B2",
        Limits(max_columns=5),
        "Line 2: this row of the Excel workbook has 8 columns, more than the 5 columns we read from one "
        f"upload. {NEXT}",
    ),
]


@pytest.mark.parametrize(("rows", "far", "declared", "limits", "message"), CASES)
def test_workbook_size_limits(tmp_path, rows, far, declared, limits, message):
    path = tmp_path / "book.xlsx"
    bench.build(path, rows, far, declared)
    if message is None:
        _, got = read_all(path, limits=limits)
        assert len(got) == rows
        return
    with pytest.raises(ParseError) as caught:
        read_all(path, limits=limits)
    assert str(caught.value) == message


def test_the_message_is_in_the_users_language(tmp_path):
    path = tmp_path / "book.xlsx"
    bench.build(path, 20, None, "A1:B1048576")
    with use_language("ru"), pytest.raises(ParseError) as caught:
        read_all(path, limits=Limits(max_cells=1_000_000))
    assert str(caught.value) == (
        "Лист этой книги Excel объявляет 2\xa0097\xa0152 ячеек (A1:B1048576) — больше, чем 1\xa0000\xa0000 ячеек, "
        "которые мы читаем из одной загрузки. Удалите пустые строки и столбцы или сохраните лист как CSV и загрузите его."
    )


def test_the_limits_are_settings_declared_once(monkeypatch):
    """MAX_XLSX_* in the environment become the reader's limits; their defaults are the embedded ones."""
    assert (Limits().max_cells, Limits().max_xlsx_unpacked, Limits().max_shared_strings) == (
        20_000_000,
        1024 << 20,
        48 << 20,
    )
    env = {"MAX_XLSX_CELLS": "5000", "MAX_XLSX_UNPACKED_MB": "10", "MAX_XLSX_STRINGS_MB": "2"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config.get_settings.cache_clear()
    try:
        limits = Limits.from_settings()
    finally:
        for name in env:
            monkeypatch.delenv(name)
        config.get_settings.cache_clear()
    assert (limits.max_cells, limits.max_xlsx_unpacked, limits.max_shared_strings) == (
        5000,
        10 << 20,
        2 << 20,
    )


def test_a_long_sheet_is_read_without_keeping_the_rows_already_read(tmp_path):
    """openpyxl's read-only parser clears each <row> but keeps it under <sheetData> (~85 bytes a row:
    a 2M-row sheet peaked at 241 MB); the reader lets each row go, so memory stays flat however long."""
    path = tmp_path / "long.xlsx"
    bench.build(path, 100_000, None, "A1:B100001")
    tracemalloc.start()
    try:
        rows = sum(1 for _ in open_table(str(path), today=date(2026, 2, 28)).rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == 100_000
    assert peak < 4_000_000, f"{peak:,} bytes traced at the peak"
