"""An uploaded file and what comes of it: its rows, metrics, reports and stored bytes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.models.accounts import Account
from core.models.columns import NEVER_NEGATIVE, Count, JsonDoc, Stamp, utcnow
from core.models.status import FileStatus
from core.models.users import User


class SocialFile(Base):
    __tablename__ = "social_files"
    __table_args__ = (
        Index("ix_social_files_user_id_sha256", "user_id", "sha256"),
        CheckConstraint("rows >= 0", name="rows_not_negative"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_0_100"),
        CheckConstraint(
            "status <> 'ready' OR (platform IS NOT NULL AND row_kind IS NOT NULL)", name="ready_is_described"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(String(1024))
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    platform_requested: Mapped[str] = mapped_column(String(10), default="auto")
    platform: Mapped[str | None] = mapped_column(String(10))
    period_days: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=FileStatus.UPLOADING, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    error_text: Mapped[str | None] = mapped_column(Text)
    error_details: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc)  # each issue located
    # error_text as a message record (core.i18n.render): each viewer reads it in their own language.
    error_message: Mapped[Any] = mapped_column(JsonDoc)
    # How the file was read: source header -> canonical column, row kind, warnings.
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    mapping_override: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
    # The user's delimiter, decimal mark, encoding and date order (core.parsing.ReadOptions.as_dict).
    read_options: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc)
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
    # Every ready file belongs to one account; null while it is queued or when it failed.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"), index=True)
    # The account name asked for at upload, resolved once parsing knows the platform.
    account_request: Mapped[str | None] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))

    owner: Mapped[User] = relationship(lazy="joined")
    account: Mapped[Account | None] = relationship(lazy="joined")


class RawData(Base):
    """One row per data row of a file. No surrogate key: (file_id, line) identifies a row.

    On PostgreSQL each file's rows are a partition of their own (core/partitions.py).
    """

    __tablename__ = "raw_data"
    __table_args__ = (
        Index("ix_raw_data_file_id_date", "file_id", "date"),
        *(CheckConstraint(f"{c} >= 0", name=f"{c}_not_negative") for c in NEVER_NEGATIVE),
        CheckConstraint("line >= 1", name="line_positive"),
        {"postgresql_partition_by": "LIST (file_id)"},
    )
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
    # A report is of one file, or of an account or a brand over a date range.
    file_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("social_files.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    range_start: Mapped[date | None] = mapped_column(Date)
    range_end: Mapped[date | None] = mapped_column(Date)
    # Which files (and versions) the report was built from: a changed timeline builds a new one.
    data_key: Mapped[str | None] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(3))
    path: Mapped[str] = mapped_column(String(1024))
    period_days: Mapped[int | None] = mapped_column(Integer)
    file_version: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)


def _owner_key(column: str) -> ForeignKey:
    return ForeignKey(column, ondelete="CASCADE", deferrable=True, initially="DEFERRED")


class StoredChunk(Base):
    """One MiB (the last one less) of a stored upload or report (core/storage.py, DatabaseStore); it
    belongs to exactly one file or report and goes with it (checked at commit: bytes come first)."""

    __tablename__ = "stored_chunks"
    __table_args__ = (CheckConstraint("(file_id IS NULL) <> (report_id IS NULL)", name="one_owner"),)

    key: Mapped[str] = mapped_column(String(1024), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    file_id: Mapped[uuid.UUID | None] = mapped_column(_owner_key("social_files.id"), index=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(_owner_key("report_exports.id"), index=True)
