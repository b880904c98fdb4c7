"""What the Reports page does with a schedule: list it (last and next run), pause, resume, send now."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from core import accounts, schedule_runs, schedules
from core.db import session_scope
from core.models import User
from core.schedule import next_due_day, next_run_day
from core.schedule_models import ReportRun
from tests import test_delivery
from tests.accounts.account_factories import ingest
from tests.factories import make_user

smtp_box = test_delivery.smtp_box  # the real aiosmtpd server


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def ann(any_db, monkeypatch, smtp_box) -> dict:
    """Ann's VK account «Кулинария» in the brand Acme (Dec 2025 – Feb 2026), a monthly schedule of the
    brand made long before the runs below, and mail going to the test's SMTP server."""
    from core.config import get_settings

    monkeypatch.setenv("SMTP_URL", smtp_box.url)
    monkeypatch.setenv("MAIL_FROM", "reports@agency.test")
    get_settings.cache_clear()
    user = make_user("ann@example.com")
    made = ingest(test_delivery.VK, "ann@example.com", account="Кулинария", brand="Acme")
    with session_scope() as session:
        brand = accounts.find_brand(session, actor=user, ref="Acme")
        schedule = schedules.create_schedule(
            session, actor=user, brand_id=brand.id, cadence="monthly", recipients="client@acme.ru",
            language="en",
        )  # fmt: skip
        schedule.created_at = _at(2025, 12, 1)
        return {"user": user, "brand": brand.id, "account": made["account"]["id"], "schedule": schedule.id}


def _runs(schedule_id: int) -> list[tuple]:
    with session_scope() as session:
        query = session.query(ReportRun).filter_by(schedule_id=schedule_id).order_by(ReportRun.id)
        return [(str(r.period_start), r.status, r.manual, r.attempts) for r in query]


def _listed(user: User, today: date) -> list[schedules.Listed]:
    with session_scope() as session:
        return schedules.list_schedules(session, actor=session.get(User, user.id), today=today)


def test_send_now_sends_the_latest_complete_period_and_is_recorded_beside_the_scheduled_run(ann, smtp_box):
    user, sid = ann["user"], ann["schedule"]
    (before,) = _listed(user, date(2026, 2, 10))
    assert before.last_run is None and before.next_run == date(2026, 2, 10)  # January's is due, unsent
    run = schedule_runs.send_now(user_id=user.id, schedule_id=sid, now=_at(2026, 2, 10, 9))
    assert (run.status, run.manual, str(run.period_start), str(run.period_end)) == (
        "sent", True, "2026-01-01", "2026-01-31",
    )  # fmt: skip
    mail = message_from_bytes(smtp_box.envelopes[0].content, policy=default_policy)
    assert mail["Subject"] == "Report: Acme 2026-01-01 – 2026-01-31"
    assert smtp_box.envelopes[0].rcpt_tos == ["client@acme.ru"]
    schedule_runs.send_now(user_id=user.id, schedule_id=sid, now=_at(2026, 2, 10, 9, 5))  # again: allowed
    (listed,) = _listed(user, date(2026, 2, 10))
    assert listed.last_run.status == "sent" and listed.last_run.manual
    assert listed.next_run == date(2026, 2, 10)  # sending by hand does not stand in for the scheduled run
    assert schedule_runs.run_due(_at(2026, 2, 10, 9, 15)) == {"sent": 1}
    assert _runs(sid) == [
        ("2026-01-01", "sent", True, 1), ("2026-01-01", "sent", True, 1), ("2026-01-01", "sent", False, 1),
    ]  # fmt: skip
    (listed,) = _listed(user, date(2026, 2, 10))
    assert not listed.last_run.manual and listed.next_run == date(2026, 3, 1)
    assert len(smtp_box.envelopes) == 3


def test_a_failed_send_now_is_shown_failed_with_the_error_and_not_retried(ann, monkeypatch):
    from core.config import get_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{closed}")
    get_settings.cache_clear()
    run = schedule_runs.send_now(user_id=ann["user"].id, schedule_id=ann["schedule"], now=_at(2026, 2, 10))
    assert run.status == "failed" and f"127.0.0.1:{closed}" in run.error and run.started_at is not None
    assert schedule_runs.run_due(_at(2026, 2, 10, 1)) == {"retrying": 1}  # the scheduled run, on its own
    assert schedule_runs.run_due(_at(2026, 2, 10, 1, 20)) == {
        "retrying": 1
    }  # its retry; not the manual run's
    assert _runs(ann["schedule"]) == [("2026-01-01", "failed", True, 1), ("2026-01-01", "retrying", False, 2)]


