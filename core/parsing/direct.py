"""Plain CSVs the database server may parse itself, and the check proving it reads them as the reader does.

A file qualifies when it is UTF-8 text, every column of it maps to a canonical date, count or text
column, its dates are ISO (YYYY-MM-DD, no time) and its counts plain integers, as its sample showed.
Its data lines then stream past one pattern built from its plan before the server sees them: a line
that matches is one record (it holds no quote, so no quoted delimiter or line break), and each of
its cells is one the reader's fast path reads exactly as PostgreSQL's COPY (CSV) does: an ISO date;
digits, with a minus where the column may be negative, or empty for none; text without a quote and
without ASCII spaces at its ends (empty for none). What the pattern leaves to the loader is stated
by the file: dates in bounds, the row limit, a count of -2**63, and text ends holding other Unicode
spaces (`spaced`: trimmed after the load as str.strip() trims). A line that does not match
raises Refused, and the reader reads the file instead, with its usual answers (line, column, value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from core.parsing.dates import EARLIEST
from core.parsing.limits import Limits
from core.parsing.plan import Plan
from core.parsing.source import CHUNK, Source

ENCODINGS = ("utf-8", "utf-8-sig")
DELIMITERS = ",;\t|"
# Every character str.strip() removes (str.isspace()); tests/parsing/test_parsing_direct.py proves the list.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ASCII_SPACES = rb" \t\x0b\x0c\x1c-\x1f"  # those a field can hold (CR and LF end the line)
_OTHER_SPACES = re.compile(b"|".join(re.escape(c.encode()) for c in SPACES if not c.isascii()))
DATE = rb"\d{4}-\d\d-\d\d"
# Digits only: what PostgreSQL reads as the integer int() reads (any version: no "_", "0x", spaces or
# sign other than "-"). Beyond a BIGINT the server refuses, as the reader does; only its minimum,
# -9223372036854775808, the server takes and the reader refuses: the loader checks for it.
UNSIGNED = rb"\d*+"
SIGNED = rb"-?+\d*+"


class Refused(Exception):
    """A line the server might read differently from the reader: the reader reads the file."""


def _text(delimiter: bytes, limit: int) -> bytes:
    """A text cell: no quote, delimiter or line break, no ASCII space at either end, at most `limit`
    bytes (the reader's csv field limit counts characters, never more than bytes)."""
    inner = rb'[^%s\r\n"]' % re.escape(delimiter)
    edge = rb'[^%s\r\n"%s]' % (re.escape(delimiter), _ASCII_SPACES)
    return rb"(?:%s(?:%s{0,%d}+(?<![%s]))?)?" % (edge, inner, max(limit - 1, 0), _ASCII_SPACES)


@dataclass
class DirectFile:
    """A qualifying file: where its data starts, its columns, and what the loader still checks."""

    open: Callable[[], BinaryIO]  # the file's bytes from its start (a local file or a stored one)
    size: int
    delimiter: str
    columns: tuple[str, ...]  # the canonical column of each field, in file order
    header_line: int  # physical line of the header's last line; data lines follow it one per record
    lines: re.Pattern  # whole data lines, each ending with its line break
    last: re.Pattern  # the same, the final one without its line break
    earliest: date
    latest: date
    signed: tuple[str, ...] = ()  # count columns that may be negative
    spaced: bool = False  # some line holds a non-ASCII space (text ends are trimmed after the load)
    max_line: int = 0  # when the file was not scanned whole (core.parsing.head): the longest line allowed

    def chunks(self) -> Iterator[tuple[bytes, float]]:
        """The data lines in checked blocks of whole lines, with the share of the file read; Refused
        on the first block holding a line the pattern refuses. Blank lines at the end are left out."""
        with self.open() as fh:
            head = fh.read(CHUNK)
            start = self._data_start(head)
            self._check_lengths(head[:start])
            fh.seek(start)
            carry, block = b"", fh.read(CHUNK)
            while block:
                following = fh.read(CHUNK)
                data = carry + block
                if following:
                    cut = data.rfind(b"\n") + 1
                    data, carry = data[:cut], data[cut:]
                    ok = self.lines.fullmatch(data)
                else:
                    data = data.rstrip(b"\r\n")
                    ok = not data or self.last.fullmatch(data)
                if not ok:
                    raise Refused("a line the server may read differently")
                self._check_lengths(data)
                if not self.spaced and not data.isascii() and _OTHER_SPACES.search(data):
                    self.spaced = True
                if data:
                    yield data, (fh.tell() / max(self.size, 1) if following else 1.0)
                block = following

    def _check_lengths(self, data: bytes) -> None:
        """Refused on a line longer than `max_line` bytes, its line break included (as the scan counts)."""
        limit, at = self.max_line, 0
        if not limit or len(data) <= limit:
            return
        while at < len(data):  # from each line's start, a line break within the limit (or the end)
            if len(data) - at <= limit:
                return
            end = data.rfind(b"\n", at, at + limit)
            if end < 0:
                raise Refused("a line longer than the limit: the reader says which")
            at = end + 1

    def _data_start(self, head: bytes) -> int:
        """The byte offset after the header's line (counted as the reader counts lines: no lone CR)."""
        at = 0
        for _ in range(self.header_line):
            at = head.find(b"\n", at) + 1
            if at == 0:
                raise Refused("the header is not within the first block")
        if head.count(b"\r", 0, at) != head.count(b"\r\n", 0, at):
            raise Refused("a line above the data ends with a lone CR")
        return at


def direct_file(
    plan: Plan, *, source: Source, delimiter: str, header_line: int, limits: Limits
) -> DirectFile | None:
    """The file as the server may read it, or None when its plan needs the reader's own rules."""
    if source.kind != "csv" or source.encoding not in ENCODINGS or len(delimiter) != 1:
        return None
    if delimiter not in DELIMITERS or plan.keeps_time() or plan.extra or not plan.date_column.iso_dates:
        return None
    if not all(col.plain for _, col in plan.measures.values()):
        return None
    by_index = {plan.date_at: "date", **{i: t for t, i in plan.texts.items()}}
    by_index |= {i: m for m, (i, _) in plan.measures.items()}
    if sorted(by_index) != list(range(plan.width)):
        return None  # a column the reader leaves out or keeps in `extra`
    columns = tuple(by_index[i] for i in range(plan.width))
    cells = []
    for i, column in enumerate(columns):
        if column == "date":
            cells.append(DATE)
        elif i in plan.texts.values():
            cells.append(_text(delimiter.encode(), limits.max_line_chars))
        else:
            cells.append(SIGNED if plan.measures[column][1].signed else UNSIGNED)
    line = re.escape(delimiter.encode()).join(cells)
    return DirectFile(
        open=source.open,
        size=source.size,
        delimiter=delimiter,
        columns=columns,
        header_line=header_line,
        lines=re.compile(rb"(?:%s\r?\n)*+" % line),
        last=re.compile(rb"(?:%s\r?\n)*+%s" % (line, line)),
        earliest=EARLIEST,
        latest=plan.date_column.latest,
        signed=tuple(m for m, (_, col) in plan.measures.items() if col.signed),
        max_line=0 if source.scanned else limits.max_line_chars,
    )
