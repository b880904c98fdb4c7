"""The Reports page (AppTest): a schedule made, listed, paused, sent now and deleted through the widgets,
and account and brand reports in the list of built reports — rows in the database and the page's text."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from core import accounts
from core.db import session_scope
from core.i18n import use_language
from core.models import User, utcnow
from core.reports.scoped import download_scope
from core.schedule import next_run_day
from core.schedule_models import ReportRun, ReportSchedule
from tests import test_delivery
from tests.accounts.account_factories import ingest
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import open_page

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
smtp_box = test_delivery.smtp_box  # the real aiosmtpd server


@pytest.fixture
def anna() -> dict:
    """Anna's VK account «Кулинария» in the brand Acme (VK export, Dec 2025 – Feb 2026)."""
    make_user("root@example.com", role="admin")  # an administrator exists: no first-run setup
    user = make_user("anna@example.com")
    made = ingest(test_delivery.VK, "anna@example.com", account="Кулинария", brand="Acme")
    with session_scope() as session:
        brand = accounts.find_brand(session, actor=user, ref="Acme")
    return {"user": user, "brand": brand.id, "account": made["account"]["id"]}


def _schedules() -> list[ReportSchedule]:
    with session_scope() as session:
        return list(session.scalars(select(ReportSchedule).order_by(ReportSchedule.id)))


def _fill(at, *, target: str, cadence: str, to: str, csv: bool = False):
    at.selectbox(key="schedule_target").set_value(target)
    at.radio(key="schedule_cadence").set_value(cadence)
    at.text_area(key="schedule_recipients").input(to)
    at.checkbox(key="schedule_csv").set_value(csv)
    return at.button(key="schedule_create").click().run()


def test_a_schedule_is_made_through_the_form_listed_and_deleted_after_a_confirmation(anna):
    at = open_page("pages/reports.py", anna["user"])
    assert not at.exception
    labels = at.selectbox(key="schedule_target").options
    assert labels == ["Acme (brand)", "Кулинария (VK account)"]
    at = _fill(at, target=f"brand:{anna['brand']}", cadence="weekly", to="client@acme.ru, not-an-address")
    assert "«not-an-address» is not an e-mail address." in [e.value for e in at.error]
    assert _schedules() == []
    at = _fill(
        at, target=f"brand:{anna['brand']}", cadence="weekly", to="client@acme.ru;\nboss@acme.ru", csv=True
    )
    assert not at.exception and [e.value for e in at.success] == ["Schedule created."]
    (made,) = _schedules()
    assert (made.brand_id, made.account_id, made.cadence) == (anna["brand"], None, "weekly")
    assert (made.recipients, made.language, made.with_csv, made.paused) == (
        ["client@acme.ru", "boss@acme.ru"], "en", True, False,
    )  # fmt: skip
    page = texts(at)
    today = utcnow().date()
    upcoming = next_run_day("weekly", today=today, created=today, last_scheduled_start=None)
    assert "1 schedule" in page and "Acme (brand)" in page
    assert "Weekly: every Monday, the previous week · English · PDF + CSV" in page
    assert "To: client@acme.ru, boss@acme.ru" in page
    assert f"Next run: {upcoming:%b} {upcoming.day}, {upcoming.year}" in page and "Not sent yet." in page

    at.button(key=f"schedule_delete_{made.id}").click().run()
    assert "Delete the schedule of Acme (brand)? Its run history goes with it." in [
        w.value for w in at.warning
    ]
    assert len(_schedules()) == 1  # asked, not yet done
    at.button(key=f"schedule_yes_{made.id}").click().run()
    assert not at.exception and _schedules() == []
    assert "Deleted: Acme (brand)." in [e.value for e in at.success]
    assert "Acme (brand)" not in "\n".join(m.value for m in at.markdown)


