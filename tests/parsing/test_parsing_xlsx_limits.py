"""Issue 9, item 5: a workbook that expands far beyond its size is refused before it is read."""

from __future__ import annotations

import importlib.util

import pytest

from core.parsing import Limits, ParseError
from tests.conftest import ROOT
from tests.parsing.conftest import read_all

_spec = importlib.util.spec_from_file_location("xlsx_memory", ROOT / "bench" / "xlsx_memory.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

CASES = [
    # rows, far column, declared dimension, limits, message (None: read, with that many rows)
    (20, None, "A1:B21", Limits(), None),
    (
        20,
        None,
        "A1:XFD1048576",
        Limits(),
        "This Excel workbook declares 16,384 columns, more than we read from one upload (5,000 columns).",
    ),
    (
        20,
        None,
        "A1:B1048576",
        Limits(max_cells=1_000_000),
        "This Excel workbook declares 2,097,152 cells, more than we read from one upload (1,000,000 cells).",
    ),
    (
        20,
        None,
        "A1:B21",
        Limits(max_xlsx_unpacked=1_000),
        "This Excel workbook unpacks to 0 MB, more than we read from one upload (0 MB).",
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
    assert str(caught.value).startswith(message)
