"""Sending scheduled reports: what is due (`run_due(now)`, from Celery beat or the embedded runner) and
"send now" from the Reports page, each run recorded in report_runs.

One scheduled run per schedule and period is a unique index: of two callers at once, one inserts the
run and sends, the other skips it. A failed scheduled send is retried on later calls with a growing
delay, MAX_ATTEMPTS in all, then the run is shown as failed. A run sent by hand is tried once: the
person who pressed the button sees the outcome and can press it again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.db import session_scope
from core.i18n import use_language
from core.mail import MailError
from core.models import User, utcnow
from core.schedule import due_period, last_due_day, period_for
from core.schedule_models import ReportRun, ReportSchedule
from core.schedules import ScheduleNotFound, get_schedule

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=15)  # doubled after each failure: 15 min, then 30 min
CLAIM_FOR = timedelta(minutes=30)  # a run left `sending` by a process that died is taken over after this


def _claim(schedule: ReportSchedule, now: datetime) -> int | None:
    """The id of the run this caller now owns for the schedule's due period, or None (not due, taken)."""
    period = due_period(
        schedule.cadence, today=now.date(), created=schedule.created_at.date(), last_sent_end=None
    )
    if period is None:
        return None
    try:
        with session_scope() as session:
            run = ReportRun(
                schedule_id=schedule.id, period_start=period[0], period_end=period[1], status="sending",
                attempts=1, next_attempt_at=now + CLAIM_FOR, started_at=now, manual=False,
            )  # fmt: skip
            session.add(run)
            session.flush()
            return run.id
    except IntegrityError:  # the period has its run already: take it only if a retry is due
        pass
    with session_scope() as session:
        key = (ReportRun.schedule_id == schedule.id) & (ReportRun.period_start == period[0])
        claimed = session.execute(
            update(ReportRun)
            .where(key, ReportRun.manual.is_(False))
            .where(ReportRun.status.in_(("retrying", "sending")), ReportRun.next_attempt_at <= now)
            .values(
                status="sending",
                attempts=ReportRun.attempts + 1,
                next_attempt_at=now + CLAIM_FOR,
                started_at=now,
            )  # fmt: skip
            .returning(ReportRun.id)
        ).scalar()
        return claimed


def _deliver(schedule_id: int, run_id: int) -> None:
    """Build the PDF (and CSV) of the run's period in the schedule's language and send it."""
    from core.presets import DateRange
    from core.reports.mailing import send_scope_report
    from core.reports.scoped import resolve_scope

    with session_scope() as session:
        schedule = session.get(ReportSchedule, schedule_id)
        run = session.get(ReportRun, run_id)
        actor = schedule.owner
        with use_language(schedule.language):
            scope = resolve_scope(session, actor=actor, account=schedule.account_id, brand=schedule.brand_id)
            send_scope_report(
                session, actor=actor, scope=scope, span=DateRange(run.period_start, run.period_end),
                formats=("pdf", "csv") if schedule.with_csv else ("pdf",), to=list(schedule.recipients),
            )  # fmt: skip


def _record(run_id: int, now: datetime, error: Exception | None, *, final: bool = False) -> str:
    with session_scope() as session:
        run = session.get(ReportRun, run_id)
        if error is None:
            run.status, run.error, run.sent_at, run.next_attempt_at = "sent", None, utcnow(), None
        elif final or run.manual or run.attempts >= MAX_ATTEMPTS:
            run.status, run.error, run.next_attempt_at = "failed", str(error), None
        else:
            run.status, run.error = "retrying", str(error)
            run.next_attempt_at = now + RETRY_AFTER * 2 ** (run.attempts - 1)
        return run.status


def _attempt(schedule_id: int, run_id: int, now: datetime) -> str:
    """Deliver the run and record its outcome: sent, retrying or failed."""
    from core.reports.gather import ReportUnavailable

    try:
        _deliver(schedule_id, run_id)
        return _record(run_id, now, None)
    except MailError as exc:
        log.warning("schedule %s: sending failed: %s", schedule_id, exc)
        return _record(run_id, now, exc)
    except (ReportUnavailable, LookupError) as exc:  # nothing to send for that period: no retry helps
        return _record(run_id, now, exc, final=True)
    except Exception as exc:  # one broken schedule must not stop the others
        log.exception("schedule %s failed", schedule_id)
        return _record(run_id, now, exc)


def run_due(now: datetime | None = None) -> dict[str, int]:
    """Send every active schedule's due report (and due retries) as of `now`; the count of runs by outcome."""
    now = now or utcnow()
    with session_scope() as session:
        query = select(ReportSchedule).where(ReportSchedule.paused.is_(False)).order_by(ReportSchedule.id)
        schedules = list(session.scalars(query))
        session.expunge_all()
    outcome: dict[str, int] = {}
    for schedule in schedules:
        run_id = _claim(schedule, now)
        if run_id is None:
            continue
        status = _attempt(schedule.id, run_id, now)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome


def send_now(*, user_id: int, schedule_id: int | str, now: datetime | None = None) -> ReportRun:
    """Send the schedule's latest complete period now, as the user (ScheduleNotFound for another's),
    recorded as a run by hand; the run with its outcome (sent, or failed with the error)."""
    now = now or utcnow()
    with session_scope() as session:
        actor = session.get(User, user_id)
        if actor is None or not actor.is_active:
            raise ScheduleNotFound(str(schedule_id))
        schedule = get_schedule(session, actor=actor, schedule_id=schedule_id)
        start, end = period_for(schedule.cadence, last_due_day(schedule.cadence, now.date()))
        run = ReportRun(
            schedule_id=schedule.id, period_start=start, period_end=end, status="sending", attempts=1,
            next_attempt_at=now + CLAIM_FOR, started_at=now, manual=True,
        )  # fmt: skip
        session.add(run)
        session.flush()
        ids = schedule.id, run.id
    _attempt(*ids, now)
    with session_scope() as session:
        return session.get(ReportRun, ids[1])
