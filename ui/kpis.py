"""A KPI card: a metric's value with its change against the previous period."""

from __future__ import annotations

import streamlit as st

from core import formatting, metrics
from core.i18n import _


def kpi_card(*, code: str, current, previous, previous_range: str) -> None:
    """One KPI as an st.metric: the value and its change against the previous period."""
    definition = metrics.BY_CODE[code]
    delta = formatting.kpi_change(code=code, current=current, previous=previous)
    before = metrics.display(code=code, value=previous)
    st.metric(
        definition.name,
        metrics.display(code=code, value=current),
        delta=delta,
        delta_arrow="off" if delta and delta.startswith("±0 ") else "auto",
        help=_("{definition} Previous period ({range}): {value}.").format(
            definition=definition.definition, range=previous_range, value=before
        ),
        border=True,
    )
