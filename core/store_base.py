"""The interface every store of uploads and reports has (core.storage chooses one: get_store)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

CHUNK = 1 << 20


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
