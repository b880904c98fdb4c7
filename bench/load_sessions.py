"""Many people at once: N concurrent sessions in headless Chromium against one `streamlit run`.

Each session signs in, uploads a 50k-row export, waits for its status card to show Ready (no
reload), then opens the Explorer and waits for its charts. Prints p50/p95 of time to Ready (from
the click on Upload), of the lag between the database saying ready and the card saying so, of the
Explorer render (click to its chart drawn, no widget's placeholder left and the run over: the
moment the app went idle, not the end of the quiet time that tells it has), and every error seen.
With `--rounds N` the whole run is repeated N times (a fresh database and server each) and the
percentiles are over every session of every round: of ten figures, "p95" is only the slowest.

    .venv/bin/python bench/load_sessions.py --sessions 10 --rows 50000 [--rounds 3]
    .venv/bin/python bench/load_sessions.py --postgres   # a scratch PostgreSQL database instead

Embedded defaults (SQLite, in-process worker) unless --postgres. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_cpu import CpuSampler  # noqa: E402
from bench.load_stats import db_ready_times, group_cpu, load_average, round_line, summary  # noqa: E402
from bench.load_trace import SessionTrace  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PASSWORD = "load bench passphrase 2026"
TIMEOUT_MS = 300_000  # one step of one session; past it the session counts as an error


def export_csv(rows: int) -> bytes:
    """A post-level export: `rows` posts over the last year."""
    start, lines = date(2025, 1, 1), ["date,post_id,title,views,likes,comments,shares"]
    for i in range(rows):
        day = start + timedelta(days=i % 365)
        lines.append(f"{day.isoformat()},p{i},Post {i},{1000 + i % 977},{i % 89},{i % 13},{i % 7}")
    return ("\n".join(lines) + "\n").encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(storage: Path, sessions: int, database_url: str | None) -> list[str]:
    """Settings for this run, the schema, an admin and one account per session."""
    os.environ["STORAGE_DIR"] = str(storage)
    os.environ["AUTH_COOKIE_KEY"] = "load-bench-cookie-key-" + "k" * 32
    os.environ.pop("CELERY_BROKER_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    from core import users
    from core.db import migrate, reset, session_scope

    reset()  # a later round's settings and database, not the last one's
    migrate()
    emails = [f"user{i}@example.com" for i in range(sessions)]
    with session_scope() as session:
        users.create_user(session, email="admin@example.com", password=PASSWORD, role="admin")
        for email in emails:
            users.create_user(session, email=email, password=PASSWORD)
    return emails


def start_app(storage: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(storage / "streamlit.log", "wb")  # noqa: SIM115 (kept open for the app's life)
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    proc = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=log, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the app did not start: see " + str(storage / "streamlit.log"))


IDLE = """quiet => {
    const app = document.querySelector('[data-testid=stApp]');
    const now = performance.now();
    if (!app || app.getAttribute('data-test-script-state') === 'running') { window.__busy = now; return false; }
    return now - (window.__busy || 0) >= quiet;
}"""


# The Explorer drawn: its first chart (not the off-screen one the Dashboard and Upload draw,
# ui/chart_warmup.py), and no grey placeholder left where a widget's code is still being fetched.
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .some(p => !p.closest('.st-key-sa_plotly_warmup'))
    && !document.querySelector('[data-testid=stMain] [data-testid^=stSkeleton]')"""


async def settle(page, quiet_ms: int = 500) -> float:
    """Until the app has been idle `quiet_ms`; the monotonic time it went idle (at the latest)."""
    await page.wait_for_function(IDLE, arg=quiet_ms, polling=100, timeout=TIMEOUT_MS)
    quiet_s = await page.evaluate("() => (performance.now() - (window.__busy || 0)) / 1000")
    return time.monotonic() - quiet_s


async def signed_in_cookie(context) -> None:
    """Until the browser holds the login cookie a sign-in writes (ui/auth.py, cookie_script)."""
    from core.auth import COOKIE_NAME

    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not any(c["name"] == COOKIE_NAME for c in await context.cookies()):
        if time.monotonic() > deadline:
            raise TimeoutError("the login cookie was never stored")
        await asyncio.sleep(0.1)


