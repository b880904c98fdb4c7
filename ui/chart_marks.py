"""Marks on the Explorer's time charts: the weeks or months a range covers only in part are shaded and
labelled, so a short first or last bucket reads as incomplete, not as a dip."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd

from core.i18n import N_, _
from core.presets import bucket_end

INCOMPLETE = {"week": N_("incomplete week"), "month": N_("incomplete month")}
SHADE = "rgba(148, 163, 184, 0.18)"


def _around(bucket: date, grain: str) -> tuple[datetime, datetime]:
    """The stretch of the date axis a bucket's point or bar stands on (it is drawn at its first day)."""
    half = timedelta(days=((bucket_end(bucket, grain) - bucket).days + 1) / 2)
    middle = datetime.combine(bucket, time())
    return middle - half, middle + half


def spans(frames: dict[str, pd.DataFrame], partial: dict[str, set[date]], *, grain: str, align: bool) -> list:
    """(x0, x1) of every incomplete bucket on show: dates, or positions 1, 2, … when periods are aligned."""
    out = set()
    for label, buckets in partial.items():
        frame = frames.get(label)
        if frame is None or not buckets or grain not in INCOMPLETE:
            continue
        shown = frame["bucket"].tolist()
        for bucket in buckets & set(shown):
            if align:
                position = shown.index(bucket) + 1
                out.add((position - 0.5, position + 0.5))
            else:
                out.add(_around(bucket, grain))
    return sorted(out)


def mark_partial(fig, frames, partial: dict[str, set[date]], *, grain: str, align: bool):
    """`fig` with its incomplete buckets shaded and labelled (nothing to mark for days)."""
    if fig is None:
        return None
    for x0, x1 in spans(frames, partial, grain=grain, align=align):
        fig.add_vrect(
            x0=x0, x1=x1, fillcolor=SHADE, line_width=0, layer="below",
            annotation_text=_(INCOMPLETE[grain]), annotation_position="top left",
            annotation_font={"size": 10, "color": "#64748b"},
        )  # fmt: skip
    return fig
