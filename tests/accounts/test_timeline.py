"""The merged timeline: overlapping day and post exports of one account, brands, provenance, scoping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from account_factories import actor, day_csv, ingest, post_csv

from core import accounts, analytics, metrics, timeline
from core.db import session_scope
from tests.factories import make_user

JAN = date(2024, 1, 1)
ANN = "ann@example.com"


def _scope(session, account_id):
    return timeline.account_scope(session, actor=actor(ANN), account_id=account_id)


def test_overlapping_day_exports_take_each_day_from_the_export_that_ends_latest(any_db, tmp_path):
    make_user("ann@example.com")
    old = ingest(day_csv(tmp_path / "october.csv", JAN, [10] * 10), ANN, account="Acme")  # 1-10 Jan
    new = ingest(
        day_csv(tmp_path / "november.csv", date(2024, 1, 6), [20] * 10, likes=2), ANN, account="Acme"
    )
    assert old["account"] == new["account"]
    with session_scope() as session:
        scope = _scope(session, new["account"]["id"])
        days = analytics.daily(session, file=scope)
        assert [(d.date.day, d.sums["views"]) for d in days] == [(i, 10) for i in range(1, 6)] + [
            (i, 20) for i in range(6, 16)
        ]
        assert timeline.count_rows(session, scope) == 15
        result = metrics.compute_range(session, file=scope, start=JAN, end=date(2024, 1, 15))
        assert result.current["views"] == 5 * 10 + 10 * 20
        assert result.current["likes"] == 5 * 1 + 10 * 2
        assert result.current["er_views"] == Decimal(25) / Decimal(250) * 100
        assert analytics.date_bounds(session, file=scope) == (JAN, date(2024, 1, 15))
        assert timeline.provenance(scope).text == (
            "Jan 1, 2024 – Jan 15, 2024 from 2 exports; 5 days taken from the newer one"
        )


def test_overlapping_post_exports_keep_each_post_once_from_the_newer_export(any_db, tmp_path):
    make_user("ann@example.com")
    first = [("p1", JAN, 100, 5), ("p2", date(2024, 1, 2), 50, 1)]
    later = [("p2", date(2024, 1, 2), 80, 4), ("p3", date(2024, 1, 3), 30, 3)]
    a = ingest(post_csv(tmp_path / "posts-1.csv", first), ANN, account="Acme")
    ingest(post_csv(tmp_path / "posts-2.csv", later), ANN, account="Acme")
    with session_scope() as session:
        scope = _scope(session, a["account"]["id"])
        assert scope.row_kind == "posts" and timeline.count_rows(session, scope) == 3
        result = metrics.compute_range(session, file=scope, start=JAN, end=date(2024, 1, 3))
        assert (result.current["views"], result.current["posts"], result.current["likes"]) == (210, 3, 12)
        top = analytics.top_posts(session, file=scope, order_by=analytics.top_order(scope))
        assert [(t["post_id"], t["views"]) for t in top] == [("p1", 100), ("p2", 80), ("p3", 30)]
        assert all(t["label"] for t in top)


def test_sums_come_from_day_rows_where_the_account_has_them_else_from_posts(any_db, tmp_path):
    make_user("ann@example.com")
    days = ingest(day_csv(tmp_path / "days.csv", JAN, [1000, 1000]), ANN, account="Acme")  # 1-2 Jan
    posts = [("p1", JAN, 7, 1), ("p2", date(2024, 1, 2), 8, 1), ("p3", date(2024, 1, 3), 9, 1)]
    ingest(post_csv(tmp_path / "posts.csv", posts), ANN, account="Acme")
    with session_scope() as session:
        scope = _scope(session, days["account"]["id"])
        assert scope.row_kind == "mixed"
        per_day = [(d.date.day, d.sums["views"]) for d in analytics.daily(session, file=scope)]
        assert per_day == [(1, 1000), (2, 1000), (3, 9)]
        top = analytics.top_posts(session, file=scope)
        assert [t["post_id"] for t in top] == ["p3", "p2", "p1"]  # per-post figures from post rows


def test_a_brand_sums_its_accounts_and_recomputes_ratios(any_db, tmp_path):
    make_user("ann@example.com")
    a = ingest(day_csv(tmp_path / "a.csv", JAN, [100], likes=10), ANN, account="A", brand="Acme")
    b = ingest(day_csv(tmp_path / "b.csv", JAN, [300], likes=10), ANN, account="B", brand="Acme")
    with session_scope() as session:
        ann = actor(ANN)
        brand = accounts.find_brand(session, actor=ann, ref="Acme")
        scope = timeline.brand_scope(session, actor=ann, brand_id=brand.id)
        result = metrics.compute_range(session, file=scope, start=JAN, end=JAN)
        assert result.current["views"] == 400
        assert result.current["er_views"] == 5  # 20 / 400, not the mean of 10 % and 3.33 %
        only_a = timeline.sub_scope(scope, account_ids=[a["account"]["id"]])
        assert metrics.compute_range(session, file=only_a, start=JAN, end=JAN).current["views"] == 100
        by_platform = timeline.sub_scope(scope, platform="generic")
        assert len(by_platform.accounts) == 2 and b["account"]["id"] in {x[0] for x in by_platform.accounts}


def test_another_users_account_or_brand_is_not_found(any_db, tmp_path):
    make_user("ann@example.com")
    a = ingest(day_csv(tmp_path / "a.csv", JAN, [100]), ANN, account="A", brand="Acme")
    bob = make_user("bob@example.com")
    with session_scope() as session:
        brand_id = accounts.find_brand(session, actor=actor(ANN), ref="Acme").id
        with pytest.raises(accounts.AccountNotFound):
            timeline.account_scope(session, actor=bob, account_id=a["account"]["id"])
        with pytest.raises(accounts.BrandNotFound):
            timeline.brand_scope(session, actor=bob, brand_id=brand_id)
