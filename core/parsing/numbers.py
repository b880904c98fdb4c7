"""Counts as exports write them: separators, decimal commas, placeholders — decided per column."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from core import models
from core.i18n import N_, _

# Cells that mean "no value": null, never 0.
PLACEHOLDERS = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "–",
        "n/a",
        "na",
        "n.a.",
        "#n/a",
        "undefined",
        "null",
        "none",
        "nan",
        "н/д",
        "нет данных",
    }
)
_MINUS = ("-", "−", "–")
# Spaces (incl. non-breaking and thin: str.split() knows them) and apostrophes only group thousands.
# Digits are ASCII only (re.ASCII): int() alone would also read "1_000", "١٢٣" and "１２３".
_PATTERNS = {
    ",": re.compile(r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d*))?", re.ASCII),
    ".": re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d*))?", re.ASCII),
    # No decimal evidence in the file: a separator followed by three digits groups thousands.
    None: re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+|\d+)(?:[.,](?P<frac>\d*))?", re.ASCII),
}
_NUMERIC = re.compile(r"[-+−(]?[\d.,]+\)?%?", re.ASCII)
# What raw_data's BIGINT columns hold.
MAX_COUNT = 2**63 - 1
TOO_LARGE = N_("is larger than a count can be (at most 9,223,372,036,854,775,807).")
NEGATIVE = N_("is negative; this column counts things and cannot be below 0.")
# Measures no export can have below zero (the database CHECKs the same columns).
NEVER_NEGATIVE = frozenset(models.NEVER_NEGATIVE)
NOT_A_NUMBER = N_("is not a number.")
NOT_WHOLE = N_("is not a whole number (a count was expected).")
PERCENT = N_("is a percentage; a count was expected.")


def _signed(value: str) -> int:
    """int() for what the careful parse would read the same way; raises on anything else."""
    number = int(value)
    if not value.isascii() or "_" in value or not -MAX_COUNT <= number <= MAX_COUNT:
        raise ValueError(value)
    return number


def _unsigned(value: str) -> int:
    number = int(value)
    if not value.isascii() or "_" in value or not 0 <= number <= MAX_COUNT:
        raise ValueError(value)
    return number


def _or_none(fn: Callable[[str], int]) -> Callable[[str], int | None]:
    def read(value: str) -> int | None:
        return fn(value) if value else None

    return read


def _decimal_evidence(text: str) -> str | None:
    """Which character is the decimal mark in this one value, when the value says so."""
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        return "," if text.rfind(",") > text.rfind(".") else "."
    if commas > 1:
        return "."
    if dots > 1:
        return ","
    mark = "," if commas else "." if dots else None
    if mark is None:
        return None
    before, after = text.split(mark)
    ambiguous = len(after) == 3 and before.lstrip("-+") not in ("", "0")
    return None if ambiguous else mark


class NumberColumn:
    """One measure column: observe its cells, decide its decimal mark, then parse cells into ints."""

    def __init__(self, name: str, *, signed: bool = True):
        self.name, self.signed = name, signed
        self.plain = True  # every observed cell is what int() reads
        self.blanks = False
        self.votes = {",": 0, ".": 0}
        self.grouped = False  # some value had a separator inside the number
        self.ambiguous = False  # some value like 1,234 that only the rest of the column can explain
        self.spaced = False  # thousands grouped with spaces: 1 234
        self.decimal: str | None = None
        self.undecided: str | None = None
        self.forced = False  # a value like 1,234 read without knowing the decimal mark
        self._pattern = _PATTERNS[None]

    def observe(self, value: str) -> None:
        """Collect the evidence a cell gives about the column's format."""
        try:
            int(value)
            if value.isascii() and "_" not in value:
                return
        except ValueError:
            pass
        text = "".join(value.split()).replace("'", "").replace("’", "")
        if not text or text.casefold() in PLACEHOLDERS:
            self.blanks = True
            if text:
                self.plain = False
            return
        self.plain = False
        if not _NUMERIC.fullmatch(text):
            return  # words (a description row, a note): no evidence about the format
        self.grouped = self.grouped or not text.lstrip("-+−(").rstrip(")%").isdigit()
        self.spaced = self.spaced or len(value.split()) > 1
        mark = _decimal_evidence(text.rstrip("%"))
        if mark:
            self.votes[mark] += 1
        elif "," in text or "." in text:
            self.ambiguous = True
            self.undecided = self.undecided or value.strip()

    def needs_survey(self) -> bool:
        """Whether only the rest of the file can tell what this column's separators mean."""
        return self.ambiguous and self.votes[","] == self.votes["."] == 0

    def decide(self, file_mark: str | None = None, *, forced: str | None = None) -> None:
        """Fix the decimal mark for the whole column: the user's (`forced`), else the majority of its
        evidence, else the file's (the mark its other numeric columns show), else none (`undecided`
        keeps an example)."""
        comma, dot = self.votes[","], self.votes["."]
        self.decimal = forced or (file_mark if comma == dot == 0 else "," if comma > dot else ".")
        self.forced = forced is not None
        if self.decimal or not self.ambiguous:
            self.undecided = None
        self._pattern = _PATTERNS[self.decimal]

    def undecided_note(self) -> str | None:
        """What the user is told when the file never says what its separators mean."""
        if not self.undecided:
            return None
        message = _(
            '"{column}": nothing in the file says whether "," and "." are decimal marks or group '
            'thousands; values like "{value}" were read with "," and "." grouping thousands. '
            "If that is wrong, choose the decimal mark when mapping the columns."
        )
        return message.format(column=self.name, value=self.undecided)

    @property
    def fast(self) -> Callable[[str], int | None]:
        """The cheapest converter that is right for every cell seen so far (may raise)."""
        if self.plain:
            strict = _signed if self.signed else _unsigned
            return _or_none(strict) if self.blanks else strict
        return self.read

    def read(self, value: str) -> int | None:
        """The cheap readings this column's cells usually need, else the full parse."""
        if value in PLACEHOLDERS:
            return None
        try:
            strict = _signed if self.signed else _unsigned
            return strict("".join(value.split())) if self.spaced else strict(value)
        except ValueError:
            return self.parse(value)

    def describe(self) -> str | None:
        if self.decimal and (self.votes[","] or self.votes["."] or self.forced):
            return "decimal comma" if self.decimal == "," else "decimal point"
        return "thousands separators" if self.grouped or self.spaced else None

    def parse(self, value: str) -> int | None:
        """The count in a cell, None for a placeholder; ValueError with the reason otherwise."""
        text = value.strip()
        if text.casefold() in PLACEHOLDERS:
            return None
        negative = False
        if text[0] in _MINUS:
            negative, text = True, text[1:].lstrip()
        elif text[0] == "+":
            text = text[1:].lstrip()
        elif text[0] == "(" and text[-1] == ")":
            negative, text = True, text[1:-1].strip()
        if text.endswith("%"):
            raise ValueError(PERCENT)
        text = "".join(text.split())
        if "'" in text or "’" in text:
            text = text.replace("'", "").replace("’", "")
        match = self._pattern.fullmatch(text)
        if match is None:
            return self._checked(_scientific(text, negative))
        if (match["frac"] or "").strip("0"):
            raise ValueError(NOT_WHOLE)
        number = int(match["int"].replace(",", "").replace(".", ""))
        return self._checked(-number if negative else number)

    def _checked(self, number: int) -> int:
        if abs(number) > MAX_COUNT:
            raise ValueError(TOO_LARGE)
        if number < 0 and not self.signed:
            raise ValueError(NEGATIVE)
        return number


def _scientific(text: str, negative: bool) -> int:
    """`1e+06`, as spreadsheets write large floats; anything else is not a number."""
    if "e" not in text.lower():
        raise ValueError(NOT_A_NUMBER)
    try:
        number = float(text)
    except ValueError:
        raise ValueError(NOT_A_NUMBER) from None
    if not math.isfinite(number):
        raise ValueError(NOT_A_NUMBER)
    if number != int(number):
        raise ValueError(NOT_WHOLE)
    return -int(number) if negative else int(number)
