"""Benchmark: an account of ~1M timeline rows opened in the Explorer, as a user sees it, in headless Chromium.

Run:  .venv/bin/python bench/explorer_browser.py [--rows 1000000] [--files 4] [--repeat 3]
Needs PostgreSQL (BENCH_POSTGRES_URL) and /usr/bin/chromium. Loads the account as
bench/account_speed.py does (its own database `sa_account_bench`), starts `streamlit run Home.py`
on it, signs in, and times from the click on the sidebar's "Explorer" (the account is the one
picked by default) until the app is idle with its last chart drawn. Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.account_speed import DB_NAME, load  # noqa: E402
from bench.benchdb import fresh_database  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _stop, _wait_healthy, free_port  # noqa: E402
from tests.browser.test_journey import settle, visible_input  # noqa: E402

EMAIL, PASSWORD = "bench@example.com", "bench password 2024"
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return app && app.getAttribute('data-test-script-state') !== 'running' && plots.length >= 3
        && plots.every(p => p._fullLayout && p.querySelector('.main-svg'));
}"""


def open_explorer(page) -> float:
    """Seconds from the click on "Explorer" to the last chart drawn, the app idle."""
    settle(page)
    link = page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Explorer", exact=True)
    t0 = time.perf_counter()
    link.click()
    page.get_by_role("heading", name="Explorer", exact=True).wait_for(timeout=120_000)
    page.wait_for_function(DRAWN, polling=20, timeout=120_000)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    env = dict(os.environ, DATABASE_URL=fresh_database(DB_NAME), STORAGE_DIR=tempfile.mkdtemp(prefix="eb-"),
               AUTH_COOKIE_KEY="bench-" + "k" * 48, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")  # fmt: skip
    os.environ.update(env)
    from core.auth import hash_password
    from core.db import migrate, session_scope
    from core.models import User

    migrate()
    user_id, _account = load(args.rows, args.files, 0.1)
    with session_scope() as session:
        user = session.get(User, user_id)
        user.password_hash, user.role = hash_password(PASSWORD), "admin"  # an admin: no setup screen
    port = free_port()
    log = Path(env["STORAGE_DIR"]) / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    from playwright.sync_api import sync_playwright

    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(url)
            visible_input(page, "Email").fill(EMAIL)
            visible_input(page, "Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in", exact=True).filter(visible=True).first.click()
            page.get_by_role("heading", name="Dashboard", exact=True).wait_for(timeout=120_000)
            times = []
            for _ in range(1 + args.repeat):  # the first opening, then again from the Dashboard
                times.append(open_explorer(page))
                settle(page)
                page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Dashboard").click()
                page.get_by_role("heading", name="Dashboard", exact=True).wait_for(timeout=120_000)
            browser.close()
    finally:
        _stop(proc)
    print(f"\nExplorer opened on a {args.rows:,}-row account, click → last chart drawn (target ≤ 1 s):")
    print(f"first {times[0]:.2f} s · then {' / '.join(f'{t:.2f}' for t in times[1:])} s")


if __name__ == "__main__":
    main()
