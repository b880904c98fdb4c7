"""Shared fixtures: a database on each backend, services that skip or fail clearly."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
REAL_EXPORTS = Path(__file__).resolve().parent / "data" / "real"
DATA = Path(__file__).resolve().parent / "data"
PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need(service: str, reason: str) -> None:
    """Skip (or, with REQUIRE_SERVICES=1, fail) a test whose service is absent."""
    message = f"{service} is not available: {reason}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (REQUIRE_SERVICES=1)")
    pytest.skip(message)


def _pg_reachable() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no PostgreSQL here
        return str(exc).splitlines()[0]


def redis_reachable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return None
    except Exception as exc:
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_url():
    """A private PostgreSQL database for this test run, dropped at the end."""
    problem = _pg_reachable()
    if problem:
        need("PostgreSQL", f"{PG_ADMIN_URL}: {problem}")
    name = f"sa_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _configure(monkeypatch, storage: Path, url: str | None) -> None:
    from core import db

    monkeypatch.setenv("STORAGE_DIR", str(storage))
    monkeypatch.setenv("AUTH_COOKIE_KEY", "test-cookie-key-" + "x" * 40)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    if url:
        monkeypatch.setenv("DATABASE_URL", url)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    db.reset()
    db._done.clear()
    db.migrate()


def _truncate_pg() -> None:
    from core.db import get_engine

    with get_engine().begin() as conn:
        conn.execute(
            text(
                "TRUNCATE stored_chunks, report_exports, metrics, raw_data, social_files, accounts, brands, sign_in_throttle, users"
                " RESTART IDENTITY CASCADE"
            )
        )


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    """The embedded default: SQLite under a fresh STORAGE_DIR, migrated."""
    _configure(monkeypatch, tmp_path / "storage", None)
    yield "sqlite"
    from core import db

    db.reset()


@pytest.fixture
def pg_db(tmp_path, monkeypatch, pg_url):
    """Real PostgreSQL (a private database), migrated and emptied for this test."""
    _configure(monkeypatch, tmp_path / "storage", pg_url)
    _truncate_pg()
    yield "postgresql"
    from core import db

    db.reset()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request):
    """Runs the test once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


def migrate_to(engine, target: str) -> None:
    """Bring `engine`'s database to Alembic revision `target` (a migration test's starting point)."""
    from alembic import command
    from alembic.config import Config

    from core.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


@pytest.fixture
def scratch(any_db, tmp_path):
    """An empty database of the test's backend, apart from the app's (already at head)."""
    from core.db import make_engine

    if any_db == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"sa_mig_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible HTTP server on 127.0.0.1 for this test run (moto's server mode): its URL."""
    import socket

    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server, monkeypatch):
    """A new bucket on that server, set as the store of uploads and reports (the S3_* settings) for
    this process and the workers it starts; yields (client, bucket) to look inside."""
    import boto3

    from core.config import get_settings

    bucket = f"sa-test-{uuid.uuid4().hex[:12]}"
    env = {"S3_ENDPOINT_URL": s3_server, "S3_BUCKET": bucket, "S3_REGION": "us-east-1"}
    env |= {"S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1",
        aws_access_key_id="test-key", aws_secret_access_key="test-secret",
    )  # fmt: skip
    client.create_bucket(Bucket=bucket)
    yield client, bucket
    get_settings.cache_clear()


def bucket_keys(client, bucket: str) -> list[str]:
    """The keys of every object in the bucket, sorted."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@pytest.fixture
def redis_url():
    problem = redis_reachable()
    if problem:
        need("Redis", f"{REDIS_URL}: {problem}")
    return REDIS_URL


@pytest.fixture
def routed(monkeypatch):
    """Route like a running server. A `pages/` folder makes Streamlit start a process in the legacy
    multipage mode until the first st.navigation call switches it off for good; AppTest resets that
    before every run, so without this each run would open pages/*.py directly, bypassing Home.py."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
