"""Excel workbooks (.xlsx): the first sheet, read as text cells the way a CSV export would write them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from core.i18n import N_, _, fmt_decimal
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


# What a workbook may expand to (settings MAX_XLSX_CELLS, MAX_XLSX_UNPACKED_MB, MAX_XLSX_STRINGS_MB,
# MAX_COLUMNS): each message names the limit and what the workbook holds.
NEXT = N_("Delete the empty rows and columns, or save the sheet as CSV, and upload that.")
UNPACKS = N_(
    "This Excel workbook unpacks to {found} MB of data, more than the {limit} MB we read from one upload."
)
STRINGS = N_(
    "This Excel workbook holds {found} MB of text, more than the {limit} MB we read from one upload."
)
DECLARES_COLUMNS = N_(
    "This Excel workbook's sheet declares {found} columns ({ref}), more than the {limit} columns we read "
    "from one upload."
)
DECLARES_CELLS = N_(
    "This Excel workbook's sheet declares {found} cells ({ref}), more than the {limit} cells we read "
    "from one upload."
)
ROW_COLUMNS = N_(
    "this row of the Excel workbook has {found} columns, more than the {limit} columns we read from one upload."
)
CELLS_SO_FAR = N_(
    "by this row the Excel workbook holds {found} cells, more than the {limit} cells we read from one upload."
)


def _mb(size: int) -> str:
    """Megabytes as a person reads them: 1,025.3 (whole above 100, one decimal below; 0.1 at least)."""
    mb = size / (1 << 20)
    return fmt_decimal(round(mb) if mb >= 100 else max(round(mb, 1), 0.1))


def _too_large(message: str, *, found, limit, line: int | None = None, ref: str = "") -> ParseError:
    shown = {k: v if isinstance(v, str) else fmt_decimal(v) for k, v in (("found", found), ("limit", limit))}
    text = _(message).format(ref=ref, **shown)
    return ParseError([Issue(f"{text} {_(NEXT)}", line=line)])


def check_unpacked(path: Path, limits: Limits) -> None:
    """Before opening: the XML inside the workbook must fit the limits (a zip bomb does not)."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    strings = sum(i.file_size for i in infos if i.filename.endswith("sharedStrings.xml"))
    if total > limits.max_xlsx_unpacked:
        raise _too_large(UNPACKS, found=_mb(total), limit=_mb(limits.max_xlsx_unpacked))
    if strings > limits.max_shared_strings:
        raise _too_large(STRINGS, found=_mb(strings), limit=_mb(limits.max_shared_strings))


def _dimension(sheet) -> str:
    """The range the sheet declares ("A1:XFD1048576"), or "" when it declares none."""
    try:
        return str(sheet.calculate_dimension())
    except Exception:  # openpyxl refuses a sheet without a dimension in read-only mode
        return ""


def _lean_strings(source) -> list[str]:
    """The shared strings, as openpyxl's read_string_table reads them, without its leftovers: it clears
    each <si> but leaves it on the root, about 100 bytes per string kept until the end (a 62 MB table
    of short strings peaked at 564 MB RSS, 279 MB this way: bench/xlsx_memory.py). Here the root is
    emptied as the strings are read."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse  # the parser openpyxl uses (defusedxml when installed)

    tag, strings, root = f"{{{SHEET_MAIN_NS}}}si", [], None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        elif event == "end" and node.tag == tag:
            strings.append(Text.from_tree(node).content.replace("x005F_", ""))
            if len(strings) % 1000 == 0:
                root.clear()
    return strings


def _open_workbook(path: Path):
    """openpyxl.load_workbook(path, read_only=True, data_only=True), with the shared strings read lean."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class LeanReader(ExcelReader):
        def read_strings(self):
            found = self.package.find(SHARED_STRINGS)
            if found is not None:
                with self.archive.open(found.PartName[1:]) as src:
                    self.shared_strings = _lean_strings(src)

    reader = LeanReader(path, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _sheet_rows(book, sheet) -> Iterator[tuple]:
    """The sheet's rows as values, as openpyxl's read-only `iter_rows(values_only=True)` gives them once the
    dimensions are reset (a missing row is an empty one), but letting go of each <row> once it is read:
    openpyxl's parser clears the element and leaves it under <sheetData>, ~85 bytes a row (2M rows: 241 MB)."""
    from openpyxl.worksheet._reader import DATA_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as src:
        parser = WorkSheetParser(
            src,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        table, expected = None, 1
        for event, element in iterparse(src, events=("start", "end")):
            if event == "start":
                table = element if element.tag == DATA_TAG else table
                continue
            if element.tag != ROW_TAG:
                continue
            index, cells = parser.parse_row(element)
            element.clear()
            if table is not None:
                table.remove(element)
            while expected < index:
                expected += 1
                yield ()
            if expected == index:  # a row numbered below one already read is skipped, as openpyxl does
                expected += 1
                yield sheet._get_row(cells, 1, None, values_only=True)


class XlsxRecords:
    """Rows of the first sheet as lists of text; `line_num` is the sheet row of the last one read."""

    def __init__(self, path: Path, limits: Limits | None = None):
        self._limits = limits = limits or Limits()
        check_unpacked(path, limits)
        try:
            self._book = _open_workbook(path)
            sheet = self._book.worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise ParseError([Issue(_(DAMAGED))]) from exc
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        ref = _dimension(sheet)
        if columns > limits.max_columns:
            self._book.close()
            raise _too_large(DECLARES_COLUMNS, found=columns, limit=limits.max_columns, ref=ref)
        if rows * columns > limits.max_cells:
            self._book.close()
            raise _too_large(DECLARES_CELLS, found=rows * columns, limit=limits.max_cells, ref=ref)
        self._cells = 0
        self.total_rows = rows
        # openpyxl's read-only sheet stops at the declared dimension: rows and columns past it would be
        # dropped without a word. Read to the sheet's true end; the running counts keep the limits.
        sheet.reset_dimensions()
        self._rows = _sheet_rows(self._book, sheet)
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
            raise _too_large(ROW_COLUMNS, found=len(values), limit=limits.max_columns, line=self.line_num)
        self._cells += len(values)
        if self._cells > limits.max_cells:
            raise _too_large(CELLS_SO_FAR, found=self._cells, limit=limits.max_cells, line=self.line_num)
        cells = [cell_text(v) for v in values]
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        return cells

    def position(self) -> float:
        return min(1.0, self.line_num / self.total_rows) if self.total_rows else 0.0

    def close(self) -> None:
        self._book.close()