def test_pause_resume_and_send_now_from_the_list(anna, smtp_box, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("SMTP_URL", smtp_box.url)
    monkeypatch.setenv("MAIL_FROM", "reports@agency.test")
    get_settings.cache_clear()
    at = open_page("pages/reports.py", anna["user"])
    at = _fill(at, target=f"account:{anna['account']}", cadence="monthly", to="client@acme.ru")
    (made,) = _schedules()
    at.button(key=f"schedule_pause_{made.id}").click().run()
    assert _schedules()[0].paused and "Paused: Кулинария (VK account)." in [e.value for e in at.success]
    assert "Paused" in texts(at) and "Next run" not in texts(at)
    at.button(key=f"schedule_pause_{made.id}").click().run()
    assert not _schedules()[0].paused and "Next run: " in texts(at)

    at.button(key=f"schedule_send_{made.id}").click().run()
    assert not at.exception
    with session_scope() as session:
        (run,) = session.scalars(select(ReportRun).where(ReportRun.schedule_id == made.id))
        assert (run.status, run.manual, run.attempts) == ("sent", True, 1)
    span = f"{run.period_start:%b} {run.period_start.day}, {run.period_start.year} – {run.period_end:%b} {run.period_end.day}, {run.period_end.year}"
    assert f"The report for {span} was sent." in [e.value for e in at.success]
    assert smtp_box.envelopes[0].rcpt_tos == ["client@acme.ru"]
    page = texts(at)
    assert "(sent by hand), " + span in page and ":green-badge[sent]" in page
    # What "send now" built is a report of the account: it is in the list of built reports.
    assert f"**Кулинария (VK account)** · {span}" in page


def test_a_failed_send_now_shows_the_error(anna, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1:9")  # the discard port: nothing listens
    get_settings.cache_clear()
    at = open_page("pages/reports.py", anna["user"])
    at = _fill(at, target=f"brand:{anna['brand']}", cadence="monthly", to="client@acme.ru")
    (made,) = _schedules()
    at.button(key=f"schedule_send_{made.id}").click().run()
    with session_scope() as session:
        (run,) = session.scalars(select(ReportRun))
    assert run.status == "failed" and "127.0.0.1:9" in run.error
    assert any("was not sent" in e.value and "127.0.0.1:9" in e.value for e in at.error)
    assert ":red-badge[failed]" in texts(at)


def test_account_and_brand_reports_are_in_the_list_and_download(anna):
    user = anna["user"]
    download_scope(
        user_id=user.id, account=anna["account"], start=date(2026, 1, 1), end=date(2026, 1, 31), fmt="pdf"
    )
    download_scope(user_id=user.id, brand="Acme", start=date(2026, 2, 1), end=date(2026, 2, 28), fmt="csv")
    at = open_page("pages/reports.py", user)
    assert not at.exception
    page = texts(at)
    assert "2 reports, newest first." in page
    assert "**Кулинария (VK account)** · Jan 1, 2026 – Jan 31, 2026" in page
    assert "**Acme (brand)** · Feb 1, 2026 – Feb 28, 2026" in page
    assert len(at.get("download_button")) == 2
    from core import reports
    from ui.reports import _history_bytes

    with session_scope() as session:
        listed = {e.kind: e for e in reports.list_reports(session, actor=session.get(User, user.id))}
    # The row's Download button hands the browser these bytes (made on click).
    assert _history_bytes(report_id=listed["account"].id, user_id=user.id).startswith(b"%PDF-")
    assert "Acme" in _history_bytes(report_id=listed["brand"].id, user_id=user.id).decode("utf-8-sig")


def test_the_page_speaks_russian_and_an_admin_sees_every_schedule_with_its_owner(anna):
    with session_scope() as session:
        session.execute(update(User).where(User.id == anna["user"].id).values(language="ru"))
    at = open_page("pages/reports.py", anna["user"])
    with use_language("ru"):  # AppTest matches a choice through the widget's labels, Russian here
        at = _fill(at, target=f"brand:{anna['brand']}", cadence="monthly", to="client@acme.ru")
    page = texts(at)
    assert "Рассылка по расписанию" in page and "Расписание создано." in page
    assert "Ежемесячно: 1-го числа, за прошлый месяц · Русский · PDF" in page
    assert _schedules()[0].language == "ru"  # the form's default: the reader's language
    today = utcnow().date()
    upcoming = next_run_day("monthly", today=today, created=today, last_scheduled_start=None)
    assert f"Следующая отправка: {upcoming:%d.%m.%Y}" in page

    with session_scope() as session:
        root = session.scalar(select(User).where(User.email == "root@example.com"))
    at = open_page("pages/reports.py", root)
    page = texts(at)
    assert "Acme (brand)" in page and "Owner: anna@example.com" in page
    assert "Upload an export first" in page  # the form offers only the admin's own accounts: none
    bob = make_user("bob@example.com")
    at = open_page("pages/reports.py", bob)
    assert "Acme" not in texts(at) and not at.get("selectbox")
