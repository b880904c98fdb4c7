"""The upload pipeline: claim a file, load its rows, compute its metrics, record the outcome.

Tasks (worker/tasks.py) and the command line call these; the database status is the truth,
so a crashed worker leaves a file that `stuck_files` finds and processing can start again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import or_, select, text, update

from core import accounts, activity, copy_csv, file_language, ingest, loading, metrics, runs, storage
from core.config import get_settings
from core.db import get_engine, session_scope
from core.i18n import N_, _, to_record
from core.merge_build import refresh as remerge
from core.models import IN_WORK, FileStatus, SocialFile, utcnow
from core.parsing import ReadOptions, open_table
from core.parsing.types import ParseError

log = logging.getLogger(__name__)

UNEXPECTED = N_(
    "Something went wrong on our side while reading this file ({kind}). "
    "It has been logged; press Retry, and if it fails again, contact support."
)
RETRYING = N_(
    "The database connection was interrupted ({kind}); trying again by itself "
    "(retry {retry} of {limit}). Nothing to do on your side."
)


@dataclass
class Claim:
    file_id: uuid.UUID
    path: str
    platform: str
    mapping: dict | None
    upload_date: object
    options: dict | None = None
    size: int = 0


def _set(file_id: uuid.UUID, *, durable: bool = True, **values) -> None:
    """Update the file row in a short transaction of its own (visible to other connections at once);
    `durable=False`: its commit does not wait for the WAL to reach disk (PostgreSQL)."""
    with session_scope() as session:
        if not durable and session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        session.execute(update(SocialFile).where(SocialFile.id == file_id).values(**values))


def _claim(file_id: uuid.UUID) -> Claim | None:
    """Mark the file processing and count the attempt; None when there is nothing to do."""
    with session_scope() as session:
        file = session.get(SocialFile, file_id, with_for_update={"of": SocialFile})
        if file is None or file.status not in IN_WORK:
            return None
        file.attempts += 1
        if file.attempts > get_settings().max_attempts:
            file.status, file.finished_at = FileStatus.ERROR, utcnow()
            file.error_text = _(
                "Processing this file stopped unexpectedly {n} times, so we gave up. "
                "The file may be too large or damaged: try exporting a shorter period, then upload it again."
            ).format(n=file.attempts - 1)
            file.error_message = to_record(file.error_text)
            return None
        file.status, file.progress, file.error_text, file.error_details = FileStatus.PROCESSING, 0, None, None
        file.error_message = None
        file.version += 1
        file.heartbeat_at = utcnow()
        mapping = file.mapping_override or None
        return Claim(
            file.id,
            file.path,
            file.platform_requested,
            mapping,
            file.created_at.date(),
            file.read_options,
            file.size_bytes or 0,
        )


def _fail(file_id: uuid.UUID, message: str, details: list[dict] | None = None, *, record=None) -> None:
    """The file ends in `error`; `record` (else the message's own) lets each viewer read it in their language."""
    values = {"error_text": str(message), "error_details": details, "progress": 0, "rows": 0}
    values["error_message"] = to_record(message) if record is None else record
    _set(file_id, status=FileStatus.ERROR, finished_at=utcnow(), **values)


def _heartbeat(file_id: uuid.UUID, progress: int) -> None:
    """Progress, not durable (a heartbeat lost to a crash is only the previous one): the load does not
    stop a few ms each time for an fsync."""
    _set(file_id, durable=False, progress=progress, heartbeat_at=utcnow())


def _progress_writer(file_id: uuid.UUID) -> ingest.Progress:
    return ingest.Progress(partial(_heartbeat, file_id), span=90)


def _load(claim: Claim) -> None:
    """Parse and load every row in one transaction; record how the file was read."""
    store = storage.get_store()
    if get_engine().dialect.name == "postgresql":  # a plain CSV straight from the store (core.loading)
        with store.stored_file(claim.path, size=claim.size) as stored:
            table = loading.open_stored(
                stored,
                name=loading.stored_name(claim.path),
                platform=claim.platform or "auto",
                mapping=claim.mapping,
                today=claim.upload_date,
                options=claim.options,
                open_table=open_table,
            )
            if table is not None and loading.load_stored(
                claim.file_id,
                table,
                progress=_progress_writer(claim.file_id),
                heartbeat=partial(_heartbeat, claim.file_id),
            ):
                return
    with store.local_path(claim.path) as path:  # a copy on this host, if stored elsewhere
        _load_from(claim, path)


def _load_from(claim: Claim, path: Path) -> None:
    table = open_table(
        path,
        platform=claim.platform or "auto",
        mapping=claim.mapping,
        today=claim.upload_date,
        options=ReadOptions.from_dict(claim.options),
    )
    if activity.is_activity(table):  # follower activity by hour: its own table, no timeline rows
        with get_engine().begin() as conn:
            activity.load(conn, file_id=claim.file_id, table=table)
        return
    progress = _progress_writer(claim.file_id)
    rows = table.rows(on_progress=progress)
    row_kind = table.detection.row_kind
    engine = get_engine()
    staging = None
    if engine.dialect.name == "sqlite":
        # Rows are staged outside the main database, whose writers would otherwise wait for the parse.
        staging = path.with_name(f"staging-{uuid.uuid4().hex}.db")
        count = ingest.stage_rows_sqlite(staging, rows=rows)
        _heartbeat(claim.file_id, 91)  # before the write lock is taken, or it would wait for itself
    try:
        with engine.connect() as conn, ingest.attached(conn, staging), conn.begin():
            if staging is None:
                # The server parses a plain CSV itself; any other file, or one it might read otherwise, the reader.
                load = copy_csv.load(
                    conn, file_id=claim.file_id, table=table, row_kind=row_kind, on_progress=progress
                ) or ingest.copy_rows_pg(
                    conn, file_id=claim.file_id, rows=rows, row_kind=row_kind, columns=table.columns()
                )
                _heartbeat(claim.file_id, 91)  # another connection: the dedupe and commit are still to come
            else:
                load = ingest.move_staged_sqlite(conn, file_id=claim.file_id, row_kind=row_kind, count=count)
            loading.record(conn, file_id=claim.file_id, table=table, load=load)
    finally:
        if staging is not None:
            staging.unlink(missing_ok=True)


@contextmanager
def _run(file_id: uuid.UUID) -> Iterator[tuple[runs.RunLock, Claim] | None]:
    """Take the file's run lock and claim it; None when a live run has it or there is nothing to do.

    Only a delivery that gets the lock counts an attempt: a duplicate or concurrent delivery of a
    file that a live worker is processing does nothing; a file left `processing` by a run that died
    (its lock died with it) is claimed again, and that counts.
    """
    lock = runs.RunLock(file_id)
    if not lock.acquire():
        log.info("file %s is being processed by a live worker: this delivery does nothing", file_id)
        yield None
        return
    try:
        claim = _claim(file_id)
        yield (lock, claim) if claim is not None else None
    finally:
        lock.release()


def _retrying(lock: runs.RunLock, file_id: uuid.UUID, step: Callable[[], None], *, what: str) -> bool:
    """Run `step`, retrying transient faults (runs.retrying); True when it succeeded, else the file
    ends in `error` (unless another run took it over)."""
    try:
        runs.retrying(step, lock=lock, on_retry=partial(_note_retry, file_id))
        return True
    except ParseError as exc:
        _fail(file_id, exc.text, exc.details(), record=exc.record())
    except runs.LostRun:
        log.warning("file %s was taken over by another run while waiting to retry", file_id)
    except Exception as exc:  # a bug or an outage must still end in a status the user can act on
        log.exception("%s file %s failed", what, file_id)
        _softly(_fail, file_id, _(UNEXPECTED).format(kind=type(exc).__name__))
    return False


def _note_retry(file_id: uuid.UUID, exc: BaseException, retry: int, limit: int) -> None:
    """The file stays `processing`; its error_text says it is retrying (the status cards show it)."""
    note = _(RETRYING).format(kind=type(exc).__name__, retry=retry, limit=limit)
    _softly(_set, file_id, error_text=str(note), error_message=to_record(note), heartbeat_at=utcnow())


def _softly(write: Callable, *args, **values) -> None:
    """Record a failure or retry if the database lets us; if it does not, the file's heartbeat goes
    stale and recovery queues it again."""
    try:
        write(*args, **values)
    except Exception:
        log.exception("could not record the state of file %s", args[0])


def parse_file(file_id: uuid.UUID | str) -> bool:
    """Load the file's rows; True when its metrics should be computed next."""
    file_id = uuid.UUID(str(file_id))
    with file_language.speaking(file_id), _run(file_id) as run:
        return run is not None and _retrying(run[0], file_id, partial(_load, run[1]), what="parsing")


def _metrics(file_id: uuid.UUID) -> None:
    with session_scope() as session:
        file = session.get(SocialFile, file_id, with_for_update={"of": SocialFile})
        if file is None or file.status != FileStatus.PROCESSING:
            return
        days = file.period_start, file.period_end
        metrics.store(session, file=file, result=metrics.compute(session, file=file))
        if file.row_kind == activity.ROW_KIND:  # its catalogue is empty; its period is the days it holds
            file.period_start, file.period_end = days
        accounts.assign_default(session, file=file)  # every ready file belongs to one account
        file.status, file.progress, file.finished_at = FileStatus.READY, 100, utcnow()
        file.error_text = file.error_message = None  # a note of a retry that succeeded
        remerge(session, [file.account_id])  # its account's timeline, merged once here


def calc_metrics(file_id: uuid.UUID | str, *, lock: runs.RunLock | None = None) -> None:
    """Compute and store the metric catalogue, then mark the file ready (under `lock`, or its own)."""
    file_id = uuid.UUID(str(file_id))
    if lock is not None:
        with file_language.speaking(file_id):
            _retrying(lock, file_id, partial(_metrics, file_id), what="metrics of")
        return
    lock = runs.RunLock(file_id)
    if not lock.acquire():
        log.info("file %s is being processed by a live worker: its metrics are left to it", file_id)
        return
    try:
        with file_language.speaking(file_id):
            _retrying(lock, file_id, partial(_metrics, file_id), what="metrics of")
    finally:
        lock.release()


def process_file(file_id: uuid.UUID | str) -> None:
    """Both steps under one run lock (the worker's task, the command line, tests, the embedded runner)."""
    file_id = uuid.UUID(str(file_id))
    with file_language.speaking(file_id), _run(file_id) as run:
        if run is not None and _retrying(run[0], file_id, partial(_load, run[1]), what="parsing"):
            calc_metrics(file_id, lock=run[0])


def stuck_files(*, older_than_s: float) -> list[uuid.UUID]:
    """Files left queued or processing whose last sign of life is older than `older_than_s`.

    Each is marked as seen now, so repeated sweeps don't queue it again while it waits its turn.
    """
    cutoff = utcnow() - timedelta(seconds=older_than_s)
    with session_scope() as session:
        last_seen = SocialFile.heartbeat_at
        query = select(SocialFile).where(
            SocialFile.status.in_(IN_WORK),
            or_(last_seen < cutoff, (last_seen.is_(None)) & (SocialFile.created_at < cutoff)),
        )
        found = list(session.scalars(query.with_for_update(of=SocialFile)))
        for file in found:
            # Found once per silence: the next sweep leaves it alone until it is stale again.
            file.heartbeat_at = utcnow()
        return [file.id for file in found]
