"""Records of a file (CSV in its sniffed dialect, or the first sheet of a workbook) and a sample of them."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.i18n import N_, _, fmt_decimal
from core.parsing.limits import Limits
from core.parsing.source import Source
from core.parsing.types import Issue, ParseError
from core.parsing.xlsx import XlsxRecords

DELIMITERS = ",;\t|"
QUOTE_NEVER_CLOSES = N_(
    'opens a quote (") that never closes, so the rest of the file would be read as one value. '
    "Close or remove that quote and upload the file again."
)
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16"}
SNIFF_CHARS = 64 << 10
CONSISTENT = 0.9  # share of sampled rows of one width for a delimiter's table to count as consistent
SAMPLE_ROWS = 2_000
HEADER_SEARCH = 30  # a header may sit under a few lines of title or notes


def _csv_reader(text, delimiter: str):
    # strict: a quote that never closes, or text after a closing quote, is an error (not a silent merge).
    return csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)


def _record_start(source: Source, delimiter: str) -> int:
    """The line where the record that cannot be read begins (read again: errors only)."""
    with io.TextIOWrapper(source.open(), encoding=source.encoding, newline="", errors="replace") as fh:
        reader, last = _csv_reader(fh, delimiter), 0
        try:
            for _ in reader:
                last = reader.line_num
        except csv.Error:
            pass
    return last + 1


class CsvRecords:
    """csv.reader over the decoded file; `reader.line_num` counts physical lines (CR, LF or CRLF)."""

    def __init__(self, source: Source, delimiter: str):
        self._binary = source.open()  # closed by close()
        self._size = max(source.size, 1)
        text = io.TextIOWrapper(self._binary, encoding=source.encoding, newline="")
        self.reader = _csv_reader(text, delimiter)

    def position(self) -> float:
        return min(1.0, self._binary.tell() / self._size)

    def close(self) -> None:
        self._binary.close()


def _raise_unreadable(exc: Exception, line: int, source: Source, delimiter: str) -> None:
    if isinstance(exc, UnicodeDecodeError):
        raise ParseError(
            [
                Issue(
                    _(
                        'is not valid {encoding} text. Save the file again as "CSV UTF-8" and upload that.'
                    ).format(encoding=ENCODING_NAMES.get(source.encoding, source.encoding)),
                    line=line,
                )
            ]
        ) from exc
    start = _record_start(source, delimiter) if source.kind == "csv" else line
    if "unexpected end of data" in str(exc):
        message = _(QUOTE_NEVER_CLOSES)
    elif "expected after" in str(exc):
        message = _(
            'has a quoted value with more text after its closing quote: a quote (") inside the value '
            'is not doubled (write "" for a quote inside quotes), so the rows after it would be merged.'
        )
    elif "field larger than field limit" in str(exc):
        message = _(
            "has a value longer than {limit} characters, the limit for one value "
            '(a quote (") that never closes?).'
        ).format(limit=fmt_decimal(csv.field_size_limit()))
    else:
        message = _("could not be read as CSV ({error}).").format(error=exc)
    raise ParseError([Issue(message, line=start)]) from exc


@contextmanager
def records(source: Source, delimiter: str, limits: Limits, width: int = 0) -> Iterator:
    """Open the file's records; errors while reading become ParseError with the line."""
    csv.field_size_limit(max(limits.max_line_chars, 1))
    opened = XlsxRecords(source.path, limits) if source.kind == "xlsx" else CsvRecords(source, delimiter)
    if source.kind == "xlsx":
        opened.width = width
    reader = opened.reader
    try:
        yield opened
    except (UnicodeDecodeError, csv.Error) as exc:
        _raise_unreadable(exc, reader.line_num + 1, source, delimiter)
    finally:
        opened.close()


def _widths(text: str, delimiter: str) -> tuple[float, int]:
    """How consistently `delimiter` splits the sample into rows of one width, and that width."""
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False) if r]
    if len(rows) > 2:
        rows = rows[:-1]  # possibly cut short by the sample's end
    if not rows:
        return 0.0, 0
    width, count = Counter(len(r) for r in rows).most_common(1)[0]
    return (round(count / len(rows), 2) if width > 1 else 0.0), width


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest consistent table: of the readings that split nearly every
    row (the header included) into one width, the widest; the Sniffer's guess only breaks ties."""
    try:
        guess = csv.Sniffer().sniff(text[: SNIFF_CHARS // 2], delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = None
    scored = {d: _widths(text, d) for d in DELIMITERS}

    def key(d: str):
        consistency, width = scored[d]
        consistent = consistency >= CONSISTENT
        return (consistent, width if consistent else 0, consistency, d == guess, width)

    return max(DELIMITERS, key=key)


def read_text_head(source: Source) -> str:
    with io.TextIOWrapper(source.open(), encoding=source.encoding, newline="", errors="replace") as fh:
        return fh.read(SNIFF_CHARS)


@dataclass
class Sample:
    """The header record and the records after it, as far as the sample goes."""

    header: list[str]
    header_line: int  # physical line of the header's last line
    preamble: int  # records above the header
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    complete: bool = False  # the sample reached the end of the file


def _trimmed(cells: list[str]) -> int:
    """The record's width without trailing empty cells (a trailing delimiter is not a column)."""
    n = len(cells)
    while n and not cells[n - 1].strip():
        n -= 1
    return n


def _find_header(head: list[tuple[int, list[str]]]) -> int:
    """Index of the header: the first record as wide as most records, with two or more names."""
    widths = [_trimmed(cells) for _, cells in head]
    counts = Counter(w for w in widths if w > 1)
    if not counts:
        return next((i for i, w in enumerate(widths) if w), 0)
    common = counts.most_common(1)[0][0]
    return next(
        (i for i, w in enumerate(widths) if w >= common), next(i for i, w in enumerate(widths) if w > 1)
    )


def record_width(sample: Sample) -> int:
    """Cells per record: the header's, or the rows' when they all carry extra empty cells."""
    width = len(sample.header)
    counts = Counter(len(cells) for _, cells in sample.rows if cells)
    if counts:
        common = counts.most_common(1)[0][0]
        extra_empty = all(not c.strip() for _, cells in sample.rows for c in cells[width:common])
        if common > width and extra_empty:
            return common
    return width


def take_sample(opened, *, rows: int = SAMPLE_ROWS) -> Sample | None:
    """The first records: locate the header among them; None when the file has no records."""
    reader = opened.reader
    head: list[tuple[int, list[str]]] = []
    for cells in reader:
        if cells:
            head.append((reader.line_num, cells))
        if len(head) >= HEADER_SEARCH:
            break
    if not head:
        return None
    at = _find_header(head)
    line, header = head[at]
    sample = Sample(header=header, header_line=line, preamble=at, rows=head[at + 1 :])
    complete = True
    for cells in reader:
        sample.rows.append((reader.line_num, cells))
        if len(sample.rows) >= rows:
            complete = False
            break
    sample.complete = complete
    return sample
