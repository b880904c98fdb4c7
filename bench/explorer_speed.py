"""Benchmark: the Explorer's first render and a PDF report of one 1M-row file on PostgreSQL.

Run:  .venv/bin/python bench/explorer_speed.py [--rows 1000000] [--repeat 3]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server); uses its own database
`sa_explorer_bench`, dropped and created again, filled as bench/report_speed.py does (COPY, then the
stored metrics). Times, for the whole file as its period and then for a 30-day period:
- the Explorer page opened in a fresh session (AppTest through Home.py, as a browser opens it):
  the first render, then "Group by week" and "Top posts by ER" on that page;
- the aggregations it rests on, one core call at a time;
- the report: its database aggregation and the PDF (bench/report_speed.py's timings).
Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import report_speed  # bench/: the 1M-row file, loaded as for the report benchmark

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
report_speed.DB_NAME = "sa_explorer_bench"
PAGE = "pages/explorer.py"


def _routed() -> None:
    """Route through Home.py's navigation, as a running server does (see tests/ui/auth_fixtures.routed)."""
    import streamlit.testing.v1  # noqa: F401  (creates the loggers quietened below)
    from streamlit.runtime.pages_manager import PagesManager

    for name in ("script_run_context", "cache_data_api"):  # warnings of AppTest outside a server
        # A filter, not a level: Streamlit sets its loggers' levels again on every run.
        logger = logging.getLogger(next(n for n in logging.root.manager.loggerDict if n.endswith(name)))
        logger.addFilter(lambda record: record.levelno >= logging.ERROR)

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _admin() -> None:
    """An administrator, so that Home.py shows the app rather than the first-run setup."""
    from core.db import session_scope
    from core.models import User

    with session_scope() as session:
        session.add(User(email="admin@example.com", password_hash="!", role="admin"))


def _signed_in(user_id: int):
    """A fresh browser session signed in as the user, on the dashboard (Home.py's first page)."""
    from streamlit.testing.v1 import AppTest

    from core.db import session_scope
    from core.models import User
    from ui.auth import SESSION_KEY, signed_in_state

    with session_scope() as session:
        state = signed_in_state(session.get(User, user_id))
    at = AppTest.from_file(str(ROOT / "Home.py"), default_timeout=60)
    at.session_state[SESSION_KEY] = state
    return at.run()


def _run(at, act=None) -> float:
    """Seconds of one rerun of the page (after `act` sets a widget); fails on an exception."""
    began = time.perf_counter()
    at = act(at) if act else at.run()
    took = time.perf_counter() - began
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return took


def page_timings(user_id: int) -> dict[str, float]:
    """One fresh session: the Explorer's first render, then a change of grain and of top-posts order."""
    at = _signed_in(user_id)
    at.switch_page(PAGE)
    return {
        "explorer first render": _run(at),
        "  then group by week": _run(at, lambda a: a.segmented_control(key="explorer_grain").set_value("week").run()),
        "  then top posts by ER": _run(at, lambda a: a.selectbox(key="explorer_top_order").select("er").run()),
    }  # fmt: skip


def core_timings(file_id) -> dict[str, float]:
    """The aggregations behind the page over the file's period, one call at a time."""
    from core import analytics, metrics
    from core.db import session_scope
    from core.models import SocialFile

    calls = {
        "analytics.daily": lambda s, f, a, b: analytics.daily(s, file=f, start=a, end=b),
        "analytics.series (day)": lambda s, f, a, b: analytics.series(s, file=f, start=a, end=b),
        "analytics.weekday_engagements": lambda s, f, a, b: analytics.weekday_engagements(s, file=f, start=a, end=b),
        "analytics.top_posts (views)": lambda s, f, a, b: analytics.top_posts(s, file=f, start=a, end=b, limit=20),
        "analytics.top_posts (er)": lambda s, f, a, b: analytics.top_posts(s, file=f, start=a, end=b, order_by="er", limit=20),
        "metrics.load": lambda s, f, a, b: metrics.load(s, file=f),
    }  # fmt: skip
    out = {}
    for label, call in calls.items():
        with session_scope() as session:
            file = session.get(SocialFile, file_id)
            began = time.perf_counter()
            call(session, file, file.period_start, file.period_end)
            out[label] = time.perf_counter() - began
    return out


def report_timings(file_id) -> dict[str, float]:
    found = report_speed.timed(file_id)
    return {f"report {k}": found[k] for k in ("aggregate (DB)", "render PDF", "PDF total")}


def show(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title}  ({len(runs)} runs: min – max, then each run)")
    for key in runs[0]:
        values = [r[key] for r in runs]
        each = " ".join(f"{v:.3f}" for v in values)
        print(f"  {key:<34}{min(values):7.3f} – {max(values):.3f} s   [{each}]")


def measure(file_id, user_id, *, repeat: int, label: str) -> None:
    show(f"{label}: Explorer page (fresh session each run)", [page_timings(user_id) for _ in range(repeat)])
    show(f"{label}: core calls", [core_timings(file_id) for _ in range(repeat)])
    show(f"{label}: report", [report_timings(file_id) for _ in range(repeat)])


def to_period(file_id, days: int) -> None:
    """Make the file's period its last `days` days, as processing it with that period would."""
    from core import metrics
    from core.db import session_scope
    from core.models import SocialFile

    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        file.period_days = days
        metrics.store(session, file=file, result=metrics.compute(session, file=file))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = report_speed.fresh_database(report_speed.DB_NAME)
    os.environ["STORAGE_DIR"] = tempfile.mkdtemp(prefix="explorer-bench-")
    os.environ.setdefault("AUTH_COOKIE_KEY", "bench-" + "k" * 48)
    from core.db import migrate

    migrate()
    file_id, user_id = report_speed.load(args.rows, None)
    _admin()
    _routed()
    began = time.perf_counter()
    page_timings(user_id)  # imports, Plotly's first figure, connections: once per server process
    print(f"warm-up (first page of the process, not counted): {time.perf_counter() - began:.2f} s")
    measure(file_id, user_id, repeat=args.repeat, label=f"whole file ({args.rows:,} rows)")
    to_period(file_id, 30)
    measure(file_id, user_id, repeat=args.repeat, label="30-day period")


if __name__ == "__main__":
    main()
