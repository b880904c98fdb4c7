"""A scratch PostgreSQL database for a benchmark run (BENCH_POSTGRES_URL names the server)."""

from __future__ import annotations

import os
import tempfile

from sqlalchemy import create_engine, text

# The columns the benchmarks' post rows fill, in COPY order (what the parser's Table.columns() names).
POST_COLUMNS = (
    "line",
    "date",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "subscribers",
    "post_id",
)
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _admin(sql: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def fresh_database(name: str) -> str:
    """Drop and create database `name` on the benchmark server; returns its URL."""
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_app(name: str, *, storage_dir: str | None = None) -> str:
    """Point this process's settings at a fresh database `name` and a storage folder (a new temporary
    one unless given), and migrate it: what a benchmark sets up before it loads anything. Its URL."""
    url = os.environ["DATABASE_URL"] = fresh_database(name)
    os.environ["STORAGE_DIR"] = storage_dir or tempfile.mkdtemp(prefix=f"{name}-")
    os.environ.setdefault("AUTH_COOKIE_KEY", "bench-" + "k" * 48)
    from core import db

    db.reset()
    db.migrate()
    return url


def checkpoint(url: str) -> None:
    """Write out what earlier steps left in the WAL, so that no timed load pays for another's
    checkpoint (each of ours and psql's starts from the same state)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("CHECKPOINT")
    engine.dispose()
