"""A plain CSV goes from the store straight into the server's COPY (core.stored_file, core.parsing.head):
no copy on this host, every whole-file check still made, and any doubt reads the file as before."""

from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from core import copy_csv, day_totals, ingest, partitions, pipeline, storage, uploads
from core.config import get_settings
from core.db import get_engine, session_scope
from core.models import RawData, SocialFile, User
from core.parsing import direct
from core.stored_file import StoredFile

HEAD = "post_id,date,title,views,likes\n"
LINES = "".join(f"p{i},2024-01-{1 + i % 28:02d},Post {i},{100 + i},{i % 7}\n" for i in range(400))


def _small_chunks(monkeypatch) -> None:
    """Stored chunks and checked blocks of a few hundred bytes: a file of many of each."""
    monkeypatch.setattr(storage, "CHUNK", 1000)
    monkeypatch.setattr(direct, "CHUNK", 700)


def _upload(data: bytes, email: str = "s@example.com"):
    with session_scope() as session:
        user = User(email=email, password_hash="x", role="user")
        session.add(user)
        session.flush()
        return uploads.create_upload(session, actor=user, name="posts.csv", data=data).id


def _no_local_copy(monkeypatch) -> None:
    def refuse(self, key):
        raise AssertionError("the upload was copied to this host")

    monkeypatch.setattr(storage.DatabaseStore, "local_path", refuse)


def _outcome(file_id):
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        count = session.scalar(select(func.count()).select_from(RawData).where(RawData.file_id == file_id))
        views = session.scalar(select(func.sum(RawData.views)).where(RawData.file_id == file_id))
        return file.status, file.rows, count, views, file.error_text, file.error_details


def test_a_plain_csv_is_loaded_from_the_store_without_a_copy_on_this_host(pg_db, monkeypatch):
    _small_chunks(monkeypatch)
    _no_local_copy(monkeypatch)
    monkeypatch.setattr(
        ingest, "copy_rows_pg", lambda *a, **k: (_ for _ in ()).throw(AssertionError("reader"))
    )
    file_id = _upload((HEAD + LINES).encode())
    pipeline.process_file(file_id)
    status, rows, count, views, error, _details = _outcome(file_id)
    assert (status, rows, count, error) == ("ready", 400, 400, None)
    assert views == sum(100 + i for i in range(400))
    with session_scope() as session:  # line numbers as the reader gives them
        lines = list(
            session.scalars(select(RawData.line).where(RawData.file_id == file_id).order_by(RawData.line))
        )
    assert lines == list(range(2, 402))
    assert not [t for t in threading.enumerate() if t.name == "stored-file"]  # the read-ahead stopped


def test_a_bad_value_on_the_last_line_of_a_streamed_file_leaves_no_rows(pg_db, monkeypatch):
    _small_chunks(monkeypatch)
    file_id = _upload((HEAD + LINES + "p999,2024-02-30,Last,1,1\n").encode())
    taken = []
    real = copy_csv.load
    monkeypatch.setattr(copy_csv, "load", lambda *a, **k: taken.append(load := real(*a, **k)) or load)
    pipeline.process_file(file_id)
    status, rows, count, _views, error, details = _outcome(file_id)
    assert taken[0] is None  # the server refused the date; the reader read the file and said where
    assert (status, rows, count) == ("error", 0, 0)
    assert details[0]["line"] == 402 and details[0]["value"] == "2024-02-30"
    with get_engine().connect() as conn:  # nor any table of the attempt
        query = "SELECT count(*) FROM pg_class WHERE relname LIKE :n"
        assert conn.scalar(text(query), {"n": partitions.name(file_id) + "%"}) == 0


EMAILS: list[bytes] = []


def _both_ways(monkeypatch, data: bytes) -> tuple:
    """The outcome streamed from the store, then read as before from a local copy: equal."""
    EMAILS.append(data)
    streamed = _outcome(_pipeline(data, f"a{len(EMAILS)}@example.com"))
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.loading, "open_stored", lambda *a, **k: None)
        before = _outcome(_pipeline(data, f"b{len(EMAILS)}@example.com"))
    assert streamed == before
    return streamed


