"""Excel workbooks (.xlsx): the first sheet, read as text cells the way a CSV export would write them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from core.i18n import N_, _
from core.parsing.limits import Limits
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


TOO_LARGE = (
    "This Excel workbook {what}, more than we read from one upload ({limit}). Delete the empty rows "
    "and columns, or save the sheet as CSV, and upload that."
)


def _too_large(what: str, limit: str, line: int | None = None) -> ParseError:
    return ParseError([Issue(TOO_LARGE.format(what=what, limit=limit), line=line)])


def check_unpacked(path: Path, limits: Limits) -> None:
    """Before opening: the XML inside the workbook must fit the limits (a zip bomb does not)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    strings = sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
    if total > limits.max_xlsx_unpacked:
        raise _too_large(f"unpacks to {total >> 20:,} MB", f"{limits.max_xlsx_unpacked >> 20:,} MB")
    if strings > limits.max_shared_strings:
        raise _too_large(f"holds {strings >> 20:,} MB of text", f"{limits.max_shared_strings >> 20:,} MB")


class XlsxRecords:
    """Rows of the first sheet as lists of text; `line_num` is the sheet row of the last one read."""

    def __init__(self, path: Path, limits: Limits | None = None):
        import openpyxl

        self._limits = limits = limits or Limits()
        check_unpacked(path, limits)
        try:
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            sheet = self._book.worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise ParseError([Issue(_(DAMAGED))]) from exc
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if columns > limits.max_columns:
            self._book.close()
            raise _too_large(f"declares {columns:,} columns", f"{limits.max_columns:,} columns")
        if rows * columns > limits.max_cells:
            self._book.close()
            raise _too_large(f"declares {rows * columns:,} cells", f"{limits.max_cells:,} cells")
        self._cells = 0
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
        limits = self._limits
        if len(values) > limits.max_columns:
            raise _too_large(
                f"has more than {limits.max_columns:,} columns", f"{limits.max_columns:,}", self.line_num
            )
        self._cells += len(values)
        if self._cells > limits.max_cells:
            raise _too_large(
                f"has more than {limits.max_cells:,} cells", f"{limits.max_cells:,}", self.line_num
            )
        cells = [cell_text(v) for v in values]
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        return cells

    def position(self) -> float:
        return min(1.0, self.line_num / self.total_rows) if self.total_rows else 0.0

    def close(self) -> None:
        self._book.close()
