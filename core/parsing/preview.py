"""The first rows of a file as they will be read with the user's choices: the mapping screen's preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from core.models import ROW_COLUMNS
from core.parsing import Detection, ParseError, ReadOptions, open_table, suggest_mapping
from core.parsing.limits import Limits

PREVIEW_ROWS = 10


@dataclass
class Preview:
    """What the user would get: the detection, the first canonical rows, or why the file is refused."""

    detection: Detection | None
    rows: list[dict] = field(default_factory=list)  # canonical column -> value; only filled columns
    problem: str | None = None
    warnings: list[str] = field(default_factory=list)


def preview(
    path: str | Path,
    *,
    platform: str = "auto",
    mapping: dict[str, str] | None = None,
    options: ReadOptions | None = None,
    today: date | None = None,
    limits: Limits | None = None,
    rows: int = PREVIEW_ROWS,
) -> Preview:
    """Read the first `rows` rows the way processing will (same reader, same choices)."""
    try:
        detection = suggest_mapping(path, platform=platform, today=today, limits=limits, options=options)
    except ParseError as exc:
        return Preview(None, problem=exc.text)
    try:
        table = open_table(
            path, platform=platform, mapping=mapping, today=today, limits=limits, options=options
        )
        stream = table.rows()
        first = list(islice(stream, rows))
        stream.close()
    except ParseError as exc:
        return Preview(detection, problem=exc.text)
    shown = [{k: v for k, v in zip(ROW_COLUMNS, row, strict=True) if v is not None} for row in first]
    return Preview(table.detection, shown, warnings=list(table.warnings))
