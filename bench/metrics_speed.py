"""Benchmark: the metric catalogue and the explorer's aggregations over one file of 1M rows.

Run:  .venv/bin/python bench/metrics_speed.py [--rows 1000000] [--period-days 0|30|...]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server); uses its own database
`sa_metrics_bench`, dropped and created again. Prints timings; not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import POST_COLUMNS, scratch_app  # noqa: E402

DB_NAME = "sa_metrics_bench"
COLUMNS = ("file_id", *POST_COLUMNS)


def make_file(*, period_days: int | None) -> uuid.UUID:
    from core.db import session_scope
    from core.models import SocialFile, User

    mapping = {name.title(): name for name in COLUMNS[2:]}
    with session_scope() as session:
        user = User(email="bench@example.com", password_hash="!")
        session.add(user)
        session.flush()
        file = SocialFile(
            user_id=user.id, original_name="bench.csv", path="-", status="processing", platform="generic",
            period_days=period_days, mapping=mapping, row_kind="posts",
        )  # fmt: skip
        session.add(file)
        session.flush()
        return file.id


def fill(file_id: uuid.UUID, *, rows: int, varying: bool = False) -> float:
    """COPY `rows` post rows (~900 a day, a few blank cells) into raw_data; returns the seconds taken."""
    from core.db import get_engine

    rng = random.Random(42)
    per_day = max(1, rows // 1100)
    start = date(2022, 1, 1)
    began = time.perf_counter()
    with get_engine().begin() as conn:
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(f"COPY raw_data ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(rows):
                views = rng.randrange(100, 100_000)
                saves = None if i % 7 == 0 else views // 300
                copy.write_row((
                    file_id, i + 2, start + timedelta(days=i // per_day), views, views * 3 // 4,
                    views // 20, views // 200, views // 500, saves, 10_000 + (i if varying else i // per_day), f"p{i}",
                ))  # fmt: skip
    return time.perf_counter() - began


def timed(label: str, fn, repeat: int = 3) -> None:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    print(f"{label:<40} " + "  ".join(f"{t:6.3f} s" for t in times), flush=True)


def measure(file_id: uuid.UUID) -> None:
    from core import analytics, metrics
    from core.db import session_scope
    from core.models import SocialFile

    def run(fn):
        def call():
            with session_scope() as session:
                return fn(session, session.get(SocialFile, file_id))

        return call

    timed("metrics.compute", run(lambda s, f: metrics.compute(s, file=f)))
    timed(
        "metrics.compute + store",
        run(lambda s, f: metrics.store(s, file=f, result=metrics.compute(s, file=f))),
    )
    timed("analytics.series (day, all)", run(lambda s, f: analytics.series(s, file=f)))
    timed("analytics.series (week, all)", run(lambda s, f: analytics.series(s, file=f, grain="week")))
    timed("analytics.weekday_engagements (all)", run(lambda s, f: analytics.weekday_engagements(s, file=f)))
    timed("analytics.top_posts (views, all)", run(lambda s, f: analytics.top_posts(s, file=f)))
    timed("analytics.top_posts (er, all)", run(lambda s, f: analytics.top_posts(s, file=f, order_by="er")))
    timed("analytics.date_bounds", run(lambda s, f: analytics.date_bounds(s, file=f)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--period-days", type=int, default=0, help="0: the whole file (the slowest case)")
    parser.add_argument(
        "--varying-levels", action="store_true", help="a different subscriber count on every row of a date"
    )
    args = parser.parse_args()
    scratch_app(
        DB_NAME, storage_dir=os.environ.get("STORAGE_DIR", str(ROOT / "bench" / "out" / "metrics_storage"))
    )
    from core import db, metrics
    from core.models import SocialFile

    file_id = make_file(period_days=args.period_days or None)
    print(
        f"COPY of {args.rows:,} rows: {fill(file_id, rows=args.rows, varying=args.varying_levels):.1f} s (not part of the figures below)"
    )
    print(f"-- right after the load (no ANALYZE), period_days={args.period_days}")
    measure(file_id)
    with db.get_engine().begin() as conn:
        conn.execute(text("ANALYZE raw_data"))
    print("-- after ANALYZE raw_data")
    measure(file_id)
    with db.session_scope() as session:
        result = metrics.compute(session, file=session.get(SocialFile, file_id))
    print("period", result.period_start, result.period_end, {k: str(v) for k, v in result.current.items()})


if __name__ == "__main__":
    main()
