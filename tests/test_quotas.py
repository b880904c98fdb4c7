"""Per-user limits on SQLite and PostgreSQL: uploads per 24 hours, stored bytes, files in flight —
a clear refusal, nothing half-stored, an admin's own limits for one user over the settings'."""

from __future__ import annotations

import io
import itertools

import pytest
from sqlalchemy import func, select

from core import auth, quotas, uploads, users
from core.config import get_settings
from core.db import session_scope
from core.models import SocialFile, User

CSV = b"date,views\n2024-01-01,5\n"
_SERIAL = itertools.count()


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def limits(monkeypatch):
    """Set limit settings for this test (the settings object is read again)."""

    def apply(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, str(value))
        get_settings.cache_clear()

    return apply


def make(email="anna@example.com", role="user") -> User:
    with session_scope() as session:
        return users.create_user(session, email=email, password="correct horse battery", role=role)


def upload(user: User, data=None) -> SocialFile:
    """Distinct bytes each time (the same bytes twice are a duplicate, refused for another reason)."""
    data = data if data is not None else CSV + f"2024-01-02,{next(_SERIAL)}\n".encode()
    with session_scope() as session:
        return uploads.create_upload(session, actor=user, name="stats.csv", data=data)


def stored_state(user: User) -> tuple[int, int]:
    """Rows recorded for the user, and uploads held by the store (chunks in the database on
    PostgreSQL, folders under the uploads directory on the embedded default)."""
    from core import storage
    from core.models import StoredChunk

    with session_scope() as session:
        rows = session.scalar(select(func.count()).where(SocialFile.user_id == user.id))
        if isinstance(storage.get_store(), storage.DatabaseStore):
            held = select(func.count()).where(StoredChunk.seq == 0, StoredChunk.key.like("uploads%"))
            return rows, session.scalar(held)
    folder = get_settings().uploads_dir
    return rows, len(list(folder.iterdir())) if folder.exists() else 0


def test_uploads_per_day_stop_at_the_limit_with_nothing_stored(any_db, limits):
    limits(MAX_UPLOADS_PER_DAY=2, MAX_FILES_IN_FLIGHT=0)
    anna, boris = make(), make("boris@example.com")
    upload(anna), upload(anna)
    with pytest.raises(quotas.QuotaExceeded, match="2 files in the last 24 hours, which is your limit"):
        upload(anna)
    assert stored_state(anna) == (2, 2)
    assert upload(boris).user_id == boris.id  # a limit is per user


def test_a_stream_past_the_stored_bytes_limit_is_cut_off_and_leaves_nothing(any_db, limits):
    limits(MAX_STORED_MB=1, MAX_FILES_IN_FLIGHT=0)
    anna = make()
    upload(anna, io.BytesIO(CSV + b"2024-01-02,2\n" * 45_000))  # 0.56 MB
    with pytest.raises(quotas.QuotaExceeded, match="past your 1 MB storage limit"):
        upload(anna, io.BytesIO(CSV + b"2024-01-02,1\n" * 45_000))
    assert stored_state(anna) == (1, 1)
    with session_scope() as session:
        session.delete(session.scalars(select(SocialFile)).one())
    assert upload(anna, io.BytesIO(CSV * 1000)).size_bytes == len(CSV) * 1000


def test_files_in_flight_are_limited_until_one_is_done(any_db, limits):
    limits(MAX_FILES_IN_FLIGHT=1)
    anna = make()
    first = upload(anna)
    with pytest.raises(quotas.QuotaExceeded, match="still being processed"):
        upload(anna)
    assert stored_state(anna) == (1, 1)
    with session_scope() as session:
        done = session.get(SocialFile, first.id)
        done.status, done.platform, done.row_kind = "ready", "generic", "days"
    assert upload(anna).status == "queued"


def test_an_admins_limit_for_one_user_beats_the_setting_and_0_means_none(any_db, limits):
    limits(MAX_UPLOADS_PER_DAY=1, MAX_FILES_IN_FLIGHT=0)
    admin, anna = make("root@example.com", role="admin"), make()
    with session_scope() as session:
        users.set_limits(
            session, actor=admin, user_id=anna.id, uploads_per_day=0, stored_mb=None, files_in_flight=2
        )
        anna = session.get(User, anna.id)
    for _ in range(2):
        upload(anna)
    with pytest.raises(quotas.QuotaExceeded, match="You have 2 files still being processed"):
        upload(anna)
    with session_scope() as session, pytest.raises(auth.AccessDenied):
        users.set_limits(
            session, actor=anna, user_id=anna.id, uploads_per_day=0, stored_mb=0, files_in_flight=0
        )


def test_the_check_before_storing_is_one_call_an_api_can_make(any_db, limits):
    limits(MAX_STORED_MB=1, MAX_FILES_IN_FLIGHT=0)
    anna = make()
    with session_scope() as session:
        assert uploads.check_limits(session, actor=anna, size_bytes=1000) == (1 << 20)
        with pytest.raises(quotas.QuotaExceeded, match="1 MB storage limit"):
            uploads.check_limits(session, actor=anna, size_bytes=(1 << 20) + 1)
