"""Loading a claimed upload's rows in one transaction (core.pipeline runs it), and recording how the
file was read in that same transaction.

On PostgreSQL a plain CSV is first tried straight from the store (core.stored_file): judged by its
head (core.parsing.head), streamed block by block through the line check into the server's COPY
(core.copy_csv), with no copy of the upload on this host. Anything else, or anything that attempt
refuses, is read as before from a local copy scanned whole (core.pipeline._load_from).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

from core import copy_csv, day_groups, day_totals, file_language, ingest
from core.db import get_engine
from core.i18n import _, ngettext, to_record
from core.models import SocialFile, utcnow
from core.parsing import ReadOptions, open_table
from core.parsing.head import inspect_head
from core.parsing.limits import Limits
from core.parsing.stream import NO_ROWS as NO_ROWS_TEXT
from core.parsing.types import Issue, ParseError


def open_stored(
    stored, *, name: str, platform: str, mapping, today, options: dict | None, open_table=open_table
):
    """The upload's table when the server may load it straight from the store, else None
    (`open_table`: the caller's, which tests and test workers wrap)."""
    limits, read = Limits.from_settings(), ReadOptions.from_dict(options)
    source = inspect_head(stored.open, name=name, size=stored.size, limits=limits, encoding=read.encoding)
    if source is None:
        return None
    try:
        table = open_table(
            source.path, platform=platform, mapping=mapping, today=today, options=read, source=source
        )
    except ParseError:  # the whole-file path gives the answer, as it always has
        return None
    direct = getattr(table, "direct", None)
    return table if direct is not None and direct() is not None else None


class _NotTaken(Exception):
    """The server's CSV path refused the streamed file: roll back, read it as before."""


def load_stored(file_id: uuid.UUID, table, *, progress: Callable, heartbeat: Callable[[int], None]) -> bool:
    """Load and record the streamed file in one transaction; False (nothing done) when refused."""
    try:
        with get_engine().begin() as conn:
            kind = table.detection.row_kind
            load = copy_csv.load(conn, file_id=file_id, table=table, row_kind=kind, on_progress=progress)
            if load is None:
                raise _NotTaken
            heartbeat(91)  # another connection: the dedupe and commit are still to come
            record(conn, file_id=file_id, table=table, load=load)
    except _NotTaken:
        return False
    return True


def record(conn, *, file_id: uuid.UUID, table, load: ingest.Load) -> None:
    """Drop duplicates, record how the file was read and publish the rows, in the loading transaction."""
    detection = table.detection
    dropped = ingest.dedupe(conn, load)
    count = load.count
    warnings = list(table.warnings)
    if dropped:
        message = ngettext("{n} exact duplicate row skipped.", "{n} exact duplicate rows skipped.", dropped)
        warnings.append(message.format(n=dropped))
    if count - dropped == 0:
        raise ParseError([Issue(_(NO_ROWS_TEXT))])
    # The groups the load read, when they are of the rows as they stay; else read again from the rows.
    if load.totals is None or dropped or not day_groups.write(conn, file_id=file_id, groups=load.totals):
        day_totals.record(conn, file_id=file_id, table_name=load.table, columns=table.columns())
    # Before the file's row is updated, so the locks come in one order (raw_data, then social_files).
    ingest.publish(conn, load)
    conn.execute(
        update(SocialFile)
        .where(SocialFile.id == file_id)
        .values(
            rows=count - dropped,
            progress=95,
            platform=detection.platform[:10],
            mapping=detection.mapping,
            detection=file_language.recorded(detection.as_dict()),
            row_kind=detection.row_kind,
            warnings=[to_record(w) for w in warnings],  # records: shown in the viewer's language
            heartbeat_at=utcnow(),
        )
    )


def stored_name(key: str) -> str:
    return Path(key).name
