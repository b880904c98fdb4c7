"""WS /ws/status: a script watches its uploads go processing then ready, and the stream ends with the token."""

from __future__ import annotations

import json
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from core import tokens
from core.db import session_scope
from core.models import User
from tests.api.api_client import login, upload
from tests.factories import make_user
from tests.worker.uploads import canonical_csv


def _events(ws, file_id: str, timeout: float = 90) -> list[dict]:
    """The file's events until it is ready or in error."""
    deadline = time.monotonic() + timeout
    events = []
    while not events or events[-1]["status"] not in ("ready", "error"):
        event = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if event["file_id"] == file_id:
            events.append(event)
    return events


def test_the_stream_shows_an_upload_processing_then_ready(stack):
    user = make_user(stack.email())
    access = login(stack, user)["access"]
    other = stack.server.client(login(stack, make_user(stack.email()))["access"])
    with connect(f"{stack.server.ws_url}/ws/status?token={access}") as ws:
        upload(other, "theirs.csv", canonical_csv(50))  # another user's file never shows here
        file_id = upload(stack.server.client(access), "big.csv", canonical_csv(150_000, per_day=300)).json()[
            "file_id"
        ]
        events = _events(ws, file_id)
    statuses = [e["status"] for e in events]
    assert "processing" in statuses and statuses[-1] == "ready", statuses
    assert statuses.index("processing") < statuses.index("ready")
    progress = [e["progress"] for e in events if e["status"] == "processing"]
    assert progress == sorted(progress) and events[-1] == {
        "file_id": file_id,
        "status": "ready",
        "progress": 100,
        "error": None,
    }


def test_a_bad_token_is_closed_with_4401(stack):
    with connect(f"{stack.server.ws_url}/ws/status?token=junk") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4401


def test_the_stream_closes_cleanly_when_the_token_expires(stack):
    user = make_user(stack.email())
    with session_scope() as session:
        token = tokens.issue(session.get(User, user.id), kind=tokens.ACCESS, now=time.time() - 900 + 2)
    started = time.monotonic()
    with connect(f"{stack.server.ws_url}/ws/status?token={token}") as ws:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4401 and "expired" in closed.value.rcvd.reason
    assert 1 < time.monotonic() - started < 6


def test_the_stream_closes_when_the_user_signs_out_everywhere(stack):
    from core import users

    user = make_user(stack.email())
    access = login(stack, user)["access"]
    with connect(f"{stack.server.ws_url}/ws/status?token={access}") as ws:
        timer = threading.Timer(0.5, lambda: _end_sessions(users, user.id))
        timer.start()
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4401 and "revoked" in closed.value.rcvd.reason


def _end_sessions(users, user_id: int) -> None:
    with session_scope() as session:
        users.end_sessions(session, user_id=user_id)
