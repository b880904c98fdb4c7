"""Stored objects no row names any more, swept: the bytes of an upload or a report whose row never
committed (the process died between writing them and committing it), or whose deletion committed
but the bytes' did not (a crash, or the bucket unreachable then).

An object is an orphan when its key names a file (`uploads/<file id>/…`) or a report
(`reports/<report id>.<fmt>`) that has no row. Only objects older than GRACE go: an upload or a
report being written now has no row yet either, until its transaction commits. The database store
has no orphans (its chunks belong to their row by a foreign key, checked at commit). Anything else
under the store (a key of neither shape) is never touched. Run by beat and the embedded runner every
SWEEP_EVERY_S, and by `python -m core storage sweep`.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from core.db import session_scope
from core.models import ReportExport, SocialFile, utcnow
from core.storage import get_store

log = logging.getLogger(__name__)
GRACE = timedelta(hours=6)  # far above the longest upload or report build
SWEEP_EVERY_S = 3600.0
BATCH = 500


def owner_of(name: str) -> tuple[type, uuid.UUID] | None:
    """(model, id) of the row an object named `uploads/<file id>/<name>` or `reports/<id>.<fmt>`
    belongs to; None for a key of neither shape."""
    parts = name.split("/")
    try:
        if len(parts) == 3 and parts[0] == "uploads":
            return SocialFile, uuid.UUID(parts[1])
        if len(parts) == 2 and parts[0] == "reports":
            return ReportExport, uuid.UUID(parts[1].split(".", 1)[0])
    except ValueError:
        pass
    return None


def sweep_orphans(*, grace: timedelta = GRACE, now: datetime | None = None) -> list[str]:
    """Delete the stored objects older than `grace` whose file or report has no row; their keys."""
    store = get_store()
    before = (now or utcnow()) - grace
    old = [(key, owner) for key, name, at in store.objects() if at < before and (owner := owner_of(name))]
    orphans = []
    for start in range(0, len(old), BATCH):
        batch = old[start : start + BATCH]
        with session_scope() as session:
            known = set()
            for model in (SocialFile, ReportExport):
                ids = [i for key, (m, i) in batch if m is model]
                if ids:
                    known |= {(model, i) for i in session.scalars(select(model.id).where(model.id.in_(ids)))}
        orphans += [key for key, owner in batch if owner not in known]
    if hasattr(store, "abort_stale_uploads"):  # an S3 bucket's parts of uploads a dead process began
        store.abort_stale_uploads(before)
    if orphans:
        store.delete(orphans)
        log.warning("deleted %d stored object(s) that no row names: %s", len(orphans), orphans)
    return orphans
