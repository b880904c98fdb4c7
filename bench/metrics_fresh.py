"""Benchmark: a first upload's metrics on a FRESH PostgreSQL database, at 20k, 200k and 1M rows.

Run:  .venv/bin/python bench/metrics_fresh.py [--rows 20000 200000 1000000]
Each size gets a database of its own, created just before (BENCH_POSTGRES_URL names the server;
the database is `sa_fresh_bench`, dropped afterwards), so raw_data has no statistics but those the
load itself gathers: the case of issue 11, where a self-join went quadratic (20k rows: 75 s;
200k: over 300 s). Prints the load and the metrics time of each size; figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import drop_database, fresh_database  # noqa: E402
from bench.ingest_bench import generate  # noqa: E402

DB_NAME = "sa_fresh_bench"
WORKER = """
import json, sys, time
from core import db, files, pipeline, uploads
from core.db import session_scope
from core.models import SocialFile, User
db.migrate()
with session_scope() as s:
    user = User(email="fresh@example.com", password_hash="!", role="user")
    s.add(user); s.flush()
    with open(sys.argv[1], "rb") as fh:
        file_id = uploads.create_upload(s, actor=user, name="fresh.csv", data=fh, period_days=30).id
t0 = time.perf_counter()
loaded = pipeline.parse_file(file_id)
t1 = time.perf_counter()
if loaded:
    pipeline.calc_metrics(file_id)
t2 = time.perf_counter()
with session_scope() as s:
    f = s.get(SocialFile, file_id)
    print(json.dumps({"load_s": t1 - t0, "metrics_s": t2 - t1, "status": str(f.status), "rows": f.rows,
                      "error": f.error_text}))
"""


def run(rows: int) -> dict:
    path = generate(rows)
    url = fresh_database(DB_NAME)
    try:
        with tempfile.TemporaryDirectory() as storage:
            env = {**os.environ, "DATABASE_URL": url, "STORAGE_DIR": storage, "PYTHONPATH": str(ROOT)}
            env["MAX_UPLOAD_MB"] = "4096"
            env.pop("CELERY_BROKER_URL", None)
            out = subprocess.run(
                [sys.executable, "-c", WORKER, str(path)], env=env, capture_output=True, text=True, cwd=ROOT
            )
        if out.returncode:
            sys.exit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        drop_database(DB_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'rows':>10}  {'load':>8}  {'metrics':>8}  status")
    for rows in args.rows:
        result = run(rows)
        status = result["status"] if result["status"] != "error" else f"error: {result['error']}"
        print(f"{result['rows']:>10,}  {result['load_s']:7.2f}s  {result['metrics_s']:7.2f}s  {status}")


if __name__ == "__main__":
    main()
