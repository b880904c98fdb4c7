"""Store what merging an account's ready files decides (core.merge_store), in the transaction that
changed them: a file became ready, was moved or deleted, or an account was merged into another.

`refresh` drops what was stored for each account and stores it again from the rows: the rows a file
above replaces, then each file's winning rows summed per shared date and hour (read through the
rows just stored). An account with day and post files merges through one `rank()` (core.timeline)
and stores nothing; an account of one file has nothing to merge.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from core import day_totals, merge_store, scopes, timeline
from core.models import Account


def refresh(session: Session, account_ids) -> None:
    """Make each account's stored merge match its ready files now (the caller commits)."""
    for account_id in sorted({a for a in account_ids if a is not None}):
        if session.get_bind().dialect.name == "postgresql":  # two changes of one account: one at a time
            session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"merge:{account_id}"))))
        merge_store.forget(session, account_id)
        account = session.get(Account, account_id)
        if account is not None:
            _store(session, scopes.own_scope(session, account))
    session.flush()


def _runs(lost):
    """Runs of consecutive lines per date of the rows `lost` selects (gaps and islands): fetched, not
    INSERT … SELECTed, so PostgreSQL may read them in parallel."""
    rows = lost.subquery("lost")
    run = rows.c.line - func.row_number().over(partition_by=rows.c.date, order_by=rows.c.line)
    marked = select(rows.c.date, rows.c.line, run.label("run")).subquery("marked")
    first, last = func.min(marked.c.line).label("first_line"), func.max(marked.c.line).label("last_line")
    return select(marked.c.date, first, last).group_by(marked.c.date, marked.c.run)


def _store(session: Session, scope: scopes.Scope) -> None:
    account_id = int(scope.id)
    if not scope.merged or timeline._mixed(scope) or not all(p.stored for p in scope.files):
        return
    for prio, part in enumerate(scope.files):
        lost = timeline.superseded_rows(scope, prio)
        if lost is not None:
            runs = [
                {"file_id": part.id, "account_id": account_id, **r._asdict()}
                for r in session.execute(_runs(lost))
            ]
            if runs:
                session.execute(insert(merge_store.Superseded), runs)
    session.add(merge_store.MergeState(account_id=account_id, files_key=merge_store.files_key(scope.files)))
    session.flush()
    settled = scopes.Scope(
        scope.kind, scope.id, scope.name, scope.files, scope.accounts, frozenset({account_id})
    )  # reads the superseded rows just stored
    rows = []
    for piece in timeline._pieces(settled, None, None):
        if piece.shared is not None:
            for group in day_totals.survivors(session, piece.shared.whole()):
                rows.append({"account_id": account_id, "file_id": piece.shared.part.id, **group._asdict()})
    if rows:
        session.execute(insert(merge_store.SharedTotal), rows)
