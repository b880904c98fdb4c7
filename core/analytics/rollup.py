"""Days rolled up: sums, exact ratios, posts and subscriber flows, and series by day, week or month."""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from core.analytics.days import ENGAGEMENT_COLUMNS, WEEKDAYS, Day, Source, add, daily
from core.presets import bucket_of
from core.timeline import as_scope

if TYPE_CHECKING:  # pandas is imported where frames are built: the worker never needs it
    import pandas as pd

GRAINS = ("day", "week", "month")
SERIES_COLUMNS = (
    "bucket", "views", "reach", "impressions", "likes", "comments", "shares", "saves",
    "engagements", "posts", "subscribers", "subscribers_net", "er_views",
)  # fmt: skip
_WIDE = Context(prec=60)  # enough digits that storing to 10 places is the only rounding


def ratio(numerator, denominator, *, scale: int = 100) -> Decimal | None:
    """numerator / denominator × scale, exact; None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return _WIDE.divide(Decimal(numerator) * scale, Decimal(denominator))


def _post_rows(day: Day, row_kind: str | None) -> int:
    if day.post_rows is not None:
        return day.post_rows
    return day.rows if row_kind == "posts" else 0


def post_count(days: list[Day], file: Source) -> int | None:
    """Post rows, plus the `posts` column of day rows (None when neither is there)."""
    if not days:
        return None
    kind = as_scope(file).row_kind
    posts = sum(_post_rows(d, kind) for d in days)
    return add([posts or None, add(d.sums["posts"] for d in days)])


def flows(days: list[Day]) -> int | None:
    """Net subscriber flow: Σ subscribers_net, else Σ gained − Σ lost (both needed), else None."""
    net = add(d.sums["subscribers_net"] for d in days)
    if net is not None:
        return net
    gained = add(d.sums["subscribers_gained"] for d in days)
    lost = add(d.sums["subscribers_lost"] for d in days)
    return None if gained is None or lost is None else gained - lost


def _net_per_bucket(groups: dict[date, list[Day]]) -> list[int | None]:
    """Net subscriber change per bucket: from flows when the range has them, else from levels."""
    everything = [d for members in groups.values() for d in members]
    if flows(everything) is not None:
        return [flows(members) for members in groups.values()]
    out, before = [], None
    for members in groups.values():
        levels = [d for d in members if d.level_last is not None]
        if not levels:
            out.append(None)
            continue
        first = before if before is not None else levels[0].level_first
        out.append(levels[-1].level_last - first)
        before = levels[-1].level_last
    return out


def _bucket_record(bucket: date, members: list[Day], file: Source) -> dict[str, Any]:
    sums = {
        c: add(d.sums[c] for d in members) for c in ("views", "reach", "impressions", *ENGAGEMENT_COLUMNS)
    }
    engagements = add(d.engagements for d in members)
    levels = [d.level_last for d in members if d.level_last is not None]
    er = ratio(engagements, sums["views"])
    return {
        "bucket": bucket,
        **sums,
        "engagements": engagements,
        "posts": post_count(members, file),
        "subscribers": levels[-1] if levels else None,
        "er_views": None if er is None else float(er),
    }


def series(
    session: Session,
    *,
    file: Source,
    start: date | None = None,
    end: date | None = None,
    grain: str = "day",
) -> pd.DataFrame:
    """Per day, week (from Monday) or month with rows: sums, engagements, posts, subscribers, ER by views.

    `subscribers` is the last level in the bucket; `subscribers_net` the flow (from the level's
    change when the file has no flow columns). Buckets without rows are absent.
    """
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    return series_from_days(daily(session, file=file, start=start, end=end), file=file, grain=grain)


def series_from_days(days: list[Day], *, file: Source, grain: str = "day") -> pd.DataFrame:
    """`series` rolled up from the file's `daily` list: any grain, without querying the rows again."""
    import pandas as pd

    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    groups: dict[date, list[Day]] = {}
    for day in days:
        groups.setdefault(bucket_of(day.date, grain), []).append(day)
    records = [_bucket_record(b, members, file) for b, members in groups.items()]
    for record, net in zip(records, _net_per_bucket(groups), strict=True):
        record["subscribers_net"] = net
    frame = pd.DataFrame.from_records(records, columns=list(SERIES_COLUMNS))
    counts = [c for c in SERIES_COLUMNS if c not in ("bucket", "er_views")]
    return frame.astype({c: "Int64" for c in counts} | {"er_views": "Float64", "bucket": object})


def weekday_engagements(
    session: Session, *, file: Source, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """Monday..Sunday: rows with engagements, their sum, and the mean engagements per row (NaN without rows)."""
    return weekdays_from_days(daily(session, file=file, start=start, end=end))


def weekdays_from_days(days: list[Day]) -> pd.DataFrame:
    """`weekday_engagements` from a `daily` list, without querying the rows again."""
    import pandas as pd

    totals = {w: [0, 0] for w in range(7)}
    for day in days:
        if day.engagements is not None:
            totals[day.date.weekday()][0] += day.engagements
            totals[day.date.weekday()][1] += day.engaged_rows
    frame = pd.DataFrame(
        {
            "weekday": list(WEEKDAYS),
            "rows": [totals[w][1] for w in range(7)],
            "engagements": [totals[w][0] for w in range(7)],
        }
    )
    frame["mean_engagements"] = (frame["engagements"] / frame["rows"].where(frame["rows"] > 0)).astype(
        "Float64"
    )
    return frame
