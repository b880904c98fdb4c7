"""A file's metrics in the metrics table: replaced after each computation, loaded for pages and reports."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core.metrics.definitions import BY_CODE, CATALOGUE, MetricResult, exact
from core.models import Metric, SocialFile


def store(session: Session, *, file: SocialFile, result: MetricResult) -> None:
    """Replace the file's metric rows with `result` and record its period on the file."""
    session.execute(delete(Metric).where(Metric.file_id == file.id))
    rows = []
    for period, values, start, end in (
        ("current", result.current, result.period_start, result.period_end),
        ("previous", result.previous, result.previous_start, result.previous_end),
    ):
        for metric in CATALOGUE:
            value = values.get(metric.code)
            text = value if isinstance(value, str) else None
            rows.append(
                {
                    "file_id": file.id,
                    "metric_code": metric.code,
                    "period": period,
                    "period_start": start,
                    "period_end": end,
                    "value": None if text is not None else value,
                    "value_text": text,
                }
            )
    session.execute(insert(Metric), rows)
    file.period_start, file.period_end = result.period_start, result.period_end


def load(session: Session, *, file: SocialFile) -> MetricResult | None:
    """The stored catalogue of the file; None when its metrics were never computed."""
    query = select(
        Metric.metric_code,
        Metric.period,
        Metric.period_start,
        Metric.period_end,
        Metric.value,
        Metric.value_text,
    ).where(Metric.file_id == file.id)
    rows = session.execute(query).all()
    if not rows:
        return None
    result = MetricResult()
    for row in rows:
        if row.metric_code not in BY_CODE or row.period not in ("current", "previous"):
            continue  # a code from an older catalogue
        value = row.value_text if BY_CODE[row.metric_code].kind == "text" else exact(row.value)
        getattr(result, row.period)[row.metric_code] = value
        if row.period == "current":
            result.period_start, result.period_end = row.period_start, row.period_end
        else:
            result.previous_start, result.previous_end = row.period_start, row.period_end
    return result
