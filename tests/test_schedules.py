"""Scheduled delivery: run_due at chosen times against a real SMTP server (aiosmtpd), each run recorded."""

from __future__ import annotations

import csv
import socket
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from core import accounts, schedule_runs, schedules
from core.db import session_scope
from core.models import User
from core.schedule_models import ReportRun, ReportSchedule
from tests import test_delivery
from tests.test_delivery import VK, _pdf_text, cli

smtp_box = test_delivery.smtp_box  # the real aiosmtpd server


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def ann(any_db, monkeypatch, smtp_box):
    monkeypatch.setenv("SMTP_URL", smtp_box.url)
    monkeypatch.setenv("MAIL_FROM", "reports@agency.test")
    from core.config import get_settings

    get_settings.cache_clear()
    assert (
        cli("users", "create", "--email", "ann@example.com", "--password", "пароль-надёжный").returncode == 0
    )
    out = cli("ingest", str(VK), "--user", "ann@example.com", "--account", "Кулинария", "--brand", "Acme")
    assert out.returncode == 0, out.stderr
    with session_scope() as session:
        user = session.query(User).filter_by(email="ann@example.com").one()
        brand = accounts.find_brand(session, actor=user, ref="Acme")
        return user.id, brand.id


def _schedule(
    user_id: int, brand_id: int, *, cadence="monthly", to="client@acme.ru, boss@acme.ru", csv_too=False
):
    with session_scope() as session:
        user = session.get(User, user_id)
        made = schedules.create_schedule(
            session,
            actor=user,
            brand_id=brand_id,
            cadence=cadence,
            recipients=to,
            language="ru",
            with_csv=csv_too,
        )
        made.created_at = _at(2025, 12, 1)  # made long before the runs below
        return made.id


def _runs(schedule_id: int) -> list[tuple]:
    with session_scope() as session:
        query = session.query(ReportRun).filter_by(schedule_id=schedule_id).order_by(ReportRun.period_start)
        return [(str(r.period_start), str(r.period_end), r.status, r.attempts, r.error) for r in query]


def _views(start: str, end: str) -> int:
    with VK.open(encoding="cp1251") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    day = lambda r: "-".join(reversed(r["Дата"].split(".")))  # noqa: E731
    return sum(int(r["Просмотры"]) for r in rows if start <= day(r) <= end)


def test_the_monthly_brand_report_arrives_on_the_first_with_that_months_numbers(ann, smtp_box):
    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id, csv_too=True)
    assert schedule_runs.run_due(_at(2026, 1, 31, 23, 59)) == {"sent": 1}  # the 1st of January: December's
    smtp_box.envelopes.clear()
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 5)) == {"sent": 1}  # January's, at the month end
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 20)) == {}  # sent once, not again
    (envelope,) = smtp_box.envelopes
    assert envelope.rcpt_tos == ["client@acme.ru", "boss@acme.ru"]
    mail = message_from_bytes(envelope.content, policy=default_policy)
    assert mail["Subject"] == "Отчёт: Acme 2026-01-01 – 2026-01-31"
    assert mail["Content-Language"] == "ru"
    pdf, table = list(mail.iter_attachments())
    assert pdf.get_filename() == "Acme_2026-01-01_2026-01-31.pdf" and table.get_content_type() == "text/csv"
    text = _pdf_text(pdf.get_content())
    assert "Acme" in text and "01.01.2026 – 31.01.2026" in text
    views = f"{_views('2026-01-01', '2026-01-31'):,}".replace(",", "\u00a0")
    assert views in text or views.replace("\u00a0", " ") in text, text[:2000]
    runs = _runs(sid)
    assert [r[:4] for r in runs] == [
        ("2025-12-01", "2025-12-31", "sent", 1),
        ("2026-01-01", "2026-01-31", "sent", 1),
    ]


def test_a_weekly_run_across_the_year_end_reports_that_week(ann, smtp_box):
    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id, cadence="weekly", to="client@acme.ru")
    assert schedule_runs.run_due(_at(2026, 1, 5, 6)) == {"sent": 1}  # Monday: 29 Dec 2025 – 4 Jan 2026
    assert _runs(sid)[0][:3] == ("2025-12-29", "2026-01-04", "sent")
    mail = message_from_bytes(smtp_box.envelopes[0].content, policy=default_policy)
    assert "29.12.2025 – 04.01.2026" in _pdf_text(next(mail.iter_attachments()).get_content())


