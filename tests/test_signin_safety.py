"""Sign-in under attack, on SQLite and PostgreSQL: attempts left, growing locks that never shut the
admin out for good, the command-line way back in, one-time links, common passwords refused."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from core import auth, signin_links, users
from core.db import session_scope
from core.models import SignInLink, User, utcnow
from tests.conftest import ROOT

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


def make(email="anna@example.com", role="user") -> User:
    with session_scope() as session:
        return users.create_user(session, email=email, password=PASSWORD, role=role)


def refusal(email: str, password: str, *, now=None) -> str:
    with session_scope() as session, pytest.raises(users.LoginFailed) as caught:
        users.authenticate(session, email=email, password=password, now=now)
    return str(caught.value)


def lock(email: str, *, now=None) -> list[str]:
    return [refusal(email, f"wrong {i}", now=now) for i in range(auth.MAX_FAILED_LOGINS)]


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env=dict(os.environ),
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_each_refusal_says_how_many_attempts_are_left_alike_for_an_unknown_email(any_db):
    make()
    known, unknown = lock("anna@example.com"), lock("nobody@example.com")
    assert known == unknown
    assert known[0] == "Wrong email or password. 4 attempts left before sign-in is locked for 15 minutes."
    assert known[3] == "Wrong email or password. 1 attempt left before sign-in is locked for 15 minutes."
    assert "locked, try again in 15 minutes" in known[4]
    assert refusal("anna@example.com", PASSWORD) == refusal("nobody@example.com", PASSWORD)


def test_each_lock_in_a_row_lasts_twice_as_long_until_a_good_sign_in(any_db):
    make()
    now = utcnow()
    assert "in 15 minutes" in lock("anna@example.com", now=now)[-1]
    now += timedelta(minutes=16)
    messages = lock("anna@example.com", now=now)
    assert messages[0].endswith("locked for 30 minutes.") and "in 30 minutes" in messages[-1]
    now += timedelta(minutes=31)
    assert "in 60 minutes" in lock("anna@example.com", now=now)[-1]
    now += timedelta(minutes=61)
    with session_scope() as session:
        users.authenticate(session, email="anna@example.com", password=PASSWORD, now=now)
    assert "in 15 minutes" in lock("anna@example.com", now=now)[-1]


def test_a_lock_never_lasts_more_than_a_day(any_db):
    make(role="admin")
    now = utcnow()
    for _ in range(12):
        last = lock("anna@example.com", now=now)[-1]
        now += timedelta(days=1, seconds=1)
    assert "in 1440 minutes" in last
    with session_scope() as session:
        assert users.authenticate(session, email="anna@example.com", password=PASSWORD, now=now)


def test_the_command_line_unlocks_a_locked_admin(any_db):
    make(role="admin")
    lock("anna@example.com")
    done = cli("users", "unlock", "ANNA@example.com")
    assert done.returncode == 0, done.stderr
    assert users.sign_in(email="anna@example.com", password=PASSWORD).role == "admin"
    unknown = cli("users", "unlock", "nobody@example.com")
    assert unknown.returncode == 2 and "No account has the email nobody@example.com" in unknown.stderr


def test_the_command_line_sets_a_password_read_from_standard_input(any_db):
    make(role="admin")
    lock("anna@example.com")
    assert cli("users", "set-password", "anna@example.com", "--password", NEW_PASSWORD).returncode == 2
    common = cli("users", "set-password", "anna@example.com", stdin="Password1\n")
    assert common.returncode == 2 and "most common" in common.stderr
    done = cli("users", "set-password", "anna@example.com", stdin=NEW_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert NEW_PASSWORD not in done.stdout
    assert users.sign_in(email="anna@example.com", password=NEW_PASSWORD).email == "anna@example.com"
    assert refusal("anna@example.com", PASSWORD).startswith(auth.LOGIN_FAILED_MESSAGE)


def test_an_admin_resets_a_password_which_ends_sessions_and_lifts_the_lock(any_db):
    admin, anna = make("root@example.com", role="admin"), make()
    lock("anna@example.com")
    with session_scope() as session, pytest.raises(auth.AccessDenied):
        users.reset_password(session, actor=anna, user_id=admin.id, password=NEW_PASSWORD)
    with session_scope() as session, pytest.raises(users.UserError, match="most common"):
        users.reset_password(session, actor=admin, user_id=anna.id, password="iloveyou1")
    with session_scope() as session:
        users.reset_password(session, actor=admin, user_id=anna.id, password=NEW_PASSWORD)
        stored = session.get(User, anna.id)
        assert stored.sessions_valid_after is not None and stored.locked_until is None
    assert users.sign_in(email="anna@example.com", password=NEW_PASSWORD).id == anna.id


@pytest.mark.parametrize("password", ["password1", "Qwerty123", "ILOVEYOU", "baseball"])
def test_common_passwords_are_refused_at_registration(sqlite_db, password):
    make("root@example.com", role="admin")
    with session_scope() as session, pytest.raises(users.UserError, match="most common"):
        users.register_user(session, email="anna@example.com", password=password)


def issue(admin: User, user: User, **kwargs) -> str:
    with session_scope() as session:
        return signin_links.issue_link(session, actor=admin, user_id=user.id, **kwargs)


def redeem(token: str, **kwargs) -> User:
    with session_scope() as session:
        return signin_links.redeem_link(session, token=token, **kwargs)


def test_a_one_time_link_signs_in_once_and_lifts_the_lock(any_db):
    admin, anna = make("root@example.com", role="admin"), make()
    lock("anna@example.com")
    token = issue(admin, anna)
    with session_scope() as session:
        stored = session.scalar(select(SignInLink.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert redeem(token).id == anna.id
    with pytest.raises(users.LoginFailed, match="used already"):
        redeem(token)
    assert users.sign_in(email="anna@example.com", password=PASSWORD).id == anna.id


def test_a_link_expires_is_replaced_by_a_newer_one_and_only_admins_issue_them(any_db):
    admin, anna = make("root@example.com", role="admin"), make()
    first = issue(admin, anna)
    second = issue(admin, anna)
    with pytest.raises(users.LoginFailed):
        redeem(first)
    with pytest.raises(users.LoginFailed):
        redeem(second, now=utcnow() + timedelta(hours=24, seconds=1))
    with pytest.raises(users.LoginFailed):
        redeem("not-a-token")
    with pytest.raises(auth.AccessDenied):
        issue(anna, admin)
    assert signin_links.link_url("http://host:8501/app?x=1", "tok") == "http://host:8501/app/?signin=tok"
