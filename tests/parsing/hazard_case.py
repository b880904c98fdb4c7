"""A hazard file of tests/data/parsing and what it must read as; `check` reads it and compares."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.parsing.conftest import PARSING_DATA, as_dicts, read_all


@dataclass
class Case:
    file: str
    platform: str
    rows: int
    values: dict  # (line, canonical column) -> value
    mapping: dict = field(default_factory=dict)  # a subset of the detected mapping
    encoding: str = "utf-8"
    delimiter: str = ","
    row_kind: str = "days"
    formats: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)


def check(case: Case) -> None:
    """The file reads with the case's detection, row count, values and warnings."""
    table, rows = read_all(PARSING_DATA / case.file)
    det = table.detection
    assert (det.platform, det.encoding, det.delimiter, det.row_kind) == (
        case.platform,
        case.encoding,
        case.delimiter,
        case.row_kind,
    )
    assert det.mapping | case.mapping == det.mapping
    assert det.formats | case.formats == det.formats
    assert len(rows) == case.rows
    by_line = {r["line"]: r for r in as_dicts(rows)}
    got = {(line, col): by_line[line][col] for line, col in case.values}
    assert got == case.values
    assert table.warnings == case.warnings
    assert not any(name.startswith(("\ufeff", "ï»¿")) for name in (*det.mapping, *det.unmapped))
