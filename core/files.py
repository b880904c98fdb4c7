"""Uploads as a user sees them: create, find, list, retry, remap and delete — always scoped to the actor."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from core import ingest, quotas, storage
from core.config import get_settings
from core.models import PENDING, FileStatus, Metric, ReportExport, SocialFile, User

SAFE_NAME_CHARS = "-_.() "
UNSURE_BELOW = 0.6  # detection confidence under which the user is asked to check the columns


class FileNotFound(LookupError):
    """No such file for this user (another user's file looks exactly the same)."""


class UploadRejected(ValueError):
    """The upload itself is unacceptable (too large, empty); the message says why."""


class DuplicateUpload(UploadRejected):
    """The user already uploaded these exact bytes: nothing new was created; `duplicate` says which file."""

    def __init__(self, duplicate) -> None:
        super().__init__(duplicate.message)
        self.duplicate = duplicate  # core.accounts.Duplicate: file_id, name, uploaded_at, account_name


def _owned(actor: User):
    query = select(SocialFile)
    return query if actor.is_admin else query.where(SocialFile.user_id == actor.id)


def _safe_name(name: str) -> str:
    base = Path(name).name or "upload.csv"
    return "".join(c if c.isalnum() or c in SAFE_NAME_CHARS else "_" for c in base)[:200]


def _capped(
    data: bytes | BinaryIO, limit: int, facts: dict, *, stored_left: int | None = None, stored_mb: int = 0
) -> Iterator[bytes]:
    """`data` in chunks, refusing more than `limit` bytes or the user's free storage (`stored_left`,
    of a `stored_mb` limit); counts the size and sha256 into `facts`."""
    digest = hashlib.sha256()
    facts["size"] = 0
    if isinstance(data, (bytes, bytearray)):
        chunks = [bytes(data)]
    else:
        chunks = iter(lambda: data.read(storage.CHUNK), b"")
    for chunk in chunks:
        facts["size"] += len(chunk)
        if facts["size"] > limit:
            raise UploadRejected(
                f"The file is larger than the {limit // (1 << 20)} MB upload limit. "
                "Export a shorter date range or split the file."
            )
        if stored_left is not None and facts["size"] > stored_left:
            raise quotas.stored_limit_reached(stored_mb)
        digest.update(chunk)
        yield chunk
    facts["sha256"] = digest.hexdigest()


def create_upload(
    session: Session,
    *,
    actor: User,
    name: str,
    data: bytes | BinaryIO,
    platform: str = "auto",
    period_days: int | None = None,
    account_id: int | None = None,
    account_name: str | None = None,
    read_options: dict[str, str] | None = None,
) -> SocialFile:
    """Store the upload under STORAGE_DIR and record it as queued (the caller enqueues after commit).

    `account_id` puts the file into one of the actor's accounts (AccountNotFound otherwise);
    `account_name` into the actor's account of that name on the detected platform, created when
    missing; with neither, parsing picks the default (core.accounts.assign_default). Bytes the
    actor already uploaded raise DuplicateUpload and leave nothing behind. The actor's limits are
    checked first and the copy stops at their free storage (quotas.QuotaExceeded), leaving nothing.
    """
    from core import accounts

    settings = get_settings()
    stored_left = check_limits(session, actor=actor)
    if account_id is not None:
        account_id = accounts.get_account(session, actor=actor, account_id=account_id).id
    file = SocialFile(
        id=uuid.uuid4(),
        user_id=actor.id,
        original_name=Path(name).name[:255] or "upload.csv",
        platform_requested=(platform or "auto")[:10],
        period_days=period_days,
        status=FileStatus.UPLOADING,
        account_id=account_id,
        account_request=accounts.clean_name(account_name) if account_name and account_id is None else None,
        read_options=read_options or None,
    )
    store = storage.get_store()
    dest, facts = store.key("uploads", str(file.id), _safe_name(name)), {}
    try:
        with session.begin_nested():  # a refusal leaves no stored chunk behind
            chunks = _capped(
                data,
                settings.max_upload_mb << 20,
                facts,
                stored_left=stored_left,
                stored_mb=quotas.limits_for(actor).stored_mb,
            )
            store.write(dest, chunks, session=session)
            file.size_bytes, file.sha256 = facts["size"], facts["sha256"]
            if file.size_bytes == 0:
                raise UploadRejected(f'"{file.original_name}" is empty: there is nothing to read.')
            duplicate = accounts.find_duplicate(session, user_id=actor.id, sha256=file.sha256)
            if duplicate is not None:
                raise DuplicateUpload(duplicate)
    except (UploadRejected, quotas.QuotaExceeded):
        store.delete([dest], session=session)
        raise
    file.path = dest
    file.status = FileStatus.QUEUED
    session.add(file)
    session.flush()
    return file


def check_limits(session: Session, *, actor: User, size_bytes: int = 0) -> int | None:
    """Before storing: QuotaExceeded when the actor may not upload (`size_bytes` more) now; else the
    bytes their storage limit still allows (None: no limit). Uploads of one user take turns here."""
    if session.get_bind().dialect.name == "postgresql":  # SQLite writers take turns anyway
        session.execute(select(User.id).where(User.id == actor.id).with_for_update())
    return quotas.check_upload(session, user=actor, size_bytes=size_bytes)


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
    session.execute(delete(Metric).where(Metric.file_id == file_id))


def delete_file(session: Session, *, actor: User, file_id: uuid.UUID | str) -> None:
    """Delete a file with its rows, metrics, reports and stored bytes."""
    file = get_file(session, actor=actor, file_id=file_id)
    reports = list(session.scalars(select(ReportExport.path).where(ReportExport.file_id == file.id)))
    clear_file_data(session, file_id=file.id)
    session.execute(delete(ReportExport).where(ReportExport.file_id == file.id))
    session.delete(file)
    session.flush()
    storage.get_store().delete([*reports, file.path], session=session)


def retry_file(session: Session, *, actor: User, file_id: uuid.UUID | str) -> SocialFile:
    """Queue a file again from scratch (the caller enqueues after commit)."""
    file = get_file(session, actor=actor, file_id=file_id)
    file.status, file.progress, file.error_text, file.attempts = FileStatus.QUEUED, 0, None, 0
    file.error_details = None
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
    if file.status not in PENDING:
        return False
    seen = file.heartbeat_at or file.created_at
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    # The same silence after which the worker's recovery queues the file again.
    return (now or datetime.now(UTC)) - seen > timedelta(seconds=get_settings().worker_stuck_after_s)
