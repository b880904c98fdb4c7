"""The stored merge (core.merge_store) gives what merging the rows gives, and follows every change of
an account's files: a new ready file, a move, a deletion, an account merged into another.

Each figure is compared with the same scope read from its rows only (one `rank()` over every shared
row, no totals), as tests/accounts/test_timeline_totals.py does.
"""

from __future__ import annotations

from datetime import date

from account_factories import actor, ingest
from sqlalchemy import func, select, update
from test_timeline_totals import _by_rows, _figures, _posts_csv, _same

from core import accounts, analytics, day_totals, files, merge_store, timeline
from core.db import session_scope
from core.models import Account
from tests.factories import make_user

ANN, BOB = "ann@example.com", "bob@example.com"
ONE = [
    ("p1", "One", "2024-01-01 09:15", 100, 5, 1, 1000),
    ("p2", "Two", "2024-01-02 18:00", 50, 1, 0, 1001),
    ("p3", "Three", "2024-01-03 18:30", 70, 7, 2, 1003),
    ("p4", "Four", "2024-01-04 07:00", 30, 0, 0, 1002),
]
TWO = [
    ("p3", "Three", "2024-01-03 18:30", 90, 9, 3, 1004),  # newer figures of p3 and p4
    ("p4", "Four", "2024-01-04 07:00", 40, 1, 0, 1005),
    ("p5", "Five", "2024-01-06 12:00", 20, 2, 2, 1006),
]
THREE = [
    ("p5", "Five", "2024-01-06 12:00", 25, 3, 2, 1007),
    ("p4", "Four", "2024-01-05 07:00", 41, 1, 0, 1008),  # p4 again, on another shared date
    ("p7", "Seven", "2024-01-09 23:10", 10, 0, 0, 1009),
]


def _scope(session, account_id, email=ANN):
    return timeline.account_scope(session, actor=actor(email), account_id=account_id)


def _check(monkeypatch, account_id, *, settled=True, email=ANN):
    """The account's figures from its stored merge (when `settled`) equal those from its rows."""
    with session_scope() as session:
        scope = _scope(session, account_id, email)
        assert (account_id in scope.settled) is settled
        if settled:  # nothing merged afresh: the shared dates come from the store
            monkeypatch.setattr(day_totals, "survivors", lambda *a, **k: pytest_fail("merged again"))
        fast = [_figures(session, scope, *r) for r in ((None, None), (date(2024, 1, 3), date(2024, 1, 5)))]
        monkeypatch.undo()
        slow = [
            _figures(session, _by_rows(monkeypatch, scope), *r)
            for r in ((None, None), (date(2024, 1, 3), date(2024, 1, 5)))
        ]
        monkeypatch.undo()
    for left, right in zip(fast, slow, strict=True):
        _same(left, right)
    return fast[0]


def pytest_fail(message):
    raise AssertionError(message)


def _stored(session, account_id):
    superseded = session.scalar(
        select(func.count())
        .select_from(merge_store.Superseded)
        .where(merge_store.Superseded.account_id == account_id)
    )
    shared = session.scalar(
        select(func.count())
        .select_from(merge_store.SharedTotal)
        .where(merge_store.SharedTotal.account_id == account_id)
    )
    return superseded, shared


