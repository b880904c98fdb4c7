"""Two hosts: a worker whose STORAGE_DIR is not the app's reads the upload and writes the report
where the app finds it (PostgreSQL, or the S3 bucket when one is set), as a worker on another machine
sharing only PostgreSQL, Redis (and the bucket)."""

from __future__ import annotations

from sqlalchemy import func, select

from core.config import get_settings
from core.db import session_scope
from core.models import StoredChunk
from core.reports import service
from tests.conftest import bucket_keys
from tests.factories import make_user
from tests.worker.harness import WorkerProcess
from tests.worker.uploads import canonical_csv, upload, wait_for, wait_for_report
from worker import dispatch


def _ready_file_and_pdf(tmp_path):
    """Upload here, process and build the PDF on a worker with its own STORAGE_DIR, download here."""
    worker_storage = tmp_path / "worker-host"
    worker = WorkerProcess(tmp_path, env={"STORAGE_DIR": str(worker_storage)}).start()
    try:
        user = make_user()
        file_id = upload(user, "stats.csv", canonical_csv(500, per_day=5))
        assert dispatch.enqueue_file(file_id) is True
        row = wait_for(file_id, ("ready", "error"), timeout=60)
        assert (row.status, row.rows, row.error_text) == ("ready", 500, None)

        assert dispatch.enqueue_report(file_id, "pdf", user.id) is True
        report = wait_for_report(file_id)
        name, data = service.report_file(report_id=report.id, user_id=user.id)
    finally:
        worker.stop()

    assert data.startswith(b"%PDF-") and len(data) == report.size_bytes and name.endswith(".pdf")
    assert "Task worker.tasks.generate_report[" in worker.output()
    app_storage = get_settings().storage_dir
    assert app_storage != worker_storage
    # Neither host's disk holds the upload or the report.
    for folder in (app_storage, worker_storage):
        assert not (folder / "uploads").exists() and not (folder / "reports").exists()
    return row, report


def test_a_worker_with_another_storage_dir_gives_a_ready_file_and_a_pdf(broker, tmp_path):
    row, report = _ready_file_and_pdf(tmp_path)
    with session_scope() as session:  # both live in PostgreSQL
        keys = set(session.scalars(select(StoredChunk.key).distinct()))
    assert keys == {row.path, report.path}


def test_the_same_through_an_s3_bucket(broker, s3_bucket, tmp_path):
    client, bucket = s3_bucket
    row, report = _ready_file_and_pdf(tmp_path)
    assert bucket_keys(client, bucket) == sorted([row.path, report.path])
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StoredChunk)) == 0
