"""PostgreSQL parsing plain CSVs itself (core.copy_csv): taken only where the reader's rules allow, and
every file gives the same result both ways (rows, errors with line/column/value, warnings, metrics)."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select, text

from core import copy_csv, files, ingest, partitions, pipeline, storage, uploads
from core.config import get_settings
from core.db import get_engine, session_scope
from core.models import RawData, SocialFile, User
from core.parsing import direct
from tests.factories import watching_rows

DATA = Path(__file__).resolve().parent / "data"
HEAD = "post_id,date,title,views,likes\n"
LINES = "".join(f"p{i},2024-01-{1 + i % 28:02d},Post {i},{100 + i},{i % 7}\n" for i in range(30))

# name -> (bytes, whether the server parses it): each reads the same both ways.
TAKEN = {
    "plain": HEAD + LINES,
    "crlf": (HEAD + LINES).replace("\n", "\r\n"),
    "bom": "\ufeff" + HEAD + LINES,
    "no_final_newline": HEAD + LINES.rstrip("\n"),
    "blank_lines_at_the_end": HEAD + LINES + "\n\n",
    "empty_cells": HEAD + LINES + "p40,2024-01-02,,,\n,2024-01-03,Untitled,5,\n",
    "unicode_spaces_at_text_ends": HEAD
    + LINES
    + "p41\u00a0,2024-01-02,\u2003Hi\u3000,1,1\np42,2024-01-02,\u00a0,1,1\n",
    "cyrillic": HEAD + LINES + "п43,2024-01-02,Пост «ёж»,1,1\n",
    "semicolons": (HEAD + LINES).replace(",", ";"),
    "tabs": (HEAD + LINES).replace(",", "\t"),
    "pipes": (HEAD + LINES).replace(",", "|"),
    "preamble": "Channel statistics\nExported 2024-02-01\n" + HEAD + LINES,
    "negative_where_allowed": HEAD + LINES + "p44,2024-01-02,x,1,-5\n",
    "eighteen_digits": HEAD + LINES + "p45,2024-01-02,x,999999999999999999,-999999999999999999\n",
    "bigint_edges": HEAD + LINES + "p47,2024-01-29,x,9223372036854775807,-9223372036854775807\n",
    "leading_zeros": HEAD + LINES + "p48,2024-01-02,x,0000000000000000000000042,-0007\n",
    "exact_duplicates": HEAD + LINES + LINES.splitlines(keepends=True)[3],
    "conflicting_duplicates": HEAD + LINES + "p3,2024-01-09,Other,1,1\n",
    "days": "date,views\n" + "".join(f"2024-01-{d:02d},{d}\n" for d in range(1, 29)),
    "days_conflicting": "date,views\n2024-01-01,1\n2024-01-02,2\n2024-01-01,3\n",
    "backslashes": HEAD + LINES + "p46,2024-01-02,\\.,1,1\n",
}
REFUSED = {
    "today": HEAD + LINES + "p50,today,x,1,1\n",
    "slashes": HEAD + LINES + "p51,2024/01/05,x,1,1\n",
    "month_name": HEAD + LINES + "p52,Jan 5 2024,x,1,1\n",
    "not_a_real_date": HEAD + LINES + "p53,2024-02-30,x,1,1\n",
    "before_2004": HEAD + LINES + "p54,2003-12-31,x,1,1\n",
    "in_the_future": HEAD + LINES + "p55,2099-01-01,x,1,1\n",
    "date_with_time": HEAD + LINES + "p56,2024-01-05 10:00,x,1,1\n",
    "plus_sign": HEAD + LINES + "p57,2024-01-02,x,+5,1\n",
    "spaced_number": HEAD + LINES + "p58,2024-01-02,x, 5,1\n",
    "grouped_number": HEAD + LINES + "p59,2024-01-02,x,1 000,1\n",
    "negative_count": HEAD + LINES + "p60,2024-01-02,x,-5,1\n",
    "nineteen_digits": HEAD + LINES + "p61,2024-01-02,x,1,-9223372036854775808\n",
    "too_large": HEAD + LINES + "p62,2024-01-02,x,9223372036854775808,1\n",
    "dash_for_none": HEAD + LINES + "p73,2024-01-02,x,1,-\n",
    "scientific": HEAD + LINES + "p63,2024-01-02,x,1e6,1\n",
    "placeholder": HEAD + LINES + "p64,2024-01-02,x,n/a,1\n",
    "quoted": HEAD + LINES + 'p65,2024-01-02,"Hello, world",1,1\n',
    "quote_inside": HEAD + LINES + 'p66,2024-01-02,ab"c,1,1\n',
    "ascii_space_at_an_end": HEAD + LINES + "p67,2024-01-02, Hi,1,1\n",
    "tab_at_an_end": HEAD + LINES + "p68,2024-01-02,Hi\t,1,1\n",
    "blank_line_inside": HEAD + "p69,2024-01-02,x,1,1\n\n" + LINES,
    "short_row": HEAD + LINES + "p70,2024-01-02,x,1\n",
    "long_row": HEAD + LINES + "p71,2024-01-02,x,1,1,9\n",
    "totals_row": HEAD + LINES + "Total,,,4000,100\n",
    "nul": HEAD + LINES + "p72,2024-01-02,a\x00b,1,1\n",
    "lone_cr": (HEAD + LINES).replace("\n", "\r"),
    "mixed_line_ends": HEAD + LINES.replace("\n", "\r\n", 3),
    "end_of_copy_marker": HEAD + LINES + "\\.\n" + LINES,
    "header_only": HEAD,
    "extra_column": "post_id,date,title,views,likes,Note\n" + LINES.replace("\n", ",n\n"),
}
BAD_UTF8 = b"\xef\xbb\xbf" + (HEAD + LINES).encode() + b"p80,2024-01-02,\xff\xfe,1,1\n"


def _outcome(data: bytes, name: str, email: str) -> tuple[dict, list[tuple]]:
    """How the file ended (its row in social_files) and its rows, after parsing and loading."""
    with session_scope() as session:
        user = User(email=email, password_hash="x", role="user")
        session.add(user)
        session.flush()
        file_id = uploads.create_upload(session, actor=user, name=name, data=data).id
    pipeline.parse_file(file_id)
    with session_scope() as session:
        file = session.get(SocialFile, file_id)
        fields = (
            "status",
            "rows",
            "error_text",
            "error_details",
            "warnings",
            "detection",
            "mapping",
            "row_kind",
        )
        outcome = {f: getattr(file, f) for f in fields}
        columns = [c for c in RawData.__table__.c if c.name != "file_id"]
        rows = session.execute(select(*columns).where(RawData.file_id == file_id).order_by(RawData.line))
        return outcome, [tuple(r) for r in rows]


def both_ways(monkeypatch, data: bytes, name: str = "posts.csv") -> tuple[dict, list[tuple], bool]:
    """The file's outcome and rows through the server's parser when it takes the file, and through
    the reader alone: they must be equal. The third value says whether the server took it."""
    taken = []
    real = copy_csv.load

    def spy(*args, **kwargs):
        load = real(*args, **kwargs)
        taken.append(load is not None)
        return load

    with monkeypatch.context() as patch:
        patch.setattr(copy_csv, "load", spy)
        server = _outcome(data, name, f"server-{len(USERS)}@example.com")
        patch.setattr(copy_csv, "load", lambda *a, **k: None)
        reader = _outcome(data, name, f"reader-{len(USERS)}@example.com")
    USERS.append(name)
    assert server == reader, name
    return (*server, taken == [True])


USERS: list[str] = []


def test_the_list_of_spaces_is_what_str_strip_removes():
    assert direct.SPACES == "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def test_plain_files_are_parsed_by_the_server_and_read_the_same(pg_db, monkeypatch):
    for name, body in TAKEN.items():
        outcome, rows, taken = both_ways(monkeypatch, body.encode())
        assert taken, f"{name}: the server should have parsed this file"
        assert outcome["status"] == ("error" if "conflicting" in name else "processing"), name


def test_anything_the_server_might_read_otherwise_goes_to_the_reader(pg_db, monkeypatch):
    for name, body in REFUSED.items():
        assert not both_ways(monkeypatch, body.encode())[2], f"{name}: the reader should have read this file"
    outcome, rows, taken = both_ways(monkeypatch, BAD_UTF8)
    assert not taken and outcome["status"] == "error" and rows == []


def test_every_file_of_the_test_data_reads_the_same_both_ways(pg_db, monkeypatch):
    """The hazards the reader's own tests hold (encodings, delimiters, numbers, dates, quotes...)."""
    paths = sorted(p for p in DATA.rglob("*") if p.suffix in (".csv", ".tsv", ".xlsx"))
    assert len(paths) > 40
    taken = [path.name for path in paths if both_ways(monkeypatch, path.read_bytes(), path.name)[2]]
    assert "canonical_days.csv" in taken  # the plain ones go to the server


