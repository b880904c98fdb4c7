"""Benchmark: an account whose merged timeline holds ~1M rows — Explorer data and its report, on PostgreSQL.

Run:  .venv/bin/python bench/account_speed.py [--rows 1000000] [--files 4] [--overlap 0.1]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server); uses its own database
`sa_account_bench`, dropped and created again. Loads `--files` post exports of one account by COPY,
each overlapping the next by `--overlap` of its rows (the same posts, newer figures), so the merge
has real work to do. Times, best of 3 after a first run:
- "explorer data": what the Explorer draws for the account's whole timeline — the account scope,
  per-date aggregates (core.day_totals, and the dates files share from their rows), day/week/month
  series and weekdays rolled up from them, the top posts and the metric catalogue (from the same
  per-date list), with nothing kept in memory; "explorer rerun": the same again, as a rerun of
  the page reads it (core.memo);
- "report": core.reports.scoped — aggregation and PDF (and CSV), as get_or_create_scope_report
  builds it. Each file is marked ready with its account's merge stored (core.merge_build), as the
  pipeline does.
Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.benchdb import POST_COLUMNS, scratch_app  # noqa: E402

# What the parser would name for these rows (core.parsing's Table.columns()).
COLUMNS = (*POST_COLUMNS, "title", "url")
DB_NAME = os.environ.get("BENCH_DB", "sa_account_bench")  # its own name: two runs at once collide
PER_DAY = 900


def rows(first: int, count: int, version: int):
    """Posts first..first+count in ROW_COLUMNS order; a post's figures grow with the export's version."""
    rng = random.Random(first)
    start = date(2022, 1, 1)
    for n, i in enumerate(range(first, first + count)):
        views = rng.randrange(100, 100_000) + version
        measures = (views, views * 3 // 4, None, views // 20, views // 200, views // 500, views // 300)
        yield (
            n + 2, start + timedelta(days=i // PER_DAY), *measures, None, 10_000 + i // PER_DAY,
            None, None, None, f"p{i}", f"Пост №{i}", f"https://example.com/p/{i}", None, None,
        )  # fmt: skip


def load(total: int, files: int, overlap: float) -> tuple[int, int]:
    """One user, one account, `files` ready post exports whose union is `total` posts."""
    from core import day_totals, ingest, merge_build
    from core.db import get_engine, session_scope
    from core.models import Account, SocialFile, User

    with session_scope() as session:
        user = User(email="bench@example.com", password_hash="!", role="user")
        session.add(user)
        session.flush()
        account = Account(user_id=user.id, name="Acme · YouTube", platform="youtube")
        session.add(account)
        session.flush()
        user_id, account_id = user.id, account.id
    step = total // files
    size = int(step * (1 + overlap))
    t0, merging = time.perf_counter(), []
    for k in range(files):
        first, count = k * step, min(size, total - k * step)
        with session_scope() as session:
            file = SocialFile(
                user_id=user_id, original_name=f"export-{k + 1}.csv", path="/dev/null", status="processing",
                platform="youtube", row_kind="posts", version=1, mapping=None, account_id=account_id, rows=count,
            )  # fmt: skip
            session.add(file)
            session.flush()
            file_id = file.id
        with get_engine().begin() as conn:
            loaded = ingest.copy_rows_pg(conn, file_id=file_id, rows=rows(first, count, k), row_kind="posts")
            day_totals.record(
                conn, file_id=file_id, table_name=loaded.table, columns=COLUMNS
            )  # as core.pipeline
            ingest.publish(conn, loaded)
        t1 = time.perf_counter()
        with session_scope() as session:
            session.get(SocialFile, file_id).status = "ready"
            merge_build.refresh(session, [account_id])  # as core.pipeline, in the same transaction
        merging.append(time.perf_counter() - t1)
    with get_engine().begin() as conn:
        conn.execute(text("ANALYZE raw_data"))
    print(
        f"loaded {files} files ({size:,} rows each, {overlap:.0%} overlap) in {time.perf_counter() - t0:.1f} s;"
        f" storing the merge as each became ready: {', '.join(f'{t:.2f}' for t in merging)} s"
    )
    return user_id, account_id


def explorer_data(user_id: int, account_id: int, *, kept: bool = False) -> dict[str, float]:
    """What the Explorer reads; `kept`: as a rerun does, from the figures core.memo kept."""
    from core import analytics, memo, metrics, timeline
    from core.db import session_scope
    from core.models import User

    if not kept:
        memo.clear()
    out = {}
    with session_scope() as session:
        actor = session.get(User, user_id)
        t0 = time.perf_counter()
        scope = timeline.account_scope(session, actor=actor, account_id=account_id)
        first, last = analytics.date_bounds(session, file=scope)
        out["scope + bounds"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        days = analytics.daily(session, file=scope, start=first, end=last)
        out["daily (1 scan)"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        for grain in analytics.GRAINS:
            analytics.series_from_days(days, file=scope, grain=grain)
        analytics.weekdays_from_days(days)
        out["series + weekdays"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        analytics.top_posts(session, file=scope, start=first, end=last, order_by=analytics.top_order(scope))
        out["top posts"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        metrics.catalogue(days, file=scope)  # as the Explorer does: from the same per-date list
        out["metrics"] = time.perf_counter() - t1
        out["explorer total"] = time.perf_counter() - t0
        out["rows after merge"] = timeline.count_rows(session, scope)
    if kept:
        return {"explorer rerun": out["explorer total"]}
    return out


def report(user_id: int, account_id: int) -> dict[str, float]:
    """The account's PDF, nothing kept from the Explorer's reads (core.memo emptied first)."""
    from core import memo, timeline
    from core.db import session_scope
    from core.models import User
    from core.reports.gather import render
    from core.reports.scoped import scope_report_data, scope_span

    memo.clear()
    out = {}
    with session_scope() as session:
        t0 = time.perf_counter()
        scope = timeline.account_scope(session, actor=session.get(User, user_id), account_id=account_id)
        span = scope_span(session, scope, start=None, end=None, period_days=None)
        data = scope_report_data(session, scope=scope, span=span, generated_at=datetime.now(UTC))
        out["report aggregate"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    render(data, fmt="pdf")
    out["report PDF render"] = time.perf_counter() - t1
    out["report total"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    render(data, fmt="csv")
    out["report CSV render"] = time.perf_counter() - t1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--overlap", type=float, default=0.1)
    args = parser.parse_args()
    scratch_app(DB_NAME)
    user_id, account_id = load(args.rows, args.files, args.overlap)

    def both():
        first = explorer_data(user_id, account_id)
        return first | explorer_data(user_id, account_id, kept=True) | report(user_id, account_id)

    first = both()
    runs = [both() for _ in range(3)]
    print(f"\naccount timeline of {int(first['rows after merge']):,} rows from {args.files} exports")
    print(f"{'':<20}{'first':>9}{'best of 3':>11}")
    for key in first:
        if key != "rows after merge":
            print(f"{key:<20}{first[key]:>8.3f}s{min(r[key] for r in runs):>10.3f}s")


if __name__ == "__main__":
    main()
