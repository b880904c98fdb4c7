"""Accounts and brands: assignment at upload, duplicates, renames, merges, moves, deletes, scoping."""

from __future__ import annotations

from datetime import date

import pytest
from account_factories import actor, day_csv, ingest
from sqlalchemy import func, select

from core import accounts, files, uploads
from core.db import session_scope
from core.models import Account, RawData, SocialFile, StoredChunk
from tests.factories import make_user

JAN = date(2024, 1, 1)


def test_files_of_one_platform_join_the_users_only_account(any_db, tmp_path):
    make_user("ann@example.com")
    first = ingest(day_csv(tmp_path / "october.csv", JAN, [1, 2, 3]), "ann@example.com")
    second = ingest(day_csv(tmp_path / "november.csv", date(2024, 2, 1), [4, 5]), "ann@example.com")
    assert first["account"]["name"] == "october"  # no account yet: named after the file
    assert second["account"] == first["account"]
    with session_scope() as session:
        ann = actor("ann@example.com")
        [account] = accounts.list_accounts(session, actor=ann)
        names = [f.original_name for f in accounts.account_files(session, actor=ann, account_id=account.id)]
        assert names == ["october.csv", "november.csv"]


def test_account_asked_for_by_name_is_created_then_reused_and_brand_joined(any_db, tmp_path):
    make_user("ann@example.com")
    a = ingest(day_csv(tmp_path / "a.csv", JAN, [1]), "ann@example.com", account="Acme", brand="Acme Inc")
    b = ingest(day_csv(tmp_path / "b.csv", JAN, [2]), "ann@example.com", account="Acme")
    c = ingest(day_csv(tmp_path / "c.csv", JAN, [3]), "ann@example.com", account=str(a["account"]["id"]))
    assert a["account"]["name"] == "Acme" and b["account"] == a["account"] == c["account"]
    with session_scope() as session:
        ann = actor("ann@example.com")
        [brand] = accounts.list_brands(session, actor=ann)
        assert brand.name == "Acme Inc"
        assert [x.name for x in accounts.brand_accounts(session, actor=ann, brand_id=brand.id)] == ["Acme"]


def test_the_export_that_names_its_profile_goes_to_that_account(any_db, tmp_path):
    make_user("ann@example.com")
    name = "Facebook Insights Data Export - Acme Page - 2024-01-01 - 2024-01-03.csv"
    result = ingest(day_csv(tmp_path / name, JAN, [1, 2, 3]), "ann@example.com")
    other = ingest(day_csv(tmp_path / "other.csv", JAN, [7]), "ann@example.com", account="Other")
    again = "Facebook Insights Data Export - Acme Page - 2024-02-01 - 2024-02-02.csv"
    later = ingest(day_csv(tmp_path / again, date(2024, 2, 1), [1, 2]), "ann@example.com")
    assert result["account"]["name"] == "Acme Page"
    assert later["account"] == result["account"] != other["account"]
    with session_scope() as session:
        assert session.get(Account, result["account"]["id"]).handle == "Acme Page"


def test_identical_bytes_are_refused_and_create_nothing(any_db, tmp_path):
    make_user("ann@example.com")
    make_user("bob@example.com")
    path = day_csv(tmp_path / "october.csv", JAN, [1, 2, 3])
    first = ingest(path, "ann@example.com")
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(uploads.DuplicateUpload) as caught:
        ingest(copy, "ann@example.com")
    assert caught.value.duplicate.file_id.hex == first["file_id"].replace("-", "")
    assert 'as "october.csv" in the account "october"' in str(caught.value)
    assert ingest(copy, "bob@example.com")["status"] == "ready"  # another user's bytes are not a duplicate
    with session_scope() as session:
        count = session.scalar(select(func.count()).select_from(SocialFile))
        assert count == 2
    with session_scope() as session:  # no stray copy kept: on disk (SQLite) or in the database
        if session.get_bind().dialect.name == "sqlite":
            assert len(list((tmp_path / "storage" / "uploads").iterdir())) == 2
        else:
            assert session.scalar(select(func.count(func.distinct(StoredChunk.key)))) == 2


