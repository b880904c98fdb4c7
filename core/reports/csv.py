"""The CSV report: context, the metrics with their change, the daily series (and top posts), Excel-ready."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal

from core.reports.content import Point, ReportData

# OWASP "CSV Injection": a cell starting with one of these is a formula to Excel/LibreOffice/Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
METRIC_HEADER = ("code", "metric", "value", "previous", "change", "change_pct")
SERIES_FIELDS = tuple(f.name for f in fields(Point) if f.name not in ("day", "days"))
POST_HEADER = ("rank", "date", "title", "url", "views", "engagements", "er_views")


def neutralise(value: str) -> str:
    """Text that cannot start a formula: a leading apostrophe where OWASP says so.

    Leading spaces are looked through because some importers trim them before evaluating.
    """
    if value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: object) -> object:
    """What the writer gets: numbers as plain numbers (negatives stay numbers), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def _context(data: ReportData) -> list[tuple]:
    return [
        ("file", data.file_name),
        ("platform", data.platform_name),
        ("period", data.period_start, data.period_end),
        ("previous period", data.previous_start, data.previous_end),
        ("generated", data.generated_at.replace(microsecond=0)),
    ]


def _metrics(data: ReportData) -> list[tuple]:
    return [METRIC_HEADER] + [
        (k.code, k.name, k.value, k.previous, k.change, k.change_pct) for k in data.kpis
    ]


def _series(data: ReportData) -> list[tuple]:
    """The daily series with only the columns the file has (an all-empty column is noise in Excel)."""
    present = [f for f in SERIES_FIELDS if any(getattr(p, f) is not None for p in data.daily)]
    columns = [*present, "er_views"] if "engagements" in present and "views" in present else present
    return [("date", *columns)] + [(p.day, *(getattr(p, c) for c in columns)) for p in data.daily]


def _posts(data: ReportData) -> list[tuple]:
    if not data.top_posts:
        return []
    rows = [
        (i, p.published, p.title, p.url, p.views, p.engagements, p.er_views)
        for i, p in enumerate(data.top_posts, 1)
    ]
    return [(), POST_HEADER, *rows]


def build_csv(data: ReportData) -> bytes:
    """The report as UTF-8 CSV with a BOM (Excel then reads Cyrillic right), sections split by a blank row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in [*_context(data), (), *_metrics(data), (), *_series(data), *_posts(data)]:
        writer.writerow([cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
