"""The Accounts page (AppTest): rename, brand, merge, move a file, delete after a confirmation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core import accounts
from core.db import session_scope
from core.models import Account, SocialFile
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import days_csv, ingest, open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


@pytest.fixture
def anna():
    make_user("root@example.com", role="admin")
    return make_user("anna@example.com")


def rows(user) -> dict[str, tuple]:
    """{account name: (brand name, [file names])} as the database has them."""
    with session_scope() as session:
        found = session.scalars(select(Account).where(Account.user_id == user.id)).all()
        out = {}
        for a in found:
            names = session.scalars(
                select(SocialFile.original_name).where(SocialFile.account_id == a.id)
            ).all()
            out[a.name] = (a.brand.name if a.brand else None, sorted(names))
        return out


def two_accounts(user) -> tuple[int, int, object]:
    ingest(user, days_csv(10), name="main.csv")
    second = ingest(user, days_csv(5, start=date(2024, 6, 1)), name="second.csv")  # joins "main"
    with session_scope() as session:
        main = accounts.find_account(session, actor=user, ref="main")
        other = accounts.create_account(session, actor=user, name="Other", platform=main.platform)
        return main.id, other.id, second


def test_rename_and_put_into_a_new_brand(anna):
    main, _, _ = two_accounts(anna)
    at = open_page("pages/accounts.py", anna)
    assert not at.exception
    at.text_input(key="accounts_brand_name").input("Acme")
    at = at.button(key="accounts_brand_create").click().run()
    with session_scope() as session:
        [brand] = accounts.list_brands(session, actor=anna)
    at.text_input(key=f"accounts_{main}_name").input("Acme on YouTube")
    at.selectbox(key=f"accounts_{main}_brand").select(brand.id)
    at = at.button(key=f"accounts_{main}_save").click().run()
    assert not at.exception
    assert rows(anna)["Acme on YouTube"] == ("Acme", ["main.csv", "second.csv"])


def test_move_a_file_then_merge_the_accounts(anna):
    main, other, second = two_accounts(anna)
    at = open_page("pages/accounts.py", anna)
    at.selectbox(key=f"accounts_{main}_move_{second}").select(other)
    at = at.button(key=f"accounts_{main}_move_go_{second}").click().run()
    assert rows(anna) == {"main": (None, ["main.csv"]), "Other": (None, ["second.csv"])}
    at.selectbox(key=f"accounts_{other}_merge_into").select(main)
    at = at.button(key=f"accounts_{other}_merge").click().run()
    assert not at.exception
    assert rows(anna) == {"main": (None, ["main.csv", "second.csv"])}


def test_delete_asks_first_then_removes_the_account_and_its_files(anna):
    main, other, _ = two_accounts(anna)
    at = open_page("pages/accounts.py", anna)
    at = at.button(key=f"accounts_{main}_delete").click().run()
    assert 'Delete "main" and its 2 exports, with their data and reports?' in [w.value for w in at.warning]
    assert "main" in rows(anna)  # nothing gone yet
    at = at.button(key=f"accounts_{main}_delete_yes").click().run()
    assert not at.exception
    assert rows(anna) == {"Other": (None, [])}
    with session_scope() as session:
        assert session.scalars(select(SocialFile)).all() == []


def test_another_users_accounts_are_not_listed(anna):
    two_accounts(anna)
    ben = make_user("ben@example.com")
    at = open_page("pages/accounts.py", ben)
    assert not at.exception
    assert "No account yet" in texts(at)
    assert "main" not in texts(at)
