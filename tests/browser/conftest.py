"""A real app in a real browser: `streamlit run serve.py` on a free port with a fresh STORAGE_DIR
(the embedded defaults: SQLite and the in-process worker), driven by Debian's Chromium through
Playwright. Screenshots go to artifacts/browser/ (kept by CI as test artifacts)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, need

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "artifacts" / "browser"
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def _app_env(storage: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "AUTH_COOKIE_KEY")
    }
    env.update(STORAGE_DIR=str(storage), PYTHONUNBUFFERED="1", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    return env


def _stop(proc: subprocess.Popen) -> None:
    """Stop the app and the worker process it spawned (the process group this fixture created)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def serving(tmp_path: Path, script: str = "serve.py", **env: str) -> Iterator[str]:
    """`streamlit run <script>` on a free port with a fresh STORAGE_DIR (and `env`); its base URL."""
    port = free_port()
    log = tmp_path / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    with open(log, "wb") as out:
        # A session of its own, so the app and its worker process are stopped together.
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=_app_env(tmp_path / "storage") | env,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        _stop(proc)
        # The app's log is a test artifact too: it explains a failed journey.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(log, ARTIFACTS / "streamlit.log")


@pytest.fixture
def app_url(tmp_path) -> Iterator[str]:
    """The base URL of a freshly started app with an empty database (first run)."""
    with serving(tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not CHROMIUM.exists():
        need("Chromium", f"{CHROMIUM} is missing; install it with: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need("Chromium", "the playwright Python package is not installed (requirements-dev.txt)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


class Shots:
    """Numbered screenshots of a journey, in artifacts/browser/."""

    def __init__(self, page, prefix: str):
        self.page, self.prefix, self.count = page, prefix, 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def __call__(self, name: str) -> Path:
        self.count += 1
        path = ARTIFACTS / f"{self.prefix}-{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


@pytest.fixture
def shots(page, request) -> Iterator[Shots]:
    """Screenshots of the journey; a last one of the screen where it failed."""
    taker = Shots(page, request.node.name.removeprefix("test_"))
    yield taker
    if getattr(request.node, "journey_failed", False):
        taker("failed here")
