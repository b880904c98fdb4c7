"""A stored upload read in place, as a file, with no copy on this host: the loader streams it from the
store straight into the server's COPY (core.copy_csv) while it checks each block.

Chunks come from the store's stream (Store.chunks), read ahead by a thread into a bounded queue, so
the next MiB is on its way while this one is checked and sent; memory holds the first HEAD chunks
(every reader starts there: the head's inspection, the sample, then the load) and at most AHEAD more.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator

HEAD = 2  # chunks kept: each reader of the file starts from its first bytes
AHEAD = 4  # chunks fetched ahead of the reader
_END = object()


class _Ahead:
    """A thread running the store's stream from its start, `AHEAD` chunks ahead of whoever takes them."""

    def __init__(self, chunks: Callable[[], Iterator[bytes]]):
        self.next = 0  # index of the chunk take() returns next
        self._queue: queue.Queue = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(chunks,), daemon=True, name="stored-file")
        self._thread.start()

    def _run(self, chunks: Callable[[], Iterator[bytes]]) -> None:
        stream = None
        try:
            stream = chunks()
            for chunk in stream:
                if not self._put(chunk):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the reader, which raises it
            self._put(exc)
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()  # in this thread: the store's connection is released here

    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def take(self) -> bytes | None:
        """The next chunk, None past the end."""
        item = self._queue.get()
        if item is _END:
            self._queue.put(_END)  # the end stays the end
            return None
        if isinstance(item, BaseException):
            raise item
        self.next += 1
        return item

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class StoredFile:
    """`open()` gives a binary reader of the object from its start; `close()` stops the read-ahead."""

    def __init__(self, chunks: Callable[[], Iterator[bytes]], *, size: int):
        self.size = size
        self._chunks = chunks
        self._head: list[bytes] = []
        self._ahead: _Ahead | None = None

    def chunk(self, index: int) -> bytes | None:
        """Chunk `index` of the object, None past its end."""
        if index < len(self._head):
            return self._head[index]
        if self._ahead is None or self._ahead.next > index:  # not begun, or gone past it: from the start
            self._restart()
        ahead = self._ahead
        while True:
            chunk = ahead.take()
            if chunk is None:
                return None
            if ahead.next - 1 < HEAD and len(self._head) == ahead.next - 1:
                self._head.append(chunk)
            if ahead.next - 1 == index:
                return chunk

    def _restart(self) -> None:
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = _Ahead(self._chunks)

    def open(self) -> io.BufferedReader:
        return io.BufferedReader(_Reader(self), buffer_size=1 << 16)

    def close(self) -> None:
        if self._ahead is not None:
            self._ahead.stop()
            self._ahead = None

    def __enter__(self) -> StoredFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Reader(io.RawIOBase):
    """Sequential reads (and seeks) over a StoredFile's chunks."""

    def __init__(self, file: StoredFile):
        self._file = file
        self._index, self._start, self._data = -1, 0, b""  # the chunk held, and where it starts
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            pos += self._pos
        elif whence == io.SEEK_END:
            pos += self._file.size
        self._pos = max(pos, 0)
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos < self._start:  # backwards: walk again from the first chunk (kept)
            self._index, self._start, self._data = -1, 0, b""
        while self._pos >= self._start + len(self._data):
            following = self._file.chunk(self._index + 1)
            if following is None:
                return 0
            self._index, self._start, self._data = self._index + 1, self._start + len(self._data), following
        at = self._pos - self._start
        n = min(len(buffer), len(self._data) - at)
        buffer[:n] = self._data[at : at + n]
        self._pos += n
        return n


class PathFile:
    """A file already on this host, with StoredFile's interface."""

    def __init__(self, path):
        self.path, self.size = path, path.stat().st_size

    def open(self):
        return open(self.path, "rb")  # noqa: SIM115 (the caller closes it)

    def close(self) -> None:
        pass

    def __enter__(self) -> PathFile:
        return self

    def __exit__(self, *exc) -> None:
        pass
