"""Cell-level readers, numbers: separators, signs, refusals, and a column's decimal mark."""

from __future__ import annotations

import pytest

from core.parsing.numbers import NumberColumn


def number_column(*cells: str) -> NumberColumn:
    col = NumberColumn("n")
    for cell in cells:
        col.observe(cell)
    col.decide()
    return col


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ((), "1,234", 1234),
        ((), "1.234", 1234),
        ((), "1 234 567", 1_234_567),
        ((), "1\u00a0234", 1234),
        ((), "1\u202f234", 1234),
        ((), "1'234'567", 1_234_567),
        ((), "1’234", 1234),
        ((), "1,234.00", 1234),
        ((), "1.234,00", 1234),
        ((), "1777.0", 1777),
        ((), "-5", -5),
        ((), "−8", -8),
        ((), "+12", 12),
        ((), "(12)", -12),
        ((), "1e+06", 1_000_000),
        ((), "  42 ", 42),
        ((), "-", None),
        ((), "—", None),
        ((), "undefined", None),
        ((), "N/A", None),
        ((), "", None),
        # The column decides what a separator means, not the cell.
        (("12,5", "3,25"), "1,000", 1),  # a decimal comma: one, not a thousand
        (("12,5", "3,25"), "1,5", "not whole"),
        (("12,5", "3,25"), "1.000", 1000),
        (("12.5",), "1,000", 1000),
        (("1.234.567",), "2.000", 2000),
        (("1,234,567",), "2,000", 2000),
    ],
)
def test_numbers(column, cell, value):
    col = number_column(*column)
    if value == "not whole":
        with pytest.raises(ValueError, match="is not a whole number"):
            col.parse(cell)
    else:
        assert col.parse(cell) == value
        assert col.read(cell) == value


@pytest.mark.parametrize("cell", ["12abc", "1.2.3,4,5", "12K", "inf", "1e400", "--5", "()", "1,2,34"])
def test_not_numbers(cell):
    with pytest.raises(ValueError, match="is not a number"):
        number_column().parse(cell)


def test_a_plain_column_reads_with_int_but_only_what_the_careful_parse_agrees_with():
    # Issue 9 changed this: the fast reader was int itself, which also reads "1_000" and non-ASCII digits.
    fast = number_column("1", "2", "-3").fast
    assert (fast("12"), fast(" -3 ")) == (12, -3)
    for cell in ("1_000", "\u0661\u0662\u0663", "\uff11\uff12", str(2**63)):
        with pytest.raises(ValueError):
            fast(cell)
    assert number_column("1", "", "3").fast("") is None
    spaced = number_column("1 234")
    assert spaced.fast == spaced.read


@pytest.mark.parametrize(
    ("signed", "cell", "message"),
    [
        (True, "1_000", "is not a number."),
        (True, "\u0661\u0662\u0663", "is not a number."),  # Arabic-Indic digits
        (True, "\uff11\uff12\uff13", "is not a number."),  # full-width digits
        (True, "1\u00a0\u0663\u0664\u0665", "is not a number."),
        (True, "99999999999999999999", "is larger than a count can be (at most 9,223,372,036,854,775,807)."),
        (True, "-99999999999999999999", "is larger than a count can be"),
        (True, "1e30", "is larger than a count can be"),
        (False, "-5", "is negative; this column counts things and cannot be below 0."),
        (False, "−8", "is negative"),
        (False, "(12)", "is negative"),
    ],
)
def test_numbers_refused(signed, cell, message):
    col = NumberColumn("n", signed=signed)
    col.observe(cell)
    col.decide()
    with pytest.raises(ValueError) as caught:
        col.fast(cell)
    with pytest.raises(ValueError) as caught:
        col.parse(cell)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("cells", "file_mark", "cell", "value", "undecided"),
    [
        (("1,234", "12"), None, "1,234", 1234, "1,234"),  # nothing decides: read, with a note
        (("1,234", "12"), ".", "1,234", 1234, None),  # the file writes decimals with "."
        (("1,234", "12"), ",", "1,234", "not whole", None),  # the file writes decimals with ","
        (("1,234", "12,345,678"), None, "1,234", 1234, None),  # the column itself decides
    ],
)
def test_an_undecidable_separator_takes_the_files_mark_or_gets_a_note(
    cells, file_mark, cell, value, undecided
):
    col = NumberColumn("Views")
    for c in cells:
        col.observe(c)
    col.decide(file_mark)
    assert col.undecided == undecided
    assert (col.undecided_note() is not None) == bool(undecided)
    if value == "not whole":
        with pytest.raises(ValueError, match="is not a whole number"):
            col.parse(cell)
    else:
        assert col.parse(cell) == value