async def one_session(browser, url: str, email: str, data: bytes, result: dict, trace: bool) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = await context.new_page()
    traced = SessionTrace() if trace else None
    if traced:
        await traced.attach(page)
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda exc: result["errors"].append(f"{email}: page error {exc}"))
    last = [time.monotonic()]

    def lap(name: str) -> None:  # how long each step took, for the --steps breakdown
        now = time.monotonic()
        result.setdefault("laps", {})[name] = now - last[0]
        last[0] = now

    try:
        started, result["step"] = time.monotonic(), "sign-in"
        await page.goto(url)
        await page.locator("input[aria-label='Email']:visible").wait_for()  # the app's page, its first run
        lap("page opened to the sign-in form")
        await settle(page)
        lap("sign-in form to app idle")
        await page.locator("input[aria-label='Email']:visible").fill(email)
        await page.locator("input[aria-label='Password']:visible").fill(PASSWORD)
        await settle(page)
        lap("fields filled")
        await page.get_by_role("button", name="Sign in", exact=True).filter(visible=True).first.click()
        await page.get_by_role("heading", name="Dashboard", exact=True).wait_for()
        lap("sign-in click to Dashboard")
        await signed_in_cookie(context)  # signed in for good: a new tab would be signed in too
        lap("Dashboard to the login cookie stored")
        result["sign_in"], result["step"] = time.monotonic() - started, "upload"
        await settle(page)
        await (
            page.locator("[data-testid='stSidebarNav']")
            .get_by_role("link", name="Upload", exact=True)
            .click()
        )
        await page.get_by_role("heading", name="Upload", exact=True).wait_for()
        await settle(page)
        lap("Dashboard idle, Upload opened and idle")
        chosen = {"name": f"{email.split('@')[0]}.csv", "mimeType": "text/csv", "buffer": data}
        await page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(chosen)
        await page.get_by_text(chosen["name"]).first.wait_for()
        lap("file chosen")
        await page.locator("[data-testid='stFormSubmitButton'] button").filter(has_text="Upload").click()
        result["clicked"], result["step"] = time.monotonic(), "waiting for Ready"
        card = page.locator("[data-testid='stVerticalBlock'][class*='st-key-upload_card_']").first
        await card.get_by_text("Ready", exact=False).last.wait_for()
        result["ready_at"], result["ready_mono"] = time.time(), time.monotonic()
        result["ready"] = time.monotonic() - result["clicked"]
        await settle(page)
        lap("Ready, page idle")
        main_before = await traced.main_thread() if traced else {}
        result["opened"], result["step"] = time.monotonic(), "Explorer"
        await (
            page.locator("[data-testid='stSidebarNav']")
            .get_by_role("link", name="Explorer", exact=True)
            .click()
        )
        await page.wait_for_function(DRAWN, timeout=TIMEOUT_MS)
        charted = time.monotonic()
        lap("Explorer click to first chart")
        idle = await settle(page, 300)
        await page.wait_for_function(DRAWN, timeout=TIMEOUT_MS)  # nothing the last runs drew still loading
        lap("first chart to Explorer idle")
        result["explorer"] = max(idle, charted) - result["opened"]
        if traced:
            after = await traced.main_thread()
            result["explorer_main_thread"] = {k: after[k] - main_before.get(k, 0.0) for k in after}
            result["explorer_charted"] = charted
            result["explorer_parts"] = traced.explorer(result["opened"], charted)
        shown = await page.locator(
            "[data-testid='stException'], [data-testid='stAlertContentError']"
        ).all_inner_texts()
        result["errors"] += [f"{email}: on screen: {text[:200]}" for text in shown]
    except Exception as exc:  # noqa: BLE001 (a benchmark reports every failure and goes on)
        problem = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        shot = Path(tempfile.gettempdir()) / f"load_sessions_{email.split('@')[0]}.png"
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(shot), full_page=True)
        result["errors"].append(f"{email} at {result.get('step')}: {problem} (screenshot {shot})")
    finally:
        if traced:
            result["runs"], result["events"] = traced.runs(), traced.events()
        await context.close()


async def run_sessions(url: str, emails: list[str], data: bytes, trace: bool = False) -> list[dict]:
    from playwright.async_api import async_playwright

    results = [{"email": e, "errors": []} for e in emails]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        await asyncio.gather(
            *(one_session(browser, url, e, data, r, trace) for e, r in zip(emails, results, strict=True))
        )
        await browser.close()
    return results


def one_round(args, data: bytes) -> dict:
    """A fresh database, server and ten (or --sessions) browsers, each uploading `data`: every
    session's results and the server's figures."""
    storage = Path(tempfile.mkdtemp(prefix="load_sessions_"))
    database_url = None
    if args.postgres:
        from bench.benchdb import fresh_database

        database_url = fresh_database("sa_bench_load")
    emails = prepare(storage, args.sessions, database_url)
    proc, url = start_app(storage)
    if args.server_cpu is not None:  # the workers the server starts later inherit its CPU
        for task in Path(f"/proc/{proc.pid}/task").iterdir():  # each thread it has so far
            os.sched_setaffinity(int(task.name), {args.server_cpu})
        os.sched_setaffinity(0, set(range(os.cpu_count() or 1)) - {args.server_cpu})  # then Chromium's
    load_before, began = load_average(), time.monotonic()
    try:
        with CpuSampler(proc.pid) as sampler:
            results = asyncio.run(run_sessions(url, emails, data, args.trace))
        wall = time.monotonic() - began
        cpu = group_cpu(proc.pid)
        ready_db = db_ready_times()
        ps = subprocess.run(
            ["ps", "-o", "rss=", "-p", str(proc.pid)], capture_output=True, text=True
        ).stdout.strip()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    server = cpu.pop(proc.pid, 0.0)
    return {"results": results, "ready_db": ready_db, "sampler": sampler, "wall": wall,
            "server": server, "workers": sum(cpu.values()), "rss_mb": int(ps or 0) // 1024,
            "load": (load_before, load_average())}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--postgres", action="store_true", help="a scratch PostgreSQL database (bench/benchdb.py)"
    )
    parser.add_argument("--steps", action="store_true", help="also each step's time, one line a step")
    parser.add_argument(
        "--trace", action="store_true", help="where the Explorer's time goes (bench/load_trace.py)"
    )
    parser.add_argument(
        "--server-cpu", type=int, help="this CPU for the app server and its workers, the others for Chromium"
    )
    parser.add_argument(
        "--rounds", type=int, default=1,
        help="run it this many times (a fresh database and server each) and pool the sessions: the p95 of"
        " ten sessions is the slowest one",
    )  # fmt: skip
    args = parser.parse_args()
    data, rounds = export_csv(args.rows), []
    for n in range(args.rounds):
        if n:
            time.sleep(20)  # the previous round's Chromiums and server gone, the load settling
        rounds.append(one_round(args, data))
        if args.rounds > 1:
            round_line(n + 1, rounds[-1])
    summary(args, rounds)


if __name__ == "__main__":
    main()
