"""Reports by e-mail through a real SMTP server on 127.0.0.1 (aiosmtpd), and when scheduled ones are due."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from core.schedule import due_period, last_due_day, period_for
from tests.conftest import DATA, ROOT, need

VK = DATA / "browser" / "vk_recipes_cp1251.csv"


# --- when a schedule is due: pure functions of the date --------------------------------------------
@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),  # a 30-day month
        (date(2027, 1, 1), (date(2026, 12, 1), date(2026, 12, 31))),  # across a year end
        (date(2024, 3, 1), (date(2024, 2, 1), date(2024, 2, 29))),  # a leap February
        (date(2025, 3, 1), (date(2025, 2, 1), date(2025, 2, 28))),  # a common February
        (date(2026, 8, 1), (date(2026, 7, 1), date(2026, 7, 31))),
    ],
)
def test_monthly_runs_on_the_first_for_the_previous_month(today, period):
    assert last_due_day("monthly", today) == today
    assert due_period("monthly", today=today, created=date(2020, 1, 1), last_sent_end=None) == period


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29))),  # a Monday
        (date(2027, 1, 4), (date(2026, 12, 28), date(2027, 1, 3))),  # the week across the year end
        (date(2024, 3, 4), (date(2024, 2, 26), date(2024, 3, 3))),  # through 29 February
    ],
)
def test_weekly_runs_on_monday_for_the_previous_week(today, period):
    assert today.weekday() == 0
    assert due_period("weekly", today=today, created=date(2020, 1, 1), last_sent_end=None) == period


def test_a_sent_period_is_not_sent_again_and_a_missed_one_still_goes():
    sent = (date(2026, 11, 1), date(2026, 11, 30))
    assert (
        due_period("monthly", today=date(2026, 12, 1), created=date(2026, 1, 1), last_sent_end=sent[1])
        is None
    )
    # The app was down on the 1st: on the 3rd November's report is still due.
    assert (
        due_period("monthly", today=date(2026, 12, 3), created=date(2026, 1, 1), last_sent_end=None) == sent
    )
    assert (
        due_period("monthly", today=date(2026, 12, 31), created=date(2026, 1, 1), last_sent_end=sent[1])
        is None
    )


def test_a_schedule_made_after_the_due_day_waits_for_the_next():
    assert (
        due_period("weekly", today=date(2026, 12, 2), created=date(2026, 12, 2), last_sent_end=None) is None
    )
    assert due_period("weekly", today=date(2026, 12, 7), created=date(2026, 12, 2), last_sent_end=None) == (
        date(2026, 11, 30),
        date(2026, 12, 6),
    )
    assert period_for("weekly", date(2026, 12, 7)) == (date(2026, 11, 30), date(2026, 12, 6))


def test_an_unknown_cadence_is_refused():
    with pytest.raises(ValueError, match="weekly, monthly"):
        last_due_day("daily", date(2026, 12, 1))


# --- a real SMTP server ----------------------------------------------------------------------------
@pytest.fixture
def smtp_box():
    """An aiosmtpd server on a free 127.0.0.1 port, collecting what it receives."""
    from aiosmtpd.controller import Controller

    class Box:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Box()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.url = f"smtp://127.0.0.1:{port}"
    yield box
    controller.stop()


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        need("pdftotext", "poppler-utils is not installed")
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )


def test_report_email_sends_the_russian_pdf_of_the_brand_to_every_address(any_db, smtp_box):
    assert (
        cli("users", "create", "--email", "ann@example.com", "--password", "пароль-надёжный").returncode == 0
    )
    out = cli("ingest", str(VK), "--user", "ann@example.com", "--account", "Кулинария", "--brand", "Acme")
    assert out.returncode == 0, out.stderr
    sent = cli(
        "report", "--brand", "Acme", "--user", "ann@example.com", "--from", "2026-02-01", "--to", "2026-02-28",
        "--format", "pdf", "--lang", "ru", "--email", "client@acme.ru", "--email", "boss@acme.ru",
        SMTP_URL=smtp_box.url, MAIL_FROM="Отчёты <reports@agency.test>",
    )  # fmt: skip
    assert sent.returncode == 0, sent.stdout + sent.stderr
    (envelope,) = smtp_box.envelopes
    assert envelope.rcpt_tos == ["client@acme.ru", "boss@acme.ru"]
    assert envelope.mail_from == "reports@agency.test"
    mail = message_from_bytes(envelope.content, policy=default_policy)
    assert mail["Subject"] == "Отчёт: Acme 2026-02-01 – 2026-02-28"
    assert mail["Content-Language"] == "ru"
    assert "во вложении" in mail.get_body(("plain",)).get_content()
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = _pdf_text(attachment.get_content())
    assert "Acme" in text and "01.02.2026 – 28.02.2026" in text
    assert "Ключевые метрики" in text and "Коротко" in text


def test_without_smtp_url_email_is_refused_with_a_clear_message(sqlite_db, tmp_path):
    assert (
        cli("users", "create", "--email", "ann@example.com", "--password", "пароль-надёжный").returncode == 0
    )
    assert cli("ingest", str(VK), "--user", "ann@example.com", "--account", "K").returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "SMTP_URL"}
    out = subprocess.run(
        [sys.executable, "-m", "core", "report", "--account", "K", "--user", "ann@example.com", "--format", "pdf",
         "--email", "x@y.z"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 2 and "SMTP_URL" in out.stderr
