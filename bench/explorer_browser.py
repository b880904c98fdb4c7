"""Benchmark: an account of ~1M timeline rows opened in the Explorer, as a user sees it, in headless Chromium.

Run:  .venv/bin/python bench/explorer_browser.py [--rows 1000000] [--files 4] [--repeat 3] [--reuse]
      [--rounds N] [--days D] [checkout …]
      (checkouts, e.g. /work/main and this one: each round starts a fresh server of each, alternately)
Needs PostgreSQL (BENCH_POSTGRES_URL) and /usr/bin/chromium. Loads the account as
bench/account_speed.py does (its own database `sa_account_bench`), starts `streamlit run Home.py`
on it, signs in, and times from the click on the sidebar's "Explorer" (the account is the one
picked by default) until the app is idle with its chart drawn, and how long the page's main thread
was busy meanwhile. Not a test: figures, not asserts.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import account_speed  # noqa: E402
from bench.account_speed import DB_NAME, load  # noqa: E402
from bench.benchdb import fresh_database  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _stop, _wait_healthy, free_port  # noqa: E402
from tests.browser.steps import settle, visible_input  # noqa: E402

EMAIL, PASSWORD = "bench@example.com", "bench password 2024"
DRAWN = """() => {
    const app = document.querySelector('[data-testid=stApp]');
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return app && app.getAttribute('data-test-script-state') !== 'running' && plots.length >= 1
        && plots.every(p => p._fullLayout && p.querySelector('.main-svg'));
}"""


class Frames:
    """The app's websocket frames, as Chromium's devtools see them (timestamps in its clock)."""

    def __init__(self, page) -> None:
        self.got: list[tuple[float, bytes]] = []
        self.sent: list[tuple[float, bytes]] = []
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.webSocketFrameReceived", lambda e: self.got.append(_frame(e)))
        cdp.on("Network.webSocketFrameSent", lambda e: self.sent.append(_frame(e)))
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
        self._cdp = cdp

    def main_thread(self) -> float:
        """Seconds the page's main thread has spent on tasks so far."""
        metrics = self._cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "TaskDuration")

    def clear(self) -> None:
        self.got.clear()
        self.sent.clear()

    def summary(self) -> str:
        """Runs, bytes by kind of element, and the server's part: first message sent → last received."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        reruns = 0
        for _t, data in self.sent:
            back = BackMsg()
            back.ParseFromString(data)
            reruns += back.WhichOneof("type") == "rerun_script"
        sizes: dict[str, int] = {}
        runs = 0
        for _t, data in self.got:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            runs += kind == "new_session"
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                kind = msg.delta.new_element.WhichOneof("type")
            sizes[kind] = sizes.get(kind, 0) + len(data)
        span = self.got[-1][0] - self.sent[0][0] if self.got and self.sent else float("nan")
        top = ", ".join(f"{k} {v / 1024:.0f} kB" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:5])
        total = sum(sizes.values()) / 1024
        return f"{reruns} rerun asked, {runs} run(s), sent→last message {span:.2f} s, {total:.0f} kB: {top}"


def _frame(event) -> tuple[float, bytes]:
    response = event["response"]
    data = response["payloadData"]
    return event["timestamp"], base64.b64decode(data) if response["opcode"] == 2 else data.encode()


def open_explorer(page, frames: Frames) -> tuple[float, float]:
    """Seconds from the click on "Explorer" to its chart drawn, the app idle; and how long the page's
    main thread was busy meanwhile (what ten sessions on two cores compete for)."""
    settle(page)
    link = page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Explorer", exact=True)
    frames.clear()
    busy = frames.main_thread()
    t0 = time.perf_counter()
    link.click()
    page.get_by_role("heading", name="Explorer", exact=True).wait_for(timeout=120_000)
    page.wait_for_function(DRAWN, polling=20, timeout=120_000)
    return time.perf_counter() - t0, frames.main_thread() - busy


def _prepare(args) -> dict[str, str]:
    """The benchmark's database, loaded (or, with --reuse, as a previous run left it); the app's env."""
    from sqlalchemy import create_engine, text

    from bench.benchdb import ADMIN_URL

    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
    reuse = False
    if args.reuse:
        try:
            engine = create_engine(url)
            with engine.connect() as conn:
                reuse = (
                    conn.execute(text("SELECT count(*) FROM users WHERE email = :e"), {"e": EMAIL}).scalar()
                    == 1
                )
            engine.dispose()
        except Exception:  # noqa: BLE001 — no such database yet: load it
            reuse = False
    env = dict(os.environ, DATABASE_URL=url if reuse else fresh_database(DB_NAME),
               STORAGE_DIR=tempfile.mkdtemp(prefix="eb-"), AUTH_COOKIE_KEY="bench-" + "k" * 48,
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")  # fmt: skip
    os.environ.update(env)
    if reuse:
        print(f"reusing the loaded database {DB_NAME}")
        return env
    from core.auth import hash_password
    from core.db import migrate, session_scope
    from core.models import User

    migrate()
    if args.days:  # as bench/load_sessions.py's export: the posts spread over `days` days
        account_speed.PER_DAY = -(-args.rows // args.days)
    user_id, _account = load(args.rows, args.files, 0.1)
    with session_scope() as session:
        user = session.get(User, user_id)
        user.password_hash, user.role = hash_password(PASSWORD), "admin"  # an admin: no setup screen
    return env


def measure(checkout: Path, env: dict[str, str], repeat: int) -> list[tuple[float, str]]:
    """A fresh `streamlit run` of `checkout`: signed in, the Explorer opened 1 + `repeat` times."""
    port = free_port()
    log = Path(env["STORAGE_DIR"]) / f"streamlit-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command, cwd=checkout, env=env, stdout=out, stderr=out, start_new_session=True
        )
    from playwright.sync_api import sync_playwright

    out = []
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
            frames = Frames(page)
            for _ in range(1 + repeat):  # the first opening, then again from the Dashboard
                seconds, busy = open_explorer(page, frames)
                settle(page)
                out.append((seconds, f"main thread {busy:.2f} s, {frames.summary()}"))
                page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Dashboard").click()
                page.get_by_role("heading", name="Dashboard", exact=True).wait_for(timeout=120_000)
            browser.close()
    finally:
        _stop(proc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--days", type=int, help="spread the posts over this many days (default: 900 a day)")
    parser.add_argument("--reuse", action="store_true", help="keep the database a previous run loaded")
    parser.add_argument(
        "--rounds", type=int, default=1, help="fresh servers, one after another, per checkout"
    )
    parser.add_argument(
        "checkouts", nargs="*", type=Path, help="checkouts to compare, alternating (default: this one)"
    )
    args = parser.parse_args()
    env = _prepare(args)
    checkouts = args.checkouts or [ROOT]
    results: dict[Path, list] = {c: [] for c in checkouts}
    for _round in range(args.rounds):
        for checkout in checkouts:
            results[checkout].append(measure(checkout, env, args.repeat))
    print(f"\nExplorer opened on a {args.rows:,}-row account, click → chart drawn (target ≤ 1 s):")
    for checkout, rounds in results.items():
        for n, opened in enumerate(rounds):
            times = [t for t, _ in opened]
            print(
                f"{checkout} round {n + 1}: first {times[0]:.2f} s · then {' / '.join(f'{t:.2f}' for t in times[1:])} s"
            )
            for k, (seconds, detail) in enumerate(opened):
                print(f"  {'first' if k == 0 else f'again {k}'}: {seconds:.2f} s · {detail}")
    print(f"load average {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} / {os.getloadavg()[2]:.1f}")


if __name__ == "__main__":
    main()
