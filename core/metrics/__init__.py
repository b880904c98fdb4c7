"""The metric catalogue of DESIGN.md: what each metric means, its computation, its storage.

Rows are aggregated per date in the database (core.analytics.daily); every metric of a period is
then derived from those few per-date rows with exact decimals.

Modules: definitions (the catalogue, MetricResult), computation (the catalogue over per-date rows,
a file's period or any range), stored (the metrics table), presentation (changes, display).
Every public name is importable from here.
"""

from core.metrics.computation import catalogue, compute, compute_range, periods
from core.metrics.definitions import (
    BY_CODE,
    CATALOGUE,
    CODES,
    SHOWN_PLACES,
    STORED_PLACES,
    WIDE,
    MetricDef,
    MetricResult,
    Value,
    exact,
    no_values,
)
from core.metrics.presentation import change, display, weekday_text
from core.metrics.stored import load, store

__all__ = [
    "BY_CODE",
    "CATALOGUE",
    "CODES",
    "MetricDef",
    "MetricResult",
    "SHOWN_PLACES",
    "STORED_PLACES",
    "Value",
    "WIDE",
    "catalogue",
    "change",
    "compute",
    "compute_range",
    "display",
    "exact",
    "load",
    "no_values",
    "periods",
    "store",
    "weekday_text",
]
