"""Bulk loading through the pipeline: atomic replacement, progress, duplicates, failures."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from core import files, partitions, pipeline, uploads
from core.db import get_engine, session_scope
from core.i18n import render
from core.models import RawData, SocialFile, User
from core.parsing.types import Detection, Issue, ParsedTable, ParseError
from tests.factories import watching_rows

START = date(2024, 1, 1)


class FakeTable(ParsedTable):
    """Canonical rows straight from a list, to test loading apart from parsing."""

    def __init__(self, rows, *, row_kind="days", fail_after=None, error=None, probe=None):
        self.detection = Detection(
            platform="generic", confidence=1.0, mapping={"Date": "date"}, row_kind=row_kind
        )
        self.warnings = []
        self._rows, self._fail_after, self._error, self._probe = rows, fail_after, error, probe

    def rows(self, on_progress=None):
        for i, row in enumerate(self._rows):
            if self._fail_after is not None and i == self._fail_after:
                raise self._error
            if self._probe and i == len(self._rows) // 2:
                on_progress(0.5)
                self._probe()
            yield row


def day_row(line, day, views, likes=None, post_id=None, extra=None):
    # ROW_COLUMNS: line, date, 12 measures, post_id, title, url, published_at, extra
    return (
        line,
        day,
        views,
        None,
        None,
        likes,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        post_id,
        None,
        None,
        None,
        extra,
    )


def days(n, start_line=2):
    return [day_row(start_line + i, START + timedelta(days=i), 100 + i) for i in range(n)]


@pytest.fixture
def upload(any_db):
    with session_scope() as session:
        user = User(email="m@example.com", password_hash="x", role="user")
        session.add(user)
        session.flush()
        file = uploads.create_upload(session, actor=user, name="stats.csv", data=b"date,views\n")
        return file.id


def use(monkeypatch, table):
    monkeypatch.setattr(pipeline, "open_table", lambda *a, **k: table)


def stored(file_id):
    with session_scope() as session:
        count = session.scalar(select(func.count()).select_from(RawData).where(RawData.file_id == file_id))
        return count, session.get(SocialFile, file_id)


def test_rows_load_in_one_go_and_the_file_records_how_it_was_read(upload, monkeypatch):
    use(monkeypatch, FakeTable(days(500) + [day_row(600, START, 1, extra={"Note": "ёж"})][:0]))
    assert pipeline.parse_file(upload) is True
    count, file = stored(upload)
    assert count == 500 and file.rows == 500
    assert file.status == "processing" and file.platform == "generic" and file.row_kind == "days"
    assert file.attempts == 1 and file.version == 1


def test_extra_columns_keep_their_text(upload, monkeypatch):
    use(monkeypatch, FakeTable([day_row(2, START, 5, extra={"Заметка": "ёж, 1"})]))
    assert pipeline.parse_file(upload)
    with session_scope() as session:
        assert session.scalar(select(RawData.extra)) == {"Заметка": "ёж, 1"}


def test_a_file_failing_half_way_leaves_no_rows_and_reprocessing_replaces_atomically(upload, monkeypatch):
    use(monkeypatch, FakeTable(days(300)))
    assert pipeline.parse_file(upload)
    with session_scope() as session:
        files.retry_file(session, actor=session.get(SocialFile, upload).owner, file_id=upload)
    error = ParseError([Issue("is not a number.", line=151, column="Views", value="12abc")])
    use(monkeypatch, FakeTable(days(300), fail_after=150, error=error))
    assert pipeline.parse_file(upload) is False
    count, file = stored(upload)
    assert file.status == "error"
    assert file.error_text == 'Line 151, column "Views": "12abc" is not a number.'
    # The earlier load stays whole until a later one succeeds: never a mix, never half.
    assert count == 300


def test_a_crash_inside_the_loader_is_an_error_the_user_can_act_on(upload, monkeypatch):
    use(monkeypatch, FakeTable(days(10), fail_after=5, error=RuntimeError("disk on fire")))
    assert pipeline.parse_file(upload) is False
    count, file = stored(upload)
    assert count == 0 and file.status == "error"
    assert "Retry" in file.error_text and "disk on fire" not in file.error_text


def test_exact_duplicates_are_skipped_and_counted(upload, monkeypatch):
    rows = days(5) + [day_row(7, START, 100), day_row(8, START + timedelta(days=1), 101)]
    use(monkeypatch, FakeTable(rows))
    assert pipeline.parse_file(upload)
    count, file = stored(upload)
    assert count == 5 and file.rows == 5
    assert [render(w) for w in file.warnings] == ["2 exact duplicate rows skipped."]


def test_conflicting_duplicates_name_both_lines(upload, monkeypatch):
    rows = days(5) + [day_row(9, START + timedelta(days=2), 999)]
    use(monkeypatch, FakeTable(rows))
    assert pipeline.parse_file(upload) is False
    count, file = stored(upload)
    assert count == 0
    assert file.error_text.startswith("Lines 4 and 9 both hold the date 2024-01-03 with different values.")


def test_posts_conflict_on_the_same_post_id(upload, monkeypatch):
    rows = [
        day_row(2, START, 10, post_id="p1"),
        day_row(3, START, 10, post_id="p2"),
        day_row(4, START, 11, post_id="p1"),
    ]
    use(monkeypatch, FakeTable(rows, row_kind="posts"))
    assert pipeline.parse_file(upload) is False
    assert 'Lines 2 and 4 both hold the post "p1"' in stored(upload)[1].error_text


def test_progress_is_visible_to_other_connections_while_loading(upload, monkeypatch):
    seen = {}

    def probe():
        # A separate connection, as the dashboard polling the status would use.
        with get_engine().connect() as conn:
            row = conn.execute(
                select(SocialFile.status, SocialFile.progress).where(SocialFile.id == upload)
            ).one()
            seen["status"], seen["progress"] = row
            seen["rows"] = conn.execute(
                select(func.count()).select_from(RawData).where(RawData.file_id == upload)
            ).scalar()

    use(monkeypatch, FakeTable(days(1000), probe=probe))
    assert pipeline.parse_file(upload)
    assert seen == {"status": "processing", "progress": 45, "rows": 0}


def test_attempts_are_capped_so_a_poison_file_ends_in_error(upload, monkeypatch):
    with session_scope() as session:
        session.get(SocialFile, upload).attempts = 3  # three earlier attempts died mid-way
    use(monkeypatch, FakeTable(days(3)))
    assert pipeline.parse_file(upload) is False
    count, file = stored(upload)
    assert file.status == "error" and "stopped unexpectedly 3 times" in file.error_text


def test_a_file_deleted_while_loading_leaves_no_rows_behind(upload, monkeypatch):
    def delete_meanwhile():
        # Another session (the user pressing Delete) while the rows stream in.
        with session_scope() as session:
            owner = session.get(SocialFile, upload).owner
            files.delete_file(session, actor=owner, file_id=upload)

    use(monkeypatch, FakeTable(days(1000), probe=delete_meanwhile))
    assert pipeline.parse_file(upload) is False
    with session_scope() as session:
        assert session.get(SocialFile, upload) is None
        assert session.scalar(select(func.count()).select_from(RawData)) == 0


def test_deleting_a_ready_file_removes_its_rows(upload, monkeypatch):
    use(monkeypatch, FakeTable(days(20)))
    assert pipeline.parse_file(upload)
    with session_scope() as session:
        files.delete_file(session, actor=session.get(SocialFile, upload).owner, file_id=upload)
    assert stored(upload)[0] == 0
    assert tables_of(upload) == []  # PostgreSQL: the file's partition is dropped, not emptied


def tables_of(file_id):
    """The tables holding the file's rows or its next ones (PostgreSQL; none on SQLite)."""
    with get_engine().connect() as conn:
        if conn.dialect.name != "postgresql":
            return []
        query = "SELECT relname FROM pg_class WHERE relname LIKE :n AND relkind = 'r' ORDER BY 1"
        return list(conn.scalars(text(query), {"n": partitions.name(file_id) + "%"}))


