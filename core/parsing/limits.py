"""The size limits an upload must respect: the settings MAX_UPLOAD_MB, MAX_ROWS, MAX_COLUMNS, MAX_LINE_CHARS,
MAX_XLSX_CELLS, MAX_XLSX_UNPACKED_MB and MAX_XLSX_STRINGS_MB."""

from __future__ import annotations

from dataclasses import dataclass

from core.config import default, get_settings


@dataclass(frozen=True)
class Limits:
    """Defaults are the settings' embedded defaults; `from_settings` gives this deployment's values."""

    max_bytes: int = default("max_upload_mb") << 20
    max_rows: int = default("max_rows")
    max_columns: int = default("max_columns")
    max_line_chars: int = default("max_line_chars")
    # Workbooks: what the sheet may expand to (a 1.5 MB .xlsx can declare millions of cells).
    max_cells: int = default("max_xlsx_cells")
    max_xlsx_unpacked: int = default("max_xlsx_unpacked_mb") << 20  # bytes of XML inside the workbook
    # Bytes of sharedStrings.xml, which openpyxl holds in memory.
    max_shared_strings: int = default("max_xlsx_strings_mb") << 20

    @classmethod
    def from_settings(cls) -> Limits:
        """The limits configured for this deployment."""
        s = get_settings()
        return cls(
            max_bytes=s.max_upload_mb << 20,
            max_rows=s.max_rows,
            max_columns=s.max_columns,
            max_line_chars=s.max_line_chars,
            max_cells=s.max_xlsx_cells,
            max_xlsx_unpacked=s.max_xlsx_unpacked_mb << 20,
            max_shared_strings=s.max_xlsx_strings_mb << 20,
        )
