"""Where uploads and built reports live, so that every host reads what any host wrote.

One interface (core.store_base), three stores. With S3_BUCKET set, in that S3-compatible bucket
(core.s3_store). Else, with PostgreSQL as the database, the bytes live in it too (table
`stored_chunks`, one row per MiB: written and read a chunk at a time, never whole in memory), so a
worker or app replica on another host needs nothing but the database. With the embedded SQLite
default, in the STORAGE_DIR folder. STORAGE_BACKEND chooses otherwise ("s3", "database" or "local").

Keys are what `social_files.path` and `report_exports.path` hold, made by `Store.key`:
`uploads/<file id>/<name>` and `reports/<report id>.<fmt>` in the database, whose chunks belong to
that file or report by a foreign key (deleted with it, whatever deletes it); the local store's keys
are those paths under STORAGE_DIR (as the rows have always held).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session

from core.config import get_settings
from core.db import get_engine, session_scope
from core.models import ReportExport, StoredChunk
from core.store_base import CHUNK, FollowsTransaction, Store

__all__ = ["CHUNK", "DatabaseStore", "LocalStore", "Store", "get_store"]


class LocalStore(FollowsTransaction):
    """Files under STORAGE_DIR: the embedded single-machine default. A folder is not in the
    database's transaction: given a `session`, the store follows it (FollowsTransaction)."""

    def __init__(self, root: Path):
        self.root = root

    def key(self, *parts: str) -> str:
        return str(self.root.joinpath(*parts))

    def path(self, key: str) -> Path:
        return Path(key) if Path(key).is_absolute() else self.root / key

    def write(self, key: str, chunks: Iterable[bytes], *, session: Session | None = None) -> None:
        path = self.path(key)
        made = not path.parent.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(tmp, path)  # a reader never sees half an object
        except BaseException:
            if made:  # a stream cut off (a limit, a lost client): not even its folder is left
                shutil.rmtree(path.parent, ignore_errors=True)
            raise
        finally:
            tmp.unlink(missing_ok=True)
        self.written(key, session)

    def chunks(self, key: str, *, session: Session | None = None) -> Iterator[bytes]:
        with open(self.path(key), "rb") as fh:
            yield from iter(lambda: fh.read(CHUNK), b"")

    def exists(self, key: str, *, session: Session | None = None) -> bool:
        return self.path(key).is_file()

    def remove(self, keys: list[str]) -> None:
        for key in keys:
            path = self.path(key)
            path.unlink(missing_ok=True)
            if path.parent.parent == self.root / "uploads":  # an upload's own folder
                shutil.rmtree(path.parent, ignore_errors=True)

    def objects(self) -> Iterator[tuple[str, str, datetime]]:
        for kind in ("uploads", "reports"):
            for path in sorted((self.root / kind).rglob("*")):
                if path.is_file():
                    at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                    yield str(path), path.relative_to(self.root).as_posix(), at

    def stored_file(self, key: str, *, size: int):
        from core.stored_file import PathFile

        return PathFile(self.path(key))

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self.path(key)
        if not path.is_file():
            raise FileNotFoundError(str(path))
        yield path


