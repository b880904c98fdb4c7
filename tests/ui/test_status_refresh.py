"""The live status lists stay cheap with many files: the refresh reads only the rows it shows."""
# ruff: noqa: F811  (pytest fixtures imported from the fixture modules are requested by parameter name)

from __future__ import annotations

import pytest
from sqlalchemy import event

from core import uploads
from core.db import get_engine, session_scope
from tests.factories import make_user
from tests.ui.pages_fixtures import days_csv, open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
FILES = 40


def upload_many(user, count: int) -> None:
    with session_scope() as session:
        for i in range(count):
            file = uploads.create_upload(session, actor=user, name=f"f{i}.csv", data=days_csv(3 + i))
            file.status, file.error_text = "error", "not read in this test"


def test_the_upload_pages_status_list_reads_only_the_files_it_shows(monkeypatch):
    admin = make_user("root@example.com", role="admin")
    anna = make_user("anna@example.com")
    upload_many(anna, FILES)
    upload_many(admin, 3)
    statements: list[str] = []

    def after(conn, cursor, statement, parameters, context, executemany):
        if "FROM social_files" in statement and "ORDER BY social_files.created_at DESC" in statement:
            statements.append(statement)

    event.listen(get_engine(), "after_cursor_execute", after)
    try:
        at = open_page("pages/upload.py", admin)
    finally:
        event.remove(get_engine(), "after_cursor_execute", after)
    assert not at.exception
    assert statements, "the page lists files"
    for statement in statements:  # none reads every file to keep ten (or the admin's own, or pending)
        assert "LIMIT" in statement or "WHERE social_files.status IN" in statement, statement
