"""What merging an account's files decided, stored next to them: read instead of merged again.

Where files of one account share dates, core.timeline keeps a row unless a file above it holds its
key there: an anti-join over every shared row, the bulk of a cold report of a large account. The
decision is stored whenever the account's ready files change (core.merge_build, in the transaction
of the change): the rows that lose (`superseded_rows`, as runs of lines) and each file's winning rows summed per
shared date and hour (`shared_totals`, core.day_totals' columns). `merge_states` holds a digest of
the files it was made from; a scope reads what is stored only for the accounts whose files give the
same digest now (`settled`), so a change that was not followed by a rebuild is merged afresh from
the rows, never read stale. Rows are per account: read only through a scope already scoped to its
user (core.scopes).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import day_totals
from core.db import Base


class MergeState(Base):
    """The files (ids, versions, dates, rows) an account's stored merge was made from."""

    __tablename__ = "merge_states"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    files_key: Mapped[str] = mapped_column(String(64))


class Superseded(Base):
    """Rows of a file that a file above it replaces (the same key on a date they share): on one
    date, the lines `first_line`..`last_line` (a run of consecutive lines, so one row stands for many)."""

    __tablename__ = "superseded_rows"

    file_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("social_files.id", ondelete="CASCADE"), primary_key=True
    )
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    first_line: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_line: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)


class SharedTotal(day_totals.Sums, Base):
    """One file's winning rows of one shared date (and hour posted), summed."""

    __tablename__ = "shared_totals"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    file_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("social_files.id", ondelete="CASCADE"), primary_key=True
    )
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)


def files_key(parts) -> str:
    """A digest of one account's ready files in merge priority: what its merge depends on."""
    text = ";".join(
        f"{p.id}:{p.version}:{p.first}:{p.last}:{p.rows}:{p.row_kind}:{p.created_at.isoformat()}"
        for p in parts
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _by_account(parts) -> dict[int, list]:
    out: dict[int, list] = {}
    for part in parts:
        if part.account_id is not None:
            out.setdefault(part.account_id, []).append(part)
    return out


def settled(session: Session, parts) -> frozenset[int]:
    """The accounts among `parts` (in priority order) whose stored merge was made from these files.

    Only files with recorded totals count (rows written by hand are never read from a store), and
    only accounts of two files or more (a single file merges nothing).
    """
    merged = {a: members for a, members in _by_account(parts).items() if len(members) > 1}
    if not merged or not all(p.stored for members in merged.values() for p in members):
        return frozenset()
    query = select(MergeState.account_id, MergeState.files_key).where(MergeState.account_id.in_(merged))
    keys = dict(session.execute(query).all())
    return frozenset(a for a, members in merged.items() if keys.get(a) == files_key(members))


def shared_groups(session: Session, account_ids) -> dict[uuid.UUID, list]:
    """Per file of the accounts: its stored winning totals per shared date and hour (DayTotal-like)."""
    t = SharedTotal
    query = select(t.file_id, *(getattr(t, n) for n in day_totals.NAMES)).where(
        t.account_id.in_(sorted(account_ids))
    )
    out: dict[uuid.UUID, list] = {}
    for row in session.execute(query):
        out.setdefault(row.file_id, []).append(row)
    return out


def forget(session: Session, account_id: int) -> None:
    """Drop what is stored of the account's merge (its files changed: it is made again, or merged afresh)."""
    for table in (SharedTotal, Superseded, MergeState):
        session.execute(delete(table).where(table.account_id == account_id))
