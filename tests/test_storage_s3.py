"""core.s3_store against a real S3-compatible HTTP server (moto's, on 127.0.0.1): uploads and reports
streamed into the bucket in parts, read back in chunks, deleted with their file when that commits."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from core import accounts, files, pipeline, storage, uploads
from core.config import ConfigError, get_settings, load_settings
from core.db import session_scope
from core.models import ReportExport, SocialFile, StoredChunk
from core.reports import scoped, service
from core.s3_store import PART, S3Store
from tests.conftest import bucket_keys
from tests.factories import make_user
from tests.worker.uploads import canonical_csv


def test_an_object_goes_up_in_parts_and_comes_back_in_chunks(sqlite_db, s3_bucket):
    client, bucket = s3_bucket
    store = storage.get_store()
    assert isinstance(store, S3Store) and store.bucket == bucket
    size = 2 * PART + 12_345
    pieces = (bytes([i % 251]) * 100_000 for i in range(size // 100_000 + 1))  # any piece size in
    data = b"".join(bytes([i % 251]) * 100_000 for i in range(size // 100_000 + 1))
    store.write("uploads/f/big.csv", pieces)

    assert client.head_object(Bucket=bucket, Key="uploads/f/big.csv")["ETag"].endswith('-3"')  # 3 parts
    read = list(store.chunks("uploads/f/big.csv"))
    assert len(read) > 2 and max(map(len, read)) <= storage.CHUNK and b"".join(read) == data
    with store.local_path("uploads/f/big.csv") as path:
        assert path.read_bytes() == data
    store.write("reports/r.csv", [b"a,b\n", b"1,2\n"])  # under a part: one plain PUT
    assert store.read_bytes("reports/r.csv") == b"a,b\n1,2\n"
    assert bucket_keys(client, bucket) == ["reports/r.csv", "uploads/f/big.csv"]
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []

    store.delete(["uploads/f/big.csv", "reports/r.csv"])
    assert not store.exists("uploads/f/big.csv") and bucket_keys(client, bucket) == []
    with pytest.raises(FileNotFoundError):
        store.read_bytes("uploads/f/big.csv")


def test_a_failed_stream_leaves_no_object_and_no_parts(sqlite_db, s3_bucket):
    client, bucket = s3_bucket

    def broken():
        yield b"x" * (PART + 1)
        raise OSError("the upload was cut off")

    with pytest.raises(OSError, match="cut off"):
        storage.get_store().write("uploads/f/a.csv", broken())
    assert bucket_keys(client, bucket) == []
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_an_upload_and_its_report_live_in_the_bucket_and_go_with_the_file(any_db, s3_bucket):
    client, bucket = s3_bucket
    user = make_user()
    with session_scope() as session:
        file = uploads.create_upload(
            session, actor=user, name="stats.csv", data=canonical_csv(200, per_day=4)
        )
    pipeline.process_file(file.id)
    with session_scope() as session:
        assert session.get(SocialFile, file.id).status == "ready"
        report = service.get_or_create_report(session, actor=user, file_id=file.id, fmt="pdf")
    name, data = service.report_file(report_id=report.id, user_id=user.id)
    assert data.startswith(b"%PDF-") and len(data) == report.size_bytes
    assert bucket_keys(client, bucket) == sorted([file.path, report.path])
    with session_scope() as session:  # nothing in the database or on this host's disk
        assert session.scalar(select(func.count()).select_from(StoredChunk)) == 0
    assert not get_settings().uploads_dir.exists() and not get_settings().reports_dir.exists()

    with pytest.raises(RuntimeError), session_scope() as session:  # a deletion rolled back keeps them
        files.delete_file(session, actor=user, file_id=file.id)
        raise RuntimeError("changed my mind")
    assert bucket_keys(client, bucket) == sorted([file.path, report.path])
    with session_scope() as session:
        files.delete_file(session, actor=user, file_id=file.id)
    assert bucket_keys(client, bucket) == []


def test_an_upload_refused_or_rolled_back_leaves_no_object(any_db, s3_bucket, monkeypatch):
    client, bucket = s3_bucket
    user = make_user()
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    with session_scope() as session, pytest.raises(uploads.UploadRejected, match="1 MB upload limit"):
        uploads.create_upload(session, actor=user, name="big.csv", data=io.BytesIO(b"x" * (3 << 20)))
    with pytest.raises(RuntimeError), session_scope() as session:
        uploads.create_upload(session, actor=user, name="a.csv", data=b"date,views\n2024-01-01,1\n")
        raise RuntimeError("the request failed after the bytes were stored")
    assert bucket_keys(client, bucket) == []


def test_the_s3_store_needs_a_bucket(tmp_path):
    with pytest.raises(ConfigError, match="STORAGE_BACKEND=s3 needs S3_BUCKET"):
        load_settings({"STORAGE_DIR": str(tmp_path), "STORAGE_BACKEND": "s3"})


def _scope_report(session, user, **scope):
    found = scoped.resolve_scope(session, actor=user, **scope)
    span = scoped.scope_span(session, found, start=None, end=None, period_days=None)
    return scoped.get_or_create_scope_report(session, actor=user, scope=found, span=span, fmt="csv").path


def test_the_reports_of_an_account_or_a_brand_go_with_it(any_db, s3_bucket):
    client, bucket = s3_bucket
    user = make_user()
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name="a.csv", data=canonical_csv(60, per_day=2))
    pipeline.process_file(file.id)
    with session_scope() as session:
        account_id = session.get(SocialFile, file.id).account_id
        brand = accounts.create_brand(session, actor=user, name="Acme")
        accounts.set_brand(session, actor=user, account_id=account_id, brand_id=brand.id)
    with session_scope() as session:
        report = service.get_or_create_report(session, actor=user, file_id=file.id, fmt="csv").path
        of_account = _scope_report(session, user, account=account_id)
        of_brand = _scope_report(session, user, brand=brand.id)
    assert bucket_keys(client, bucket) == sorted([file.path, report, of_account, of_brand])

    with session_scope() as session:
        accounts.delete_brand(session, actor=user, brand_id=brand.id)
    assert bucket_keys(client, bucket) == sorted([file.path, report, of_account])
    with session_scope() as session:
        accounts.delete_account(session, actor=user, account_id=account_id)
    assert bucket_keys(client, bucket) == []
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ReportExport)) == 0


MEMORY_CHECK = """
import re, sys
import psutil
from core.storage import get_store
store, size = get_store(), int(sys.argv[1])
base = psutil.Process().memory_info().rss
store.write("uploads/m/big.csv", (bytes([i % 251]) * (1 << 20) for i in range(size >> 20)))
read = sum(len(chunk) for chunk in store.chunks("uploads/m/big.csv"))
with open("/proc/self/status") as fh:  # this program's own peak (getrusage's counts its parent's)
    peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", fh.read()).group(1)) * 1024
print(read, base, peak)
"""


def test_a_large_object_is_never_whole_in_memory(sqlite_db, s3_bucket, tmp_path):
    """Written and read back in a process of its own: its peak memory grows by far less than the object."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    size = 96 << 20
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHECK, str(size)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    read, base, peak = map(int, done.stdout.split())
    print(f"\n96 MB object to S3 and back: RSS {base >> 20} MB before, peak {peak >> 20} MB")
    assert read == size and peak - base < 40 << 20
