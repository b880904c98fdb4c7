"""One-time sign-in links an admin hands to a locked-out or forgetful user: single use, expiring,
only the token's SHA-256 stored (a copy of the database signs nobody in)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core import auth, lockout
from core.config import get_settings
from core.models import SignInLink, User, utcnow
from core.users import LoginFailed, UserError

QUERY_PARAM = "signin"  # the link is the app's address with ?signin=<token>
INVALID_LINK = (
    "This sign-in link cannot be used: it was used already, has expired or was replaced by a newer one. "
    "Ask an administrator for a new link."
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(session: Session, *, actor: User, user_id: int, now: datetime | None = None) -> str:
    """A new one-time token for the account (older unused ones stop working); shown once, never stored."""
    auth.require_role(actor, "admin")
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise UserError("No such active account: enable it first.")
    now = now or utcnow()
    session.execute(delete(SignInLink).where(SignInLink.user_id == user.id, SignInLink.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    hours = timedelta(hours=get_settings().sign_in_link_hours)
    session.add(
        SignInLink(user_id=user.id, token_hash=_digest(token), expires_at=now + hours, created_by=actor.id)
    )
    session.flush()
    return token


def link_url(app_url: str, token: str) -> str:
    """The address to send: the app's root address (`app_url`) with the token as its query."""
    return f"{app_url.split('?', 1)[0].rstrip('/')}/?{QUERY_PARAM}={token}"


def redeem_link(session: Session, *, token: str, now: datetime | None = None) -> User:
    """The account a valid token signs in (its lock lifted); the token is spent. LoginFailed otherwise."""
    now = now or utcnow()
    link = session.scalar(select(SignInLink).where(SignInLink.token_hash == _digest(token or "")))
    if link is None or link.used_at is not None or auth.aware(link.expires_at) <= now:
        raise LoginFailed(INVALID_LINK)
    spent = session.execute(  # one UPDATE decides: two tabs opening the link at once get in once
        update(SignInLink).where(SignInLink.id == link.id, SignInLink.used_at.is_(None)).values(used_at=now),
        execution_options={"synchronize_session": False},
    )
    user = session.get(User, link.user_id)
    if spent.rowcount != 1 or user is None or not user.is_active:
        raise LoginFailed(INVALID_LINK)
    lockout.clear(session, user)
    return user
