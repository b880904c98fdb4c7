"""Stored chunks belong to their file or report (foreign keys): no way of deleting either leaves one behind."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError

from core import storage, uploads
from core.db import session_scope
from core.models import ReportExport, SocialFile, StoredChunk, User
from tests.conftest import migrate_to
from tests.factories import make_user


def _owners() -> list[tuple]:
    with session_scope() as session:
        query = select(StoredChunk.key, StoredChunk.file_id, StoredChunk.report_id).order_by(StoredChunk.key)
        return [tuple(r) for r in session.execute(query)]


def _file_with_report(user: User, fill: bytes) -> tuple[uuid.UUID, uuid.UUID]:
    """A stored upload and a stored report of it (3 MiB: several chunks)."""
    store = storage.get_store()
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name="a.csv", data=fill * (3 << 20))
        report = ReportExport(id=uuid.uuid4(), file_id=file.id, user_id=user.id, format="csv", size_bytes=3)
        report.path = store.key("reports", f"{report.id}.csv")
        store.write(report.path, [b"a,b\n"], session=session)
        session.add(report)
        return file.id, report.id


def test_deleting_a_report_or_a_file_by_any_means_removes_their_chunks(pg_db):
    user = make_user()
    file_id, report_id = _file_with_report(user, b"x")
    other_file, other_report = _file_with_report(user, b"y")
    owners = _owners()
    assert {(f, r) for _, f, r in owners} == {
        (file_id, None), (None, report_id), (other_file, None), (None, other_report)
    }  # fmt: skip
    assert len(owners) == 3 + 3 + 1 + 1

    with session_scope() as session:  # no store.delete: the rows alone
        session.execute(delete(ReportExport).where(ReportExport.id == report_id))
    assert {(f, r) for _, f, r in _owners()} == {(file_id, None), (other_file, None), (None, other_report)}
    with session_scope() as session:  # a file's deletion takes its reports' chunks too
        session.execute(delete(SocialFile).where(SocialFile.id == other_file))
    assert {(f, r) for _, f, r in _owners()} == {(file_id, None)}
    with session_scope() as session:  # and so does its owner's
        session.execute(delete(User).where(User.id == user.id))
    assert _owners() == []


def test_chunks_of_no_file_or_report_are_refused(pg_db):
    store = storage.get_store()
    with pytest.raises(IntegrityError, match="fk_stored_chunks_file_id_social_files"):
        with session_scope() as session:
            store.write(store.key("uploads", str(uuid.uuid4()), "a.csv"), [b"x"], session=session)
    with pytest.raises(IntegrityError, match="fk_stored_chunks_report_id_report_exports"):
        store.write(store.key("reports", f"{uuid.uuid4()}.pdf"), [b"x"])
    with pytest.raises(ValueError, match="neither an upload's key nor a report's"):
        store.write("elsewhere/a.csv", [b"x"])
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StoredChunk)) == 0


def test_the_migration_gives_each_chunk_its_owner_and_drops_orphans(scratch):
    migrate_to(scratch, "0009")
    file_id = uuid.uuid4()
    key = f"uploads/{file_id}/a.csv"
    users = "INSERT INTO users (id, email, password_hash, name, role, is_active, failed_logins, created_at)"
    with scratch.begin() as conn:
        conn.execute(text(users + " VALUES (1, 'a@x.io', '!', '', 'user', true, 0, CURRENT_TIMESTAMP)"))
        conn.execute(
            SocialFile.__table__.insert().values(
                id=file_id,
                user_id=1,
                original_name="a.csv",
                path=key,
                size_bytes=2,
                platform_requested="auto",
                status="queued",
                created_at=datetime.now(UTC),
            )  # fmt: skip
        )
        for k, seq in ((key, 0), (key, 1), ("uploads/gone/b.csv", 0), (f"reports/{uuid.uuid4()}.pdf", 0)):
            conn.execute(
                text("INSERT INTO stored_chunks (key, seq, data) VALUES (:k, :s, :d)"),
                {"k": k, "s": seq, "d": b"x"},
            )
    migrate_to(scratch, "head")
    with scratch.connect() as conn:
        query = select(StoredChunk.key, StoredChunk.seq, StoredChunk.file_id, StoredChunk.report_id)
        rows = conn.execute(query.order_by(StoredChunk.seq)).all()
    assert [tuple(r) for r in rows] == [(key, 0, file_id, None), (key, 1, file_id, None)]
