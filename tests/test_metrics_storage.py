"""The metric catalogue stored and loaded, described, and shown to people (changes, rounding)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from core import metrics
from core.db import session_scope
from core.models import Metric, SocialFile
from tests.factories import make_file
from tests.metrics_fixtures import DAYS

D = Decimal


def test_store_then_load_gives_the_same_values_and_replaces_old_rows(any_db):
    file_id = make_file(DAYS, row_kind="days", period_days=3)
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        assert metrics.load(session, file=file) is None
        result = metrics.compute(session, file=file)
        metrics.store(session, file=file, result=result)
        metrics.store(session, file=file, result=result)  # again: replaced, not duplicated
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        assert (file.period_start, file.period_end) == (date(2024, 1, 4), date(2024, 1, 6))
        assert metrics.load(session, file=file) == result
        count = session.scalar(select(func.count()).select_from(Metric).where(Metric.file_id == file_id))
        assert count == 2 * len(metrics.CATALOGUE)
        text = session.execute(
            select(Metric.value, Metric.value_text).where(
                Metric.file_id == file_id, Metric.metric_code == "best_weekday", Metric.period == "previous"
            )
        ).one()
        assert tuple(text) == (None, "Wednesday")
        stored = session.scalar(
            select(Metric.value).where(
                Metric.file_id == file_id, Metric.metric_code == "virality", Metric.period == "current"
            )
        )
        assert D(stored) == D("0.6666666667")


def test_the_catalogue_is_complete_and_described():
    codes = [m.code for m in metrics.CATALOGUE]
    assert codes == [
        "posts", "views", "reach", "impressions", "likes", "comments", "shares", "saves", "engagements",
        "subscribers_start", "subscribers_end", "subs_growth", "subs_growth_pct", "er_views", "err",
        "er_impressions", "er_followers", "avg_views", "avg_engagements", "virality", "best_weekday",
        "best_hour",
    ]  # fmt: skip
    for metric in metrics.CATALOGUE:
        assert metric.kind in ("count", "rate", "pct", "text")
        assert metric.name and metric.definition.endswith(".") and "\n" not in metric.definition


def test_change_and_display():
    assert metrics.change(code="views", current=D(150), previous=D(100)) == (50, 50)
    assert metrics.change(code="er_views", current=D("12.5"), previous=D(10)) == (D("2.5"), 25)
    assert metrics.change(code="views", current=D(5), previous=D(0)) == (5, None)
    assert metrics.change(code="views", current=None, previous=D(1)) == (None, None)
    assert metrics.change(code="best_weekday", current="Monday", previous="Friday") == (None, None)
    assert metrics.display(code="views", value=D(1234567)) == "1,234,567"
    assert metrics.display(code="er_views", value=D("0.6666666667")) == "0.6667 %"
    assert metrics.display(code="avg_engagements", value=D("22.5")) == "22.5"
    assert metrics.display(code="err", value=None) == "—"
    assert metrics.display(code="best_weekday", value="Friday") == "Friday"


# best_hour (DESIGN.md): the hour with the highest mean engagements per post, in the export's own time.
