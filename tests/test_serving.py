"""`make run` serves this machine only unless a host is given (README, "Serve to a network")."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT


def _run_command(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.replace("\\\n", " ").split())


def test_make_run_listens_on_loopback_by_default():
    assert "--server.address 127.0.0.1" in _run_command()


def test_make_run_listens_where_host_says():
    command = _run_command("HOST=0.0.0.0", "PORT=9000")
    assert "--server.address 0.0.0.0 --server.port 9000" in command
