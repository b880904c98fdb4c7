"""The report history holds every report of the user: a file's, an account's and a brand's (issue 10 item 8)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core import reports, storage
from core.db import session_scope
from core.i18n import use_language
from core.models import ReportExport, User
from core.reports.scoped import download_scope
from tests.accounts.account_factories import actor, day_csv, ingest
from tests.factories import make_user


@pytest.fixture
def ann(any_db, tmp_path) -> dict:
    make_user("ann@example.com")
    made = ingest(day_csv(tmp_path / "oct.csv", date(2026, 10, 1), list(range(100, 131))), "ann@example.com",
                  account="Acme YT", brand="Acme")  # fmt: skip
    return made


def test_account_and_brand_reports_are_listed_titled_with_their_name_and_range(ann):
    user = actor("ann@example.com")
    account_id = ann["account"]["id"]
    span = dict(start=date(2026, 10, 1), end=date(2026, 10, 15))
    account_name, account_pdf = download_scope(user_id=user.id, account=account_id, fmt="pdf", **span)
    brand_name, _ = download_scope(user_id=user.id, brand="Acme", fmt="csv", **span)
    reports.download(file_id=ann["file_id"], fmt="pdf", user_id=user.id)
    with session_scope() as session:
        listed = reports.list_reports(session, actor=session.get(User, user.id))
        by_kind = {e.kind: e for e in listed}
        assert sorted(by_kind) == ["account", "brand", "file"] and len(listed) == 3
        account, brand = by_kind["account"], by_kind["brand"]
        assert (account.file_name, account.platform, account.format) == ("Acme YT", "generic", "pdf")
        assert (account.range_start, account.range_end) == (date(2026, 10, 1), date(2026, 10, 15))
        assert account.file_id is None and account.owner_email == "ann@example.com"
        assert account.download_name == account_name == "Acme YT_2026-10-01_2026-10-15.pdf"
        assert (brand.file_name, brand.format, brand.download_name) == ("Acme", "csv", brand_name)
        assert by_kind["file"].file_name == "oct.csv" and by_kind["file"].range_start is None
        name, data = reports.open_report(session, actor=session.get(User, user.id), report_id=account.id)
    assert (name, data) == (account_name, account_pdf)
    assert reports.report_file(report_id=account.id, user_id=user.id) == (account_name, account_pdf)


def test_another_user_sees_none_of_them_and_an_admin_sees_each_with_its_owner(ann):
    user = actor("ann@example.com")
    download_scope(user_id=user.id, brand="Acme", fmt="pdf")
    stranger, admin = make_user(), make_user(role="admin")
    with session_scope() as session:
        assert reports.list_reports(session, actor=session.get(User, stranger.id)) == []
        (entry,) = reports.list_reports(session, actor=session.get(User, admin.id))
        assert (entry.kind, entry.file_name, entry.owner_email) == ("brand", "Acme", "ann@example.com")
        with pytest.raises(reports.ReportNotFound):
            reports.open_report(session, actor=session.get(User, stranger.id), report_id=entry.id)
    # An admin's click on a user's brand builds the report of the user's brand: it is the user's too.
    download_scope(user_id=admin.id, brand=_brand_id(), fmt="csv")
    with session_scope() as session:
        kinds = [(e.kind, e.format) for e in reports.list_reports(session, actor=session.get(User, user.id))]
    assert sorted(kinds) == [("brand", "csv"), ("brand", "pdf")]


def _brand_id() -> int:
    from core import accounts

    with session_scope() as session:
        return accounts.find_brand(
            session, actor=session.get(User, actor("ann@example.com").id), ref="Acme"
        ).id


def _reports_of(user_id: int) -> list[tuple]:
    with session_scope() as session:
        listed = reports.list_reports(session, actor=session.get(User, user_id))
        paths = {r.id: r.path for r in session.scalars(select(ReportExport))}
    return sorted(
        (e.kind, e.format, e.range_start, e.range_end, paths[e.id]) for e in listed if e.kind != "file"
    )


def test_a_report_rebuilt_for_new_data_replaces_the_old_one_rows_and_bytes(ann, tmp_path):
    user = actor("ann@example.com")
    october = dict(start=date(2026, 10, 1), end=date(2026, 10, 15))
    first_half = dict(start=date(2026, 10, 1), end=date(2026, 10, 7))
    _, old_pdf = download_scope(user_id=user.id, account=ann["account"]["id"], fmt="pdf", **october)
    download_scope(user_id=user.id, account=ann["account"]["id"], fmt="csv", **october)
    download_scope(user_id=user.id, account=ann["account"]["id"], fmt="pdf", **first_half)
    with use_language("ru"):
        download_scope(user_id=user.id, account=ann["account"]["id"], fmt="pdf", **october)
    before = _reports_of(user.id)
    assert len(before) == 4

    # A newer export of the same channel: the account's timeline changes, its report is built again.
    ingest(
        day_csv(tmp_path / "oct2.csv", date(2026, 10, 1), [900] * 20), "ann@example.com", account="Acme YT"
    )
    _, new_pdf = download_scope(user_id=user.id, account=ann["account"]["id"], fmt="pdf", **october)
    assert new_pdf != old_pdf
    after = _reports_of(user.id)
    store = storage.get_store()
    gone = sorted(set(before) - set(after))
    assert len(after) == 4 and len(gone) == 1  # the old English PDF of October 1-15, and nothing else
    assert gone[0][:4] == ("account", "pdf", october["start"], october["end"])
    assert not store.exists(gone[0][4])  # its bytes went with it
    assert all(store.exists(r[4]) for r in after)
    # The same range again is reused, not rebuilt: nothing more goes.
    download_scope(user_id=user.id, account=ann["account"]["id"], fmt="pdf", **october)
    assert _reports_of(user.id) == after
