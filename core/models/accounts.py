"""Accounts (one profile on one platform) and brands (a client's accounts across platforms)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base
from core.models.columns import Stamp, utcnow
from core.models.users import User


class Brand(Base):
    """A client: the accounts that belong together across platforms; a report's letterhead."""

    __tablename__ = "brands"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    logo_path: Mapped[str | None] = mapped_column(String(1024))
    colour: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)


class Account(Base):
    """One profile on one platform ("Acme · YouTube"), followed over months through its files."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("user_id", "platform", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(10))
    # The export's own profile name or id, where it has one: how later exports find this account.
    handle: Mapped[str | None] = mapped_column(String(255))
    brand_id: Mapped[int | None] = mapped_column(ForeignKey("brands.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[Stamp] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")
    brand: Mapped[Brand | None] = relationship(lazy="joined")
