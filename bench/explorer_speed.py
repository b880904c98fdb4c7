"""Benchmark: the Explorer on one account of ~1M merged rows, its core calls and its report, on PostgreSQL.

Run:  .venv/bin/python bench/explorer_speed.py [--rows 1000000] [--files 4] [--overlap 0.1] [--repeat 3]
Needs PostgreSQL (BENCH_POSTGRES_URL, default the local `test` server); uses its own database
(BENCH_DB, default `sa_explorer_bench`), dropped and created again, and loads the account as
bench/account_speed.py does (`--files` overlapping post exports, the merge stored). Times, for the
account's whole timeline and then for the "Last 30 days" preset:
- the Explorer page opened in a fresh session (AppTest through Home.py, as a browser opens it), on
  the account: the first render, then "Group by week" and "Top posts by ER" on that page; first
  with nothing kept in the process (core.memo emptied: a cold opening), then as a later opening
  finds it (what core.memo keeps while the files are unchanged);
- the reads behind it (bench/account_speed.py's explorer_data) and the account's report
  (its report: aggregation, PDF, CSV), whole timeline only.
Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import account_speed  # noqa: E402  (the 1M-row account, loaded as for its benchmark)
from bench.benchdb import scratch_app  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB", "sa_explorer_bench")  # its own name: two runs at once collide
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


def page_timings(user_id: int, account_id: int, *, preset: str, cold: bool) -> dict[str, float]:
    """One fresh session on the account: the first render, then a change of grain and of top-posts order."""
    from core import memo

    if cold:
        memo.clear()
    at = _signed_in(user_id)
    at.session_state["explorer_scopes"] = [f"account:{account_id}"]
    at.session_state["explorer_preset"] = preset
    at.switch_page(PAGE)
    out = {"explorer first render": _run(at)}
    if not at.segmented_control(key="explorer_grain").options or not at.metric:
        raise RuntimeError("the Explorer did not show the account: " + " | ".join(m.value for m in at.info))
    out["  then group by week"] = _run(
        at, lambda a: a.segmented_control(key="explorer_grain").set_value("week").run()
    )
    out["  then top posts by ER"] = _run(
        at, lambda a: a.selectbox(key="explorer_top_order").select("er").run()
    )
    return out  # fmt: skip


def show(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title}  ({len(runs)} runs: min – max, then each run)")
    for key in runs[0]:
        values = [r[key] for r in runs]
        each = " ".join(f"{v:.3f}" for v in values)
        print(f"  {key:<34}{min(values):7.3f} – {max(values):.3f} s   [{each}]")


def measure(user_id: int, account_id: int, *, repeat: int, preset: str, label: str) -> None:
    for cold in (True, False):
        kept = "nothing kept (core.memo emptied)" if cold else "as a later opening (core.memo kept)"
        runs = [page_timings(user_id, account_id, preset=preset, cold=cold) for _ in range(repeat)]
        show(f"{label}: Explorer page, fresh session, {kept}", runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--overlap", type=float, default=0.1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scratch_app(DB_NAME)
    user_id, account_id = account_speed.load(args.rows, args.files, args.overlap)
    _admin()
    _routed()
    began = time.perf_counter()
    page_timings(user_id, account_id, preset="all", cold=True)  # imports, Plotly, connections: once a process
    print(f"warm-up (first page of the process, not counted): {time.perf_counter() - began:.2f} s")
    label = f"account, whole timeline ({args.rows:,} rows, {args.files} exports)"
    measure(user_id, account_id, repeat=args.repeat, preset="all", label=label)
    core = [account_speed.explorer_data(user_id, account_id) for _ in range(args.repeat)]
    show(f"{label}: core calls (bench/account_speed.py explorer_data, nothing kept)",
         [{k: v for k, v in r.items() if k != "rows after merge"} for r in core])  # fmt: skip
    show(f"{label}: report", [account_speed.report(user_id, account_id) for _ in range(args.repeat)])
    measure(user_id, account_id, repeat=args.repeat, preset="last_30", label="account, Last 30 days")


if __name__ == "__main__":
    main()
