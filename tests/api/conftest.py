"""The API under test: a real uvicorn on the embedded defaults, and on PostgreSQL + Redis + Celery.

One server per stack and module (starting one costs seconds); each test makes its own users, so
tests stay apart without emptying the database between them.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.api.server import ApiServer, Stack
from tests.conftest import PG_ADMIN_URL, REDIS_URL, _pg_reachable, need, redis_reachable
from tests.worker.harness import PREFIX_ENV, QUEUE_ENV, WorkerProcess


def _private_pg() -> tuple[str, callable]:
    problem = _pg_reachable()
    if problem:
        need("PostgreSQL", f"{PG_ADMIN_URL}: {problem}")
    problem = redis_reachable()
    if problem:
        need("Redis", f"{REDIS_URL}: {problem}")
    name = f"sa_api_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture(scope="module", params=["embedded", "celery"])
def stack(request, tmp_path_factory):
    """The API (and, for "celery", a worker) over one fresh database; this process shares its settings."""
    from core import db

    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    env = {
        "STORAGE_DIR": str(tmp / "storage"),
        "AUTH_COOKIE_KEY": "test-cookie-key-" + "x" * 40,
        "API_TOKEN_KEY": "test-api-token-key-" + "y" * 40,
        "WORKER_STUCK_AFTER_S": "30",
    }
    drop = None
    if request.param == "celery":
        url, drop = _private_pg()
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
        worker = WorkerProcess(tmp).start() if request.param == "celery" else None
        server = ApiServer(tmp).start()
        limited = ApiServer(tmp, {"MAX_UPLOAD_MB": "1", "ALLOW_REGISTRATION": "false"}).start()
        try:
            yield Stack(request.param, server, limited)
        finally:
            for process in (limited, server, worker):
                if process is not None:
                    process.stop()
            db.reset()
            if drop is not None:
                _clean_redis(env[PREFIX_ENV])
                drop()


def _clean_redis(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
