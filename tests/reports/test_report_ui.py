"""The report widgets and the Reports page (AppTest): one-click downloads and the history."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from core import reports
from core.db import session_scope
from core.files import FileNotFound
from core.models import SocialFile, User
from tests.factories import make_user
from tests.reports.report_factories import post_rows, report_file
from tests.ui.auth_fixtures import app, sign_in, texts
from ui import reports as ui_reports

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")


def reports_page(user_id: int) -> AppTest:
    """The Reports page, opened through the router as a signed-in user would."""
    with session_scope() as session:
        user = session.get(User, user_id)
    at = sign_in(app(), user).run()
    at.switch_page("pages/reports.py").run()
    assert not at.exception
    return at


def _user(user_id: int) -> User:
    with session_scope() as session:
        return session.get(User, user_id)


def buttons_script(file_id: str, user_id: int) -> None:
    """A page that shows the buttons of one file, as the explorer and the history do."""
    from core.db import session_scope
    from core.models import SocialFile, User
    from ui.reports import report_buttons

    with session_scope() as session:
        file, user = session.get(SocialFile, file_id), session.get(User, user_id)
    report_buttons(file, user)


def _buttons(file_id, user_id: int) -> AppTest:
    from uuid import UUID

    at = AppTest.from_function(buttons_script, kwargs={"file_id": UUID(str(file_id)), "user_id": user_id})
    at.run(timeout=30)
    assert not at.exception
    return at


def test_buttons_offer_pdf_and_csv_and_build_nothing_until_clicked():
    owner = make_user().id
    file_id = report_file(owner=owner, rows=post_rows(days=10), name="channel.csv")
    at = _buttons(file_id, owner)
    pdf, csv = at.download_button
    assert (pdf.label, csv.label) == ("Download PDF", "Download CSV")
    assert not pdf.proto.disabled and not csv.proto.disabled
    with session_scope() as session:
        assert reports.list_reports(session, actor=session.get(User, owner)) == []  # rendering built nothing


def test_buttons_wait_for_a_ready_file():
    owner = make_user().id
    file_id = report_file(owner=owner, rows=post_rows(days=10))
    with session_scope() as session:
        session.execute(update(SocialFile).where(SocialFile.id == file_id).values(status="processing"))
    at = _buttons(file_id, owner)
    assert all(button.proto.disabled for button in at.download_button)


def test_a_click_gives_the_report_of_the_users_own_file_only():
    owner, stranger = make_user().id, make_user().id
    file_id = report_file(owner=owner, rows=post_rows(days=10))
    pdf = ui_reports._report_bytes(file_id=file_id, fmt="pdf", user_id=owner, language="en")
    assert pdf.startswith(b"%PDF-")
    assert ui_reports._report_bytes(file_id=file_id, fmt="pdf", user_id=owner, language="en") == pdf  # reused
    with pytest.raises(FileNotFound):
        ui_reports._report_bytes(file_id=file_id, fmt="csv", user_id=stranger, language="en")


def test_a_click_gives_the_report_in_the_language_of_the_page_it_was_on():
    owner = make_user().id
    file_id = report_file(owner=owner, rows=post_rows(days=10))
    # The click's thread runs outside the page's run (the default language): the button carries its page's.
    russian = ui_reports._report_bytes(file_id=file_id, fmt="csv", user_id=owner, language="ru")
    english = ui_reports._report_bytes(file_id=file_id, fmt="csv", user_id=owner, language="en")
    assert "Просмотры" in russian.decode("utf-8-sig") and "Просмотры" not in english.decode("utf-8-sig")
    assert "Views" in english.decode("utf-8-sig")


def test_the_reports_page_lists_the_users_reports_and_downloads_them_again():
    owner, other, admin = make_user().id, make_user().id, make_user(role="admin").id
    mine = report_file(owner=owner, rows=post_rows(days=10), name="Мой канал.csv")
    theirs = report_file(owner=other, rows=post_rows(days=10), name="their.csv")
    for user_id, file_id, fmt in ((owner, mine, "pdf"), (owner, mine, "csv"), (other, theirs, "pdf")):
        reports.download(file_id=file_id, fmt=fmt, user_id=user_id)

    at = reports_page(owner)
    shown = texts(at)
    assert "Мой канал.csv" in shown and "their.csv" not in shown
    assert "2 reports, newest first." in shown
    assert [b.label for b in at.download_button] == ["Download", "Download"]
    with session_scope() as session:
        entry = reports.list_reports(session, actor=session.get(User, owner))[0]
    assert ui_reports._history_bytes(report_id=entry.id, user_id=owner)[:4] in (b"%PDF", b'\xef\xbb\xbf"')
    with pytest.raises(reports.ReportNotFound):
        ui_reports._history_bytes(report_id=entry.id, user_id=other)

    at = reports_page(admin)
    assert "their.csv" in texts(at) and "Мой канал.csv" in texts(at) and len(at.download_button) == 3


def test_the_reports_page_explains_an_empty_history():
    make_user(role="admin")  # past the first-run setup
    at = reports_page(make_user().id)
    assert any("No reports yet" in i.value for i in at.info)
