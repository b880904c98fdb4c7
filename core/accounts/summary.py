"""Accounts as the command line and the REST API print them (DESIGN.md, "Command line")."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import metrics, timeline
from core.accounts.lookup import get_account
from core.accounts.store import account_files, find_account, list_accounts
from core.models import FileStatus, SocialFile, User
from core.presets import pick_range


def number(value):
    """A metric value as JSON has it: int when whole, float otherwise, text and None as they are."""
    if value is None or isinstance(value, str):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def overview(session: Session, *, actor: User, everyone: bool = False) -> list[dict]:
    """Every account of the actor (an admin's, or every user's with `everyone`) with its brand and files.

    Each: id, name, platform, handle, brand {id, name} or None, owner (email), files (ready ones).
    """
    counts = dict(
        session.execute(
            select(SocialFile.account_id, func.count())
            .where(SocialFile.status == FileStatus.READY, SocialFile.account_id.is_not(None))
            .group_by(SocialFile.account_id)
        ).all()
    )
    return [
        {
            "id": a.id,
            "name": a.name,
            "platform": a.platform,
            "handle": a.handle,
            "brand": None if a.brand is None else {"id": a.brand.id, "name": a.brand.name},
            "owner": a.owner.email,
            "files": counts.get(a.id, 0),
        }
        for a in list_accounts(session, actor=actor, everyone=everyone)
    ]


def describe(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    start: date | None = None,
    end: date | None = None,
    period_days: int | None = None,
) -> dict:
    """`accounts show --json`: account {id, name, platform}, files [{id, name, period, rows}], rows
    (the merged timeline's), period, previous_period, metrics and previous, and provenance (text).

    `ref` is an id or a name of the actor's (AccountNotFound; AccountError when a name is ambiguous).
    Without a range: the whole timeline, compared with the same length before it.
    """
    if isinstance(ref, int):
        account = get_account(session, actor=actor, account_id=ref)
    else:
        account = find_account(session, actor=actor, ref=ref)
    scope = timeline.account_scope(session, actor=actor, account_id=account.id)
    dated = [p for p in scope.files if p.first is not None]
    first = min((p.first for p in dated), default=None)
    last = max((p.last for p in dated), default=None)
    span = pick_range(first=first, last=last, start=start, end=end, period_days=period_days)
    out = {
        "account": {"id": account.id, "name": account.name, "platform": account.platform},
        "files": [
            {"id": str(f.id), "name": f.original_name, "period": _period(f), "rows": f.rows}
            for f in account_files(session, actor=actor, account_id=account.id, status=FileStatus.READY)
        ],
        "provenance": timeline.provenance(scope).text,
    }
    if span is None:
        return out | {"rows": 0, "period": None, "previous_period": None, "metrics": {}, "previous": {}}
    result = metrics.compute_range(session, file=scope, start=span.start, end=span.end)
    return out | {
        "rows": timeline.count_rows(session, scope, start=span.start, end=span.end),
        "period": {"start": str(span.start), "end": str(span.end)},
        "previous_period": {"start": str(result.previous_start), "end": str(result.previous_end)},
        "metrics": {code: number(v) for code, v in result.current.items()},
        "previous": {code: number(v) for code, v in result.previous.items()},
    }


def _period(file: SocialFile) -> dict | None:
    """The file's own data range (its metric period's end is its last date)."""
    part = [p for p in (file.period_start, file.period_end) if p is not None]
    return {"start": str(part[0]), "end": str(part[-1])} if part else None
