"""The tables of scheduled delivery (migrations 0008, 0011): a schedule, and its runs (one scheduled run
per schedule and period; "send now" runs beside them)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.models import Account, Brand, JsonDoc, Stamp, User, utcnow


class ReportSchedule(Base):
    """An account's or a brand's report sent weekly or monthly to a list of addresses."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"))
    cadence: Mapped[str] = mapped_column(String(10))
    recipients: Mapped[list[str]] = mapped_column(JsonDoc)
    language: Mapped[str] = mapped_column(String(5))
    with_csv: Mapped[bool] = mapped_column(Boolean, default=False)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")
    account: Mapped[Account | None] = relationship(lazy="joined")
    brand: Mapped[Brand | None] = relationship(lazy="joined")

    @property
    def target_name(self) -> str:
        return self.brand.name if self.brand is not None else self.account.name


class ReportRun(Base):
    """One delivery of a schedule's period: sending (claimed), sent, retrying (at next_attempt_at), failed."""

    __tablename__ = "report_runs"
    # The one scheduled run per schedule and period, even when two processes run the due schedules at
    # once; runs sent by hand ("send now") may repeat a period.
    __table_args__ = (
        Index(
            "uq_report_runs_scheduled_period",
            "schedule_id",
            "period_start",
            unique=True,
            sqlite_where=text("NOT manual"),
            postgresql_where=text("NOT manual"),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("report_schedules.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # When a retry is due, or (while sending) when a claim by a process that died may be taken over.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    manual: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
