"""The statuses of the files in flight, read once per interval for the whole process.

Every session watching its uploads (the Upload, History and Dashboard cards of files queued or
processing) reads this board instead of the database: one indexed query over the files in flight
per FRESH_S serves every session of the process, however many there are. A file that is no longer
on the board has left flight (ready, error, deleted); its page then reads it once more in full.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from sqlalchemy import select

from core import files
from core.auth import aware
from core.config import get_settings
from core.db import session_scope
from core.models import PENDING, SocialFile, User

# A watch ticket (see `ticket`) is good for this long; a page that is left open longer reruns for a new one.
TICKET_S = 3600
TICKET_AUDIENCE = "live-status"
# The board is read again when a session asks for it and it is older than this: at 1.0 s, ten sessions
# saw Ready 1.4–1.7 s p50 and 2.1–3.7 s p95 after the database (bench/load_sessions.py, 2 Dec).
FRESH_S = 0.5


@dataclass(frozen=True, slots=True)
class Status:
    """What a card of a file in flight shows and what changes while it is processed."""

    file_id: uuid.UUID
    user_id: int
    status: str
    progress: int
    error_text: str | None
    heartbeat_at: datetime | None
    error_message: dict | str | None = None  # error_text as a record, for the viewer's language

    def apply(self, file: SocialFile) -> SocialFile:
        """`file` (a detached row the page read) with this status, progress, note and heartbeat."""
        file.status, file.progress, file.error_text = self.status, self.progress, self.error_text
        file.heartbeat_at, file.error_message = self.heartbeat_at, self.error_message
        return file


class Board:
    """The files in flight as of `read_at`: one query per `fresh_s` whoever asks (single-flight)."""

    def __init__(self, *, fresh_s: float = FRESH_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.fresh_s, self._clock = fresh_s, clock
        self._lock = threading.Lock()
        self._statuses: dict[uuid.UUID, Status] = {}
        self.read_at: float | None = None  # the clock when the board was last read
        self.reads = 0  # how many times the database was read (benchmarks print it)

    def _read(self) -> dict[uuid.UUID, Status]:
        query = select(
            SocialFile.id,
            SocialFile.user_id,
            SocialFile.status,
            SocialFile.progress,
            SocialFile.error_text,
            SocialFile.heartbeat_at,
            SocialFile.error_message,
        ).where(SocialFile.status.in_(PENDING))
        with session_scope() as session:
            return {row[0]: Status(*row) for row in session.execute(query)}

    def now(self) -> float:
        """The board's clock: what `look(since=...)` compares with."""
        return self._clock()

    def snapshot(self) -> tuple[float, dict[uuid.UUID, Status]]:
        """(when it was read, the statuses of every file in flight), read again when stale."""
        with self._lock:  # the sessions asking meanwhile wait for this one read
            now = self._clock()
            if self.read_at is None or now - self.read_at >= self.fresh_s:
                self._statuses, self.read_at = self._read(), now
                self.reads += 1
            return self.read_at, self._statuses

    def look(self, *, actor: User, file_id: uuid.UUID, since: float) -> tuple[bool, Status | None]:
        """(whether the board was read after `since`, the file's status if it is in flight).

        A page that read its files at `since` learns nothing from an older board: a file it has just
        queued may not be on it yet. Only the actor's files are seen (an admin sees everyone's)."""
        return self.find(file_id, user_id=actor.id, admin=actor.is_admin, since=since)

    def find(
        self, file_id: uuid.UUID, *, user_id: int, admin: bool, since: float
    ) -> tuple[bool, Status | None]:
        """`look` for an actor known by id and role only (a watch ticket names no User row)."""
        read_at, statuses = self.snapshot()
        found = statuses.get(file_id)
        if found is not None and not admin and found.user_id != user_id:
            found = None
        return read_at >= since, found

    def forget(self) -> None:
        """Read the database at the next look (after this process changed a file's status)."""
        with self._lock:
            self.read_at = None


board = Board()  # the process's board: every session's live cards read it


def signature(status: str, progress: int, error_text: str | None, stale: bool) -> str:
    """What a card of a file in flight shows, as one string: the card is drawn again when it changes."""
    return f"{status}|{progress}|{stale:d}|{error_text or ''}"


def drawn(file: SocialFile) -> str:
    """The signature of `file` as its card draws it now."""
    return signature(file.status, file.progress, file.error_text, files.is_stale(file))


def ticket(*, actor: User, file: SocialFile, now: float | None = None) -> str:
    """A signed, short-lived permission to watch one file's status without a session (see `watch`).

    It names the file, its owner as the actor may see it, and when the file was created (its
    silence counts from then until a worker's first heartbeat); it is no session cookie."""
    issued = time.time() if now is None else now
    claims = {
        "aud": TICKET_AUDIENCE,
        "sub": str(actor.id),
        "adm": bool(actor.is_admin),
        "fid": str(file.id),
        "born": aware(file.created_at).timestamp(),
        "exp": int(issued + TICKET_S),
    }
    return jwt.encode(claims, get_settings().auth_cookie_key, algorithm="HS256")


class TicketInvalid(Exception):
    """The watch ticket is forged, expired, or not a watch ticket."""


def watch(token: str, *, since: float) -> tuple[bool, str | None]:
    """(whether the board was read after `since`, the watched file's signature; None: not in flight).

    What a browser asks about a card it shows, once per FRESH_S at most: it reads the process's board,
    never the database, and answers only for the file and the actor the ticket names."""
    try:
        claims = jwt.decode(
            token,
            get_settings().auth_cookie_key,
            algorithms=["HS256"],
            audience=TICKET_AUDIENCE,
            options={"require": ["aud", "sub", "fid", "born", "exp"]},
        )
        actor_id, file_id, born = int(claims["sub"]), uuid.UUID(claims["fid"]), float(claims["born"])
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as failed:
        raise TicketInvalid(str(failed)) from failed
    fresh, found = board.find(file_id, user_id=actor_id, admin=bool(claims.get("adm")), since=since)
    if found is None:
        return fresh, None
    seen = found.heartbeat_at or datetime.fromtimestamp(born, UTC)
    return fresh, signature(found.status, found.progress, found.error_text, files.silent(seen))
