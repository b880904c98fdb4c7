"""Benchmark: how long a PDF (and a CSV) report of a 1M-row file takes on PostgreSQL.

Run:  python bench/report_speed.py [--rows 1000000] [--period-days N]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server). Loads the rows once through
COPY into a private database, computes the metrics as the pipeline does, then times the report:
the database aggregation, the PDF, the CSV — the first build in the process and the best of three
more. The default period is all of the file (every row is aggregated: the worst case).
Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import fresh_database  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "sa_report_bench")  # its own name: two runs at once collide


def rows(count: int):
    """Posts in ROW_COLUMNS order: ~900 a day, views, reach, engagements, a subscriber level, titles."""
    rng = random.Random(42)
    start, per_day = date(2022, 1, 1), max(1, count // 1100)
    for i in range(count):
        views = rng.randrange(100, 100_000)
        measures = (views, views * 3 // 4, None, views // 20, views // 200, views // 500, views // 300)
        yield (
            i + 2, start + timedelta(days=i // per_day), *measures, None, 10_000 + i // per_day,
            None, None, None, f"p{i}", f"Пост №{i}: обзор за 990 ₽", f"https://example.com/p/{i}", None, None,
        )  # fmt: skip


def load(count: int, period_days: int | None):
    """A ready file of `count` rows with its metrics, as the pipeline leaves it."""
    from core import ingest, metrics
    from core.db import get_engine, session_scope
    from core.models import SocialFile, User

    with session_scope() as session:
        user = User(email="bench@example.com", password_hash="!", role="user")
        session.add(user)
        session.flush()
        file = SocialFile(
            user_id=user.id, original_name="Бенчмарк 1M.csv", path="/dev/null", status="processing",
            platform="youtube", period_days=period_days, row_kind="posts", version=1, mapping=None,
        )  # fmt: skip
        session.add(file)
        session.flush()
        file_id, user_id = file.id, user.id
    t0 = time.perf_counter()
    with get_engine().begin() as conn:  # into the file's own partition, indexed and analysed
        ingest.publish(conn, ingest.copy_rows_pg(conn, file_id=file_id, rows=rows(count), row_kind="posts"))
    print(f"loaded {count:,} rows in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        metrics.store(session, file=file, result=metrics.compute(session, file=file))
        file.status = "ready"
    print(f"metrics computed in {time.perf_counter() - t0:.2f} s")
    return file_id, user_id


def timed(file_id) -> dict[str, float]:
    """One report of each kind, split into aggregation and rendering."""
    from core.db import session_scope
    from core.models import SocialFile
    from core.reports.csv import build_csv
    from core.reports.gather import report_data
    from core.reports.pdf import build_pdf

    out = {}
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        t0 = time.perf_counter()
        data = report_data(session, file=file, generated_at=datetime.now(UTC))
        out["aggregate (DB)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pdf = build_pdf(data)
    out["render PDF"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    build_csv(data)
    out["render CSV"] = time.perf_counter() - t0
    out["PDF total"] = out["aggregate (DB)"] + out["render PDF"]
    out["CSV total"] = out["aggregate (DB)"] + out["render CSV"]
    out["pdf bytes"] = len(pdf)
    return out


def end_to_end(file_id, user_id) -> float:
    """get_or_create_report as the worker runs it (a fresh build: nothing cached yet)."""
    from core.db import session_scope
    from core.models import User
    from core.reports import get_or_create_report

    with session_scope() as session:
        t0 = time.perf_counter()
        get_or_create_report(session, actor=session.get(User, user_id), file_id=file_id, fmt="pdf")
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--period-days", type=int, default=None, help="default: all of the file")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database(DB_NAME)
    os.environ["STORAGE_DIR"] = tempfile.mkdtemp(prefix="report-bench-")
    os.environ.setdefault("AUTH_COOKIE_KEY", "bench-" + "k" * 48)
    from core.db import migrate

    migrate()
    file_id, user_id = load(args.rows, args.period_days)
    first = timed(file_id)
    runs = [timed(file_id) for _ in range(3)]
    best = {k: min(r[k] for r in runs) for k in first}
    print(f"\nreport of {args.rows:,} rows, period {args.period_days or 'all'} days")
    print(f"{'':<16}{'first':>9}{'best of 3':>11}")
    for key in first:
        if key != "pdf bytes":
            print(f"{key:<16}{first[key]:>8.3f}s{best[key]:>10.3f}s")
    print(f"PDF size {first['pdf bytes'] / 1024:.0f} KB")
    print(f"get_or_create_report (pdf, fresh build): {end_to_end(file_id, user_id):.3f}s")


if __name__ == "__main__":
    main()