def test_the_row_limit_is_the_readers_message(pg_db, monkeypatch):
    monkeypatch.setenv("MAX_ROWS", "10")
    get_settings.cache_clear()
    try:
        outcome, rows, taken = both_ways(monkeypatch, TAKEN["plain"].encode())
    finally:
        get_settings.cache_clear()
    assert outcome["status"] == "error" and rows == []
    assert "more than 10 rows" in outcome["error_text"]


def test_line_numbers_count_the_lines_above_the_data(pg_db, monkeypatch):
    outcome, rows, taken = both_ways(monkeypatch, TAKEN["preamble"].encode())
    assert taken and [r[0] for r in rows] == list(range(4, 34))


def _upload(data: bytes) -> object:
    with session_scope() as session:
        user = User(email="m@example.com", password_hash="x", role="user")
        session.add(user)
        session.flush()
        return uploads.create_upload(session, actor=user, name="posts.csv", data=data).id


def _reader_unused(*args, **kwargs):
    raise AssertionError("the server should have parsed this file")


def test_a_failure_while_the_server_loads_leaves_no_rows(pg_db, monkeypatch):
    monkeypatch.setattr(direct, "CHUNK", 256)  # many blocks, so the failure comes half-way
    monkeypatch.setattr(ingest, "copy_rows_pg", _reader_unused)
    file_id = _upload((HEAD + LINES * 5).encode())
    calls = []

    def fail_half_way(fraction):
        calls.append(fraction)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "_progress_writer", lambda file_id: fail_half_way)
    assert pipeline.parse_file(file_id) is False
    assert len(calls) == 3  # the server's load reports progress block by block
    with session_scope() as session:
        assert session.get(SocialFile, file_id).status == "error"
        assert session.scalar(select(func.count()).select_from(RawData)) == 0
    with get_engine().connect() as conn:
        query = "SELECT count(*) FROM pg_class WHERE relname LIKE :n"
        assert conn.scalar(text(query), {"n": partitions.name(file_id) + "%"}) == 0


def test_replacing_a_files_rows_through_the_server_is_atomic_for_a_concurrent_reader(pg_db, monkeypatch):
    monkeypatch.setattr(direct, "CHUNK", 512)
    old_lines = "".join(f"p{i},2024-01-{1 + i % 28:02d},t,1,1\n" for i in range(300))
    file_id = _upload((HEAD + old_lines).encode())
    pipeline.process_file(file_id)
    new_lines = "".join(f"p{i},2024-01-{1 + i % 28:02d},t,7,1\n" for i in range(500))
    with session_scope() as session:  # the same upload read again, now with other bytes
        path = session.get(SocialFile, file_id).path
    storage.get_store().write(path, [(HEAD + new_lines).encode()])
    with watching_rows(file_id) as seen:
        with session_scope() as session:
            files.retry_file(session, actor=session.get(SocialFile, file_id).owner, file_id=file_id)
        monkeypatch.setattr(pipeline, "_progress_writer", lambda file_id: lambda fraction: time.sleep(0.05))
        monkeypatch.setattr(ingest, "copy_rows_pg", _reader_unused)
        assert pipeline.parse_file(file_id)
        time.sleep(0.3)
    assert seen == {(300, 300), (500, 3500)}  # the old rows, then the new ones, nothing between
