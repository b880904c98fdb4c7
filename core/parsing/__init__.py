"""Parsing of social-platform exports into canonical rows (DESIGN.md, "Canonical columns").

    table = open_table(path, platform="auto", mapping=None, today=upload_date)
    table.detection   # platform, mapping used, row kind, encoding, formats, confidence
    for row in table.rows(on_progress=...):   # tuples in core.models.ROW_COLUMNS order
        ...
    suggest_mapping(path) -> Detection        # best guess with a confidence, never refuses a header

A file that cannot be used raises ParseError, whose text tells the user what to do next.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.i18n import _
from core.parsing import activity
from core.parsing.limits import Limits
from core.parsing.mapping import COLUMN_LABELS, mapping_problem
from core.parsing.profiles import CANONICAL_COLUMNS, PLATFORMS, PROFILES
from core.parsing.table import guess_date_column, read_file, stream
from core.parsing.types import Detection, Issue, ParsedTable, ParseError, ReadOptions

__all__ = [
    "CANONICAL_COLUMNS",
    "COLUMN_LABELS",
    "PLATFORMS",
    "Detection",
    "Issue",
    "Limits",
    "ParseError",
    "ParsedTable",
    "ReadOptions",
    "mapping_problem",
    "open_table",
    "suggest_mapping",
]


def open_table(
    path: str | Path,
    *,
    platform: str = "auto",
    mapping: dict[str, str] | None = None,
    today: date | None = None,
    limits: Limits | None = None,
    options: ReadOptions | None = None,
    source=None,
) -> ParsedTable:
    """Sniff, detect and map the file; ParseError when its header cannot become canonical rows.

    `mapping` (source header -> canonical column) replaces the detected one; `today` (the
    upload date) bounds the years given to dates written without one; `options` override the
    detected delimiter, decimal mark, encoding and date order; `source` is the file already inspected
    (core.parsing.head: a stored upload read in place).
    """
    reading = read_file(
        Path(path),
        platform=platform,
        user_map=mapping,
        today=today,
        limits=limits,
        options=options,
        source=source,
    )
    hours = None if mapping else activity.table(reading, limits=limits or Limits.from_settings(), today=today)
    if hours is not None:
        return hours  # follower activity by hour, not a time series (ActivityTable.hours())
    if reading.problem:
        raise ParseError([Issue(reading.problem)])
    return stream(reading, limits)


def suggest_mapping(
    path: str | Path,
    *,
    platform: str = "auto",
    today: date | None = None,
    limits: Limits | None = None,
    options: ReadOptions | None = None,
) -> Detection:
    """The detected platform and mapping with a confidence, even when the header falls short.

    When no date column is recognised by name, a column whose values are dates is offered (the
    confidence stays low until the user confirms the mapping through open_table(mapping=...)).
    ParseError only for a file that cannot be read at all (not text, empty, over a limit).
    """
    reading = read_file(
        Path(path),
        platform=platform,
        user_map=None,
        today=today,
        limits=limits,
        check_platform=False,
        options=options,
    )
    detection = reading.detection
    likely = max(detection.candidates, key=detection.candidates.get, default=None)
    if likely and detection.platform not in detection.candidates:
        detection.notes.append(
            _("This file looks like a {likely} export, not {chosen}.").format(
                likely=PLATFORMS[likely], chosen=PLATFORMS[detection.platform]
            )
        )
    if reading.problem and activity.columns(PROFILES[detection.platform], reading.header) is None:
        detection.notes.append(reading.problem)
        guess = guess_date_column(reading) if "date" not in detection.mapping.values() else None
        if guess:
            # Offered for the user to confirm: open_table refuses the file until a mapping is chosen.
            detection.mapping[guess] = "date"
            detection.unmapped.remove(guess)
            detection.notes.append(
                _('"{column}" holds dates, judging by its values: is it the date column?').format(
                    column=guess
                )
            )
    return detection
