"""What a file is, judged by its bytes: size limits, text or not, spreadsheet or CSV, text encoding."""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.parsing.limits import Limits
from core.parsing.types import Issue, ParseError

HEAD_BYTES = 64 << 10
CHUNK = 1 << 20
# Enough text with non-ASCII letters to tell Windows-1251 from Windows-1252.
ENCODING_SAMPLE = 256 << 10
NEXT_STEP = "Export the statistics as CSV or Excel (.xlsx) and upload that file."

MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file; save it as .xlsx or CSV first"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
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


@dataclass(frozen=True)
class Source:
    """A readable upload: `kind` is "csv" (with its encoding) or "xlsx"."""

    path: Path
    kind: str
    encoding: str
    size: int


def _fail(message: str, line: int | None = None) -> ParseError:
    return ParseError([Issue(message, line=line)])


def _check_size(path: Path, limits: Limits) -> int:
    size = path.stat().st_size
    if size == 0:
        raise _fail(
            "The file is empty: there is nothing to read. Export the statistics again and upload the new file."
        )
    if size > limits.max_bytes:
        raise _fail(
            f"The file is {size / (1 << 20):.0f} MB, larger than the {limits.max_bytes >> 20} MB upload limit. "
            "Export a shorter date range or split the file."
        )
    return size


def _zip_kind(path: Path) -> str:
    """The kind of a ZIP upload: "xlsx" for an Excel workbook; otherwise raise with what it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise _fail(f"This file is a damaged ZIP archive or spreadsheet. {NEXT_STEP}") from exc
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        raise _fail("This is an OpenDocument spreadsheet (.ods). Save it as .xlsx or CSV and upload that.")
    raise _fail(f"This is a ZIP archive, not a table. Unpack it and upload the CSV inside. {NEXT_STEP}")


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


def _scan(path: Path, limits: Limits, utf8: bool) -> tuple[bool, bytes]:
    """One pass over the bytes: does it all decode as UTF-8, and no line exceeds the limit.

    Returns (is_utf8, a sample of lines holding non-ASCII bytes, for choosing a Windows code page).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    sample, carry, line, longest_at = bytearray(), 0, 1, None
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if utf8 and not chunk.isascii():
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if len(sample) < ENCODING_SAMPLE and not chunk.isascii():
                sample += b"\n".join(x for x in chunk.splitlines() if not x.isascii())[:ENCODING_SAMPLE]
            lines = chunk.splitlines()
            lengths = [carry + len(lines[0]), *map(len, lines[1:])] if lines else [carry]
            if max(lengths) > limits.max_line_chars and longest_at is None:
                longest_at = line + next(i for i, n in enumerate(lengths) if n > limits.max_line_chars)
            ends_open = chunk[-1:] not in (b"\n", b"\r")
            carry = lengths[-1] if ends_open else 0
            line += len(lines) - (1 if ends_open else 0)
            if longest_at is not None:
                raise _fail(
                    f"is longer than {limits.max_line_chars:,} characters, the limit for one line. "
                    f"This does not look like a statistics export. {NEXT_STEP}",
                    line=longest_at,
                )
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return utf8, bytes(sample)


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


def choose_code_page(sample: bytes) -> str | None:
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


def _text_encoding(path: Path, head: bytes, limits: Limits) -> str:
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(head[:4096])
    if utf16:
        return utf16
    what = _not_text(head)
    if what:
        raise _fail(f"This is not a CSV or Excel file: it looks like {what}. {NEXT_STEP}")
    is_utf8, sample = _scan(path, limits, utf8=True)
    if is_utf8:
        return "utf-8"
    encoding = choose_code_page(sample)
    if encoding is None:
        raise _fail(
            "The text encoding of this file is not one we can read (UTF-8, UTF-16, Windows-1251 or "
            'Windows-1252). Save it again as "CSV UTF-8" and upload that.'
        )
    return encoding


def inspect(path: Path, limits: Limits) -> Source:
    """Check size and content and decide how to read the file; ParseError when it cannot be read."""
    size = _check_size(path, limits)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(b"PK\x03\x04"):
        return Source(path, _zip_kind(path), "xlsx", size)
    return Source(path, "csv", _text_encoding(path, head, limits), size)