class DatabaseStore(Store):
    """Chunks in the database's `stored_chunks` table: every host that reaches the database reads them."""

    def write(self, key: str, chunks: Iterable[bytes], *, session: Session | None = None) -> None:
        if session is None:
            with session_scope() as own:
                return self.write(key, chunks, session=own)
        owner = _owner(key)
        session.execute(delete(StoredChunk).where(StoredChunk.key == key))
        seq = 0
        for chunk in _rechunked(chunks):
            session.execute(insert(StoredChunk).values(key=key, seq=seq, data=chunk, **owner))
            seq += 1
        if seq == 0:
            session.execute(insert(StoredChunk).values(key=key, seq=0, data=b"", **owner))

    def chunks(self, key: str, *, session: Session | None = None) -> Iterator[bytes]:
        # Binary results: a MiB of bytea comes as it is, not as 2 MiB of hex to encode and decode.
        query = f"SELECT data FROM {StoredChunk.__tablename__} WHERE key = %s AND seq = %s"
        with _connection(session) as conn:
            if conn.dialect.name == "postgresql":
                cursor = conn.connection.driver_connection.cursor(binary=True)
                fetch = lambda seq: cursor.execute(query, (key, seq)).fetchone()  # noqa: E731
            else:
                chunk = select(StoredChunk.data).where(
                    StoredChunk.key == key, StoredChunk.seq == bindparam("s")
                )
                fetch = lambda seq: conn.execute(chunk, {"s": seq}).first()  # noqa: E731
            seq = 0
            while True:  # one chunk per query: memory holds one MiB, whatever the object's size
                row = fetch(seq)
                if row is None:
                    if seq == 0:
                        raise FileNotFoundError(key)
                    return
                yield bytes(row[0])
                seq += 1

    def exists(self, key: str, *, session: Session | None = None) -> bool:
        query = select(StoredChunk.seq).where(StoredChunk.key == key, StoredChunk.seq == 0)
        with _connection(session) as conn:
            return conn.scalar(query) is not None

    def delete(self, keys: Iterable[str], *, session: Session | None = None) -> None:
        keys = list(keys)
        if session is None:
            with session_scope() as own:
                return self.delete(keys, session=own)
        if keys:
            session.execute(delete(StoredChunk).where(StoredChunk.key.in_(keys)))


@contextmanager
def _connection(session: Session | None):
    """The session's connection (it sees what the session wrote), else one of our own."""
    if session is not None:
        yield session.connection()
        return
    with get_engine().connect() as conn:
        yield conn


def _owner(key: str) -> dict[str, uuid.UUID]:
    """The row a key's chunks belong to (a foreign key: they are deleted with it), from the key that
    `Store.key` made: `uploads/<file id>/<name>` or `reports/<report id>.<fmt>`."""
    kind, _, rest = key.partition("/")
    try:
        if kind == "uploads":
            return {"file_id": uuid.UUID(rest.split("/", 1)[0])}
        if kind == "reports":
            return {"report_id": uuid.UUID(rest.split(".", 1)[0])}
    except ValueError:
        pass
    raise ValueError(f"{key!r} is neither an upload's key nor a report's")


def _rechunked(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The same bytes in pieces of CHUNK (the last one shorter)."""
    buffer = bytearray()
    for chunk in chunks:
        view = memoryview(chunk)  # a large chunk is cut, never copied whole
        while view:
            take = CHUNK - len(buffer)
            buffer += view[:take]
            view = view[take:]
            if len(buffer) == CHUNK:
                yield bytes(buffer)
                buffer.clear()
    if buffer:
        yield bytes(buffer)


def delete_reports(session: Session, *where) -> None:
    """Delete the reports matching `where` and their stored bytes, before a deletion that would take
    them by a database cascade (a file's, an account's, a brand's): every store loses the bytes too,
    not only the database's chunks, which follow their rows anyway."""
    paths = list(session.scalars(select(ReportExport.path).where(*where)))
    if paths:
        session.execute(delete(ReportExport).where(*where))
        get_store().delete(paths, session=session)


def get_store() -> Store:
    """The store the settings choose: "auto" is the S3 bucket when S3_BUCKET is set, else the
    database on PostgreSQL, else STORAGE_DIR."""
    settings = get_settings()
    backend = settings.storage_backend
    if backend == "auto":
        backend = "s3" if settings.s3_bucket else "local" if settings.is_sqlite else "database"
    if backend == "s3":
        from core.s3_store import s3_store  # boto3 loads only where a bucket is configured

        return s3_store(settings)
    if backend == "database":
        return DatabaseStore()
    return LocalStore(settings.storage_dir)
