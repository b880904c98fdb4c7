"""What a file is, judged by its bytes: size limits, text or not, spreadsheet or CSV, text encoding."""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from core.i18n import N_, _, fmt_decimal
from core.parsing.limits import Limits
from core.parsing.types import Issue, ParseError

HEAD_BYTES = 64 << 10
CHUNK = 1 << 20
# Enough text with non-ASCII letters to tell Windows-1251 from Windows-1252.
ENCODING_SAMPLE = 256 << 10
NEXT_STEP = N_("Export the statistics as CSV or Excel (.xlsx) and upload that file.")

MAGIC = (
    (b"%PDF", N_("a PDF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"\xd0\xcf\x11\xe0", N_("an old Excel (.xls) or Word file; save it as .xlsx or CSV first")),
    (b"\x1f\x8b", N_("a gzip archive; unpack it first")),
    (b"Rar!", N_("a RAR archive; unpack it first")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive; unpack it first")),
    (b"\x7fELF", N_("a program")),
    (b"MZ", N_("a program")),
)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_WORD = re.compile(r"[^\W\d_]+")
LISTED_LINES = 5
# The legacy code pages exports are written in (charset-normalizer's name -> Python's).
CODE_PAGES = {"cp1251": "cp1251", "cp1252": "cp1252", "koi8_r": "koi8-r"}
ENCODING_LABELS = {"cp1251": "Windows-1251", "cp1252": "Windows-1252", "koi8-r": "KOI8-R"}


@dataclass(frozen=True)
class Source:
    """A readable upload: `kind` is "csv" (with its encoding) or "xlsx"."""

    path: Path
    kind: str
    encoding: str
    size: int
    opener: Callable[[], BinaryIO] | None = None  # how to read it when it is not on this host
    scanned: bool = True  # False: only its head was judged (core.parsing.head); the loader checks the rest

    def open(self) -> BinaryIO:
        return open(self.path, "rb") if self.opener is None else self.opener()  # noqa: SIM115


def _fail(message: str, line: int | None = None) -> ParseError:
    return ParseError([Issue(message, line=line)])


def _check_size(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    if size == 0:
        raise _fail(
            _(
                "The file is empty: there is nothing to read. Export the statistics again and upload the new file."
            )
        )
    if size > limits.max_bytes:
        message = _(
            "The file is {size} MB, larger than the {limit} MB upload limit. "
            "Export a shorter date range or split the file."
        )
        raise _fail(message.format(size=f"{size / (1 << 20):.0f}", limit=limits.max_bytes >> 20))
    return size


def _zip_kind(path: Path) -> str:
    """The kind of a ZIP upload: "xlsx" for an Excel workbook; otherwise raise with what it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise _fail(_("This file is a damaged ZIP archive or spreadsheet.") + " " + _(NEXT_STEP)) from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        raise _fail(_("This is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV and upload that."))
    raise _fail(
        _("This is a ZIP archive, not a table. Unpack it and upload the CSV inside.") + " " + _(NEXT_STEP)
    )


def _not_text(head: bytes) -> str | None:
    """What the bytes look like when they are not text, else None."""
    for magic, what in MAGIC:
        if head.startswith(magic):
            return what
    if b"\x00" in head or len(_CONTROL.findall(head)) > max(8, len(head) // 100):
        return "binary data, not text"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte of its ASCII characters."""
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and odd.count(0) > len(odd) * 0.3 and even.count(0) == 0:
        return "utf-16-le"
    if len(head) >= 4 and even.count(0) > len(even) * 0.3 and odd.count(0) == 0:
        return "utf-16-be"
    return None


@dataclass
class Scan:
    """What one pass over the bytes found: lines that are (not) UTF-8, and a sample for a detector."""

    utf8_lines: list[int] = field(default_factory=list)  # non-ASCII lines that are UTF-8 (first few)
    utf8_count: int = 0
    other_lines: list[int] = field(default_factory=list)  # lines that are not UTF-8 (first few)
    other_count: int = 0
    sample: bytearray = field(default_factory=bytearray)

    def add(self, raw: bytes, line: int) -> None:
        if raw.isascii():
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            self.other_count += 1
            if len(self.other_lines) < LISTED_LINES:
                self.other_lines.append(line)
            if len(self.sample) < ENCODING_SAMPLE:
                self.sample += raw + b"\n"
            return
        # Three non-ASCII characters: not a few legacy bytes that happen to pair up as UTF-8.
        if sum(not c.isascii() for c in text) >= 3 or not self.other_count:
            self.utf8_count += 1
            if len(self.utf8_lines) < LISTED_LINES:
                self.utf8_lines.append(line)


def _scan(path: Path, limits: Limits) -> Scan:
    """One pass over the bytes, line by line: which lines are UTF-8, and no line exceeds the limit."""
    scan, carry, line = Scan(), b"", 1
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            data = carry + chunk
            lines = data.splitlines(keepends=True)
            carry = lines.pop() if lines and not data.endswith(b"\n") else b""
            if data.isascii() and max(map(len, lines), default=0) <= limits.max_line_chars:
                line += len(lines)  # nothing to count in ASCII lines, and none too long
                lines = []
            for raw in lines:
                _check_line(raw, line, limits)
                scan.add(raw.rstrip(b"\r\n"), line)
                line += 1
            _check_line(carry, line, limits)
    if carry:
        scan.add(carry.rstrip(b"\r"), line)
    return scan


def _check_line(raw: bytes, line: int, limits: Limits) -> None:
    if len(raw) > limits.max_line_chars:
        message = _(
            "is longer than {limit} characters, the limit for one line. "
            "This does not look like a statistics export."
        ).format(limit=fmt_decimal(limits.max_line_chars))
        raise _fail(message + " " + _(NEXT_STEP), line=line)


def _plausibility(text: str, cyrillic_expected: bool) -> int:
    """Words that look like real words minus words that look like mojibake."""
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        cyr = sum("\u0400" <= c <= "\u04ff" for c in word)
        latin = sum(c.isascii() for c in word)
        if cyrillic_expected:
            score += 1 if cyr and not latin else -1 if cyr and latin else 0
        else:
            foreign = len(word) - latin
            score += -1 if len(word) >= 2 and foreign * 2 > len(word) else 1
    return score


def _latin_or_cyrillic(sample: bytes) -> str | None:
    """Windows-1251 or Windows-1252, whichever turns the bytes into plausible words."""
    decoded = {}
    for enc in ("cp1252", "cp1251"):
        try:
            decoded[enc] = sample.decode(enc)
        except UnicodeDecodeError:
            continue
    if len(decoded) < 2:
        return next(iter(decoded), None)
    if decoded["cp1251"] == decoded["cp1252"]:
        return "cp1252"
    latin = _plausibility(decoded["cp1252"], cyrillic_expected=False)
    cyrillic = _plausibility(decoded["cp1251"], cyrillic_expected=True)
    return "cp1251" if cyrillic > latin else "cp1252"


def choose_code_page(sample: bytes) -> str | None:
    """The legacy code page of non-UTF-8 text. charset-normalizer tells KOI8-R from the Windows code
    pages; on the few words a small export holds it cannot tell 1251 from 1252 ("Café" / "Cafй"),
    so between those two the words decide."""
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(CODE_PAGES)).best()
    if best is not None and CODE_PAGES.get(best.encoding) == "koi8-r":
        return "koi8-r"
    return _latin_or_cyrillic(sample)


def _mixed(scan: Scan, encoding: str) -> ParseError:
    """A file mostly in one encoding with lines in another (pasted from an older export)."""
    if encoding == "utf-8":
        lines, count = scan.other_lines, scan.other_count
        what = _("is not UTF-8 text, unlike the rest of the file")
    else:
        name = ENCODING_LABELS.get(encoding, encoding)
        lines, count = scan.utf8_lines, scan.utf8_count
        what = _("is UTF-8 text, unlike the rest of the file ({encoding})").format(encoding=name)
    more = " " + _("(and {n} more lines)").format(n=count - len(lines)) if count > len(lines) else ""
    advice = _(
        'its letters would be stored garbled. Copy that text again from its source, save the file as "CSV UTF-8" '
        "and upload it again."
    )
    issues = [Issue(f"{what}{more if i == 0 else ''}; {advice}", line=n) for i, n in enumerate(lines)]
    return ParseError(issues, total=count)


def _text_encoding(path: Path, head: bytes, limits: Limits) -> str:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(head[:4096])
    if utf16:
        return utf16
    what = _not_text(head)
    if what:
        raise _fail(
            _("This is not a CSV or Excel file: it looks like {what}.").format(what=_(what))
            + " "
            + _(NEXT_STEP)
        )
    scan = _scan(path, limits)
    if not scan.other_count:
        return "utf-8"
    if scan.utf8_count >= scan.other_count:
        raise _mixed(scan, "utf-8")
    encoding = choose_code_page(bytes(scan.sample))
    if encoding is None:
        raise _fail(
            _(
                "The text encoding of this file is not one we can read (UTF-8, UTF-16, Windows-1251, "
                'Windows-1252 or KOI8-R). Save it again as "CSV UTF-8" and upload that.'
            )
        )
    if scan.utf8_count:
        raise _mixed(scan, encoding)
    return encoding


def inspect(path: Path, limits: Limits, encoding: str | None = None) -> Source:
    """Check size and content and decide how to read the file; ParseError when it cannot be read.
    `encoding` is the user's choice for a text file (a line it cannot decode is refused by line)."""
    size = _check_size(path, limits)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return Source(path, _zip_kind(path), "xlsx", size)
    if encoding:
        bom = "utf-8-sig" if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8) else encoding
        return Source(path, "csv", bom, size)
    return Source(path, "csv", _text_encoding(path, head, limits), size)
