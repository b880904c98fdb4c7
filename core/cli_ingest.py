"""Files ingested from the command line (`python -m core ingest`): the owner, the upload and its outcome."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from core import accounts, activity, file_language, metrics, pipeline, timeline, uploads, users
from core.accounts.summary import number
from core.db import session_scope
from core.i18n import render
from core.models import Account, FileStatus, SocialFile, User
from core.parsing import ReadOptions


def describe(file_id: uuid.UUID | str) -> dict:
    """The outcome of a file as `python -m core ingest --json` prints it."""
    with session_scope() as session:
        file = session.get(SocialFile, uuid.UUID(str(file_id)))
        out = {
            "file_id": str(file.id),
            "status": str(file.status),
            "platform": file.platform,
            "rows": file.rows,
        }
        if file.status == FileStatus.ERROR:
            out["error"] = file_language.error_shown(file)  # in the command's language, like the warnings
            return out
        result = metrics.load(session, file=file)
        account = session.get(Account, file.account_id) if file.account_id is not None else None
        out["account"] = None if account is None else {"id": account.id, "name": account.name}
        out["row_kind"] = file.row_kind
        out["warnings"] = [render(w) for w in file.warnings or []]  # stored as records
        out["period"] = {"start": str(result.period_start), "end": str(result.period_end)}
        out["previous_period"] = {"start": str(result.previous_start), "end": str(result.previous_end)}
        out["metrics"] = {code: number(v) for code, v in result.current.items()}
        out["previous"] = {code: number(v) for code, v in result.previous.items()}
        if file.row_kind == activity.ROW_KIND:  # mean followers online per hour 0–23, over the file's days
            out["period"] = {"start": str(file.period_start), "end": str(file.period_end)}
            hours = activity.by_hour(session, scope=timeline.of_file(file))
            out["followers_online"] = {} if hours is None else activity.as_dict(hours)
        return out


CLI_EMAIL = "cli@localhost"


def command_line_user(session, *, email: str | None) -> User:
    """The owner of files ingested from the command line: `email`, else the first admin, else a
    sign-in-less local account (so the app's first-run setup still asks for an administrator)."""
    if email:
        user = users.get_user_by_email(session, email=email)
        if user is None:
            raise LookupError(
                f"No account with the email {email!r}. Create it with: python -m core users create"
            )
        return user
    user = session.scalar(select(User).where(User.role == "admin").order_by(User.id).limit(1))
    user = user or session.scalar(select(User).where(User.email == CLI_EMAIL))
    if user is None:
        user = User(email=CLI_EMAIL, password_hash="!", name="Command line", role="user", is_active=False)
        session.add(user)
        session.flush()
    return user


def ingest_path(
    path: str | Path,
    *,
    email: str | None = None,
    platform: str = "auto",
    period_days: int | None = None,
    account: str | None = None,
    brand: str | None = None,
    options: ReadOptions | None = None,
) -> dict:
    """Upload a file from disk as `email` (default: the command-line user) and process it now.

    `account` is an account id or name of that user (a new name creates the account on the detected
    platform); `brand` puts the file's account into that brand, created when missing. Bytes the user
    already uploaded raise uploads.DuplicateUpload.
    """
    with session_scope() as session:
        actor = command_line_user(session, email=email)
        account_id = _existing_account(session, actor=actor, ref=account)
        with open(path, "rb") as fh:
            file = uploads.create_upload(
                session,
                actor=actor,
                name=Path(path).name,
                data=fh,
                platform=platform,
                period_days=period_days,
                account_id=account_id,
                account_name=account if account_id is None else None,
                read_options=options.as_dict() if options else None,
            )
        file_id = file.id
    pipeline.process_file(file_id)
    if brand:
        with session_scope() as session:
            file = session.get(SocialFile, file_id)
            if file.account_id is not None:
                actor = session.get(User, file.user_id)
                found = accounts.find_or_create_brand(session, actor=actor, name=brand)
                accounts.set_brand(session, actor=actor, account_id=file.account_id, brand_id=found.id)
    return describe(file_id)


def _existing_account(session, *, actor: User, ref: str | None) -> int | None:
    """The id of the actor's account `ref` (id or name); None when there is none of that name yet."""
    if not ref:
        return None
    try:
        return accounts.find_account(session, actor=actor, ref=ref).id
    except accounts.AccountNotFound:
        return None
