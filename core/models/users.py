"""Who signs in: users, the sign-in throttle and links, and the API's personal tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base
from core.models.columns import Stamp, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10), default="user")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Locks in a row since the last good sign-in: each lasts twice as long as the one before.
    lock_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Per-user limits set by an admin; None = the setting's default (core.quotas).
    max_uploads_per_day: Mapped[int | None] = mapped_column(Integer)
    max_stored_mb: Mapped[int | None] = mapped_column(Integer)
    max_files_in_flight: Mapped[int | None] = mapped_column(Integer)
    # Cookies issued before this moment are void: logging out ends every copy of the session.
    sessions_valid_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language picked in the profile (core.i18n.LANGUAGES); None = follow the browser's.
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class SignInThrottle(Base):
    """Failed sign-ins for an email with no account: counted like an account's, so none can be told apart."""

    __tablename__ = "sign_in_throttle"

    email_digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the email
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    lock_level: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[Stamp] = mapped_column(default=utcnow, onupdate=utcnow)


class SignInLink(Base):
    """A one-time sign-in link an admin issued; only the SHA-256 of its token is kept."""

    __tablename__ = "sign_in_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[Stamp]
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A personal API token for scripts: only its SHA-256 is kept (the secret is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
