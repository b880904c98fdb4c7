"""The recorded per-date totals (core.day_totals) give exactly what the rows give, merged or not.

Each figure is computed twice: as the Explorer and reports do (totals for the dates a file alone
holds, an anti-join on the dates files share), and from the rows alone, ranked the way the merge
was first written (every shared row through one `rank()`), with no totals read.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from account_factories import actor, ingest

from core import analytics, best_hour, day_totals, files, hours, timeline
from core.db import session_scope
from tests.factories import make_user

ANN = "ann@example.com"
JAN = date(2024, 1, 1)


def _posts_csv(path, rows):
    """rows: (post_id or "", title, date-time text, views, likes, comments, subscribers or "")."""
    lines = ["post_id,title,date,views,likes,comments,subscribers"]
    lines += [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _days_csv(path, start, views, subscribers):
    lines = ["date,views,likes,subscribers"]
    lines += [
        f"{start + timedelta(days=i)},{v},{v // 10},{s}"
        for i, (v, s) in enumerate(zip(views, subscribers, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _by_rows(monkeypatch, scope):
    """The same scope read from its rows only, through the one-`rank()` merge (no stored merge either)."""
    monkeypatch.setattr(timeline, "_mixed", lambda s: s.merged)
    return replace(scope, files=tuple(replace(p, stored=False) for p in scope.files), settled=frozenset())


def _figures(session, scope, start=None, end=None):
    lo = start or date(2023, 12, 1)
    hi = end or date(2024, 3, 1)
    return (
        analytics.daily(session, file=scope, start=start, end=end),
        hours.hourly(session, file=scope, start=lo, end=hi),
        best_hour.hourly_engagements(session, file=scope, start=start, end=end),
        [
            analytics.top_posts(session, file=scope, start=start, end=end, order_by=o, limit=n, lowest=low)
            for o in analytics.TOP_ORDERS
            for n in (1, 2, 5)
            for low in (False, True)
        ],
        timeline.count_rows(session, scope, start=start, end=end),
    )  # fmt: skip


def _same(left, right):
    assert left[0] == right[0]  # every Day: sums, engagements, levels, post rows
    assert left[1] == right[1]
    if left[2] is None:
        assert right[2] is None
    else:
        assert left[2].equals(right[2])
    assert left[3:] == right[3:]


RANGES = [
    (None, None),
    (date(2024, 1, 3), date(2024, 1, 8)),
    (date(2024, 1, 5), None),
    (date(2024, 1, 2), date(2024, 1, 5)),
]


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_overlapping_post_exports_give_the_same_figures_from_totals_as_from_rows(
    any_db, tmp_path, monkeypatch, start, end
):
    make_user(ANN)
    one = [
        ("p1", "One", "2024-01-01 09:15", 100, 5, 1, 1000),
        ("p2", "Two", "2024-01-02 18:00", 50, 1, 0, 1001),
        ("p3", "Three", "2024-01-03 18:30", 70, 7, 2, 1003),
        ("p4", "Four", "2024-01-04 07:00", 30, 0, 0, 1002),  # levels differ within a date below
        ("p9", "Nine", "2024-01-04 08:00", 35, 2, 1, 1010),
        ("", "Untitled id", "2024-01-05 10:00", 11, 1, 0, ""),
    ]
    two = [
        ("p3", "Three", "2024-01-03 18:30", 90, 9, 3, 1004),  # newer figures of p3 and p4
        ("p4", "Four", "2024-01-04 07:00", 40, 1, 0, 1005),
        ("p5", "Five", "2024-01-06 12:00", 20, 2, 2, 1006),
        ("", "Untitled id", "2024-01-05 10:00", 12, 1, 1, ""),
        ("p6", "Six", "2024-01-07 12:45", 60, 3, 0, ""),
    ]
    three = [
        ("p6", "Six", "2024-01-07 12:45", 65, 4, 1, 1009),
        ("p4", "Four", "2024-01-06 07:00", 41, 1, 0, 1007),  # p4 again, on another (shared) date
        ("p7", "Seven", "2024-01-09 23:10", 10, 0, 0, 1008),
    ]
    a = ingest(_posts_csv(tmp_path / "p1.csv", one), ANN, account="Acme")
    ingest(_posts_csv(tmp_path / "p2.csv", two), ANN, account="Acme")
    ingest(_posts_csv(tmp_path / "p3.csv", three), ANN, account="Acme")
    with session_scope() as session:
        scope = timeline.account_scope(session, actor=actor(ANN), account_id=a["account"]["id"])
        assert len(scope.files) == 3 and all(p.stored for p in scope.files)
        assert scope.settled == {a["account"]["id"]}  # the shared dates are read from core.merge_store
        picked, best_dates = [], day_totals.best_dates
        monkeypatch.setattr(
            day_totals, "best_dates", lambda *a, **k: picked.append(best_dates(*a, **k)) or picked[-1]
        )
        fast = _figures(session, scope, start, end)
        assert any(picked) or start is not None  # top posts read from the dates the totals point to
        slow = _figures(session, _by_rows(monkeypatch, scope), start, end)
    _same(fast, slow)
    if start is None:
        days = {d.date: d for d in fast[0]}
        # p4 once, from the export that ends latest (which dates it 6 Jan): 4 Jan keeps p9 only
        assert days[date(2024, 1, 4)].sums["views"] == 35
        assert days[date(2024, 1, 6)].sums["views"] == 20 + 41
        assert fast[1] and fast[2] is not None  # post times were read: the hours are compared too
    if end == date(2024, 1, 5):  # p4's newest copy (6 Jan) wins even when the range cuts it off
        assert {d.date: d.sums["views"] for d in fast[0]}[date(2024, 1, 4)] == 35


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_overlapping_day_exports_and_a_brand_give_the_same_figures_from_totals_as_from_rows(
    any_db, tmp_path, monkeypatch, start, end
):
    make_user(ANN)
    a = ingest(_days_csv(tmp_path / "d1.csv", JAN, [10] * 8, range(500, 508)), ANN, account="Days", brand="B")
    ingest(_days_csv(tmp_path / "d2.csv", date(2024, 1, 4), [20] * 6, range(600, 606)), ANN, account="Days")
    ingest(_days_csv(tmp_path / "d3.csv", date(2024, 1, 7), [30] * 3, range(700, 703)), ANN, account="Days")
    posts = [("p1", "One", "2024-01-02 09:00", 5, 1, 0, ""), ("p2", "Two", "2024-01-08 10:00", 6, 0, 1, "")]
    ingest(_posts_csv(tmp_path / "p.csv", posts), ANN, account="Posts", brand="B")
    with session_scope() as session:
        scope = timeline.account_scope(session, actor=actor(ANN), account_id=a["account"]["id"])
        assert scope.settled == {a["account"]["id"]}
        fast, slow = (
            _figures(session, scope, start, end),
            _figures(session, _by_rows(monkeypatch, scope), start, end),
        )
        if start is None:
            assert [d.sums["views"] for d in fast[0]] == [10] * 3 + [20] * 3 + [30] * 3
        monkeypatch.undo()
        brand = timeline.brand_scope(session, actor=actor(ANN), brand_id=scope_brand(session, a))
        fast_brand = _figures(session, brand, start, end)
        slow_brand = _figures(session, _by_rows(monkeypatch, brand), start, end)
    _same(fast, slow)
    _same(fast_brand, slow_brand)


def scope_brand(session, result) -> int:
    from core.models import Account

    return session.get(Account, result["account"]["id"]).brand_id


def test_totals_are_replaced_with_the_rows_and_go_with_them(any_db, tmp_path):
    make_user(ANN)
    a = ingest(_days_csv(tmp_path / "d1.csv", JAN, [10, 11, 12], [1, 2, 3]), ANN, account="Days")
    with session_scope() as session:
        file_id = uuid.UUID(a["file_id"])
        totals = session.query(day_totals.DayTotal).filter_by(file_id=file_id).order_by("date").all()
        assert [(t.date.day, t.hour, t.rows, t.views, t.likes, t.lo, t.hi) for t in totals] == [
            (1, -1, 1, 10, 1, 1, 1), (2, -1, 1, 11, 1, 2, 2), (3, -1, 1, 12, 1, 3, 3),
        ]  # fmt: skip
        files.clear_file_data(session, file_id=file_id)
        assert day_totals.stored(session, [file_id]) == set()
