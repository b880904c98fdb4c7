"""The API under test: a real uvicorn on the embedded defaults, and on PostgreSQL + Redis + Celery.

One server per stack and module (starting one costs seconds); each test makes its own users, so
tests stay apart without emptying the database between them.
"""

from __future__ import annotations

import uuid

import pytest

from tests.api.server import ApiServer, Stack
from tests.conftest import REDIS_URL, need, redis_reachable
from tests.worker.harness import PREFIX_ENV, QUEUE_ENV, WorkerProcess


@pytest.fixture(scope="module", params=["embedded", "celery"])
def stack(request, tmp_path_factory):
    """The API (and, for "celery", a worker) over one database; this process shares its settings."""
    from core import db

    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    env = {
        "STORAGE_DIR": str(tmp / "storage"),
        "AUTH_COOKIE_KEY": "test-cookie-key-" + "x" * 40,
        "API_TOKEN_KEY": "test-api-token-key-" + "y" * 40,
        "WORKER_STUCK_AFTER_S": "30",
    }
    celery = request.param == "celery"
    if celery:
        url = request.getfixturevalue("pg_url")  # the run's private database (users keep tests apart)
        problem = redis_reachable()
        if problem:
            need("Redis", f"{REDIS_URL}: {problem}")
        tag = f"sa-api-{uuid.uuid4().hex[:10]}"
        env.update(DATABASE_URL=url, CELERY_BROKER_URL=REDIS_URL, **{QUEUE_ENV: tag, PREFIX_ENV: tag + ":"})
    with pytest.MonkeyPatch.context() as mp:
        for key in ("DATABASE_URL", "CELERY_BROKER_URL", QUEUE_ENV, PREFIX_ENV, "MAX_UPLOAD_MB"):
            mp.delenv(key, raising=False)
        for key, value in env.items():
            mp.setenv(key, value)
        db.reset()
        db._done.clear()
        db.migrate()
        worker = WorkerProcess(tmp).start() if celery else None
        server = ApiServer(tmp).start()
        limited = ApiServer(tmp, {"MAX_UPLOAD_MB": "1", "ALLOW_REGISTRATION": "false"}).start()
        try:
            yield Stack(request.param, server, limited)
        finally:
            for process in (limited, server, worker):
                if process is not None:
                    process.stop()
            db.reset()
            if celery:
                _clean_redis(env[PREFIX_ENV])


def _clean_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
