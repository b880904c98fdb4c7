"""Per-user limits: uploads in any 24 hours, bytes of uploads kept, files queued or processing at once.

Each limit is the setting's value unless an admin set one for the user (`users.max_*`); 0 means no
limit. `check_upload` is the one check before storing, used by `uploads.create_upload` (so the
dashboard, the command line and the API all get it); the stored-bytes limit also caps the copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.config import get_settings
from core.i18n import _, ngettext
from core.models import FileStatus, SocialFile, User, utcnow

IN_FLIGHT = (FileStatus.UPLOADING, FileStatus.QUEUED, FileStatus.PROCESSING)
MB = 1 << 20


class QuotaExceeded(ValueError):
    """A limit of the user's is reached; the message says which and what to do."""


@dataclass(frozen=True)
class Limits:
    uploads_per_day: int  # 0 = no limit, for all three
    stored_mb: int
    files_in_flight: int


@dataclass(frozen=True)
class Usage:
    uploads_today: int  # in the last 24 hours
    stored_bytes: int
    files_in_flight: int


def limits_for(user: User) -> Limits:
    """The user's own limits where an admin set them, else the settings'."""
    settings = get_settings()

    def pick(own: int | None, default: int) -> int:
        return default if own is None else own

    return Limits(
        uploads_per_day=pick(user.max_uploads_per_day, settings.max_uploads_per_day),
        stored_mb=pick(user.max_stored_mb, settings.max_stored_mb),
        files_in_flight=pick(user.max_files_in_flight, settings.max_files_in_flight),
    )


def usage(session: Session, *, user: User, now: datetime | None = None) -> Usage:
    """What the user's files use now, in one query."""
    since = (now or utcnow()) - timedelta(days=1)
    mine = SocialFile.user_id == user.id
    row = session.execute(
        select(
            func.count().filter(SocialFile.created_at >= since),
            func.coalesce(func.sum(SocialFile.size_bytes), 0),
            func.count().filter(SocialFile.status.in_(IN_FLIGHT)),
        ).where(mine)
    ).one()
    return Usage(uploads_today=row[0], stored_bytes=int(row[1]), files_in_flight=row[2])


def check_upload(
    session: Session, *, user: User, size_bytes: int = 0, now: datetime | None = None
) -> int | None:
    """Raise QuotaExceeded when the user may not store an upload of `size_bytes` (0: size not known
    yet) now; else the bytes still free under the stored-bytes limit (None: no limit)."""
    limits, used = limits_for(user), usage(session, user=user, now=now)
    if limits.uploads_per_day and used.uploads_today >= limits.uploads_per_day:
        raise QuotaExceeded(
            _(
                "You have uploaded {files} in the last 24 hours, which is your limit: "
                "try again later, or ask an administrator to raise it."
            ).format(files=_files(used.uploads_today))
        )
    if limits.files_in_flight and used.files_in_flight >= limits.files_in_flight:
        raise QuotaExceeded(
            _(
                "You have {files} still being processed, as many as you may have at "
                "once: upload this one when one of them is ready."
            ).format(files=_files(used.files_in_flight))
        )
    if not limits.stored_mb:
        return None
    free = limits.stored_mb * MB - used.stored_bytes
    if free <= 0 or size_bytes > free:
        raise stored_limit_reached(limits.stored_mb)
    return free


def _files(count: int) -> str:
    return ngettext("{n} file", "{n} files", count).format(n=count)


def stored_limit_reached(stored_mb: int) -> QuotaExceeded:
    return QuotaExceeded(
        _(
            "This upload would take your files past your {n} MB storage limit: delete files you "
            "no longer need on the History page, or ask an administrator to raise the limit."
        ).format(n=stored_mb)
    )
