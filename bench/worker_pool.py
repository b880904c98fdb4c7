"""The embedded runner's pool: N users' files sent at once; time to each one ready, per pool size.

    .venv/bin/python bench/worker_pool.py --users 10 --rows 50000 --processes 1 2 --rounds 2

The embedded default (SQLite under a scratch STORAGE_DIR, the in-process runner), a fresh database
each round; the rounds alternate the pool sizes (WORKER_PROCESSES), so a machine shared with other
work loads them alike. The uploads are stored before the clock starts, as the app stores them
before it sends them; the clock runs from the first send to each file's finished_at.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_sessions import export_csv  # noqa: E402
from bench.load_stats import load_average, report  # noqa: E402


def one_round(processes: int, users: int, data: bytes) -> tuple[list[float], float]:
    """Seconds from the first send to each file ready, and the runner's CPU seconds."""
    from core import db, uploads
    from core import users as accounts
    from core.models import SocialFile
    from worker import dispatch

    os.environ.update(STORAGE_DIR=tempfile.mkdtemp(prefix="worker_pool_"), WORKER_PROCESSES=str(processes))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    db.reset()
    db.migrate()
    dispatch.start()  # before the uploads: it would send the queued files itself
    ids = []
    with db.session_scope() as session:
        for n in range(users):
            owner = accounts.create_user(session, email=f"user{n}@example.com", password="pool bench 2026")
            ids.append(uploads.create_upload(session, actor=owner, name=f"user{n}.csv", data=data).id)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.time()
    for file_id in ids:
        dispatch.enqueue_file(file_id)
    while True:
        with db.session_scope() as session:
            rows = [session.get(SocialFile, f) for f in ids]
            if all(r.status in ("ready", "error") for r in rows):
                assert all(r.status == "ready" for r in rows), [r.error_text for r in rows]
                took = [r.finished_at.timestamp() - began for r in rows]
                break
        time.sleep(0.2)
    dispatch.shutdown()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (cpu.ru_utime + cpu.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    data = export_csv(args.rows)
    print(f"{args.users} users, one {args.rows:,}-row file each, SQLite, {os.cpu_count()} CPUs")
    for n in range(args.rounds):
        for processes in args.processes:
            load = load_average()
            took, cpu = one_round(processes, args.users, data)
            report(f"round {n + 1}, {processes} process(es): send to ready", took)
            print(f"    all ready after {max(took):.1f} s; runner CPU {cpu:.1f} s; load before {load}")


if __name__ == "__main__":
    main()
