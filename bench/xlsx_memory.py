"""Peak memory of reading workbooks that expand far beyond their size (issue 9, item 5).

    .venv/bin/python bench/xlsx_memory.py

Each workbook is read in a fresh process (open_table, then every row); prints its size, what the
reader said and the process's peak RSS. The limit: under 300 MB for any file under the upload limit.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WORKBOOK = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>",
}


def _cell(ref: str, value: str, text: bool = False) -> str:
    return (
        f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        if text
        else f'<c r="{ref}"><v>{value}</v></c>'
    )


STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _shared_strings(z: zipfile.ZipFile, count: int) -> None:
    """`count` distinct short texts in sharedStrings.xml: the most strings a number of megabytes can hold."""
    with z.open("xl/sharedStrings.xml", "w") as fh:
        fh.write(
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        for i in range(0, count, 10_000):
            fh.write("".join(f"<si><t>{j:x}</t></si>" for j in range(i, min(i + 10_000, count))).encode())
        fh.write(b"</sst>")


def build(path: Path, rows: int, far_column: str | None, declared: str, strings: int = 0) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, xml in WORKBOOK.items():
            if strings and name == "[Content_Types].xml":
                xml = xml.replace("</Types>", STRINGS_TYPE + "</Types>")
            z.writestr(name, xml)
        if strings:
            _shared_strings(z, strings)
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="{declared}"/><sheetData>'.encode()
            )
            fh.write(f'<row r="1">{_cell("A1", "Date", True)}{_cell("B1", "Views", True)}</row>'.encode())
            for r in range(2, rows + 2):
                day = f"2024-{1 + r % 12:02d}-{1 + r % 28:02d}"
                far = _cell(f"{far_column}{r}", "x", True) if far_column else ""
                fh.write(
                    f'<row r="{r}">{_cell(f"A{r}", day, True)}{_cell(f"B{r}", str(r))}{far}</row>'.encode()
                )
            fh.write(b"</sheetData></worksheet>")


READ = """
import resource, sys
from datetime import date
from core.parsing import ParseError, open_table
try:
    rows = sum(1 for _ in open_table(sys.argv[1], today=date(2026, 2, 28)).rows())
    said = f"read {rows:,} rows"
except ParseError as exc:
    said = "refused: " + str(exc)[:110]
print(said, "|", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "MB peak RSS")
"""


def main() -> None:
    cases = {
        "a cell in column XFD on every row, dimension says A1:B2001": (2_000, "XFD", "A1:B2001"),
        "declares A1:XFD1048576 but holds 2,000 rows": (2_000, None, "A1:XFD1048576"),
        "1,000,000 plain rows (3 MB)": (1_000_000, None, "A1:B1000001"),
        # sharedStrings.xml is held in memory whole: the most strings the 48 MB limit lets in.
        "2,000 rows and 2,300,000 short shared strings (47 MB of text)": (2_000, None, "A1:B2001", 2_300_000),
        "2,000 rows and 2,500,000 short shared strings (51 MB of text)": (2_000, None, "A1:B2001", 2_500_000),
    }
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        for label, (rows, far, declared, *strings) in cases.items():
            path = Path(tmp) / "book.xlsx"
            build(path, rows, far, declared, *strings)
            out = subprocess.run(
                [sys.executable, "-c", READ, str(path)], cwd=root, capture_output=True, text=True, check=False
            )
            print(
                f"{label}: {path.stat().st_size / 1e6:.1f} MB file -> {out.stdout.strip() or out.stderr[-300:]}"
            )


if __name__ == "__main__":
    main()
