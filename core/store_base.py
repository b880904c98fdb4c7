"""The interface every store of uploads and reports has (core.storage chooses one: get_store)."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
CHUNK = 1 << 20
_WRITTEN, _DELETED = "store_written", "store_deleted"  # session.info: what its transaction did


class Store:
    """Write, read, stream and delete stored objects by key."""

    def key(self, *parts: str) -> str:
        """The key of the object named by `parts` (e.g. "uploads", file id, file name)."""
        return "/".join(parts)

    def write(self, key: str, chunks: Iterable[bytes], *, session: Session | None = None) -> None:
        """Store `chunks` under `key` (replacing it); in `session`'s transaction when given."""
        raise NotImplementedError

    def chunks(self, key: str, *, session: Session | None = None) -> Iterator[bytes]:
        """The stored bytes, a chunk at a time (as `session` sees them, when given);
        FileNotFoundError when there is nothing under `key`."""
        raise NotImplementedError

    def exists(self, key: str, *, session: Session | None = None) -> bool:
        raise NotImplementedError

    def delete(self, keys: Iterable[str], *, session: Session | None = None) -> None:
        """Remove the objects (those `session` deletes rows of: as its transaction does)."""
        raise NotImplementedError

    def objects(self) -> Iterator[tuple[str, str, datetime]]:
        """(key, `uploads/…` or `reports/…` name, last written) of every stored upload and report that
        can outlive its row (core.store_sweep); none by default (the database's go with their rows)."""
        return iter(())

    def read_bytes(self, key: str, *, session: Session | None = None) -> bytes:
        """All of it (reports: a few hundred KB)."""
        return b"".join(self.chunks(key, session=session))

    def stored_file(self, key: str, *, size: int):
        """The object read in place, as a file (core.stored_file): nothing copied to this host."""
        from core.stored_file import StoredFile

        return StoredFile(lambda: self.chunks(key), size=size)

    @contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        """A path on this host holding the object (a temporary copy unless it is already on disk)."""
        with tempfile.TemporaryDirectory(prefix="sa-") as folder:
            path = Path(folder) / Path(key).name
            with open(path, "wb") as out:
                for chunk in self.chunks(key):
                    out.write(chunk)
            yield path


class FollowsTransaction(Store):
    """A store outside the database's transaction (a folder, a bucket) that follows a given session's:
    objects it deletes go when the transaction commits (a rolled-back deletion keeps them, so its
    rows still find their bytes), and objects it wrote go again when the transaction rolls back
    (nothing is left that no row names). Without a session, a deletion is immediate."""

    def remove(self, keys: list[str]) -> None:
        """Delete the objects now."""
        raise NotImplementedError

    def delete(self, keys: Iterable[str], *, session: Session | None = None) -> None:
        keys = list(keys)
        if session is not None:  # when (and if) the rows' deletion commits
            self._pending(session, _DELETED).extend(keys)
        else:
            self.remove(keys)

    def written(self, key: str, session: Session | None) -> None:
        """Called by `write` once the object is stored: it goes again if `session` rolls back."""
        if session is not None:
            self._pending(session, _WRITTEN).append(key)

    def _pending(self, session: Session, kind: str) -> list[str]:
        """The keys this session's transaction wrote or deleted, acted on when it ends."""
        if _WRITTEN not in session.info:
            session.info[_WRITTEN], session.info[_DELETED] = [], []
            event.listen(session, "after_commit", lambda s: self._settle(s, _DELETED))
            event.listen(session, "after_rollback", lambda s: self._settle(s, _WRITTEN))
        return session.info[kind]

    def _settle(self, session: Session, kind: str) -> None:
        if session.in_nested_transaction():  # a savepoint's end: the transaction goes on
            return
        keys = list(session.info[kind])
        session.info[_WRITTEN].clear()
        session.info[_DELETED].clear()
        if not keys:
            return
        try:
            self.remove(keys)
        except Exception:  # the transaction has ended either way: say what is left over
            log.exception("could not delete %d stored object(s): %s", len(keys), keys)
