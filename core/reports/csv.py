"""The CSV report: context, the metrics with their change, the daily series (and top posts), Excel-ready."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal

from core.i18n import N_, _
from core.reports.content import Point, ReportData

# OWASP "CSV Injection": a cell starting with one of these is a formula to Excel/LibreOffice/Sheets,
# and so is their full-width form (Excel folds ＝＋－＠ to ASCII when it reads a cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A spreadsheet opened with the other delimiter (";" in much of Europe) splits a cell here; a line
# break inside a cell also starts a new row there, since that reading no longer sees the quotes.
_PARTS = re.compile(r"([;,\r\n])")
METRIC_HEADER = (N_("code"), N_("metric"), N_("value"), N_("previous"), N_("change"), N_("change_pct"))
SERIES_FIELDS = tuple(f.name for f in fields(Point) if f.name not in ("day", "days"))
# The series columns, named for extraction: views, reach, … in the report's language.
SERIES_NAMES = (
    N_("views"), N_("reach"), N_("impressions"), N_("likes"), N_("comments"), N_("shares"), N_("saves"),
    N_("engagements"), N_("posts"), N_("subscribers"), N_("subscribers_net"),
)  # fmt: skip
POST_HEADER = (
    N_("rank"), N_("date"), N_("title"), N_("url"), N_("views"), N_("engagements"), N_("er_views")
)  # fmt: skip


def _defuse(part: str) -> str:
    """A leading apostrophe where OWASP says so; leading spaces are looked through (importers trim them)."""
    return "'" + part if part.lstrip(" ").startswith(FORMULA_STARTS) else part


def neutralise(value: str) -> str:
    """Text that cannot start a formula, whether read whole or split at any ";", "," or line break."""
    head, *rest = _PARTS.split(value)  # text, separator, text, …: the cell and each text after a separator
    return _defuse(head + "".join(p if i % 2 == 0 else _defuse(p) for i, p in enumerate(rest)))


def cell(value: object) -> object:
    """What the writer gets: numbers as plain numbers (negatives stay numbers), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):  # fixed notation ("100", never "1E+2"), written unquoted as a number
        return Decimal(format(value, "f"))
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def _context(data: ReportData) -> list[tuple]:
    return [
        (_("file"), data.file_name),
        (_("platform"), data.platform_name),
        (_("period"), data.period_start, data.period_end),
        (_("previous period"), data.previous_start, data.previous_end),
        (_("generated"), data.generated_at.replace(microsecond=0)),
    ]


def _metrics(data: ReportData) -> list[tuple]:
    return [tuple(map(_, METRIC_HEADER))] + [
        (k.code, k.name, k.value, k.previous, k.change, k.change_pct) for k in data.kpis
    ]


def _series(data: ReportData) -> list[tuple]:
    """The daily series with only the columns the file has (an all-empty column is noise in Excel)."""
    present = [f for f in SERIES_FIELDS if any(getattr(p, f) is not None for p in data.daily)]
    columns = [*present, "er_views"] if "engagements" in present and "views" in present else present
    return [(_("date"), *map(_, columns))] + [(p.day, *(getattr(p, c) for c in columns)) for p in data.daily]


def _posts(data: ReportData) -> list[tuple]:
    if not data.top_posts:
        return []
    rows = [
        (i, p.published, p.title, p.url, p.views, p.engagements, p.er_views)
        for i, p in enumerate(data.top_posts, 1)
    ]
    return [(), tuple(map(_, POST_HEADER)), *rows]


def build_csv(data: ReportData) -> bytes:
    """The report as UTF-8 CSV with a BOM (Excel then reads Cyrillic right), sections split by a blank row.

    RFC 4180: CRLF rows, every text cell in double quotes (doubled inside), numbers bare — so a
    reader splitting at ";" instead of "," still keeps each text cell whole.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    for row in [*_context(data), (), *_metrics(data), (), *_series(data), *_posts(data)]:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
