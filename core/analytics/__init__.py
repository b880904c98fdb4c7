"""Aggregations of a file's, an account's or a brand's rows for charts, tables and reports, in the database.

Every function's `file` is a SocialFile or a core.timeline.Scope (an account's or brand's merged
timeline): the rows are read through `timeline.source`, so the same code serves both.

Raw rows never leave the database: one grouped query per date range brings at most one row per
date into Python (a few thousand), and weeks, months and weekdays are rolled up from those.

Modules: days (the grouped query per date, column checks), rollup (sums, ratios, series by
day, week or month, weekdays), ranking (top posts). Every public name is importable from here.
"""

from core.analytics.days import (
    ENGAGEMENT_COLUMNS,
    SUMMED,
    WEEKDAYS,
    Day,
    Source,
    add,
    daily,
    date_bounds,
    engagement_columns,
    engagements_expr,
    has_column,
    present_columns,
    typed_null,
)
from core.analytics.ranking import RANKABLE, TOP_ORDERS, top_order, top_posts
from core.analytics.rollup import (
    GRAINS,
    SERIES_COLUMNS,
    flows,
    post_count,
    ratio,
    series,
    series_from_days,
    weekday_engagements,
    weekdays_from_days,
)
from core.presets import bucket_of

__all__ = [
    "Day",
    "ENGAGEMENT_COLUMNS",
    "GRAINS",
    "RANKABLE",
    "SERIES_COLUMNS",
    "SUMMED",
    "Source",
    "TOP_ORDERS",
    "WEEKDAYS",
    "add",
    "daily",
    "date_bounds",
    "engagement_columns",
    "engagements_expr",
    "flows",
    "has_column",
    "post_count",
    "present_columns",
    "ratio",
    "series",
    "series_from_days",
    "top_order",
    "top_posts",
    "typed_null",
    "weekday_engagements",
    "weekdays_from_days",
    "bucket_of",
]
