"""The Dashboard's prefetch reads exactly what the Explorer opens on: after it, the first Explorer run
reads no rows and no totals (and without it, it does: the test can tell)."""

from __future__ import annotations

from datetime import date

import pytest

from core import memo, scope_view
from core.db import session_scope
from tests.factories import make_user, statements
from tests.ui.auth_fixtures import app, sign_in
from tests.ui.pages_fixtures import days_csv, figures, ingest

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def reads():
    """The statements that sum or rank timeline rows or their recorded totals (not the scope's own
    look-ups: which files, their dates)."""
    return statements(
        lambda sql: ("raw_data" in sql or "day_totals" in sql) and ("sum(" in sql or "LIMIT" in sql)
    )


def explorer_after_dashboard(user, *, prefetched: bool):
    at = sign_in(app("Home.py"), user).run()  # the Dashboard, as after signing in
    memo.clear()
    if prefetched:
        with session_scope() as session:
            assert scope_view.opening_view(session, actor=user) is not None
    at.switch_page("pages/explorer.py")
    with reads() as seen:
        at.run()
    assert not at.exception
    return at, seen


@pytest.mark.parametrize("prefetched", [True, False])
def test_the_opening_view_is_what_the_explorer_opens_on(prefetched):
    make_user("root@example.com", role="admin")  # no first-run setup screen
    anna = make_user("anna@example.com")
    ingest(anna, days_csv(120, start=date(2024, 1, 1)), name="long.csv")  # 120 days: by week
    at, seen = explorer_after_dashboard(anna, prefetched=prefetched)
    assert bool(seen) is not prefetched
    assert at.segmented_control(key="explorer_grain").value == "week"
    views = figures(at)["Views and engagements"]["data"][0]
    assert sum(views["y"]) == sum(100 + i for i in range(1, 121)) and len(views["x"]) == 18
