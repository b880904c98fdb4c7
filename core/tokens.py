"""API credentials: short-lived access JWTs, refresh JWTs and personal tokens for scripts.

A JWT carries the user id and the user's token version — the moment their sessions were last
ended (sign-out everywhere, a password change, disabling). The same rules as the dashboard's
cookies: a token stops working once that moment moves, when the account is disabled, and while it
is locked. Personal tokens live until revoked; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core import auth
from core.config import get_settings
from core.models import ApiToken, User, utcnow

ACCESS, REFRESH = "access", "refresh"
PERSONAL_PREFIX = "sa_pat_"  # tells a personal token from a JWT at a glance (and to secret scanners)
MAX_TOKEN_NAME_CHARS = 100
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token


class TokenInvalid(Exception):
    """The token is forged, expired, revoked, of the wrong kind, or its user may not sign in now."""


@dataclass(frozen=True)
class Credential:
    """Who a request acts as, and until when (None: a personal token, valid until revoked)."""

    user: User
    expires_at: float | None


def token_version(user: User) -> int:
    """Microseconds of the user's last "end every session": moves on sign-out, password change, disable."""
    cutoff = auth.aware(user.sessions_valid_after)
    return int(cutoff.timestamp() * 1_000_000) if cutoff else 0


def _may_sign_in(user: User | None, *, now: datetime) -> bool:
    return user is not None and user.is_active and not auth.lock_minutes_left(user.locked_until, now=now)


def issue(user: User, *, kind: str, now: float | None = None) -> str:
    """A signed access or refresh token for `user`."""
    settings = get_settings()
    issued = time.time() if now is None else now
    ttl = settings.api_access_ttl_s if kind == ACCESS else settings.api_refresh_ttl_s
    claims = {
        "sub": str(user.id),
        "ver": token_version(user),
        "typ": kind,
        "iat": issued,
        "exp": issued + ttl,
    }
    return jwt.encode(claims, settings.api_token_key, algorithm=auth.TOKEN_ALGORITHM)


def issue_pair(user: User, *, now: float | None = None) -> dict:
    """What a sign-in answers: {access, refresh, token_type, expires_in}."""
    return {
        "access": issue(user, kind=ACCESS, now=now),
        "refresh": issue(user, kind=REFRESH, now=now),
        "token_type": "bearer",
        "expires_in": int(get_settings().api_access_ttl_s),
    }


def _claims(token: str, *, kind: str, now: float) -> dict:
    try:
        claims = jwt.decode(
            token,
            get_settings().api_token_key,
            algorithms=[auth.TOKEN_ALGORITHM],  # pinned: "none" and other algorithms are refused
            options={
                "require": ["sub", "ver", "typ", "iat", "exp"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
        user_id, version, expires = int(claims["sub"]), int(claims["ver"]), float(claims["exp"])
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as exc:
        raise TokenInvalid("The token is not valid.") from exc
    if claims["typ"] != kind:
        raise TokenInvalid(f"Wrong kind of token: this needs the {kind} token.")
    if expires <= now or float(claims["iat"]) > now + auth.CLOCK_SKEW_S:
        raise TokenInvalid("The token has expired: sign in again or refresh it.")
    return {"user_id": user_id, "version": version, "expires_at": expires}


def read_jwt(session: Session, *, token: str, kind: str = ACCESS, now: float | None = None) -> Credential:
    """The user a JWT of `kind` stands for, if it still stands; else TokenInvalid."""
    moment = time.time() if now is None else now
    claims = _claims(token, kind=kind, now=moment)
    user = session.get(User, claims["user_id"])
    if not _may_sign_in(user, now=utcnow()) or token_version(user) != claims["version"]:
        raise TokenInvalid("The token was revoked: sign in again.")
    return Credential(user=user, expires_at=claims["expires_at"])


def refresh(session: Session, *, token: str, now: float | None = None) -> dict:
    """A new access token from a refresh token that still stands."""
    credential = read_jwt(session, token=token, kind=REFRESH, now=now)
    return {
        "access": issue(credential.user, kind=ACCESS, now=now),
        "token_type": "bearer",
        "expires_in": int(get_settings().api_access_ttl_s),
    }


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_personal(session: Session, *, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token: (its row, the secret to show once — it cannot be read back)."""
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_TOKEN_NAME_CHARS:
        raise ValueError(f"Name the token (1 to {MAX_TOKEN_NAME_CHARS} characters), e.g. “nightly upload”.")
    secret = PERSONAL_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret))
    session.add(row)
    session.flush()
    return row, secret


def list_personal(session: Session, *, user: User) -> list[ApiToken]:
    """The user's own personal tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_personal(session: Session, *, user: User, token_id: int) -> bool:
    """Delete one of the user's personal tokens; False when they have no such token."""
    result = session.execute(delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
    return bool(result.rowcount)


def read_personal(session: Session, *, token: str) -> Credential:
    """The user a personal token belongs to, while it exists and they may sign in."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    user = session.get(User, row.user_id) if row is not None else None
    now = utcnow()
    if row is None or not _may_sign_in(user, now=now):
        raise TokenInvalid("The token is not valid.")
    if row.last_used_at is None or auth.aware(row.last_used_at) < now - LAST_USED_EVERY:
        row.last_used_at = now
    return Credential(user=user, expires_at=None)


def authenticate(session: Session, *, token: str | None, now: float | None = None) -> Credential:
    """The caller of an API request: an access JWT or a personal token; TokenInvalid otherwise."""
    if not token:
        raise TokenInvalid("Sign in: send Authorization: Bearer <access token>.")
    if token.startswith(PERSONAL_PREFIX):
        return read_personal(session, token=token)
    return read_jwt(session, token=token, kind=ACCESS, now=now)
