"""Files as a user sees them: find, list, retry, remap and delete, scoped to the actor (uploading: core.uploads)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from core import day_totals, ingest, merge_build, storage
from core.auth import aware
from core.config import get_settings
from core.models import PENDING, FileStatus, Metric, ReportExport, SocialFile, User

UNSURE_BELOW = 0.6  # detection confidence under which the user is asked to check the columns


class FileNotFound(LookupError):
    """No such file for this user (another user's file looks exactly the same)."""


def _owned(actor: User):
    query = select(SocialFile)
    return query if actor.is_admin else query.where(SocialFile.user_id == actor.id)


def get_file(session: Session, *, actor: User, file_id: uuid.UUID | str) -> SocialFile:
    """The actor's file (any file for an admin), or FileNotFound."""
    try:
        key = file_id if isinstance(file_id, uuid.UUID) else uuid.UUID(str(file_id))
    except ValueError as exc:
        raise FileNotFound(str(file_id)) from exc
    file = session.scalar(_owned(actor).where(SocialFile.id == key))
    if file is None:
        raise FileNotFound(str(file_id))
    return file


def owner_id(session: Session, *, file_id: uuid.UUID | str) -> int | None:
    """Whose file this is, or None: for the background runner's turns, never to show the file."""
    return session.scalar(select(SocialFile.user_id).where(SocialFile.id == uuid.UUID(str(file_id))))


def list_files(session: Session, *, actor: User, status: str | None = None) -> list[SocialFile]:
    """The actor's files, newest first (an admin sees everyone's)."""
    query = _owned(actor).order_by(SocialFile.created_at.desc())
    if status:
        query = query.where(SocialFile.status == status)
    return list(session.scalars(query))


def recent_own(session: Session, *, actor: User, limit: int) -> list[SocialFile]:
    """The actor's own newest files, at most `limit`: one indexed query however many files exist
    (the live status lists run it every 2 s per session; an admin's view of others is History)."""
    query = select(SocialFile).where(SocialFile.user_id == actor.id)
    return list(session.scalars(query.order_by(SocialFile.created_at.desc()).limit(limit)))


def any_file(session: Session, *, actor: User, pending: bool = False) -> bool:
    """Whether the actor sees any file (any still queued or processing, with `pending`), without loading one."""
    query = _owned(actor).with_only_columns(SocialFile.id)
    if pending:
        query = query.where(SocialFile.status.in_(PENDING))
    return session.scalar(query.limit(1)) is not None


def pending_files(session: Session, *, actor: User) -> list[SocialFile]:
    """The actor's files still uploading, queued or processing, newest first (only those are read)."""
    query = _owned(actor).where(SocialFile.status.in_(PENDING)).order_by(SocialFile.created_at.desc())
    return list(session.scalars(query))


def latest_ready(session: Session, *, actor: User) -> SocialFile | None:
    """The actor's newest file that is ready to explore."""
    query = _owned(actor).where(SocialFile.status == FileStatus.READY).order_by(SocialFile.created_at.desc())
    return session.scalars(query.limit(1)).first()


def watch_statuses(
    session: Session, *, actor: User, watched: set[uuid.UUID], since: datetime
) -> list[tuple[uuid.UUID, str, int, str | None]]:
    """(id, status, progress, error_text) of the actor's files worth watching: those still pending,
    those in `watched` (pending at the last look) and those created since `since`."""
    query = select(SocialFile.id, SocialFile.status, SocialFile.progress, SocialFile.error_text)
    if not actor.is_admin:
        query = query.where(SocialFile.user_id == actor.id)
    keep = [SocialFile.status.in_(PENDING), SocialFile.created_at >= since]
    if watched:
        keep.append(SocialFile.id.in_(list(watched)))
    return [tuple(row) for row in session.execute(query.where(or_(*keep)))]


def clear_file_data(session: Session, *, file_id: uuid.UUID) -> None:
    """Remove a file's rows and metrics (its reports go stale through `version`)."""
    ingest.drop_rows(session.connection(), file_id=file_id)
    day_totals.drop(session.connection(), file_id=file_id)
    session.execute(delete(Metric).where(Metric.file_id == file_id))


def delete_file(session: Session, *, actor: User, file_id: uuid.UUID | str, remerge: bool = True) -> None:
    """Delete a file with its rows, metrics, reports and stored bytes; its account's stored merge is
    made again without it (`remerge=False`: the caller deletes the account too)."""
    file = get_file(session, actor=actor, file_id=file_id)
    storage.delete_reports(session, ReportExport.file_id == file.id)
    clear_file_data(session, file_id=file.id)
    session.delete(file)
    session.flush()
    storage.get_store().delete([file.path], session=session)
    if remerge:
        merge_build.refresh(session, [file.account_id])


def retry_file(session: Session, *, actor: User, file_id: uuid.UUID | str) -> SocialFile:
    """Queue a file again from scratch (the caller enqueues after commit)."""
    file = get_file(session, actor=actor, file_id=file_id)
    file.status, file.progress, file.error_text, file.attempts = FileStatus.QUEUED, 0, None, 0
    file.error_details = file.error_message = None
    file.heartbeat_at = None
    return file


def set_mapping(
    session: Session,
    *,
    actor: User,
    file_id: uuid.UUID | str,
    mapping: dict[str, str],
    platform: str | None = None,
    read_options: dict[str, str] | None = None,
) -> SocialFile:
    """Use the user's column mapping (source header -> canonical) and reading choices (delimiter,
    decimal mark, encoding, date order: core.parsing.ReadOptions.as_dict), and queue the file again."""
    file = retry_file(session, actor=actor, file_id=file_id)
    file.mapping_override = {k: v for k, v in mapping.items() if v} or None
    if read_options is not None:
        file.read_options = read_options or None
    if platform:
        file.platform_requested = platform[:10]
    return file


def owns(user: User, file: SocialFile) -> bool:
    """Whether `user` uploaded `file` (an admin sees others' files, marked with their owner)."""
    return file.user_id == user.id


def is_unsure(file: SocialFile) -> bool:
    """Whether the user should check how the columns were read (an error, or a weak guess)."""
    if file.status == FileStatus.ERROR:
        return True
    detection = file.detection or {}
    return file.status == FileStatus.READY and float(detection.get("confidence", 1)) < UNSURE_BELOW


def is_stale(file: SocialFile, *, now: datetime | None = None) -> bool:
    """A pending file that has shown no sign of life for a while (its worker may be gone)."""
    return file.status in PENDING and silent(file.heartbeat_at or file.created_at, now=now)


def silent(seen: datetime, *, now: datetime | None = None) -> bool:
    """Whether a pending file last seen alive at `seen` counts as stale (is_stale) by `now`."""
    # The same silence after which the worker's recovery queues the file again.
    return (now or datetime.now(UTC)) - aware(seen) > timedelta(seconds=get_settings().worker_stuck_after_s)