def test_two_callers_at_once_send_one_report(ann, smtp_box):
    from concurrent.futures import ThreadPoolExecutor

    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(schedule_runs.run_due, [_at(2026, 2, 1, 1)] * 2))
    assert sorted(results, key=len) == [{}, {"sent": 1}]
    assert len(smtp_box.envelopes) == 1 and len(_runs(sid)) == 1


def test_a_closed_smtp_port_is_retried_with_backoff_then_shown_as_failed(ann, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{closed}")
    from core.config import get_settings

    get_settings.cache_clear()
    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id)
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 0)) == {"retrying": 1}
    status, attempts, error = _runs(sid)[0][2:]
    assert (status, attempts) == ("retrying", 1) and f"127.0.0.1:{closed}" in error
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 10)) == {}  # before the 15-minute backoff
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 16)) == {"retrying": 1}
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 40)) == {}  # the second wait is 30 minutes
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 47)) == {"failed": 1}
    assert _runs(sid)[0][2:4] == ("failed", 3)
    assert schedule_runs.run_due(_at(2026, 2, 2)) == {}  # failed stays failed
    with session_scope() as session:
        (listed,) = schedules.list_schedules(session, actor=session.get(User, user_id))
        assert listed.last_run.status == "failed" and "did not take the message" in listed.last_run.error


def test_schedules_are_scoped_to_their_user(ann):
    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id)
    assert (
        cli("users", "create", "--email", "bob@example.com", "--password", "другой-пароль-1").returncode == 0
    )
    with session_scope() as session:
        bob = session.query(User).filter_by(email="bob@example.com").one()
        assert schedules.list_schedules(session, actor=bob) == []
        for wrong in (sid, sid + 1000, "x"):
            with pytest.raises(schedules.ScheduleNotFound):
                schedules.delete_schedule(session, actor=bob, schedule_id=wrong)
        with pytest.raises(accounts.BrandNotFound):
            schedules.create_schedule(session, actor=bob, brand_id=brand_id, cadence="weekly", recipients="a@b.co",
                                      language="en")  # fmt: skip
    with session_scope() as session:
        assert session.get(ReportSchedule, sid) is not None
        schedules.delete_schedule(session, actor=session.get(User, user_id), schedule_id=sid)
    with session_scope() as session:
        assert session.get(ReportSchedule, sid) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [("a@b.co, not-an-address", "«not-an-address»"), ("  ", "at least one"), ("a@b", "«a@b»")],
)
def test_bad_recipients_are_named(text, message):
    with pytest.raises(schedules.ScheduleError, match=message):
        schedules.parse_recipients(text)
    assert schedules.parse_recipients("A@b.co; a@b.co\nc@d.ru") == ["A@b.co", "c@d.ru"]


def test_beat_sends_the_due_schedules_every_so_often():
    from core.config import get_settings
    from worker import tasks  # noqa: F401  (registers the tasks)
    from worker.celery_app import app, celery_config

    entry = celery_config(get_settings())["beat_schedule"]["send-scheduled-reports"]
    assert entry["schedule"] == get_settings().schedules_every_s == 900
    assert entry["task"] in app.tasks


def test_the_embedded_runner_sends_the_due_schedules_without_a_broker(ann, smtp_box):
    import time

    from worker import jobs
    from worker.runner import LocalRunner

    user_id, brand_id = ann
    sid = _schedule(user_id, brand_id, to="client@acme.ru")
    runner = LocalRunner(max_deaths=0, periodic=[((jobs.RUN_SCHEDULES,), 3600)])
    try:
        deadline = time.monotonic() + 120
        while not _runs(sid) or _runs(sid)[0][2] == "sending":
            assert time.monotonic() < deadline, "the runner sent nothing"
            time.sleep(0.3)
    finally:
        runner.close(wait=False)
    assert _runs(sid)[0][2] == "sent" and smtp_box.envelopes[0].rcpt_tos == ["client@acme.ru"]
