"""Accounts: create, sign in (with lockout), sign out everywhere, and the admin's changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import auth, lockout
from core.config import get_settings
from core.db import session_scope
from core.i18n import LANGUAGES, _
from core.models import User, utcnow

# An arbitrary constant: serialises first-run setups racing on PostgreSQL.
_PG_SETUP_LOCK = 7_410_216


class UserError(ValueError):
    """An account change is refused; the message says why, in words a user understands."""


class RegistrationClosed(UserError):
    """Self-service sign-up is not possible here (turned off, or the setup is not done)."""


class LoginFailed(Exception):
    """Sign-in refused: the one generic message, or how long the account stays locked."""


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def needs_setup(session: Session) -> bool:
    """True until an administrator exists (the command line's placeholder account is no admin)."""
    return session.scalar(select(User.id).where(User.role == "admin").limit(1)) is None


def get_user(session: Session, *, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, *, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == auth.normalize_email(email)))


def list_users(session: Session) -> list[User]:
    """Every account, oldest first."""
    return list(session.scalars(select(User).order_by(User.created_at, User.id)))


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if len(name) > auth.MAX_NAME_CHARS:
        raise UserError(_("The name is too long: use at most {n} characters.").format(n=auth.MAX_NAME_CHARS))
    return name


def create_user(session: Session, *, email: str, password: str, name: str = "", role: str = "user") -> User:
    """A new account with a bcrypt hash; UserError for a bad email, password, role or a taken email."""
    email = auth.normalize_email(email)
    problem = auth.email_problem(email) or auth.password_problem(password)
    if problem:
        raise UserError(problem)
    if role not in auth.ROLES:
        raise UserError(
            _("Unknown role {role}: use one of {roles}.").format(role=repr(role), roles=", ".join(auth.ROLES))
        )
    taken = _("An account with the email {email} already exists.").format(email=email)
    if get_user_by_email(session, email=email) is not None:
        raise UserError(taken)
    user = User(
        email=email,
        password_hash=auth.hash_password(password),
        name=_clean_name(name),
        role=role,
        is_active=True,
        failed_logins=0,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # the same email, created a moment ago by someone else
        raise UserError(taken) from exc
    return user


def _lock_users_table(session: Session) -> None:
    """Make concurrent first-run setups take turns, so only one of them creates the administrator."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_SETUP_LOCK})
    else:  # SQLite: a (no-op) write takes the database's single write lock now, before we read
        session.execute(update(User).where(User.id == -1).values(name=""))


def create_first_admin(session: Session, *, email: str, password: str, name: str = "") -> User:
    """The administrator of a fresh install; refused once any administrator exists."""
    _lock_users_table(session)
    if not needs_setup(session):
        raise UserError(_("This installation already has an administrator. Sign in instead."))
    return create_user(session, email=email, password=password, name=name, role="admin")


def register_user(session: Session, *, email: str, password: str, name: str = "") -> User:
    """Self-service sign-up: always the "user" role, and only while registration is allowed."""
    if not get_settings().allow_registration:
        raise RegistrationClosed(_("Registration is turned off. Ask an administrator for an account."))
    if needs_setup(session):
        raise RegistrationClosed(_("This installation has no administrator yet: finish the setup first."))
    return create_user(session, email=email, password=password, name=name, role="user")


def authenticate(session: Session, *, email: str, password: str, now: datetime | None = None) -> User:
    """The user these credentials belong to, or LoginFailed. Failures are flushed, not committed:
    commit them even when LoginFailed is raised (sign_in does)."""
    now = now or utcnow()
    user = get_user_by_email(session, email=email)
    holder = user if user is not None else lockout.throttle_for(session, email=email)
    locked = lockout.locked_message(holder, now=now)
    if user is None:
        auth.spend_verify_time(password)
        raise LoginFailed(locked or lockout.record_failure(session, holder, now=now))
    if locked:
        raise LoginFailed(locked)
    if not auth.verify_password(password, user.password_hash):
        raise LoginFailed(lockout.record_failure(session, user, now=now))
    if not user.is_active:  # said only to someone who knows the password
        raise LoginFailed(_("This account is disabled. Ask an administrator to enable it."))
    lockout.clear(session, user)
    return user


def sign_in(*, email: str, password: str) -> User:
    """authenticate() in its own transaction, keeping the failure count when it refuses."""
    refused: LoginFailed | None = None
    with session_scope() as session:
        try:
            return authenticate(session, email=email, password=password)
        except LoginFailed as exc:
            refused = exc
    raise refused


def session_user(
    session: Session, *, user_id: int, issued_at: float, email: str | None = None
) -> User | None:
    """The user of a session that began at `issued_at`, if it still stands (active, not signed out).

    With `email`, the account must still have that address (a session names the email it began with).
    """
    user = session.get(User, user_id)
    if user is None or not user.is_active or (email is not None and user.email != email):
        return None
    if not auth.session_is_current(issued_at=issued_at, valid_after=user.sessions_valid_after):
        return None
    return user


def user_from_token(
    session: Session, *, token: str | None, key: str, now: float | None = None
) -> User | None:
    """The user a login cookie names, or None when it is forged, expired, revoked or malformed."""
    claims = auth.read_token(token, key=key, now=now)
    if claims is None:
        return None
    return session_user(session, user_id=claims.user_id, issued_at=claims.issued_at, email=claims.email)


def end_sessions(session: Session, *, user_id: int, now: datetime | None = None) -> None:
    """Sign the user out everywhere: every cookie issued before now is void."""
    session.execute(
        update(User).where(User.id == user_id).values(sessions_valid_after=now or utcnow()),
        execution_options={"synchronize_session": False},
    )


def change_password(
    session: Session, *, user_id: int, current_password: str, new_password: str, now: datetime | None = None
) -> User:
    """Replace the password after checking the current one; other sessions end (re-issue yours)."""
    user = session.get(User, user_id)
    if user is None or not auth.verify_password(current_password, user.password_hash):
        raise UserError(_("The current password is wrong."))
    return set_password(session, user=user, password=new_password, now=now)


def set_password(session: Session, *, user: User, password: str, now: datetime | None = None) -> User:
    """A new password (rules checked), every session ended and any lock lifted: for the command line
    and through reset_password; change_password checks the current one first."""
    problem = auth.password_problem(password)
    if problem:
        raise UserError(problem)
    user.password_hash = auth.hash_password(password)
    user.sessions_valid_after = now or utcnow()
    lockout.clear(session, user)
    session.flush()
    return user


def reset_password(session: Session, *, actor: User, user_id: int, password: str) -> User:
    """An admin gives an account a new password (tell it to its owner; they can change it later)."""
    auth.require_role(actor, "admin")
    return set_password(session, user=_target(session, user_id), password=password)


def set_name(session: Session, *, user_id: int, name: str) -> User:
    user = _target(session, user_id)
    user.name = _clean_name(name)
    session.flush()
    return user


def set_language(session: Session, *, user_id: int, language: str | None) -> User:
    """The language the user's pages are shown in (None: follow the browser)."""
    if language is not None and language not in LANGUAGES:
        raise UserError(_("Unknown language {language}.").format(language=language))
    user = _target(session, user_id)
    user.language = language
    session.flush()
    return user


def _target(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserError(_("No such account."))
    return user


def _other_active_admins(session: Session, user_id: int) -> int:
    query = select(func.count()).where(User.role == "admin", User.is_active.is_(True), User.id != user_id)
    return session.scalar(query.select_from(User)) or 0


def set_role(session: Session, *, actor: User, user_id: int, role: str) -> User:
    """An admin gives an account the "user" or "admin" role; the last active admin stays admin."""
    auth.require_role(actor, "admin")
    if role not in auth.ROLES:
        raise UserError(
            _("Unknown role {role}: use one of {roles}.").format(role=repr(role), roles=", ".join(auth.ROLES))
        )
    user = _target(session, user_id)
    if user.role == "admin" and role != "admin" and not _other_active_admins(session, user.id):
        raise UserError(_("This is the last active administrator: make someone else admin first."))
    user.role = role
    session.flush()
    return user


def unlock(session: Session, *, actor: User, user_id: int) -> User:
    """An admin lifts a lockout before it expires."""
    auth.require_role(actor, "admin")
    user = _target(session, user_id)
    lockout.clear(session, user)
    return user


def set_active(session: Session, *, actor: User, user_id: int, active: bool) -> User:
    """An admin disables (ending its sessions) or re-enables an account; never their own."""
    auth.require_role(actor, "admin")
    user = _target(session, user_id)
    if not active and user.id == actor.id:
        raise UserError(_("You cannot disable your own account."))
    if not active and user.role == "admin" and not _other_active_admins(session, user.id):
        raise UserError(_("This is the last active administrator: it cannot be disabled."))
    user.is_active = active
    if not active:
        user.sessions_valid_after = utcnow()
    session.flush()
    return user


def set_limits(
    session: Session,
    *,
    actor: User,
    user_id: int,
    uploads_per_day: int | None,
    stored_mb: int | None,
    files_in_flight: int | None,
) -> User:
    """An admin sets an account's own limits (None: the setting's default, 0: no limit)."""
    auth.require_role(actor, "admin")
    values = (uploads_per_day, stored_mb, files_in_flight)
    if any(v is not None and v < 0 for v in values):
        raise UserError(_("A limit is 0 (none) or more."))
    user = _target(session, user_id)
    user.max_uploads_per_day, user.max_stored_mb, user.max_files_in_flight = (
        None if v is None else int(v) for v in values
    )
    session.flush()
    return user
