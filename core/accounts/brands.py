"""Brands: a client's accounts across platforms, and a report's letterhead (name, colour, logo)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import storage
from core.accounts.lookup import AccountError, BrandNotFound, clean_name, get_account, get_brand, owned_brands
from core.i18n import _
from core.models import Account, Brand, ReportExport, User


def list_brands(session: Session, *, actor: User, everyone: bool = False) -> list[Brand]:
    """The actor's brands by name; an admin gets every user's with `everyone=True`."""
    return list(session.scalars(owned_brands(actor, everyone=everyone).order_by(func.lower(Brand.name))))


def find_brand(session: Session, *, actor: User, ref: str) -> Brand:
    """A brand of the actor's own by id or name (case-insensitive): what `--brand NAME` means."""
    ref = str(ref).strip()
    if ref.isdigit():
        try:
            return get_brand(session, actor=actor, brand_id=ref)
        except BrandNotFound:
            pass
    query = owned_brands(actor, everyone=False).where(func.lower(Brand.name) == ref.lower())
    brand = session.scalar(query)
    if brand is None:
        raise BrandNotFound(ref)
    return brand


def create_brand(
    session: Session, *, actor: User, name: str, colour: str | None = None, logo_path: str | None = None
) -> Brand:
    """A new brand of the actor; AccountError when they already have one of that name."""
    name = clean_name(name)
    exists = select(Brand.id).where(Brand.user_id == actor.id, func.lower(Brand.name) == name.lower())
    if session.scalar(exists) is not None:
        raise AccountError(_('You already have a brand called "{name}".').format(name=name))
    brand = Brand(user_id=actor.id, name=name, colour=colour, logo_path=logo_path)
    try:
        with session.begin_nested():
            session.add(brand)
            session.flush()
    except IntegrityError as exc:
        raise AccountError(_('You already have a brand called "{name}".').format(name=name)) from exc
    return brand


def find_or_create_brand(session: Session, *, actor: User, name: str) -> Brand:
    """The actor's brand called `name`, created when they have none."""
    try:
        return find_brand(session, actor=actor, ref=clean_name(name))
    except BrandNotFound:
        return create_brand(session, actor=actor, name=name)


def update_brand(
    session: Session,
    *,
    actor: User,
    brand_id: int | str,
    name: str | None = None,
    colour: str | None = None,
    logo_path: str | None = None,
) -> Brand:
    """Rename the brand or change its colour or logo (None leaves a field as it is)."""
    brand = get_brand(session, actor=actor, brand_id=brand_id)
    if name is not None:
        name = clean_name(name)
        clash = select(Brand.id).where(
            Brand.user_id == brand.user_id, func.lower(Brand.name) == name.lower(), Brand.id != brand.id
        )
        if session.scalar(clash) is not None:
            raise AccountError(_('There is already a brand called "{name}".').format(name=name))
        brand.name = name
    brand.colour = brand.colour if colour is None else colour
    brand.logo_path = brand.logo_path if logo_path is None else logo_path
    session.flush()
    return brand


def delete_brand(session: Session, *, actor: User, brand_id: int | str) -> None:
    """Delete the brand; its accounts and their files stay, in no brand."""
    brand = get_brand(session, actor=actor, brand_id=brand_id)
    session.execute(update(Account).where(Account.brand_id == brand.id).values(brand_id=None))
    storage.delete_reports(session, ReportExport.brand_id == brand.id)
    session.delete(brand)
    session.flush()


def set_brand(session: Session, *, actor: User, account_id: int | str, brand_id: int | str | None) -> Account:
    """Put the account into the brand (None: into no brand); both must belong to one user."""
    account = get_account(session, actor=actor, account_id=account_id)
    if brand_id is None:
        account.brand_id = None
    else:
        brand = get_brand(session, actor=actor, brand_id=brand_id)
        if brand.user_id != account.user_id:
            raise AccountError(_("An account can only join a brand of the same user."))
        account.brand_id = brand.id
    session.flush()
    return account


def brand_accounts(session: Session, *, actor: User, brand_id: int | str) -> list[Account]:
    """The brand's accounts by platform and name."""
    brand = get_brand(session, actor=actor, brand_id=brand_id)
    query = select(Account).where(Account.brand_id == brand.id).order_by(Account.platform, Account.name)
    return list(session.scalars(query))
