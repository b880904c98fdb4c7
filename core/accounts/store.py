"""Accounts as a user sees them: list, find, create, rename, merge, delete, and moving files between them.

Every function is scoped to the actor: another user's account id behaves exactly like a missing one
(AccountNotFound); an admin reaches every account.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import merge_build, storage
from core.accounts.lookup import (
    AccountError,
    AccountNotFound,
    clean_name,
    get_account,
    get_brand,
    owned_accounts,
)
from core.files import delete_file, get_file
from core.i18n import _
from core.models import Account, ReportExport, SocialFile, User


def list_accounts(session: Session, *, actor: User, everyone: bool = False) -> list[Account]:
    """The actor's accounts by platform and name; an admin gets every user's with `everyone=True`."""
    query = owned_accounts(actor, everyone=everyone).order_by(Account.platform, func.lower(Account.name))
    return list(session.scalars(query))


def find_account(session: Session, *, actor: User, ref: str, platform: str | None = None) -> Account:
    """An account by id or by name (case-insensitive) among the actor's own: what `--account NAME|ID` means.

    A name two platforms share is ambiguous without `platform`: AccountError names the choices.
    """
    ref = str(ref).strip()
    if ref.isdigit():
        try:
            return get_account(session, actor=actor, account_id=ref)
        except AccountNotFound:
            pass  # an account may be called "2024"
    query = owned_accounts(actor, everyone=False).where(func.lower(Account.name) == ref.lower())
    if platform:
        query = query.where(Account.platform == platform)
    found = list(session.scalars(query))
    if not found:
        raise AccountNotFound(ref)
    if len(found) > 1:
        choices = ", ".join(f"{a.id} ({a.platform})" for a in found)
        raise AccountError(
            _('Several accounts are called "{ref}": give the id of one of {choices}.').format(
                ref=ref, choices=choices
            )
        )
    return found[0]


def _taken(session: Session, *, user_id: int, platform: str, name: str, but: int | None = None) -> bool:
    query = select(Account.id).where(
        Account.user_id == user_id, Account.platform == platform, func.lower(Account.name) == name.lower()
    )
    if but is not None:
        query = query.where(Account.id != but)
    return session.scalar(query.limit(1)) is not None


def create_account(
    session: Session,
    *,
    actor: User,
    name: str,
    platform: str,
    handle: str | None = None,
    brand_id: int | None = None,
) -> Account:
    """A new account of the actor on `platform`; AccountError when they already have one of that name there."""
    name = clean_name(name)
    platform = (platform or "generic")[:10]
    if _taken(session, user_id=actor.id, platform=platform, name=name):
        raise AccountError(
            _('You already have a {platform} account called "{name}".').format(platform=platform, name=name)
        )
    if brand_id is not None:
        get_brand(session, actor=actor, brand_id=brand_id)
    account = Account(user_id=actor.id, name=name, platform=platform, handle=handle, brand_id=brand_id)
    try:
        with session.begin_nested():  # two uploads may create the same account at once
            session.add(account)
            session.flush()
    except IntegrityError as exc:
        raise AccountError(
            _('You already have a {platform} account called "{name}".').format(platform=platform, name=name)
        ) from exc
    return account


def rename_account(session: Session, *, actor: User, account_id: int | str, name: str) -> Account:
    """Give the account a new name (unique per user and platform)."""
    account = get_account(session, actor=actor, account_id=account_id)
    name = clean_name(name)
    if _taken(session, user_id=account.user_id, platform=account.platform, name=name, but=account.id):
        raise AccountError(
            _('There is already a {platform} account called "{name}".').format(
                platform=account.platform, name=name
            )
        )
    account.name = name
    session.flush()
    return account


def account_files(
    session: Session, *, actor: User, account_id: int | str, status: str | None = None
) -> list[SocialFile]:
    """The account's files, oldest data first (by their last date, then upload time)."""
    account = get_account(session, actor=actor, account_id=account_id)
    query = select(SocialFile).where(SocialFile.account_id == account.id)
    if status:
        query = query.where(SocialFile.status == status)
    query = query.order_by(SocialFile.period_end.asc().nulls_first(), SocialFile.created_at)
    return list(session.scalars(query))


def merge_accounts(session: Session, *, actor: User, source_id: int | str, target_id: int | str) -> Account:
    """Move every file of `source` into `target` (same owner and platform) and delete `source`."""
    source = get_account(session, actor=actor, account_id=source_id)
    target = get_account(session, actor=actor, account_id=target_id)
    if source.id == target.id:
        raise AccountError(_("An account cannot be merged into itself."))
    if (source.user_id, source.platform) != (target.user_id, target.platform):
        raise AccountError(
            _(
                '"{source}" ({source_platform}) and "{target}" ({target_platform}) are not the same '
                "user's accounts on one platform, so they cannot be merged."
            ).format(
                source=source.name,
                source_platform=source.platform,
                target=target.name,
                target_platform=target.platform,
            )
        )
    session.execute(update(SocialFile).where(SocialFile.account_id == source.id).values(account_id=target.id))
    target.handle = target.handle or source.handle
    target.brand_id = target.brand_id or source.brand_id
    storage.delete_reports(session, ReportExport.account_id == source.id)  # of its timeline, gone
    session.delete(source)
    session.flush()
    merge_build.refresh(session, [target.id])
    return target


def delete_account(session: Session, *, actor: User, account_id: int | str) -> int:
    """Delete the account with its files (rows, metrics, reports, stored bytes); returns how many files."""
    account = get_account(session, actor=actor, account_id=account_id)
    ids = list(session.scalars(select(SocialFile.id).where(SocialFile.account_id == account.id)))
    for file_id in ids:
        delete_file(session, actor=actor, file_id=file_id, remerge=False)  # its merge goes with it
    storage.delete_reports(session, ReportExport.account_id == account.id)
    session.delete(account)
    session.flush()
    return len(ids)


def move_file(
    session: Session, *, actor: User, file_id: uuid.UUID | str, account_id: int | str
) -> SocialFile:
    """Put the file into another account of its owner (FileNotFound / AccountNotFound when not theirs)."""
    file = get_file(session, actor=actor, file_id=file_id)
    account = get_account(session, actor=actor, account_id=account_id)
    if account.user_id != file.user_id:
        raise AccountError(_("A file can only move to an account of the user who uploaded it."))
    moved_from, file.account_id = file.account_id, account.id
    session.flush()
    merge_build.refresh(session, [moved_from, account.id])
    return file
