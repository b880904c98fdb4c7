"""Which account a file goes to, and whether its bytes were uploaded before (DESIGN.md, "Assignment")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.accounts.lookup import AccountError, clean_name
from core.accounts.store import create_account
from core.i18n import _, fmt_date
from core.models import Account, FileStatus, SocialFile, User

# Profile names that exports put in their file names.
_NAMED_FILES = (
    # Facebook: "Facebook Insights Data Export (Post Level) - Acme Page - 2014-01-01 - 2014-02-27.csv"
    re.compile(r"Facebook Insights Data Export(?: \([^)]*\))? - (?P<name>.+?) - \d{4}-\d{2}-\d{2}", re.I),
    # X / Twitter: "tweet_activity_metrics_rOpenSci_20211101_20211201_en.csv"
    re.compile(r"tweet_activity_metrics_(?P<name>.+?)_\d{8}_\d{8}", re.I),
)


@dataclass(frozen=True)
class Duplicate:
    """An earlier upload with the same bytes: what the user is told instead of a new file."""

    file_id: object
    name: str
    uploaded_at: datetime
    account_name: str | None

    @property
    def message(self) -> str:
        day = fmt_date(self.uploaded_at)
        if self.account_name:
            text = _('This file was already uploaded on {day} as "{name}" in the account "{account}".')
            return text.format(day=day, name=self.name, account=self.account_name)
        return _('This file was already uploaded on {day} as "{name}".').format(day=day, name=self.name)


def find_duplicate(session: Session, *, user_id: int, sha256: str) -> Duplicate | None:
    """The user's earlier upload with these bytes (failed uploads don't count), or None."""
    query = (
        select(SocialFile, Account.name)
        .outerjoin(Account, Account.id == SocialFile.account_id)
        .where(
            SocialFile.user_id == user_id, SocialFile.sha256 == sha256, SocialFile.status != FileStatus.ERROR
        )
        .order_by(SocialFile.created_at)
        .limit(1)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    file, account_name = row
    return Duplicate(file.id, file.original_name, file.created_at, account_name)


def profile_name(file: SocialFile) -> str | None:
    """The profile the export names: the detection's account name or handle, else its file name's."""
    detection = file.detection or {}
    for key in ("account_name", "handle"):
        value = detection.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())[:200]
    for pattern in _NAMED_FILES:
        match = pattern.search(file.original_name or "")
        if match and match.group("name").strip():
            return " ".join(match.group("name").split())[:200]
    return None


def _named(session: Session, *, user_id: int, platform: str, name: str) -> Account | None:
    """The user's account on the platform whose handle or name is `name` (case-insensitive)."""
    lowered = name.lower()
    query = select(Account).where(
        Account.user_id == user_id,
        Account.platform == platform,
        (func.lower(Account.handle) == lowered) | (func.lower(Account.name) == lowered),
    )
    return session.scalars(query.order_by(Account.handle.is_(None), Account.id).limit(1)).first()


def _find_or_create(
    session: Session, *, owner: User, platform: str, name: str, handle: str | None
) -> Account:
    found = _named(session, user_id=owner.id, platform=platform, name=name)
    if found is not None:
        return found
    try:
        return create_account(session, actor=owner, name=name, platform=platform, handle=handle)
    except AccountError:  # created by a concurrent upload in between
        return _named(session, user_id=owner.id, platform=platform, name=name)


def assign_default(session: Session, *, file: SocialFile) -> Account:
    """Give a parsed file its account, unless it has one already; returns the account.

    In order: the name asked for at upload; the profile the export names (an account with that
    handle or name, or the user's only account on the platform when it has no handle yet, which
    then takes it); the user's only account on the platform; a new account named after the file.
    """
    if file.account_id is not None:
        return session.get(Account, file.account_id)
    owner, platform = file.owner, (file.platform or "generic")[:10]
    if file.account_request:
        account = _find_or_create(
            session, owner=owner, platform=platform, name=clean_name(file.account_request), handle=None
        )
    else:
        account = _default(session, owner=owner, platform=platform, file=file)
    file.account_id = account.id
    session.flush()
    return account


def _default(session: Session, *, owner: User, platform: str, file: SocialFile) -> Account:
    handle = profile_name(file)
    mine = list(
        session.scalars(select(Account).where(Account.user_id == owner.id, Account.platform == platform))
    )
    if handle is not None:
        named = _named(session, user_id=owner.id, platform=platform, name=handle)
        if named is not None:
            return named
        if len(mine) == 1 and mine[0].handle is None:
            mine[0].handle = handle
            return mine[0]
        return _find_or_create(session, owner=owner, platform=platform, name=handle, handle=handle)
    if len(mine) == 1:
        return mine[0]
    stem = Path(file.original_name or "").stem or "Upload"
    return _find_or_create(session, owner=owner, platform=platform, name=clean_name(stem), handle=None)
