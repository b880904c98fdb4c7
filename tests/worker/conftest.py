"""Worker fixtures: a Celery worker subprocess on real Redis and the test's private PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from tests.worker.harness import PREFIX_ENV, QUEUE_ENV, WorkerProcess, overrides

STUCK_AFTER_S = "10"  # the test workers' staleness threshold (production: 2 min); above the ~2 s silent
# step after loading 300k rows even on a loaded machine, so a file being processed is not "stuck"


@pytest.fixture(scope="session")
def celery_names():
    """A queue and key prefix no other test run uses."""
    tag = f"sa-test-{uuid.uuid4().hex[:10]}"
    return tag, tag + ":"


@pytest.fixture
def broker(pg_db, redis_url, celery_names, monkeypatch):
    """CELERY_BROKER_URL set for this process (dispatch sends to Redis) and for its workers."""
    import redis

    from core.config import get_settings
    from worker.celery_app import app

    queue, prefix = celery_names
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)
    monkeypatch.setenv(QUEUE_ENV, queue)
    monkeypatch.setenv(PREFIX_ENV, prefix)
    monkeypatch.setenv("WORKER_STUCK_AFTER_S", STUCK_AFTER_S)
    get_settings.cache_clear()
    app.conf.update(broker_url=redis_url, **overrides(queue, prefix))
    yield redis_url
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)


@pytest.fixture
def celery_worker(broker, tmp_path):
    """A started worker; stopped (or found already dead) at the end."""
    worker = WorkerProcess(tmp_path)
    worker.start()
    yield worker
    worker.stop()
