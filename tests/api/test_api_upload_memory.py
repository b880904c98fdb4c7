"""A 100 MB upload streams through the API server: its memory stays far below the file's size."""

from __future__ import annotations

import threading

import psutil

from tests.api.api_client import signed_in, wait_status

MB = 1 << 20
LIMIT_MB = 150


def _file(path, size: int):
    """`size` bytes of CSV the parser refuses at its header at once (the test is about the upload)."""
    line = b"alpha,beta,gamma,delta\n" + b"1,2,3,4\n" * 8191
    with open(path, "wb") as out:
        written = 0
        while written < size:
            written += out.write(line[: size - written])
    return path


def test_a_100_mb_upload_keeps_the_server_under_150_mb(stack, tmp_path):
    _, client = signed_in(stack)
    path = _file(tmp_path / "huge.csv", 100 * MB)
    server = psutil.Process(stack.server.proc.pid)
    peak, done = [server.memory_info().rss], threading.Event()

    def sample():
        while not done.is_set():
            peak.append(server.memory_info().rss)
            done.wait(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with open(path, "rb") as fh:
            answer = client.post("/upload", files={"file": ("huge.csv", fh)})
    finally:
        done.set()
        sampler.join()
    assert answer.status_code == 202, answer.text
    print(
        f"\n[{stack.name}] server RSS before {peak[0] / MB:.0f} MB, peak {max(peak) / MB:.0f} MB "
        "during a 100 MB upload"
    )
    assert max(peak) < LIMIT_MB * MB
    status = wait_status(client, answer.json()["file_id"])
    assert status["status"] == "error"  # refused by the worker at the header: the bytes all arrived
    assert status["error_text"]