def test_the_stored_merge_follows_new_moved_and_deleted_files(any_db, tmp_path, monkeypatch):
    make_user(ANN)
    a = ingest(_posts_csv(tmp_path / "1.csv", ONE), ANN, account="Acme")
    acme = a["account"]["id"]
    _check(monkeypatch, acme, settled=False)  # one file: nothing to merge, nothing stored
    ingest(_posts_csv(tmp_path / "2.csv", TWO), ANN, account="Acme")
    days = {d.date: d.sums["views"] for d in _check(monkeypatch, acme)[0]}
    assert days[date(2024, 1, 3)] == 90 and days[date(2024, 1, 4)] == 40  # the newer export's p3, p4
    with session_scope() as session:
        assert _stored(session, acme) == (2, 2)  # the older p3, p4 lose; the newer ones are 2 groups
    third = ingest(_posts_csv(tmp_path / "3.csv", THREE), ANN, account="Acme")
    days = {d.date: d.sums["views"] for d in _check(monkeypatch, acme)[0]}
    assert date(2024, 1, 4) not in days and days[date(2024, 1, 5)] == 41 and days[date(2024, 1, 6)] == 25
    with session_scope() as session:
        other = accounts.create_account(session, actor=actor(ANN), name="Other", platform="generic")
        other_id = other.id
        accounts.move_file(session, actor=actor(ANN), file_id=third["file_id"], account_id=other_id)
    days = {d.date: d.sums["views"] for d in _check(monkeypatch, acme)[0]}
    assert days[date(2024, 1, 4)] == 40 and days[date(2024, 1, 6)] == 20  # as before the third export
    _check(monkeypatch, other_id, settled=False)
    with session_scope() as session:
        files.delete_file(session, actor=actor(ANN), file_id=a["file_id"])
        assert _stored(session, acme) == (0, 0)  # one file left: nothing merged
    days = {d.date: d.sums["views"] for d in _check(monkeypatch, acme, settled=False)[0]}
    assert days[date(2024, 1, 3)] == 90 and date(2024, 1, 1) not in days


def test_merging_accounts_stores_the_merge_of_their_files_and_another_users_account_is_not_read(
    any_db, tmp_path, monkeypatch
):
    make_user(ANN)
    make_user(BOB)
    a = ingest(_posts_csv(tmp_path / "1.csv", ONE), ANN, account="Acme")
    b = ingest(_posts_csv(tmp_path / "2.csv", TWO), ANN, account="Acme 2")
    ingest(_posts_csv(tmp_path / "3.csv", THREE), ANN, account="Acme 2")
    _check(monkeypatch, b["account"]["id"])
    with session_scope() as session:
        accounts.merge_accounts(
            session, actor=actor(ANN), source_id=b["account"]["id"], target_id=a["account"]["id"]
        )
    figures = _check(monkeypatch, a["account"]["id"])
    assert {d.date: d.sums["views"] for d in figures[0]}[date(2024, 1, 3)] == 90
    with session_scope() as session:
        assert _stored(session, b["account"]["id"]) == (0, 0)  # the source's store went with it
        # Bob's own account of the same exports never reads Ann's store.
        mine = ingest(_posts_csv(tmp_path / "b1.csv", ONE), BOB, account="Acme")
    ingest(_posts_csv(tmp_path / "b2.csv", TWO), BOB, account="Acme")
    _check(monkeypatch, mine["account"]["id"], email=BOB)
    with session_scope() as session:
        assert {r for (r,) in session.execute(select(merge_store.MergeState.account_id))} == {
            a["account"]["id"],
            mine["account"]["id"],
        }


def test_a_store_that_no_longer_matches_the_files_is_not_read(any_db, tmp_path, monkeypatch):
    make_user(ANN)
    a = ingest(_posts_csv(tmp_path / "1.csv", ONE), ANN, account="Acme")
    ingest(_posts_csv(tmp_path / "2.csv", TWO), ANN, account="Acme")
    acme = a["account"]["id"]
    with session_scope() as session:
        # A change no rebuild followed (here: the store written for other files).
        session.execute(update(merge_store.MergeState).values(files_key="0" * 64))
        session.execute(update(merge_store.SharedTotal).values(views=10**9))
    figures = _check(monkeypatch, acme, settled=False)
    assert max(d.sums["views"] for d in figures[0]) < 10**9
    with session_scope() as session:
        assert session.get(Account, acme) is not None
        top = analytics.top_posts(session, file=_scope(session, acme), order_by="views", limit=1)
        assert [p["views"] for p in top] == [100]