def _two_accounts(tmp_path):
    make_user("ann@example.com")
    a = ingest(day_csv(tmp_path / "a.csv", JAN, [1, 2]), "ann@example.com", account="A")
    b = ingest(day_csv(tmp_path / "b.csv", date(2024, 2, 1), [3]), "ann@example.com", account="B")
    return a, b


def test_rename_merge_move_and_delete(any_db, tmp_path):
    a, b = _two_accounts(tmp_path)
    ann = actor("ann@example.com")
    with session_scope() as session:
        with pytest.raises(accounts.AccountError, match="already"):
            accounts.rename_account(session, actor=ann, account_id=a["account"]["id"], name=" b ")
        accounts.rename_account(session, actor=ann, account_id=a["account"]["id"], name="  Acme   main ")
        accounts.move_file(session, actor=ann, file_id=b["file_id"], account_id=a["account"]["id"])
        target = accounts.merge_accounts(
            session, actor=ann, source_id=b["account"]["id"], target_id=a["account"]["id"]
        )
        assert target.name == "Acme main"
        assert [x.id for x in accounts.list_accounts(session, actor=ann)] == [a["account"]["id"]]
        assert len(accounts.account_files(session, actor=ann, account_id=target.id)) == 2
    with session_scope() as session:
        assert accounts.delete_account(session, actor=ann, account_id=a["account"]["id"]) == 2
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(RawData)) == 0
        assert session.scalar(select(func.count()).select_from(SocialFile)) == 0


def test_another_users_account_behaves_like_a_missing_one(any_db, tmp_path):
    a, _ = _two_accounts(tmp_path)
    bob = make_user("bob@example.com")
    boss = make_user("boss@example.com", role="admin")
    account_id = a["account"]["id"]
    calls = [
        lambda s: accounts.get_account(s, actor=bob, account_id=account_id),
        lambda s: accounts.rename_account(s, actor=bob, account_id=account_id, name="mine"),
        lambda s: accounts.delete_account(s, actor=bob, account_id=account_id),
        lambda s: accounts.account_files(s, actor=bob, account_id=account_id),
        lambda s: accounts.find_account(s, actor=bob, ref="A"),
        lambda s: accounts.get_account(s, actor=bob, account_id=999_999),
    ]
    for call in calls:
        with session_scope() as session, pytest.raises(accounts.AccountNotFound):
            call(session)
    with session_scope() as session:
        bobs = accounts.create_account(session, actor=bob, name="Bob", platform="generic")
        with pytest.raises(files.FileNotFound):
            accounts.move_file(session, actor=bob, file_id=a["file_id"], account_id=bobs.id)
        assert accounts.list_accounts(session, actor=bob) == [bobs]
        assert accounts.list_accounts(session, actor=boss) == []  # an admin's own by default
        assert len(accounts.list_accounts(session, actor=boss, everyone=True)) == 3
        assert accounts.get_account(session, actor=boss, account_id=account_id).name == "A"


def test_brands_crud_and_membership(any_db, tmp_path):
    a, b = _two_accounts(tmp_path)
    ann, bob = actor("ann@example.com"), make_user("bob@example.com")
    with session_scope() as session:
        brand = accounts.create_brand(session, actor=ann, name="Acme", colour="#ff0000")
        with pytest.raises(accounts.AccountError):
            accounts.create_brand(session, actor=ann, name="acme")
        accounts.set_brand(session, actor=ann, account_id=a["account"]["id"], brand_id=brand.id)
        accounts.update_brand(session, actor=ann, brand_id=brand.id, name="Acme Ltd")
        assert accounts.find_brand(session, actor=ann, ref="acme ltd").id == brand.id
        with pytest.raises(accounts.BrandNotFound):
            accounts.get_brand(session, actor=bob, brand_id=brand.id)
        with pytest.raises(accounts.BrandNotFound):
            accounts.set_brand(session, actor=ann, account_id=b["account"]["id"], brand_id=999)
        accounts.delete_brand(session, actor=ann, brand_id=brand.id)
        assert accounts.get_account(session, actor=ann, account_id=a["account"]["id"]).brand_id is None
