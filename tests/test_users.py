"""Accounts in the database, on SQLite and PostgreSQL: creation, sign-in, lockout, sign-out, admin changes."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import auth, users
from core.config import get_settings
from core.db import session_scope
from core.models import User, utcnow

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


def make(email="anna@example.com", password=PASSWORD, role="user", name="") -> User:
    with session_scope() as session:
        return users.create_user(session, email=email, password=password, role=role, name=name)


def fetch(email: str) -> User:
    with session_scope() as session:
        return session.scalar(select(User).where(User.email == email))


def failure(email: str, password: str) -> str:
    with pytest.raises(users.LoginFailed) as caught:
        users.sign_in(email=email, password=password)
    return str(caught.value)


def test_create_user_stores_a_hash_and_a_normalized_email(any_db):
    user = make(email="  Anna@Example.COM ", name="  Anna   K. ")
    stored = fetch("anna@example.com")
    assert stored.id == user.id and stored.role == "user" and stored.is_active
    assert stored.name == "Anna K."
    assert stored.password_hash.startswith("$2b$") and PASSWORD not in stored.password_hash
    assert stored.failed_logins == 0 and stored.locked_until is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-email"}, "not an email address"),
        ({"password": "short"}, "too short"),
        ({"password": "x" * 129}, "too long"),
        ({"role": "superuser"}, "Unknown role"),
    ],
)
def test_create_user_refuses_bad_input_with_a_clear_message(any_db, kwargs, message):
    with pytest.raises(users.UserError, match=message):
        make(**kwargs)
    with session_scope() as session:
        assert users.count_users(session) == 0


def test_an_email_is_one_account_whatever_its_case(any_db):
    make(email="anna@example.com")
    with pytest.raises(users.UserError, match="anna@example.com already exists"):
        make(email="ANNA@example.com")


def test_cyrillic_password_of_128_characters_signs_in(any_db):
    password = "пароль" * 21 + "ok"
    assert len(password) == 128
    make(password=password)
    assert users.sign_in(email="anna@example.com", password=password).email == "anna@example.com"


def test_unknown_email_and_wrong_password_get_the_same_message(any_db):
    make()
    unknown = failure("nobody@example.com", PASSWORD)
    wrong = failure("anna@example.com", "not the password")
    assert unknown == wrong == auth.attempts_left_message(4, lock_level=0)


def test_failures_are_counted_in_the_database(any_db):
    make()
    for _ in range(3):
        failure("anna@example.com", "wrong password")
    assert fetch("anna@example.com").failed_logins == 3
    users.sign_in(email="anna@example.com", password=PASSWORD)
    assert fetch("anna@example.com").failed_logins == 0


def test_five_failures_lock_the_account_for_15_minutes(any_db):
    make()
    messages = [failure("anna@example.com", f"wrong {i}") for i in range(5)]
    assert messages[:4] == [auth.attempts_left_message(n, lock_level=0) for n in (4, 3, 2, 1)]
    assert "locked, try again in 15 minutes" in messages[4]
    # The right password does not get in while the lock lasts.
    assert "locked, try again in 15 minutes" in failure("anna@example.com", PASSWORD)
    stored = fetch("anna@example.com")
    assert auth.lock_minutes_left(stored.locked_until, now=utcnow()) == 15


def test_the_lock_expires(any_db):
    make()
    for i in range(5):
        failure("anna@example.com", f"wrong {i}")
    later = utcnow() + timedelta(minutes=15, seconds=1)
    with session_scope() as session:
        with pytest.raises(users.LoginFailed, match="in 1 minute"):
            users.authenticate(
                session, email="anna@example.com", password=PASSWORD, now=later - timedelta(minutes=1)
            )
        user = users.authenticate(session, email="anna@example.com", password=PASSWORD, now=later)
        assert user.locked_until is None and user.failed_logins == 0


def test_a_lock_is_per_account(any_db):
    make(email="anna@example.com")
    make(email="boris@example.com")
    for i in range(5):
        failure("anna@example.com", f"wrong {i}")
    assert users.sign_in(email="boris@example.com", password=PASSWORD).email == "boris@example.com"


def test_an_admin_can_unlock_early(any_db):
    admin = make(email="root@example.com", role="admin")
    user = make()
    for i in range(5):
        failure("anna@example.com", f"wrong {i}")
    with session_scope() as session:
        users.unlock(session, actor=admin, user_id=user.id)
    assert users.sign_in(email="anna@example.com", password=PASSWORD).id == user.id


def test_a_disabled_account_cannot_sign_in(any_db):
    admin = make(email="root@example.com", role="admin")
    user = make()
    with session_scope() as session:
        users.set_active(session, actor=admin, user_id=user.id, active=False)
    assert "disabled" in failure("anna@example.com", PASSWORD)
    assert failure("anna@example.com", "wrong password").startswith(auth.LOGIN_FAILED_MESSAGE)


def test_the_command_line_placeholder_cannot_sign_in(any_db):
    with session_scope() as session:
        session.add(User(email="cli@localhost", password_hash="!", role="user", is_active=False))
    assert failure("cli@localhost", "!").startswith(auth.LOGIN_FAILED_MESSAGE)


def _token_for(user: User, *, at: float | None = None) -> str:
    return auth.issue_token(user_id=user.id, email=user.email, key=get_settings().auth_cookie_key, now=at)


def _cookie_user(token: str) -> User | None:
    with session_scope() as session:
        return users.user_from_token(session, token=token, key=get_settings().auth_cookie_key)


def test_signing_out_voids_every_cookie_issued_before(any_db):
    user = make()
    before = _token_for(user)
    assert _cookie_user(before).id == user.id
    with session_scope() as session:
        users.end_sessions(session, user_id=user.id)
    assert _cookie_user(before) is None  # a copied cookie stops working
    assert _cookie_user(_token_for(user)).id == user.id  # signing in again works


def test_a_cookie_for_a_deleted_or_renamed_account_is_void(any_db):
    user = make()
    token = _token_for(user)
    with session_scope() as session:
        session.get(User, user.id).email = "someone.else@example.com"
    assert _cookie_user(token) is None
    with session_scope() as session:
        session.delete(session.get(User, user.id))
    assert _cookie_user(token) is None


def test_change_password_checks_the_current_one_and_ends_other_sessions(any_db):
    user = make()
    old_cookie = _token_for(user)
    with session_scope() as session, pytest.raises(users.UserError, match="current password is wrong"):
        users.change_password(session, user_id=user.id, current_password="nope", new_password="новый пароль")
    with session_scope() as session, pytest.raises(users.UserError, match="too short"):
        users.change_password(session, user_id=user.id, current_password=PASSWORD, new_password="short")
    with session_scope() as session:
        users.change_password(
            session, user_id=user.id, current_password=PASSWORD, new_password="новый пароль"
        )
    assert failure("anna@example.com", PASSWORD).startswith(auth.LOGIN_FAILED_MESSAGE)
    assert users.sign_in(email="anna@example.com", password="новый пароль").id == user.id
    assert _cookie_user(old_cookie) is None
    time.sleep(0.001)
    assert _cookie_user(_token_for(user)).id == user.id


def test_roles_are_changed_by_admins_only(any_db):
    admin = make(email="root@example.com", role="admin")
    user = make()
    with session_scope() as session, pytest.raises(auth.AccessDenied):
        users.set_role(session, actor=user, user_id=user.id, role="admin")
    with session_scope() as session:
        users.set_role(session, actor=admin, user_id=user.id, role="admin")
    assert fetch("anna@example.com").role == "admin"


def test_the_last_active_admin_stays_admin_and_enabled(any_db):
    admin = make(email="root@example.com", role="admin")
    with session_scope() as session, pytest.raises(users.UserError, match="last active administrator"):
        users.set_role(session, actor=admin, user_id=admin.id, role="user")
    other = make(email="second@example.com", role="admin")
    with session_scope() as session, pytest.raises(users.UserError, match="your own account"):
        users.set_active(session, actor=admin, user_id=admin.id, active=False)
    with session_scope() as session:
        users.set_role(session, actor=other, user_id=admin.id, role="user")
    with session_scope() as session, pytest.raises(users.UserError, match="last active administrator"):
        users.set_active(session, actor=admin, user_id=other.id, active=False)


def test_disabling_an_account_ends_its_sessions(any_db):
    admin = make(email="root@example.com", role="admin")
    user = make()
    cookie = _token_for(user)
    with session_scope() as session:
        users.set_active(session, actor=admin, user_id=user.id, active=False)
    assert _cookie_user(cookie) is None
    with session_scope() as session:
        users.set_active(session, actor=admin, user_id=user.id, active=True)
        assert users.session_user(session, user_id=user.id, issued_at=time.time()).id == user.id


def test_setup_creates_one_administrator_only(any_db):
    with session_scope() as session:
        # Files ingested from the command line before setup belong to an inactive placeholder.
        session.add(User(email="cli@localhost", password_hash="!", role="user", is_active=False))
    with session_scope() as session:
        assert users.needs_setup(session)
        admin = users.create_first_admin(session, email="root@example.com", password=PASSWORD)
    assert admin.role == "admin"
    with session_scope() as session:
        assert not users.needs_setup(session)
        with pytest.raises(users.UserError, match="already has an administrator"):
            users.create_first_admin(session, email="intruder@example.com", password=PASSWORD)
    assert fetch("intruder@example.com") is None


def test_registration_makes_users_and_can_be_turned_off(any_db, monkeypatch):
    make(email="root@example.com", role="admin")
    with session_scope() as session:
        assert users.register_user(session, email="new@example.com", password=PASSWORD).role == "user"
    monkeypatch.setenv("ALLOW_REGISTRATION", "false")
    get_settings.cache_clear()
    with session_scope() as session, pytest.raises(users.UserError, match="Registration is turned off"):
        users.register_user(session, email="late@example.com", password=PASSWORD)
    assert fetch("late@example.com") is None


def test_registration_waits_for_setup(any_db):
    with session_scope() as session, pytest.raises(users.UserError, match="setup"):
        users.register_user(session, email="early@example.com", password=PASSWORD)


def test_list_users_oldest_first(any_db):
    make(email="b@example.com")
    make(email="a@example.com")
    with session_scope() as session:
        assert [u.email for u in users.list_users(session)] == ["b@example.com", "a@example.com"]
        assert users.count_users(session) == 2
        assert users.get_user_by_email(session, email=" A@EXAMPLE.com").email == "a@example.com"


def test_racing_setups_create_a_single_administrator(any_db):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(i: int) -> str:
        try:
            with session_scope() as session:
                users.create_first_admin(session, email=f"admin{i}@example.com", password=PASSWORD)
            return "created"
        except users.UserError:
            return "refused"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert sorted(outcomes) == ["created", "refused", "refused", "refused"]
    with session_scope() as session:
        assert [u.role for u in users.list_users(session)] == ["admin"]
