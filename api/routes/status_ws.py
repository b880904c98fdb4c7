"""WS /ws/status: the caller's files as their status and progress change, read from the database."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import anyio
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from api.deps import credential
from api.errors import ApiError
from core import files
from core.db import session_scope
from core.models import PENDING, User, utcnow

router = APIRouter(tags=["status"])
POLL_S = 0.25  # one small indexed query per connection and tick
RECHECK_S = 2.0  # how soon a revoked token (sign-out everywhere, disabled, locked) closes the stream
CLOSE_AUTH = 4401  # application close code: the token expired or was revoked; sign in again


def _changes(user: User, watched: set, since) -> list[tuple]:
    with session_scope() as session:
        return files.watch_statuses(session, actor=user, watched=watched, since=since)


async def _closed_by_client(ws: WebSocket, timeout: float) -> bool:
    """Wait up to `timeout` for the client; True when it went away."""
    try:
        message = await asyncio.wait_for(ws.receive(), timeout)
    except TimeoutError:
        return False
    return message["type"] == "websocket.disconnect"


@router.websocket("/ws/status", name="status stream")
async def status_stream(ws: WebSocket, token: str | None = None) -> None:
    """Events {file_id, status, progress, error}; closes with 4401 when the token expires or is revoked."""
    await ws.accept()
    try:
        cred = await anyio.to_thread.run_sync(credential, token)
    except ApiError as exc:
        await ws.close(CLOSE_AUTH, exc.message[:120])
        return
    seen: dict = {}
    watched: set = set()
    since, checked = utcnow() - timedelta(seconds=1), time.monotonic()
    try:
        while True:
            if cred.expires_at is not None and time.time() >= cred.expires_at:
                await ws.close(CLOSE_AUTH, "The token expired: refresh it and reconnect.")
                return
            if time.monotonic() - checked >= RECHECK_S:
                try:
                    await anyio.to_thread.run_sync(credential, token)
                except ApiError:
                    await ws.close(CLOSE_AUTH, "The token was revoked: sign in again.")
                    return
                checked = time.monotonic()
            moment = utcnow() - timedelta(seconds=1)  # a margin for commits in flight; repeats are filtered
            rows = await anyio.to_thread.run_sync(_changes, cred.user, watched, since)
            since = moment
            for file_id, status, progress, error in rows:
                if seen.get(file_id) != (status, progress, error):
                    seen[file_id] = (status, progress, error)
                    event = {"file_id": str(file_id), "status": status, "progress": progress, "error": error}
                    await ws.send_json(event)
            watched = {file_id for file_id, status, *_ in rows if status in PENDING}
            wait = POLL_S
            if cred.expires_at is not None:
                wait = max(0.0, min(wait, cred.expires_at - time.time()))
            if await _closed_by_client(ws, wait):
                return
    except WebSocketDisconnect:
        return
