"""Benchmark: our upload-to-ready time against `psql \\copy` of the same file, in one run.

Run:  python bench/ingest_bench.py --rows 1000000      (or make bench; --rows 5000000 for make bench-5m)
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server) and `psql` on PATH.
The yardstick is `psql \\copy` into a lean indexed table (issue 14: bigserial key, the file's columns,
an index on date); the earlier reference, a table shaped like the old raw_data with its foreign key
to social_files, is the second line. The file is stored first by this process, as the app stores an
upload; a worker process, timed, takes it from queued to ready (after a small file first, as a
worker has done by its second file). Each timed load starts after a CHECKPOINT. Prints the times, our ratio to
each, the CPU seconds of the servers' processes and of the worker (from /proc), and the worker's peak
RSS. --repeat N measures N rounds in one go. Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import checkpoint, drop_database, fresh_database  # noqa: E402

OUT = ROOT / "bench" / "out"
HEADER = ["post_id", "date", "title", "views", "likes", "comments", "shares", "subscribers"]
LEAN = (
    "CREATE TABLE bench_lean (id bigserial PRIMARY KEY, post_id text, date date, title text, views bigint, "
    "likes bigint, comments bigint, shares bigint, subscribers bigint); CREATE INDEX ON bench_lean (date)"
)
# One scratch database per checkout (main, or an engineer's worktree), so two runs never share one.
DB_NAME = f"sa_bench_{ROOT.name}"


def generate(rows: int) -> Path:
    """A canonical CSV: one row per post, ~900 posts a day, ISO dates, a title, plain integers."""
    path = OUT / f"posts_{rows}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    start = date(2022, 1, 1)
    per_day = max(1, rows // 1100)
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(rows):
            views = rng.randrange(100, 100_000)
            out.writerow(
                [
                    f"p{i}",
                    (start + timedelta(days=i // per_day)).isoformat(),
                    f"Post number {i} of the benchmark",
                    views,
                    views // 20,
                    views // 200,
                    views // 500,
                    10_000 + i // per_day,
                ]
            )
    return path


class ServerCpu:
    """CPU seconds spent by the server's processes for one database, and their parallel workers
    (read from /proc every 50 ms; processes of other databases are looked at once). Autovacuum
    is left out: it comes when it will (after the upload's stored chunks, say), not from the load."""

    def __init__(self, database: str):
        self._marker, self._seen, self._stop = f" {database} ".encode(), {}, threading.Event()
        self._others: set[str] = set()
        self._tick = os.sysconf("SC_CLK_TCK")
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ServerCpu:
        self._read()
        self._base = dict(self._seen)  # processes already running count from here
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _ours(self, pid: str) -> bool | None:
        """Whether the process works for our database; None while it may still become one (a backend
        just forked carries the postmaster's command line until it names its database)."""
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") + b" "
        if not title.startswith(b"postgres: "):
            return None if b"postgres" in title else False
        if b"parallel worker for PID " in title:  # a worker of one of ours (its leader seen first)
            return title.split(b"PID ")[1].split()[0].decode() in self._seen
        return self._marker in title and b"autovacuum" not in title  # the server's own upkeep is not ours

    def _read(self) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or pid in self._others:
                continue
            try:
                ours = True if pid in self._seen else self._ours(pid)
                if ours:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self._seen[pid] = (int(fields[11]) + int(fields[12])) / self._tick
                elif ours is False:
                    self._others.add(pid)
            except OSError:
                continue

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            self._read()
        self._read()
        self.own = time.thread_time()  # this thread's CPU, which the process's figure leaves out

    own = 0.0

    @property
    def seconds(self) -> float:
        return sum(cpu - self._base.get(pid, 0.0) for pid, cpu in self._seen.items())


def _psql(url: str, table: str, path: Path) -> float:
    checkpoint(url)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    cmd = f"\\copy {table} ({', '.join(HEADER)}) FROM '{path}' WITH (FORMAT csv, HEADER true)"
    t0 = time.perf_counter()
    subprocess.run(["psql", dsn, "-q", "-v", "ON_ERROR_STOP=1", "-c", cmd], check=True)
    return time.perf_counter() - t0


CPU: dict[str, float] = {}  # the last round's CPU seconds, by what spent them


def psql_lean(url: str, path: Path) -> float:
    """`psql \\copy` into the lean indexed table of issue 14 (the yardstick)."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_lean"))
        conn.exec_driver_sql(LEAN)
    with ServerCpu(DB_NAME) as server:
        elapsed = _psql(url, "bench_lean", path)
    CPU["lean server"] = server.seconds
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_lean"))
    engine.dispose()
    return elapsed


def psql_reference(url: str, path: Path, file_id: str) -> float:
    """`psql \\copy` into a table shaped like the old raw_data: same columns, index and foreign key."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_copy"))
        conn.execute(text("CREATE TABLE bench_copy (LIKE raw_data INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"))
        conn.execute(text("CREATE INDEX ON bench_copy (file_id, date)"))
        conn.execute(text(f"ALTER TABLE bench_copy ALTER COLUMN file_id SET DEFAULT '{file_id}'"))
        conn.execute(text("ALTER TABLE bench_copy ADD FOREIGN KEY (file_id) REFERENCES social_files (id)"))
        conn.execute(text("ALTER TABLE bench_copy ALTER COLUMN line SET DEFAULT 1"))
    elapsed = _psql(url, "bench_copy", path)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bench_copy"))
    engine.dispose()
    return elapsed


