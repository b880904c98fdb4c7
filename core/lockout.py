"""Failed sign-ins: counted per email whether or not it has an account, locks that grow, and unlocking.

An account keeps its count on its `users` row; an email with no account keeps one in
`sign_in_throttle` under the email's SHA-256, so both get the same messages at the same moments and
the form never tells who has an account.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import auth
from core.models import SignInThrottle, User


def _where(holder: User | SignInThrottle):
    if isinstance(holder, User):
        return User.id == holder.id
    return SignInThrottle.email_digest == holder.email_digest


def throttle_for(session: Session, *, email: str) -> SignInThrottle:
    """The failure count of an email that has no account (created at its first failure)."""
    digest = hashlib.sha256(auth.normalize_email(email).encode("utf-8")).hexdigest()
    row = session.get(SignInThrottle, digest)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = SignInThrottle(email_digest=digest, failed_logins=0, lock_level=0)
            session.add(row)
    except IntegrityError:  # the same email failed a moment ago in another session
        row = session.get(SignInThrottle, digest, populate_existing=True)
    return row


def locked_message(holder: User | SignInThrottle, *, now: datetime) -> str | None:
    """The refusal while a lock lasts, or None."""
    minutes = auth.lock_minutes_left(holder.locked_until, now=now)
    return auth.lock_message(minutes) if minutes else None


def record_failure(session: Session, holder: User | SignInThrottle, *, now: datetime) -> str:
    """Count one failure in the database (atomically); lock at the limit. The refusal to show."""
    model = type(holder)
    session.execute(
        update(model).where(_where(holder)).values(failed_logins=model.failed_logins + 1),
        execution_options={"synchronize_session": False},
    )
    session.refresh(holder, ["failed_logins", "lock_level"])
    left = auth.MAX_FAILED_LOGINS - holder.failed_logins
    if left > 0:
        return auth.attempts_left_message(left, lock_level=holder.lock_level)
    until = now + auth.lock_duration(holder.lock_level)
    holder.locked_until, holder.failed_logins, holder.lock_level = until, 0, holder.lock_level + 1
    session.flush()
    return auth.lock_message(auth.lock_minutes_left(until, now=now))


def clear(session: Session, holder: User | SignInThrottle) -> None:
    """Forget the failures and locks (a good sign-in, an admin's unlock, a new password)."""
    if holder.failed_logins or holder.locked_until or holder.lock_level:
        holder.failed_logins, holder.locked_until, holder.lock_level = 0, None, 0
        session.flush()
