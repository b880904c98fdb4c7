"""The five tables of DESIGN.md as typed SQLAlchemy 2 models."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base

Count = Annotated[int | None, mapped_column(BigInteger)]
Stamp = Annotated[datetime, mapped_column(DateTime(timezone=True))]
JsonDoc = JSON().with_variant(JSONB(), "postgresql")

# Canonical measures, in the order raw_data stores them (DESIGN.md, "Canonical columns").
MEASURES = (
    "views",
    "reach",
    "impressions",
    "likes",
    "comments",
    "shares",
    "saves",
    "posts",
    "subscribers",
    "subscribers_gained",
    "subscribers_lost",
    "subscribers_net",
)
DESCRIPTORS = ("post_id", "title", "url", "published_at")
# The tuple a parser yields per data row, and the column order of bulk loads.
ROW_COLUMNS = ("line", "date", *MEASURES, *DESCRIPTORS, "extra")


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class SocialFile(Base):
    __tablename__ = "social_files"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1024))
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    platform_requested: Mapped[str] = mapped_column(String(10), default="auto")
    platform: Mapped[str | None] = mapped_column(String(10))
    period_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="uploading", index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    error_text: Mapped[str | None] = mapped_column(Text)
    # How the file was read: source header -> canonical column, row kind, warnings.
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    mapping_override: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    detection: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    row_kind: Mapped[str | None] = mapped_column(String(5))
    warnings: Mapped[list[str] | None] = mapped_column(JsonDoc)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    owner: Mapped[User] = relationship(lazy="joined")


class RawData(Base):
    """One row per data row of a file. No surrogate key: (file_id, line) identifies a row."""

    __tablename__ = "raw_data"
    __table_args__ = (Index("ix_raw_data_file_id_date", "file_id", "date"),)
    __mapper_args__ = {"primary_key": ["file_id", "line"]}

    file_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("social_files.id", ondelete="CASCADE"))
    line: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    views: Mapped[Count]
    reach: Mapped[Count]
    impressions: Mapped[Count]
    likes: Mapped[Count]
    comments: Mapped[Count]
    shares: Mapped[Count]
    saves: Mapped[Count]
    posts: Mapped[Count]
    subscribers: Mapped[Count]
    subscribers_gained: Mapped[Count]
    subscribers_lost: Mapped[Count]
    subscribers_net: Mapped[Count]
    post_id: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)


class Metric(Base):
    __tablename__ = "metrics"
    __table_args__ = (UniqueConstraint("file_id", "metric_code", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_files.id", ondelete="CASCADE"))
    metric_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(8))  # "current" or "previous"
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(Numeric(30, 10))
    value_text: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)


class ReportExport(Base):
    __tablename__ = "report_exports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    file_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("social_files.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(3))
    path: Mapped[str] = mapped_column(String(1024))
    period_days: Mapped[int | None] = mapped_column(Integer)
    file_version: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)
