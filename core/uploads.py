"""Receiving an upload: the actor's limits, the bytes stored in chunks, duplicates refused, the file queued."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, quotas, storage
from core.config import get_settings
from core.i18n import _
from core.models import FileStatus, SocialFile, User

SAFE_NAME_CHARS = "-_.() "


class UploadRejected(ValueError):
    """The upload itself is unacceptable (too large, empty); the message says why."""


class DuplicateUpload(UploadRejected):
    """The user already uploaded these exact bytes: nothing new was created; `duplicate` says which file."""

    def __init__(self, duplicate) -> None:
        super().__init__(duplicate.message)
        self.duplicate = duplicate  # core.accounts.Duplicate: file_id, name, uploaded_at, account_name


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
    if isinstance(data, (bytes, bytearray, memoryview)):  # a CHUNK at a time: no store copies it whole
        view = memoryview(data)
        chunks = (bytes(view[start : start + storage.CHUNK]) for start in range(0, len(view), storage.CHUNK))
    else:
        chunks = iter(lambda: data.read(storage.CHUNK), b"")
    for chunk in chunks:
        facts["size"] += len(chunk)
        if facts["size"] > limit:
            raise UploadRejected(
                _(
                    "The file is larger than the {n} MB upload limit. Export a shorter date range or split the file."
                ).format(n=limit // (1 << 20))
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
                raise UploadRejected(
                    _('"{name}" is empty: there is nothing to read.').format(name=file.original_name)
                )
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
