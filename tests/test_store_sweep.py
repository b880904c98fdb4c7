"""core.store_sweep: what a crash between storing bytes and committing their row leaves is deleted once
it is older than the grace period; what a row names, what is still being written and what is not
ours stay."""

from __future__ import annotations

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from core import pipeline, storage, store_sweep, uploads
from core.cli import main
from core.db import session_scope
from core.models import SocialFile, utcnow
from core.reports import service
from tests.conftest import bucket_keys
from tests.factories import make_user
from tests.worker.uploads import canonical_csv

LATER = timedelta(hours=7)  # past the grace period of everything written now


def _ready_upload_and_report(user):
    with session_scope() as session:
        file = uploads.create_upload(session, actor=user, name="kept.csv", data=canonical_csv(30))
    pipeline.process_file(file.id)
    with session_scope() as session:
        assert session.get(SocialFile, file.id).status == "ready"
        report = service.get_or_create_report(session, actor=user, file_id=file.id, fmt="csv")
    return file.path, report.path


def test_objects_a_crash_left_in_the_bucket_are_swept_after_the_grace_period(any_db, s3_bucket):
    client, bucket = s3_bucket
    kept = _ready_upload_and_report(make_user())
    store = storage.get_store()
    # What a process that died before its commit leaves: the bytes, no row.
    lost_upload, lost_report = f"uploads/{uuid.uuid4()}/stats.csv", f"reports/{uuid.uuid4()}.pdf"
    foreign = ["uploads/not-an-id/x.csv", "other/thing.bin", f"reports/{uuid.uuid4()}/x"]
    for key in (lost_upload, lost_report, *foreign):
        store.write(key, [b"bytes"])
    everything = sorted([*kept, lost_upload, lost_report, *foreign])

    assert store_sweep.sweep_orphans() == []  # all of it is young: it may be an upload under way
    assert bucket_keys(client, bucket) == everything
    # A multipart upload a dead process began (moto dates every one 2010-11-10: it is always stale).
    begun = client.create_multipart_upload(Bucket=bucket, Key=f"uploads/{uuid.uuid4()}/big.csv")
    assert len(client.list_multipart_uploads(Bucket=bucket)["Uploads"]) == 1

    assert sorted(store_sweep.sweep_orphans(now=utcnow() + LATER)) == sorted([lost_upload, lost_report])
    assert bucket_keys(client, bucket) == sorted([*kept, *foreign])
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(client.exceptions.NoSuchUpload):
        client.list_parts(Bucket=bucket, Key=begun["Key"], UploadId=begun["UploadId"])


def test_an_upload_left_in_the_folder_by_a_dead_process_is_swept_by_the_command_line(sqlite_db, capsys):
    user = make_user()
    kept = _ready_upload_and_report(user)
    store = storage.get_store()
    assert isinstance(store, storage.LocalStore)
    with pytest.raises(RuntimeError), session_scope() as session:  # a rollback takes its bytes along
        gone = uploads.create_upload(session, actor=user, name="a.csv", data=b"date,views\n2024-01-01,1\n")
        raise RuntimeError("the request failed after the bytes were stored")
    assert not store.exists(gone.path)
    lost = SimpleNamespace(path=store.key("uploads", str(uuid.uuid4()), "a.csv"))  # killed before its commit
    store.write(lost.path, [b"date,views\n2024-01-01,1\n"])
    half = store.key("reports", f"{uuid.uuid4()}.pdf.part")  # a report build killed mid-write
    storage.Path(half).write_bytes(b"%PDF-")
    root = storage.get_settings().storage_dir
    listed = {key: name for key, name, _ in store.objects()}
    assert sorted(listed) == sorted([*kept, lost.path, half])
    assert all(root / name == storage.Path(key) for key, name in listed.items())

    assert main(["storage", "sweep"]) == 0 and capsys.readouterr().out.startswith("deleted 0 object(s)")
    assert store.exists(lost.path)
    assert main(["storage", "sweep", "--grace-hours", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "deleted 2 object(s) no row names" and sorted(out[1:]) == sorted([half, lost.path])
    assert not storage.Path(lost.path).parent.exists()  # the upload's own folder with it
    assert sorted(key for key, _, _ in store.objects()) == sorted(kept)
    assert all(store.exists(key) for key in kept)


def test_the_database_store_has_nothing_to_sweep(pg_db):
    kept = _ready_upload_and_report(make_user())
    assert isinstance(storage.get_store(), storage.DatabaseStore)
    assert store_sweep.sweep_orphans(now=utcnow() + LATER) == []
    assert all(storage.get_store().exists(key) for key in kept)


def test_beat_and_the_embedded_runner_sweep_every_hour():
    from worker import dispatch, jobs
    from worker.celery_app import celery_config, task_name

    entry = celery_config(dispatch.get_settings())["beat_schedule"]["sweep-orphan-objects"]
    assert entry == {"task": task_name(jobs.SWEEP_STORAGE), "schedule": 3600.0}
    assert jobs.JOBS[jobs.SWEEP_STORAGE] is jobs.sweep_storage
