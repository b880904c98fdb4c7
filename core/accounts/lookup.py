"""The actor's own accounts and brands by id: the scoping every accounts function starts from.

Another user's id raises the same NotFound as an id that does not exist; an admin reaches everyone's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import _
from core.models import Account, Brand, User

NAME_LIMIT = 200


class AccountNotFound(LookupError):
    """No such account for this user (another user's account looks exactly the same)."""


class BrandNotFound(LookupError):
    """No such brand for this user (another user's brand looks exactly the same)."""


class AccountError(ValueError):
    """The change cannot be made (a name taken, a merge across platforms); the message says why."""


def owned_accounts(actor: User, *, everyone: bool = True):
    """SELECT of the accounts the actor may see: their own; for an admin every user's when `everyone`."""
    query = select(Account)
    if actor.is_admin and everyone:
        return query
    return query.where(Account.user_id == actor.id)


def owned_brands(actor: User, *, everyone: bool = True):
    """SELECT of the brands the actor may see: their own; for an admin every user's when `everyone`."""
    query = select(Brand)
    return query if actor.is_admin and everyone else query.where(Brand.user_id == actor.id)


def clean_name(name: str | None) -> str:
    """An account or brand name as stored: trimmed, inner whitespace collapsed; AccountError when empty."""
    cleaned = " ".join((name or "").split())[:NAME_LIMIT]
    if not cleaned:
        raise AccountError(_("A name is needed."))
    return cleaned


def by_id(session: Session, query, *, raw_id: int | str, missing: type[LookupError]):
    """The row `query` (an owned_… SELECT) has with that integer id; `missing(raw_id)` otherwise,
    a malformed id included, so that no id tells more than "not found"."""
    try:
        key = int(raw_id)
    except (TypeError, ValueError) as exc:
        raise missing(str(raw_id)) from exc
    entity = query.column_descriptions[0]["entity"]
    found = session.scalar(query.where(entity.id == key))
    if found is None:
        raise missing(str(raw_id))
    return found


def get_account(session: Session, *, actor: User, account_id: int | str) -> Account:
    """The actor's account by id (any account for an admin), or AccountNotFound."""
    return by_id(session, owned_accounts(actor), raw_id=account_id, missing=AccountNotFound)


def get_brand(session: Session, *, actor: User, brand_id: int | str) -> Brand:
    """The actor's brand by id (any brand for an admin), or BrandNotFound."""
    return by_id(session, owned_brands(actor), raw_id=brand_id, missing=BrandNotFound)