def _placeholder_file() -> str:
    """A social_files row for psql's rows to point at, as ours point at theirs."""
    from core import uploads
    from core.db import session_scope
    from core.models import User

    with session_scope() as session:
        user = User(email="copy@example.com", password_hash="!", role="user")
        session.add(user)
        session.flush()
        return str(uploads.create_upload(session, actor=user, name="copy.csv", data=b"placeholder").id)


def peak_rss_mb() -> float:
    """This process's peak RSS since its exec (VmHWM: getrusage's maxrss would count the forking parent's)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def _upload(path: Path) -> str:
    """The file uploaded as a new user (here, as the app's process would: the worker only gets its id)."""
    from core import uploads
    from core.db import session_scope
    from core.models import User

    with session_scope() as session:
        user = User(email=f"bench-{time.time_ns()}@example.com", password_hash="!", role="user")
        session.add(user)
        session.flush()
        with open(path, "rb") as fh:
            return str(
                uploads.create_upload(session, actor=user, name="bench.csv", data=fh, period_days=30).id
            )


WORKER = """
import json, sys, time, uuid
from bench.benchdb import checkpoint
from bench.ingest_bench import ServerCpu, peak_rss_mb
from core import pipeline
from core.db import session_scope
from core.config import get_settings
from core.models import SocialFile
file_id = uuid.UUID(sys.argv[1])
pipeline.process_file(uuid.UUID(sys.argv[3]))  # a worker process that has taken a file before
checkpoint(get_settings().database_url)
t0, cpu0 = time.perf_counter(), time.process_time()
with ServerCpu(sys.argv[2]) as server:
    pipeline.process_file(file_id)
elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0 - server.own
with session_scope() as s:
    f = s.get(SocialFile, file_id)
    status, rows, error = f.status, f.rows, f.error_text
print(json.dumps({"seconds": elapsed, "status": status, "rows": rows, "error": error,
                  "cpu": cpu, "server_cpu": server.seconds,
                  "peak_rss_mb": peak_rss_mb()}))
"""


def ours(url: str, path: Path, storage: str, warm_up: Path) -> dict:
    """Parse, validate, load and compute metrics in a worker process, timed from queued to ready.
    The process takes a small file first, as a worker has by its second file (imports, compiled
    queries, a pooled connection: a process's once-only costs are not a file's)."""
    warm = _upload(warm_up)
    file_id = _upload(path)
    env = {**os.environ, "DATABASE_URL": url, "STORAGE_DIR": storage, "PYTHONPATH": str(ROOT)}
    env.pop("CELERY_BROKER_URL", None)  # the limits are main()'s
    out = subprocess.run(
        [sys.executable, "-c", WORKER, file_id, DB_NAME, warm],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="rounds measured in this one run")
    args = parser.parse_args()
    path, warm_up = generate(args.rows), generate(1000)
    url = fresh_database(DB_NAME)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("STORAGE_DIR", tempfile.mkdtemp())
    os.environ["MAX_UPLOAD_MB"] = "4096"  # the benchmark file is larger than the default upload limit
    os.environ["MAX_ROWS"] = "100000000"
    from core import db

    db.migrate()
    placeholder = _placeholder_file()
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path.name}, {args.rows:,} rows, {size_mb:.0f} MB")
    for round_ in range(1, args.repeat + 1):
        lean_s = psql_lean(url, path)
        result = ours(url, path, os.environ["STORAGE_DIR"], warm_up)
        if result["status"] != "ready":
            sys.exit(f"our run ended {result['status']}: {result['error']}")
        reference_s = psql_reference(url, path, placeholder)
        ours_s = result["seconds"]
        print(f"-- round {round_}")
        print(f"psql \\copy into the lean indexed table:     {lean_s:7.2f} s")
        print(f"psql \\copy into the old raw_data shape + FK: {reference_s:7.2f} s")
        print(f"ours, upload to ready ({result['rows']:,} rows):  {ours_s:7.2f} s")
        print(
            f"ratio ours / lean \\copy:                    {ours_s / lean_s:7.2f}  (target <= 1.0, stretch 0.8)"
        )
        print(f"ratio ours / old-shape \\copy:               {ours_s / reference_s:7.2f}")
        print(
            f"CPU seconds: lean \\copy's server {CPU['lean server']:.2f}; "
            f"ours: worker {result['cpu']:.2f}, server {result['server_cpu']:.2f}"
        )
        print(f"worker peak RSS:                            {result['peak_rss_mb']:7.0f} MB  (target <= 150)")
    db.reset()
    drop_database(DB_NAME)


if __name__ == "__main__":
    main()