def test_a_paused_schedule_sends_nothing_until_it_is_resumed(ann, smtp_box):
    user, sid = ann["user"], ann["schedule"]
    with session_scope() as session:
        schedules.set_paused(session, actor=session.get(User, user.id), schedule_id=sid, paused=True)
    assert schedule_runs.run_due(_at(2026, 2, 1, 0, 5)) == {}
    (listed,) = _listed(user, date(2026, 2, 1))
    assert listed.schedule.paused and listed.next_run is None and _runs(sid) == []
    with session_scope() as session:
        schedules.set_paused(session, actor=session.get(User, user.id), schedule_id=sid, paused=False)
    assert schedule_runs.run_due(_at(2026, 2, 2)) == {"sent": 1}  # the month missed while paused
    assert _runs(sid) == [("2026-01-01", "sent", False, 1)]


def test_another_user_cannot_reach_the_schedule_and_an_admin_sees_everyones(ann):
    user, sid = ann["user"], ann["schedule"]
    bob, root = make_user("bob@example.com"), make_user("root@example.com", role="admin")
    with session_scope() as session:
        as_bob = session.get(User, bob.id)
        assert schedules.list_schedules(session, actor=as_bob) == []
        with pytest.raises(schedules.ScheduleNotFound):
            schedules.set_paused(session, actor=as_bob, schedule_id=sid, paused=True)
        assert schedules.targets(session, actor=as_bob) == []
        mine = schedules.targets(session, actor=session.get(User, user.id))
        assert [(t.kind, t.name, t.platform) for t in mine] == [
            ("brand", "Acme", None),
            ("account", "Кулинария", "vk"),
        ]
        assert (
            schedules.targets(session, actor=session.get(User, root.id)) == []
        )  # only one's own are offered
    with pytest.raises(schedules.ScheduleNotFound):
        schedule_runs.send_now(user_id=bob.id, schedule_id=sid)
    assert _runs(sid) == []
    (seen,) = _listed(root, date(2026, 2, 10))
    assert seen.schedule.id == sid and seen.schedule.owner.email == "ann@example.com"
    assert seen.schedule.target_name == "Acme"
    run = schedule_runs.send_now(user_id=root.id, schedule_id=sid, now=_at(2026, 2, 10))
    assert run.status == "sent"  # sent as its owner: the brand is Ann's


@pytest.mark.parametrize(
    ("cadence", "today", "expected"),
    [
        ("weekly", date(2026, 12, 2), date(2026, 12, 7)),  # a Wednesday: next Monday
        ("weekly", date(2026, 12, 7), date(2026, 12, 14)),  # a Monday: the one after
        ("weekly", date(2026, 12, 28), date(2027, 1, 4)),  # across the year end
        ("monthly", date(2026, 12, 15), date(2027, 1, 1)),
        ("monthly", date(2024, 2, 29), date(2024, 3, 1)),  # a leap day
        ("monthly", date(2026, 1, 31), date(2026, 2, 1)),
        ("monthly", date(2026, 3, 1), date(2026, 4, 1)),
    ],
)
def test_the_next_due_day(cadence, today, expected):
    assert next_due_day(cadence, today) == expected


def test_the_next_run_is_today_while_the_latest_period_is_unsent():
    made = date(2026, 11, 10)
    assert next_run_day("monthly", today=date(2026, 11, 20), created=made, last_scheduled_start=None) == date(
        2026, 12, 1
    )
    assert next_run_day("monthly", today=date(2026, 12, 3), created=made, last_scheduled_start=None) == date(
        2026, 12, 3
    )
    sent = date(2026, 11, 1)
    assert next_run_day("monthly", today=date(2026, 12, 3), created=made, last_scheduled_start=sent) == date(
        2027, 1, 1
    )


def test_report_email_on_the_command_line_sends_what_send_now_sends(ann, smtp_box):
    """`report --brand … --email` and "send now" go through one core path (mailing.send_scope_report):
    the same subject and attachment name, and the very report send now built, reused."""
    run = schedule_runs.send_now(user_id=ann["user"].id, schedule_id=ann["schedule"], now=_at(2026, 2, 10))
    assert run.status == "sent"
    out = test_delivery.cli(
        "report", "--brand", "Acme", "--user", "ann@example.com", "--from", "2026-01-01", "--to", "2026-01-31",
        "--format", "pdf", "--lang", "en", "--email", "client@acme.ru",
        SMTP_URL=smtp_box.url, MAIL_FROM="reports@agency.test",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "sent to client@acme.ru"
    by_hand, command_line = (message_from_bytes(e.content, policy=default_policy) for e in smtp_box.envelopes)
    assert by_hand["Subject"] == command_line["Subject"] == "Report: Acme 2026-01-01 – 2026-01-31"
    (a,), (b,) = list(by_hand.iter_attachments()), list(command_line.iter_attachments())
    assert a.get_filename() == b.get_filename() == "Acme_2026-01-01_2026-01-31.pdf"
    assert a.get_content() == b.get_content()  # one report, built once and reused
    bad = test_delivery.cli("report", "--brand", "Acme", "--user", "ann@example.com", "--format", "pdf",
                            "--email", "client@acme.ru, nobody")  # fmt: skip
    assert bad.returncode == 2 and "«nobody» is not an e-mail address." in bad.stderr
