"""A real Celery worker in a subprocess, on a private queue and key prefix of the shared Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
QUEUE_ENV, PREFIX_ENV = "TEST_CELERY_QUEUE", "TEST_CELERY_PREFIX"
KILL_MARK = "kill-me"  # a file with this in its name kills the process parsing it (worker_app.py)


def overrides(queue: str, prefix: str) -> dict:
    """The Celery settings that keep a test run's messages apart from everyone else's."""
    from core.config import get_settings
    from worker.celery_app import celery_config

    options = dict(celery_config(get_settings())["broker_transport_options"])
    options["global_keyprefix"] = prefix
    return {"task_default_queue": queue, "broker_transport_options": options}


class WorkerProcess:
    """`celery worker --pool=prefork -c N` (default 1) started from this test's environment."""

    def __init__(
        self,
        log_dir: Path,
        *,
        app: str = "tests.worker.worker_app",
        env: dict | None = None,
        concurrency: int = 1,
    ):
        self.app, self.log_dir, self.env = app, log_dir, env or {}
        self.concurrency = concurrency
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.extra_args: list[str] = []

    def start(self, *, timeout: float = 60) -> WorkerProcess:
        self.starts += 1
        self.log = self.log_dir / f"worker-{self.starts}.log"
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        command = [
            str(CELERY),
            "-A",
            self.app,
            "worker",
            "--pool=prefork",
            "-c",
            str(self.concurrency),
            "-l",
            "info",
            "-n",
            name,
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            *self.extra_args,
        ]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_for("ready.", timeout)
        return self

    def _wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"the worker exited with {self.proc.returncode}:\n{self.output()}")
            time.sleep(0.1)
        raise AssertionError(f"the worker did not say {text!r} in {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def pool_pids(self) -> list[int]:
        """The prefork pool's processes (the ones that run tasks)."""
        import psutil

        return [child.pid for child in psutil.Process(self.proc.pid).children()]

    def kill_pool_process(self) -> int:
        """SIGKILL the process running the task, as the kernel's OOM killer would."""
        (pid,) = self.pool_pids()
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """SIGKILL the worker and its pool at once: a crashed container or machine."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen | None) -> None:
    """SIGTERM a subprocess started in a session of its own, with its children; SIGKILL after 20 s."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
