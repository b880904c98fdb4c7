"""core.storage: one interface; PostgreSQL keeps objects a MiB per row, the embedded default a folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import files, pipeline, storage, uploads
from core.db import session_scope
from core.models import SocialFile, StoredChunk, User
from core.reports import service
from tests.factories import make_user
from tests.worker.uploads import canonical_csv


def _chunks_of(key: str) -> list[int]:
    with session_scope() as session:
        query = select(func.length(StoredChunk.data)).where(StoredChunk.key == key).order_by(StoredChunk.seq)
        return list(session.scalars(query))


def test_the_database_store_streams_an_object_a_chunk_at_a_time(pg_db):
    store = storage.get_store()
    assert isinstance(store, storage.DatabaseStore)
    size = storage.CHUNK * 2 + 12_345
    pieces = (bytes([i % 251]) * 100_000 for i in range(size // 100_000))  # any piece size in
    data = b"".join(bytes([i % 251]) * 100_000 for i in range(size // 100_000))
    with session_scope() as session:  # chunks belong to a file: written with it
        file = uploads.create_upload(session, actor=make_user(), name="a.csv", data=b"date,views\n")
        key = store.key("uploads", str(file.id), "big.csv")
        store.write(key, pieces, session=session)

    assert _chunks_of(key) == [storage.CHUNK, storage.CHUNK, len(data) - 2 * storage.CHUNK]
    read = list(store.chunks(key))
    assert [len(c) for c in read] == _chunks_of(key) and b"".join(read) == data
    with store.local_path(key) as path:
        assert path.read_bytes() == data
    store.delete([key])
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.read_bytes(key)


def test_an_upload_over_the_limit_leaves_no_chunk(pg_db, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    with session_scope() as session:
        user = User(email="s@example.com", password_hash="!")
        session.add(user)
        session.flush()
        with pytest.raises(uploads.UploadRejected, match="larger than the 1 MB upload limit"):
            uploads.create_upload(session, actor=user, name="big.csv", data=io.BytesIO(b"x" * (3 << 20)))
        assert session.scalar(select(func.count()).select_from(StoredChunk)) == 0


def test_the_embedded_default_keeps_uploads_under_storage_dir(sqlite_db):
    from core.config import get_settings

    store = storage.get_store()
    assert isinstance(store, storage.LocalStore)
    key = store.key("uploads", "f", "a.csv")
    store.write(key, [b"date,views\n", b"2024-01-01,1\n"])
    assert (get_settings().uploads_dir / "f" / "a.csv").read_bytes() == b"date,views\n2024-01-01,1\n"
    store.delete([key])
    assert not (get_settings().uploads_dir / "f").exists()


UPLOAD_MEMORY = """
import re, sys
from core import uploads
from core.db import session_scope
from core.storage import get_store
from tests.factories import make_user

def status(field):
    with open("/proc/self/status") as fh:
        return int(re.search(field + r":\\s+(\\d+) kB", fh.read()).group(1)) << 10

size, user = int(sys.argv[1]), make_user()
data = bytes(range(256)) * (size // 256)  # an upload already in memory (a page's, a test's)
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # the peak starts again from here
base = status("VmRSS")
with session_scope() as session:
    file = uploads.create_upload(session, actor=user, name="big.csv", data=data)
peak = status("VmHWM")
try:
    with session_scope() as session:
        uploads.create_upload(session, actor=user, name="again.csv", data=data)
    again = "stored twice"
except uploads.DuplicateUpload:
    again = "duplicate"
stored = sum(len(c) for c in get_store().chunks(file.path))
print(base, peak, file.size_bytes, stored, again)
"""


@pytest.mark.parametrize("backend", ["database", "local"])
def test_an_upload_in_memory_is_stored_a_chunk_at_a_time(backend, any_db, monkeypatch):
    """create_upload copied bytes it was given whole into the database store's buffer (407 MB: 614 MB
    more at the peak); now a chunk at a time, whatever the store, and duplicates are still found."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    if backend == "database" and any_db != "postgresql":
        pytest.skip("the database store is PostgreSQL's")
    monkeypatch.setenv("STORAGE_BACKEND", backend)
    size = 96 << 20
    done = subprocess.run(
        [sys.executable, "-c", UPLOAD_MEMORY, str(size)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    base, peak, size_bytes, stored, again = done.stdout.split()
    print(
        f"\n96 MB upload in memory to the {backend} store: peak {(int(peak) - int(base)) >> 20} MB over RSS"
    )
    assert int(size_bytes) == int(stored) == size and again == "duplicate"
    assert int(peak) - int(base) < 40 << 20


def test_the_embedded_folder_follows_the_transaction(sqlite_db):
    """A deletion rolled back keeps the bytes its rows still name; an upload rolled back leaves none."""
    from core.config import get_settings

    user = make_user()
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name="stats.csv", data=canonical_csv(60))
    pipeline.process_file(file.id)
    with session_scope() as session:
        report = service.get_or_create_report(session, actor=user, file_id=file.id, fmt="csv")
    on_disk = [Path(file.path), get_settings().reports_dir / Path(report.path).name]
    assert all(p.is_file() for p in on_disk)

    with pytest.raises(RuntimeError), session_scope() as session:
        files.delete_file(session, actor=user, file_id=file.id)
        raise RuntimeError("changed my mind")
    assert all(p.is_file() for p in on_disk)
    with session_scope() as session:  # the file is still whole: it is read again
        files.retry_file(session, actor=user, file_id=file.id)
    pipeline.process_file(file.id)
    with session_scope() as session:
        assert session.get(SocialFile, file.id).status == "ready"
        files.delete_file(session, actor=user, file_id=file.id)
    assert not any(p.exists() for p in on_disk)

    with pytest.raises(RuntimeError), session_scope() as session:
        again = uploads.create_upload(session, actor=user, name="again.csv", data=canonical_csv(30))
        written = Path(again.path)
        assert written.is_file()
        raise RuntimeError("the request failed after the bytes were stored")
    assert not written.exists()
