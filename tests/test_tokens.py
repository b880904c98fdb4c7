"""API credentials in core: JWT kinds and versions, personal tokens, and what the API reads through."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest

from core import files, reports, tokens, users
from core.db import session_scope
from core.models import SocialFile, User, utcnow
from core.pipeline import process_file
from tests.factories import make_user
from tests.reports.report_factories import post_rows, report_file
from tests.worker.uploads import upload


def _user(role: str = "user") -> User:
    with session_scope() as session:
        return session.get(User, make_user(role=role).id)


def test_a_jwt_names_its_user_and_kind(any_db):
    user = _user()
    with session_scope() as session:
        access = tokens.issue(user, kind=tokens.ACCESS)
        assert tokens.read_jwt(session, token=access).user.id == user.id
        with pytest.raises(tokens.TokenInvalid, match="needs the refresh token"):
            tokens.read_jwt(session, token=access, kind=tokens.REFRESH)
        assert tokens.refresh(session, token=tokens.issue(user, kind=tokens.REFRESH))["access"]


def test_the_token_version_moves_when_sessions_end(any_db):
    user = _user()
    access = tokens.issue(user, kind=tokens.ACCESS)
    assert tokens.token_version(user) == 0
    with session_scope() as session:
        users.end_sessions(session, user_id=user.id)
    with session_scope() as session:
        assert tokens.token_version(session.get(User, user.id)) > 0
        with pytest.raises(tokens.TokenInvalid, match="revoked"):
            tokens.read_jwt(session, token=access)
        fresh = tokens.issue(session.get(User, user.id), kind=tokens.ACCESS)
        assert tokens.read_jwt(session, token=fresh).user.id == user.id


def test_expired_and_future_tokens_are_refused(any_db):
    user = _user()
    with session_scope() as session:
        old = tokens.issue(user, kind=tokens.ACCESS, now=time.time() - 901)
        with pytest.raises(tokens.TokenInvalid, match="expired"):
            tokens.read_jwt(session, token=old)
        future = tokens.issue(user, kind=tokens.ACCESS, now=time.time() + 3600)
        with pytest.raises(tokens.TokenInvalid):
            tokens.read_jwt(session, token=future)


def test_personal_tokens_stop_while_the_account_is_locked(any_db):
    user = _user()
    with session_scope() as session:
        _, secret = tokens.create_personal(session, user=user, name="  ci   job ")
        assert [t.name for t in tokens.list_personal(session, user=user)] == ["ci job"]
    with session_scope() as session:
        assert tokens.authenticate(session, token=secret).expires_at is None
        assert tokens.list_personal(session, user=user)[0].last_used_at is not None
        session.get(User, user.id).locked_until = utcnow() + timedelta(minutes=5)
    with session_scope() as session, pytest.raises(tokens.TokenInvalid):
        tokens.authenticate(session, token=secret)
    with session_scope() as session, pytest.raises(ValueError, match="Name the token"):
        tokens.create_personal(session, user=user, name=" ")


def test_watch_statuses_is_scoped_and_sees_what_changed(any_db):
    owner, other = _user(), _user()
    since = utcnow() - timedelta(seconds=1)
    mine = upload(owner, "a.csv", b"date,views\n2024-01-01,1\n")
    upload(other, "b.csv", b"date,views\n2024-01-01,2\n")
    with session_scope() as session:
        (row,) = files.watch_statuses(session, actor=owner, watched=set(), since=since)
    assert row == (mine, "queued", 0, None)
    process_file(mine)
    later = utcnow()
    with session_scope() as session:
        assert files.watch_statuses(session, actor=owner, watched=set(), since=later) == []
        (row,) = files.watch_statuses(session, actor=owner, watched={mine}, since=later)
    assert row[:3] == (mine, "ready", 100)


def test_a_rejected_file_keeps_each_problem_located(any_db):
    owner = _user()
    file_id = upload(owner, "bad.csv", b"date,views\n2024-01-01,1\n2024-01-02,x1\n")
    process_file(file_id)
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        assert file.status == "error"
        assert file.error_details == [
            {"message": file.error_details[0]["message"], "line": 3, "column": "views", "value": "x1"}
        ]
        files.retry_file(session, actor=session.get(User, owner.id), file_id=file_id)
        assert file.error_details is None


def test_ready_report_is_none_until_built_and_scoped(any_db):
    owner, other = _user(), _user()
    file_id = report_file(owner=owner.id, rows=post_rows(days=10, per_day=1))
    with session_scope() as session:
        assert reports.ready_report(session, actor=owner, file_id=file_id, fmt="csv") is None
        with pytest.raises(files.FileNotFound):
            reports.ready_report(session, actor=other, file_id=file_id, fmt="csv")
        with pytest.raises(files.FileNotFound):
            reports.ready_report(session, actor=owner, file_id=uuid.uuid4(), fmt="csv")
        reports.get_or_create_report(session, actor=owner, file_id=file_id, fmt="csv")
    with session_scope() as session:
        name, path = reports.ready_report(session, actor=owner, file_id=file_id, fmt="csv")
    assert name.endswith(".csv") and path.endswith(".csv")
