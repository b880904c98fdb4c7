"""Migration 0002 on a database at 0001 that has files: every file keeps its rows and gains an account."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select, text

from core.models import Account, RawData, SocialFile
from tests.conftest import migrate_to


def _file(conn, *, user_id, platform, path, detection=None, status="ready"):
    file_id = uuid.uuid4()
    conn.execute(
        SocialFile.__table__.insert().values(
            id=file_id,
            user_id=user_id,
            original_name=path.name,
            path=str(path),
            size_bytes=1,
            platform_requested="auto",
            platform=platform,
            status=status,
            progress=100,
            rows=1,
            detection=detection,
            attempts=1,
            version=1,
            created_at=datetime.now(UTC),
        )  # fmt: skip
    )
    if platform:
        conn.execute(
            RawData.__table__.insert().values(file_id=file_id, line=2, date=date(2024, 1, 1), views=5)
        )
    return file_id


def test_existing_files_are_migrated_into_accounts(scratch, tmp_path):
    migrate_to(scratch, "0001")
    paths = []
    for i in range(5):
        paths.append(tmp_path / f"f{i}.csv")
        paths[-1].write_bytes(f"date,views\n2024-01-0{i + 1},5\n".encode())
    users = "INSERT INTO users (id, email, password_hash, name, role, is_active, failed_logins, created_at)"
    with scratch.begin() as conn:
        conn.execute(text(users + " VALUES (1, 'a@x.io', '!', '', 'user', true, 0, CURRENT_TIMESTAMP)"))
        conn.execute(text(users + " VALUES (2, 'b@x.io', '!', '', 'user', true, 0, CURRENT_TIMESTAMP)"))
        yt1 = _file(conn, user_id=1, platform="youtube", path=paths[0])
        yt2 = _file(conn, user_id=1, platform="youtube", path=paths[1])
        named = _file(conn, user_id=1, platform="youtube", path=paths[2], detection={"account_name": "Acme"})
        other = _file(conn, user_id=2, platform="youtube", path=paths[3])
        failed = _file(conn, user_id=1, platform=None, path=paths[4], status="error")
        gone = _file(conn, user_id=2, platform="vk", path=tmp_path / "deleted.csv")
    migrate_to(scratch, "head")
    with scratch.connect() as conn:
        files = {r.id: r for r in conn.execute(select(SocialFile.__table__))}
        accounts = {r.id: r for r in conn.execute(select(Account.__table__))}
        assert conn.scalar(select(func.count()).select_from(RawData)) == 5  # nothing lost
    assert files[yt1].account_id == files[yt2].account_id
    assert accounts[files[yt1].account_id].name == "YouTube"
    assert (
        accounts[files[named].account_id].name == "Acme"
        and accounts[files[named].account_id].handle == "Acme"
    )
    assert accounts[files[other].account_id].user_id == 2 != accounts[files[yt1].account_id].user_id
    assert accounts[files[gone].account_id].platform == "vk"
    assert files[failed].account_id is None
    assert files[yt1].sha256 == hashlib.sha256(paths[0].read_bytes()).hexdigest()
    assert files[gone].sha256 is None
    assert len(accounts) == 4
