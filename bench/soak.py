"""Soak: many small uploads through a real Celery worker; all must end ready, no connection leaked.

Run:  .venv/bin/python bench/soak.py [--files 1000] [--concurrency 2]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server; the database is `sa_soak_bench`,
created again and dropped afterwards) and Redis (SOAK_REDIS_URL, default redis://127.0.0.1:6379/0;
a private queue). Prints the time to enqueue and to finish, the statuses, and the database
connections held before, at peak, and after the worker stopped. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import drop_database, fresh_database  # noqa: E402

DB_NAME = "sa_soak_bench"
CELERY = Path(sys.executable).with_name("celery")


def small_csv(i: int) -> bytes:
    """20 post rows; the file number in each row, so no two uploads are the same bytes."""
    lines = ["date,post_id,views,likes,comments"]
    lines += [f"2024-01-{1 + r:02d},f{i}p{r},{100 + i + r},{r},{r % 3}" for r in range(20)]
    return ("\n".join(lines) + "\n").encode()


def connections() -> int:
    from core.db import get_engine

    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with get_engine().connect() as conn:
        return conn.scalar(text(query))


def statuses() -> Counter:
    from core.db import session_scope

    with session_scope() as session:
        return Counter(str(s) for s in session.scalars(text("SELECT status FROM social_files")))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    queue = f"sa-soak-{uuid.uuid4().hex[:8]}"
    storage = tempfile.mkdtemp(prefix="sa-soak-")
    os.environ.update(
        DATABASE_URL=fresh_database(DB_NAME),
        STORAGE_DIR=storage,
        CELERY_BROKER_URL=os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/0"),
        MAX_UPLOADS_PER_DAY=str(args.files + 10),
        MAX_FILES_IN_FLIGHT=str(args.files + 10),
    )
    from core import db, uploads
    from core.db import session_scope
    from core.models import User
    from worker import dispatch
    from worker.celery_app import app

    app.conf.task_default_queue = queue
    db.migrate()
    with session_scope() as session:
        user = User(email="soak@example.com", password_hash="!", role="user")
        session.add(user)
        session.flush()
    before = connections()
    log = Path(storage) / "worker.log"
    command = [str(CELERY), "-A", "worker.celery_app", "worker", "-Q", queue, "-c", str(args.concurrency)]
    command += ["-l", "info", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        while "ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None:
                sys.exit(log.read_text())
            time.sleep(0.2)
        started = time.perf_counter()
        for i in range(args.files):
            with session_scope() as session:
                file_id = uploads.create_upload(
                    session, actor=user, name=f"soak-{i}.csv", data=small_csv(i)
                ).id
            dispatch.enqueue_file(file_id)
        enqueued_s = time.perf_counter() - started
        peak, counts = 0, Counter()
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            peak = max(peak, connections())
            counts = statuses()
            if counts["ready"] + counts["error"] >= args.files:
                break
            time.sleep(1)
        done_s = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
    time.sleep(1)
    after = connections()
    print(f"files: {args.files}, worker concurrency {args.concurrency}")
    print(
        f"enqueued in {enqueued_s:.1f} s; all finished in {done_s:.1f} s ({args.files / done_s:.1f} files/s)"
    )
    print(f"statuses: {dict(counts)}")
    print(
        f"database connections: before {before}, peak while working {peak}, after the worker stopped {after}"
    )
    db.reset()
    drop_database(DB_NAME)


if __name__ == "__main__":
    main()
