"""Password rules, hashing, the lockout policy, signed login cookies and roles: pure logic."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Protocol

import bcrypt
import jwt

from core.common_passwords import is_common
from core.i18n import N_, _, ngettext

MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 128
MAX_EMAIL_CHARS = 254
MAX_NAME_CHARS = 200
BCRYPT_ROUNDS = 12  # about 0.25 s per check here: slow for a guesser, quick for a person
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=15)  # the first lock; each lock in a row lasts twice the one before
MAX_LOCK_DURATION = timedelta(hours=24)  # never longer: an admin locked out waits a day at most
COOKIE_NAME = "sa_session"
COOKIE_DAYS = 7
TOKEN_ALGORITHM = "HS256"
CLOCK_SKEW_S = 60  # tolerated for "issued in the future" between app replicas
ROLES = ("user", "admin")
# One message for an unknown email and a wrong password: the form must not reveal who has an account.
LOGIN_FAILED_MESSAGE = N_("Wrong email or password.")
# Fixed, public pepper: the pre-hash is not a plain SHA-256, so leaked unsalted SHA-256 lists don't match.
_PREHASH_KEY = b"social-analytics/bcrypt-sha256/v1"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


class HasRole(Protocol):
    role: str
    is_active: bool


class AccessDenied(PermissionError):
    """The user's role does not allow this."""


def normalize_email(email: str) -> str:
    """The form an email is stored and looked up in."""
    return (email or "").strip().lower()


def email_problem(email: str) -> str | None:
    """Why `email` (normalized) cannot be a login, or None."""
    if not email:
        return _("Enter an email address.")
    if len(email) > MAX_EMAIL_CHARS or not _EMAIL.match(email):
        return _("“{email}” is not an email address (expected something like name@example.com).").format(
            email=email
        )
    return None


def normalize_password(password: str) -> str:
    """NFKC, so the same password typed on two keyboards (composed or not) is the same password."""
    return unicodedata.normalize("NFKC", password or "")


def password_problem(password: str) -> str | None:
    """Why `password` is refused, or None: its length in characters of any script, and not a common one."""
    normalized = normalize_password(password)
    if len(normalized) < MIN_PASSWORD_CHARS:
        return _("The password is too short: use at least {n} characters.").format(n=MIN_PASSWORD_CHARS)
    if len(normalized) > MAX_PASSWORD_CHARS:
        return _("The password is too long: use at most {n} characters.").format(n=MAX_PASSWORD_CHARS)
    if is_common(normalized):
        return _("This password is one of the most common ones, which guessers try first: choose another.")
    return None


def _prehash(password: str) -> bytes:
    """44 ASCII bytes from any password: bcrypt reads only 72 bytes, so nothing is ever cut off."""
    digest = hmac.new(_PREHASH_KEY, normalize_password(password).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest())


def hash_password(password: str) -> str:
    """A bcrypt hash of the pre-hashed password (the caller checks the rules first)."""
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    """Whether `password` matches; False for a malformed or placeholder hash."""
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("no account has this password")


def spend_verify_time(password: str) -> None:
    """As slow as a real check: an unknown email must not answer faster than a wrong password."""
    verify_password(password, _dummy_hash())


def aware(moment: datetime | None) -> datetime | None:
    """UTC-aware `moment` (SQLite hands back naive datetimes)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def lock_minutes_left(locked_until: datetime | None, *, now: datetime) -> int:
    """Whole minutes (rounded up) until the lock expires; 0 when not locked."""
    until = aware(locked_until)
    if until is None or until <= now:
        return 0
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _minutes(minutes: int) -> str:
    return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)


def lock_message(minutes: int) -> str:
    return _("Too many failed sign-ins: this account is locked, try again in {minutes}.").format(
        minutes=_minutes(minutes)
    )


def lock_duration(lock_level: int) -> timedelta:
    """How long the next lock lasts after `lock_level` locks in a row: doubling, capped."""
    return min(LOCK_DURATION * 2 ** min(lock_level, 16), MAX_LOCK_DURATION)


def attempts_left_message(left: int, *, lock_level: int) -> str:
    """The refusal before the lock: the same words for an unknown email (they are counted alike)."""
    minutes = math.ceil(lock_duration(lock_level).total_seconds() / 60)
    text = ngettext(
        "{failed} {n} attempt left before sign-in is locked for {minutes}.",
        "{failed} {n} attempts left before sign-in is locked for {minutes}.",
        left,
    )
    return text.format(failed=_(LOGIN_FAILED_MESSAGE), n=left, minutes=_minutes(minutes))


@dataclass(frozen=True)
class SessionClaims:
    user_id: int
    email: str
    issued_at: float
    expires_at: float


def issue_token(*, user_id: int, email: str, key: str, now: float | None = None) -> str:
    """A signed cookie value naming the user; it carries no role (roles are read from the database)."""
    issued = time.time() if now is None else now
    claims = {"sub": str(user_id), "email": email, "iat": issued, "exp": int(issued + COOKIE_DAYS * 86400)}
    return jwt.encode(claims, key, algorithm=TOKEN_ALGORITHM)


def read_token(token: str | None, *, key: str, now: float | None = None) -> SessionClaims | None:
    """The claims of a genuine, unexpired cookie; None for anything else (forged, alg=none, expired, junk)."""
    if not token or not isinstance(token, str):
        return None
    moment = time.time() if now is None else now
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[TOKEN_ALGORITHM],  # pinned: "none" and other algorithms are refused
            options={"require": ["sub", "email", "iat", "exp"], "verify_exp": False, "verify_iat": False},
        )
        result = SessionClaims(
            user_id=int(claims["sub"]),
            email=str(claims["email"]),
            issued_at=float(claims["iat"]),
            expires_at=float(claims["exp"]),
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError):
        return None
    if result.expires_at <= moment or result.issued_at > moment + CLOCK_SKEW_S:
        return None
    return result


def session_is_current(*, issued_at: float, valid_after: datetime | None) -> bool:
    """False for a session that began before the user's last sign-out (or password change)."""
    cutoff = aware(valid_after)
    return cutoff is None or issued_at >= cutoff.timestamp()


def has_role(user: HasRole | None, role: str) -> bool:
    """Whether an active `user` may act as `role` (an admin may do all a user may)."""
    if user is None or not user.is_active or role not in ROLES:
        return False
    return role == "user" or user.role == "admin"


def require_role(user: HasRole | None, role: str) -> None:
    """Raise AccessDenied unless `user` has `role`."""
    if not has_role(user, role):
        raise AccessDenied(f"This needs the {role} role.")