def test_a_bad_value_on_the_last_line_leaves_no_rows(any_db, tmp_path):
    body = "".join(f"2024-01-{1 + i % 28:02d},p{i},{i}\n" for i in range(3000)) + "2024-01-02,p-last,12abc\n"
    with session_scope() as session:
        user = User(email="b@example.com", password_hash="x", role="user")
        session.add(user)
        session.flush()
        data = ("date,post_id,views\n" + body).encode()
        file_id = uploads.create_upload(session, actor=user, name="posts.csv", data=data).id
    assert pipeline.parse_file(file_id) is False
    count, file = stored(file_id)
    assert count == 0 and file.status == "error"
    assert file.error_text.startswith('Line 3002, column "views": "12abc"')
    assert tables_of(file_id) == []  # the half-loaded table went with the transaction


def test_on_postgresql_a_files_rows_are_a_partition_of_their_own(any_db, upload, monkeypatch):
    if any_db != "postgresql":
        pytest.skip("SQLite keeps every file's rows in the one raw_data table")
    use(monkeypatch, FakeTable(days(40)))
    assert pipeline.parse_file(upload)
    with get_engine().connect() as conn:
        assert conn.scalar(text(f"SELECT count(*) FROM {partitions.name(upload)}")) == 40
        assert conn.scalar(text(f"SELECT count(*) FROM {partitions.DEFAULT}")) == 0
        plan = "\n".join(conn.scalars(text(f"EXPLAIN SELECT * FROM raw_data WHERE file_id = '{upload}'")))
    assert partitions.name(upload) in plan and partitions.DEFAULT not in plan  # pruned to one


def test_replacing_a_files_rows_is_atomic_for_a_concurrent_reader(upload, monkeypatch):
    use(monkeypatch, FakeTable(days(300)))
    assert pipeline.parse_file(upload)
    old, new = (300, sum(100 + i for i in range(300))), (500, 500 * 7)
    with watching_rows(upload) as seen:
        with session_scope() as session:
            files.retry_file(session, actor=session.get(SocialFile, upload).owner, file_id=upload)
        replacement = [day_row(2 + i, START + timedelta(days=i), 7) for i in range(500)]
        use(monkeypatch, FakeTable(replacement, probe=lambda: time.sleep(0.3)))
        assert pipeline.parse_file(upload)
        time.sleep(0.3)
    assert seen == {old, new}  # the reader saw the old rows, then the new ones, and nothing between
    assert tables_of(upload) in ([], [partitions.name(upload)])  # the old partition is gone