def _pipeline(data: bytes, email: str):
    file_id = _upload(data, email)
    pipeline.process_file(file_id)
    return file_id


def test_a_line_over_the_limit_far_down_a_streamed_file_is_the_scans_message(pg_db, monkeypatch):
    _small_chunks(monkeypatch)
    monkeypatch.setenv("MAX_LINE_CHARS", "300")
    get_settings.cache_clear()
    try:
        status, rows, count, _v, error, details = _both_ways(
            monkeypatch, (HEAD + LINES + "p998,2024-01-02," + "x" * 400 + ",1,1\n" + LINES).encode()
        )
    finally:
        get_settings.cache_clear()
    assert (status, count) == ("error", 0) and details[0]["line"] == 402 and "longer than 300" in error


def test_text_that_is_not_utf8_at_the_end_of_a_streamed_file_reads_as_before(pg_db, monkeypatch):
    """The head is ASCII; the server refuses the last line's bytes; the scan of the whole file decides."""
    _small_chunks(monkeypatch)
    latin = "p997,2024-01-02,Café,1,1\n".encode("cp1252")
    status, rows, count, _v, error, _d = _both_ways(monkeypatch, (HEAD + LINES).encode() + latin)
    assert (status, count) == ("ready", 401)  # a Windows-1252 file, as the scan finds
    with session_scope() as session:
        assert session.scalar(select(RawData.title).where(RawData.post_id == "p997").limit(1)) == "Café"
    cyrillic = "".join(f"p{900 + i},2024-01-02,Пост ёж,1,1\n" for i in range(3)).encode()
    status, rows, count, _v, error, _d = _both_ways(monkeypatch, (HEAD + LINES).encode() + cyrillic + latin)
    assert (status, count) == (
        "error",
        0,
    ) and "is not UTF-8 text" in error  # mostly UTF-8: that line is refused


def test_a_stored_file_reads_its_bytes_in_place_from_any_position():
    data = bytes(range(256)) * 40
    pieces = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    starts = []

    def chunks():
        starts.append(1)
        yield from pieces

    with StoredFile(chunks, size=len(data)) as stored:
        assert stored.open().read() == data
        assert len(starts) == 1
        with stored.open() as fh:
            assert fh.read(10) == data[:10]  # the head again: kept, not fetched again
            assert len(starts) == 1
            fh.seek(5000)  # a chunk the stream has gone past: it starts again
            assert fh.read(3000) == data[5000:8000]
            assert len(starts) == 2
            fh.seek(1500)  # backwards, beyond the kept head: once more
            assert fh.read() == data[1500:]
    assert len(starts) == 3
    assert not [t for t in threading.enumerate() if t.name == "stored-file"]


def _day_totals(conn, file_id) -> list[tuple]:
    columns = list(day_totals.DayTotal.__table__.c)
    rows = conn.execute(select(*columns).where(day_totals.DayTotal.file_id == file_id))
    return sorted(tuple(r) for r in rows)


def test_the_totals_the_load_reads_back_are_those_recorded_from_the_rows(pg_db, monkeypatch):
    """The server's path groups the rows once (day totals, date bounds, lowest counts) and writes
    the groups; they equal what day_totals.record writes from the rows, duplicates dropped or not."""
    lines = LINES + "p401,2024-01-05,Neg,3,-2\n" + LINES.splitlines(keepends=True)[7]  # an exact repeat
    for data in ((HEAD + LINES).encode(), (HEAD + lines).encode()):
        EMAILS.append(data)
        file_id = _pipeline(data, f"t{len(EMAILS)}@example.com")
        with get_engine().connect() as conn:
            written = _day_totals(conn, file_id)
            columns = ("line", "post_id", "date", "title", "views", "likes")
            day_totals.record(conn, file_id=file_id, table_name=partitions.name(file_id), columns=columns)
            assert _day_totals(conn, file_id) == written and len(written) == 28
            conn.rollback()
        assert sum(row[3] for row in written) == _outcome(file_id)[2]  # rows: the duplicate dropped
