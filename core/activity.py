"""Follower activity (when an account's followers are online, by hour of day): stored and read back.

A follower activity export (core.parsing.activity) becomes rows of `follower_activity` (migration
0012): one per hour of each day the file holds, the value as the file wrote it. It belongs to the
account like any ready file, but holds no rows of the timeline: the Explorer's best-hour section and
the report's hour chart read it through `by_hour`, scoped like the rest (a Scope holds only its
owner's accounts and files).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    UniqueConstraint,
    Uuid,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base
from core.models import FileStatus, SocialFile, utcnow
from core.parsing.activity import ROW_KIND, ActivityTable

if TYPE_CHECKING:
    import pandas as pd

    from core.timeline import Scope

HOURS = range(24)


class FollowerActivity(Base):
    """One hour of one day of a follower activity file: how many followers were online then."""

    __tablename__ = "follower_activity"
    __table_args__ = (
        CheckConstraint("hour >= 0 AND hour <= 23", name="hour_0_23"),
        CheckConstraint("followers >= 0", name="followers_not_negative"),
        CheckConstraint("line >= 1", name="line_positive"),
        UniqueConstraint("file_id", "date", "hour"),
    )

    file_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("social_files.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[date | None] = mapped_column(Date)  # None: the export has no dates (a typical day)
    hour: Mapped[int] = mapped_column(SmallInteger)
    followers: Mapped[int] = mapped_column(BigInteger)
    # False for the hours still to come when the file was exported (written as 0): not averaged.
    measured: Mapped[bool] = mapped_column(Boolean, default=True)


def is_activity(table) -> bool:
    return isinstance(table, ActivityTable)


def load(conn: Connection, *, file_id: uuid.UUID, table: ActivityTable) -> int:
    """Store the file's hours and record how it was read, in the caller's transaction; the row count."""
    hours = table.hours()
    conn.execute(delete(FollowerActivity).where(FollowerActivity.file_id == file_id))
    conn.execute(
        insert(FollowerActivity),
        [
            {"file_id": file_id, "line": h.line, "date": h.day, "hour": h.hour, "followers": h.followers,
             "measured": h.measured}
            for h in hours
        ],
    )  # fmt: skip
    days = [h.day for h in hours if h.day is not None]
    detection = table.detection
    conn.execute(
        update(SocialFile)
        .where(SocialFile.id == file_id)
        .values(
            rows=len(hours),
            progress=95,
            platform=detection.platform[:10],
            mapping=detection.mapping,
            detection=detection.as_dict(),
            row_kind=ROW_KIND,
            warnings=list(table.warnings),
            period_start=min(days, default=None),
            period_end=max(days, default=None),
            heartbeat_at=utcnow(),
        )
    )
    return len(hours)


def _files(session: Session, scope: Scope) -> list[tuple[uuid.UUID, int | None]]:
    """(file id, account id) of the scope's ready activity files, the latest upload first."""
    query = select(SocialFile.id, SocialFile.account_id).where(
        SocialFile.status == FileStatus.READY, SocialFile.row_kind == ROW_KIND
    )
    if scope.kind == "file":
        query = query.where(SocialFile.id == uuid.UUID(scope.id))
    else:
        ids = [a[0] for a in scope.accounts]
        if not ids:
            return []
        query = query.where(SocialFile.account_id.in_(ids))
    return [tuple(r) for r in session.execute(query.order_by(SocialFile.created_at.desc(), SocialFile.id))]


def bounds(session: Session, *, scope: Scope) -> tuple[date, date] | None:
    """The first and last day of the scope's follower activity; None without dated activity.
    For an account with no timeline rows, the range its views and reports cover."""
    ids = [file_id for file_id, _account in _files(session, scope)]
    if not ids:
        return None
    query = select(func.min(FollowerActivity.date), func.max(FollowerActivity.date))
    first, last = session.execute(query.where(FollowerActivity.file_id.in_(ids))).one()
    return None if last is None else (first, last)


def by_hour(
    session: Session, *, scope: Scope, start: date | None = None, end: date | None = None
) -> pd.DataFrame | None:
    """Per hour 0–23: `followers`, the mean number of followers online at that hour over the days
    measured in [start, end] (an export without dates counts whatever the range), and `days`; a
    brand's accounts are summed. None when the scope has no activity for the range.

    Where two files of an account hold the same day and hour, the later upload's value is used."""
    files = _files(session, scope)
    if not files:
        return None
    order = {file_id: rank for rank, (file_id, _account) in enumerate(files)}
    account_of = dict(files)
    query = select(
        FollowerActivity.file_id, FollowerActivity.date, FollowerActivity.hour, FollowerActivity.followers
    ).where(FollowerActivity.file_id.in_(list(order)), FollowerActivity.measured.is_(True))
    if start is not None:
        query = query.where(or_(FollowerActivity.date.is_(None), FollowerActivity.date >= start))
    if end is not None:
        query = query.where(or_(FollowerActivity.date.is_(None), FollowerActivity.date <= end))
    kept: dict[tuple, tuple[int, int]] = {}  # (account, date, hour) -> (file rank, followers)
    for file_id, day, hour, followers in session.execute(query):
        key, rank = (account_of[file_id], day, hour), order[file_id]
        if key not in kept or rank < kept[key][0]:
            kept[key] = (rank, followers)
    if not kept:
        return None
    sums: dict[tuple, list[int]] = {}  # (account, hour) -> [total, days]
    for (account, _day, hour), (_rank, followers) in kept.items():
        total = sums.setdefault((account, hour), [0, 0])
        total[0] += followers
        total[1] += 1
    online = [sum(t / n for (_a, h), (t, n) in sums.items() if h == hour) for hour in HOURS]
    days = [max((n for (_a, h), (_t, n) in sums.items() if h == hour), default=0) for hour in HOURS]
    import pandas as pd  # here, not at the top: the worker and the API import this module without pandas

    frame = pd.DataFrame({"hour": list(HOURS), "followers": online, "days": days})
    frame.loc[frame["days"] == 0, "followers"] = None
    return frame


def as_dict(frame: pd.DataFrame) -> dict[str, float | None]:
    """{"0": mean followers online, …, "23": …} rounded to 2 places (None for an hour not measured)."""
    return {
        str(int(h)): None if v is None or v != v else round(float(v), 2)  # NaN: not measured
        for h, v in zip(frame["hour"], frame["followers"], strict=True)
    }
