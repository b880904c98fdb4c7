"""Excel workbooks (.xlsx): the first sheet, read as text cells the way a CSV export would write them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from core.i18n import N_, _
from core.parsing.types import Issue, ParseError

DAMAGED = N_(
    "This Excel file could not be opened: it may be damaged or password-protected. "
    "Open it in Excel, save it again as .xlsx or CSV, and upload that."
)


def cell_text(value) -> str:
    """A cell as text: dates in ISO form, whole floats without `.0`, empty cells as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class XlsxRecords:
    """Rows of the first sheet as lists of text; `line_num` is the sheet row of the last one read."""

    def __init__(self, path: Path):
        import openpyxl

        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise ParseError([Issue(_(DAMAGED))]) from exc
        self._rows = sheet.iter_rows(values_only=True)
        self.total_rows = sheet.max_row or 0
        self.line_num = 0
        self.width = 0
        self.reader = self  # the same shape as CsvRecords.reader

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            values = next(self._rows)
        except StopIteration:
            raise
        except Exception as exc:
            raise ParseError([Issue(_(DAMAGED), line=self.line_num + 1)]) from exc
        self.line_num += 1
        cells = [cell_text(v) for v in values]
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        return cells

    def position(self) -> float:
        return min(1.0, self.line_num / self.total_rows) if self.total_rows else 0.0

    def close(self) -> None:
        self._book.close()
