"""Scheduled delivery: an account's or a brand's report sent weekly or monthly, each run recorded.

CRUD is scoped to the actor: another user's schedule id behaves like a missing one (ScheduleNotFound).
`run_due(now)` sends what core.schedule says is due. One run per schedule and period is a unique
constraint: of two callers at once, one inserts the run and sends, the other skips it. A failed send
is retried on later calls with a growing delay, MAX_ATTEMPTS in all, then the run is shown as failed.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import accounts
from core.db import session_scope
from core.i18n import LANGUAGES, _, use_language
from core.mail import MailError
from core.models import User, utcnow
from core.schedule import CADENCES, due_period
from core.schedule_models import ReportRun, ReportSchedule

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=15)  # doubled after each failure: 15 min, then 30 min
CLAIM_FOR = timedelta(minutes=30)  # a run left `sending` by a process that died is taken over after this
MAX_RECIPIENTS = 20
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class ScheduleNotFound(LookupError):
    """No such schedule for this user (another user's schedule looks exactly the same)."""


class ScheduleError(ValueError):
    """The schedule cannot be made as asked; the message says why, in the user's language."""


@dataclass(frozen=True)
class Listed:
    schedule: ReportSchedule
    last_run: ReportRun | None


def parse_recipients(text: str | list[str]) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; ScheduleError naming a bad one."""
    items = text if isinstance(text, list) else re.split(r"[\s,;]+", text or "")
    found: list[str] = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        if not EMAIL.match(item):
            raise ScheduleError(_("«{value}» is not an e-mail address.").format(value=item))
        if item.lower() not in (f.lower() for f in found):
            found.append(item)
    if not found:
        raise ScheduleError(_("Give at least one e-mail address."))
    if len(found) > MAX_RECIPIENTS:
        raise ScheduleError(_("At most {n} addresses per schedule.").format(n=MAX_RECIPIENTS))
    return found


def _owned(actor: User):
    query = select(ReportSchedule)
    return query if actor.is_admin else query.where(ReportSchedule.user_id == actor.id)


def create_schedule(
    session: Session, *, actor: User, account_id: int | str | None = None, brand_id: int | str | None = None,
    cadence: str, recipients: str | list[str], language: str, with_csv: bool = False,
) -> ReportSchedule:  # fmt: skip
    """A schedule of the actor's account or brand (NotFound for anyone else's)."""
    if (account_id is None) == (brand_id is None):
        raise ScheduleError(_("Pick an account or a brand."))
    if cadence not in CADENCES:
        raise ScheduleError(_("The frequency must be weekly or monthly."))
    if language not in LANGUAGES:
        raise ScheduleError(_("The language must be one of: {values}.").format(values=", ".join(LANGUAGES)))
    schedule = ReportSchedule(
        user_id=actor.id, cadence=cadence, recipients=parse_recipients(recipients), language=language,
        with_csv=bool(with_csv), created_at=utcnow(),
    )  # fmt: skip
    if account_id is not None:
        owner = accounts.get_account(session, actor=actor, account_id=account_id)
        schedule.account_id = owner.id
    else:
        owner = accounts.get_brand(session, actor=actor, brand_id=brand_id)
        schedule.brand_id = owner.id
    schedule.user_id = owner.user_id  # an admin's schedule of a user's brand runs as that user
    session.add(schedule)
    session.flush()
    return schedule


def get_schedule(session: Session, *, actor: User, schedule_id: int | str) -> ReportSchedule:
    return accounts.store.by_id(session, _owned(actor), raw_id=schedule_id, missing=ScheduleNotFound)


def delete_schedule(session: Session, *, actor: User, schedule_id: int | str) -> None:
    session.delete(get_schedule(session, actor=actor, schedule_id=schedule_id))
    session.flush()


def list_schedules(session: Session, *, actor: User) -> list[Listed]:
    """The actor's own schedules, newest first, each with its latest run (None before the first)."""
    query = (
        select(ReportSchedule).where(ReportSchedule.user_id == actor.id).order_by(ReportSchedule.id.desc())
    )
    schedules = list(session.scalars(query))
    ids = [s.id for s in schedules]
    latest: dict[int, ReportRun] = {}
    runs = select(ReportRun).where(ReportRun.schedule_id.in_(ids)).order_by(ReportRun.period_start)
    for run in session.scalars(runs) if ids else ():
        latest[run.schedule_id] = run
    return [Listed(s, latest.get(s.id)) for s in schedules]


# --- running what is due ---------------------------------------------------------------------------
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
                attempts=1, next_attempt_at=now + CLAIM_FOR,
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
            .where(key, ReportRun.status.in_(("retrying", "sending")), ReportRun.next_attempt_at <= now)
            .values(status="sending", attempts=ReportRun.attempts + 1, next_attempt_at=now + CLAIM_FOR)
            .returning(ReportRun.id)
        ).scalar()
        return claimed


def _deliver(schedule_id: int, run_id: int) -> None:
    """Build the PDF (and CSV) of the run's period in the schedule's language and send it."""
    from core import storage
    from core.presets import DateRange
    from core.reports.mailing import mail_files
    from core.reports.scoped import get_or_create_scope_report, resolve_scope, scope_download_name

    with session_scope() as session:
        schedule = session.get(ReportSchedule, schedule_id)
        run = session.get(ReportRun, run_id)
        actor = schedule.owner
        with use_language(schedule.language):
            scope = resolve_scope(session, actor=actor, account=schedule.account_id, brand=schedule.brand_id)
            span = DateRange(run.period_start, run.period_end)
            files = []
            for fmt in ("pdf", "csv") if schedule.with_csv else ("pdf",):
                report = get_or_create_scope_report(session, actor=actor, scope=scope, span=span, fmt=fmt)
                data = storage.get_store().read_bytes(report.path, session=session)
                files.append((scope_download_name(scope, span, fmt), data))
            title = f"{scope.name} {span.start} – {span.end}"
            mail_files(to=list(schedule.recipients), files=files, title=title)


def _record(run_id: int, now: datetime, error: Exception | None, *, final: bool = False) -> str:
    with session_scope() as session:
        run = session.get(ReportRun, run_id)
        if error is None:
            run.status, run.error, run.sent_at, run.next_attempt_at = "sent", None, utcnow(), None
        elif final or run.attempts >= MAX_ATTEMPTS:
            run.status, run.error, run.next_attempt_at = "failed", str(error), None
        else:
            run.status, run.error = "retrying", str(error)
            run.next_attempt_at = now + RETRY_AFTER * 2 ** (run.attempts - 1)
        return run.status


def run_due(now: datetime | None = None) -> dict[str, int]:
    """Send every schedule's due report (and due retries) as of `now`; the count of runs by outcome."""
    from core.reports.gather import ReportUnavailable

    now = now or utcnow()
    with session_scope() as session:
        schedules = list(session.scalars(select(ReportSchedule).order_by(ReportSchedule.id)))
        session.expunge_all()
    outcome: dict[str, int] = {}
    for schedule in schedules:
        run_id = _claim(schedule, now)
        if run_id is None:
            continue
        try:
            _deliver(schedule.id, run_id)
            status = _record(run_id, now, None)
        except MailError as exc:
            log.warning("schedule %s: sending failed: %s", schedule.id, exc)
            status = _record(run_id, now, exc)
        except (ReportUnavailable, LookupError) as exc:  # nothing to send for that period: no retry helps
            status = _record(run_id, now, exc, final=True)
        except Exception as exc:  # one broken schedule must not stop the others
            log.exception("schedule %s failed", schedule.id)
            status = _record(run_id, now, exc)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
