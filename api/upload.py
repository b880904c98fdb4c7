"""A multipart upload streamed straight into core's upload function, never held in memory.

The request's chunks are parsed as they arrive (python-multipart's push parser); the file part's
bytes go through a small bounded pipe to `core.uploads.create_upload`, which runs in a thread and
enforces the size limit while it writes. Form fields must come before the file part.
"""

from __future__ import annotations

import asyncio
import io
import queue
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import anyio
from python_multipart.multipart import MultipartParser, parse_options_header

from api.errors import ApiError
from core.uploads import UploadRejected

MAX_FIELD_CHARS = 1_000
PIPE_CHUNKS = 8  # chunks in flight between the request and the writer: memory stays at a few hundred KB


class Pipe(io.RawIOBase):
    """The read end core copies from (in a thread); the request's chunks are put in at the other end."""

    def __init__(self) -> None:
        super().__init__()
        self._chunks: queue.Queue = queue.Queue(maxsize=PIPE_CHUNKS)
        self._rest = b""
        self._eof = False
        self.abandoned = threading.Event()  # the reader stopped (done or refused): stop feeding
        self.aborted = threading.Event()  # the request broke off: the reader gives up, nothing is kept
        self.fed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._rest and not self._eof:
            try:
                item = self._chunks.get(timeout=0.5)
            except queue.Empty:
                if self.aborted.is_set():
                    raise UploadRejected("The upload was interrupted before the end of the file.") from None
                continue
            if item is None:
                self._eof = True
            elif isinstance(item, BaseException):
                raise item
            else:
                self._rest = item
        size = len(self._rest) if size is None or size < 0 else size
        out, self._rest = self._rest[:size], self._rest[size:]
        return out

    def _put_blocking(self, item) -> None:
        while not self.abandoned.is_set():
            try:
                self._chunks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    async def put(self, item) -> None:
        """Hand a chunk (None at the end, an exception to abort) to the reader; waits while it is behind."""
        if isinstance(item, bytes):
            self.fed += len(item)
        try:
            self._chunks.put_nowait(item)
        except queue.Full:
            await anyio.to_thread.run_sync(self._put_blocking, item)


@dataclass
class _Part:
    name: str = ""
    filename: str | None = None
    headers: dict[bytes, bytes] = field(default_factory=dict)
    value: bytearray = field(default_factory=bytearray)


class _Events:
    """python-multipart's callbacks, recorded so the async side can act on them after each chunk."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []
        self.header = [b"", b""]

    def callbacks(self) -> dict[str, Callable]:
        def record(kind):
            return lambda data=b"", start=0, end=0: self.items.append((kind, bytes(data[start:end])))

        kinds = ("part_begin", "part_data", "part_end", "header_field", "header_value", "header_end")
        return {f"on_{kind}": record(kind) for kind in (*kinds, "headers_finished")}


def _boundary(content_type: str | None) -> bytes:
    kind, params = parse_options_header(content_type or "")
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise ApiError(
            415, "unsupported_media_type", "Send the upload as multipart/form-data with a `file` part."
        )
    return params[b"boundary"]


async def receive(
    stream: AsyncIterator[bytes],
    content_type: str | None,
    start: Callable[[dict[str, str], str, Pipe], asyncio.Future],
) -> tuple[asyncio.Future, Pipe]:
    """Parse the request; when the `file` part begins, `start(fields, filename, pipe)` begins storing it.

    Returns the store's future (awaited by the caller) and its pipe (how many bytes were fed).
    """
    events = _Events()
    parser = MultipartParser(_boundary(content_type), events.callbacks())
    fields: dict[str, str] = {}
    part, pipe, stored = _Part(), Pipe(), None
    try:
        async for chunk in stream:
            if stored is not None and stored.done():
                continue  # refused already (too large): read the rest, so the client gets our answer
            try:
                parser.write(chunk)
            except Exception as exc:
                raise ApiError(400, "bad_multipart", f"The multipart body is malformed: {exc}") from exc
            for kind, data in events.items:
                part, stored = await _on_event(kind, data, part, fields, pipe, stored, events, start)
            events.items.clear()
    except BaseException:
        pipe.aborted.set()  # a disconnect or a refusal mid-file: the store stops and keeps nothing
        raise
    if stored is None:
        raise ApiError(422, "no_file", "The request has no `file` part.", {"fields": sorted(fields)})
    if not stored.done() and not pipe.abandoned.is_set():
        await pipe.put(None)  # a truncated body: end the file where the bytes ended
    return stored, pipe


async def _on_event(kind, data, part, fields, pipe, stored, events, start):
    if kind == "part_begin":
        return _Part(), stored
    if kind == "header_field":
        events.header[0] += data
    elif kind == "header_value":
        events.header[1] += data
    elif kind == "header_end":
        part.headers[events.header[0].lower()] = events.header[1]
        events.header = [b"", b""]
    elif kind == "headers_finished":
        _, params = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = params.get(b"name", b"").decode("utf-8", "replace")
        raw_name = params.get(b"filename")
        part.filename = raw_name.decode("utf-8", "replace") if raw_name is not None else None
        if part.name == "file":
            if stored is not None:
                raise ApiError(422, "too_many_files", "Send one `file` part per request.")
            stored = start(dict(fields), part.filename or "upload.csv", pipe)
    elif kind == "part_data":
        if part.name == "file":
            if not stored.done():
                await pipe.put(data)
        elif len(part.value) + len(data) > MAX_FIELD_CHARS:
            raise ApiError(422, "field_too_long", f"The field `{part.name}` is too long.")
        else:
            part.value += data
    elif kind == "part_end":
        if part.name == "file":
            await pipe.put(None)
        elif stored is not None:
            raise ApiError(422, "field_after_file", f"Send `{part.name}` before the `file` part.")
        else:
            fields[part.name] = part.value.decode("utf-8", "replace")
    return part, stored
