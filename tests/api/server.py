"""A real uvicorn serving the API on a free port, in a subprocess of its own."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.worker.harness import stop_group

ROOT = Path(__file__).resolve().parents[2]
_emails = itertools.count()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ApiServer:
    """`uvicorn tests.api.server_app:app` with this test run's environment (plus `env`)."""

    def __init__(self, log_dir: Path, env: dict | None = None):
        self.log_dir, self.env = log_dir, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> ApiServer:
        self.log = self.log_dir / f"api-{self.port}.log"
        command = [sys.executable, "-m", "uvicorn", "tests.api.server_app:app", "--host", "127.0.0.1"]
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [*command, "--port", str(self.port)],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the API exited with {self.proc.returncode}:\n{self.output()}")
            try:
                if httpx.get(self.url + "/openapi.json", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the API did not answer in {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def stop(self) -> None:
        stop_group(self.proc)


@dataclass
class Stack:
    """One backend under test: its API server, and a second over the same data with tight settings."""

    name: str
    server: ApiServer
    limited: ApiServer  # MAX_UPLOAD_MB=1 and registration off

    def email(self) -> str:
        return f"user{next(_emails)}-{uuid.uuid4().hex[:6]}@example.com"
