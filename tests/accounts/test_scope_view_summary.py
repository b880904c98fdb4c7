"""The Explorer's written summary of an account is the report's, read from what the view has already."""

from __future__ import annotations

from datetime import date

import pytest
from account_factories import actor, ingest

from core import memo, presets, scope_view, timeline
from core.db import session_scope
from tests.factories import make_user

ANN = "ann@example.com"


def _posts_csv(path, rows):
    lines = ["post_id,title,date,views,likes,comments"]
    lines += [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("preset", ["all", "last_7", "this_month"])
def test_the_view_s_summary_is_the_report_s(any_db, tmp_path, preset):
    make_user(ANN)
    older = [
        (f"p{i}", f"Post {i}", f"2024-01-{i:02d} 09:00", 100 + 7 * i, i % 5, i % 3) for i in range(1, 29)
    ]
    newer = [(f"p{i}", f"Post {i}", f"2024-01-{i:02d} 18:30", 90 + 11 * i, i % 4, 1) for i in range(20, 32)]
    one = ingest(_posts_csv(tmp_path / "jan.csv", older), ANN, account="Acme")
    ingest(_posts_csv(tmp_path / "late.csv", newer), ANN, account="Acme")
    memo.clear()
    with session_scope() as session:
        scope = timeline.account_scope(session, actor=actor(ANN), account_id=one["account"]["id"])
        span, before = scope_view.span_of(scope, preset=preset, compare="previous", session=session)
        view = scope_view.view(session, scope, span=span, before=before, grain="day", order="views")
        memo.clear()  # the report's way, from nothing kept
        report = scope_view.summary(session, scope, span=span, before=before)
    assert view.summary == report
    assert any(s.startswith("Best post: «Post") for s in view.summary)  # by engagements, as the report ranks
    if preset == "all":
        assert span == presets.DateRange(date(2024, 1, 1), date(2024, 1, 31))
