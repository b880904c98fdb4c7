"""Parsing fixtures: today's date for exports without years, limits, and a helper to read a file whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.parsing import Limits, open_table
from tests.conftest import DATA, REAL_EXPORTS

PARSING_DATA = DATA / "parsing"
# The TikTok exports were taken on February 28 (their "Time" column), after the last day they hold.
TODAY = date(2026, 2, 28)
LIMITS = Limits()


def real(prefix: str) -> Path:
    """The real export whose file name starts with `prefix`."""
    (path,) = [p for p in REAL_EXPORTS.iterdir() if p.name.startswith(prefix)]
    return path


def read_all(path: Path, **kwargs):
    """(table, rows) of a whole file, with the parsing tests' fixed upload date and default limits."""
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("limits", LIMITS)
    table = open_table(path, **kwargs)
    return table, list(table.rows())


def as_dicts(rows: list[tuple]) -> list[dict]:
    from core.models import ROW_COLUMNS

    return [dict(zip(ROW_COLUMNS, row, strict=True)) for row in rows]


@pytest.fixture
def write(tmp_path):
    """write(name, data) -> path of a file holding exactly those bytes (str is written as UTF-8)."""

    def _write(name: str, data: bytes | str) -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    return _write
