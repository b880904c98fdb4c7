"""Scheduled delivery, as a user manages it: an account's or a brand's report sent weekly or monthly.

Every function is scoped to the actor: another user's schedule id behaves like a missing one
(ScheduleNotFound); an admin reaches every user's. Sending (what is due, and "send now") is
core.schedule_runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import accounts
from core.accounts.lookup import by_id
from core.i18n import LANGUAGES, _
from core.models import User, utcnow
from core.schedule import CADENCES, next_run_day
from core.schedule_models import ReportRun, ReportSchedule

MAX_RECIPIENTS = 20
EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class ScheduleNotFound(LookupError):
    """No such schedule for this user (another user's schedule looks exactly the same)."""


class ScheduleError(ValueError):
    """The schedule cannot be made as asked; the message says why, in the user's language."""


@dataclass(frozen=True)
class Listed:
    """A schedule as the Reports page lists it."""

    schedule: ReportSchedule
    last_run: ReportRun | None  # the newest run, scheduled or sent by hand (None before the first)
    next_run: date | None  # the day it sends next (None while paused)


def parse_recipients(text: str | list[str]) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; ScheduleError naming a bad one."""
    texts = text if isinstance(text, list) else [text]
    items = [item for t in texts for item in re.split(r"[\s,;]+", t or "")]
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
    return by_id(session, _owned(actor), raw_id=schedule_id, missing=ScheduleNotFound)


def delete_schedule(session: Session, *, actor: User, schedule_id: int | str) -> None:
    session.delete(get_schedule(session, actor=actor, schedule_id=schedule_id))
    session.flush()


def set_paused(session: Session, *, actor: User, schedule_id: int | str, paused: bool) -> ReportSchedule:
    """Pause (nothing is sent, "send now" still works) or resume a schedule."""
    schedule = get_schedule(session, actor=actor, schedule_id=schedule_id)
    schedule.paused = bool(paused)
    session.flush()
    return schedule


def _latest(session: Session, ids: list[int]) -> tuple[dict[int, ReportRun], dict[int, date]]:
    """Per schedule: its newest run, and the period start of its newest scheduled run."""
    newest = (
        select(func.max(ReportRun.id)).where(ReportRun.schedule_id.in_(ids)).group_by(ReportRun.schedule_id)
    )
    runs = {r.schedule_id: r for r in session.scalars(select(ReportRun).where(ReportRun.id.in_(newest)))}
    periods = select(ReportRun.schedule_id, func.max(ReportRun.period_start)).where(
        ReportRun.schedule_id.in_(ids), ReportRun.manual.is_(False)
    )
    return runs, dict(session.execute(periods.group_by(ReportRun.schedule_id)).all())


def list_schedules(session: Session, *, actor: User, today: date | None = None) -> list[Listed]:
    """The actor's schedules (an admin's: every user's), newest first, with the last run and the next."""
    schedules = list(session.scalars(_owned(actor).order_by(ReportSchedule.id.desc())))
    ids = [s.id for s in schedules]
    runs, periods = _latest(session, ids) if ids else ({}, {})
    today = today or utcnow().date()
    listed = []
    for s in schedules:
        upcoming = None if s.paused else next_run_day(
            s.cadence, today=today, created=s.created_at.date(), last_scheduled_start=periods.get(s.id)
        )  # fmt: skip
        listed.append(Listed(s, runs.get(s.id), upcoming))
    return listed


@dataclass(frozen=True)
class Target:
    """An account or a brand a schedule can be made for."""

    kind: str  # "account" or "brand"
    id: int
    name: str
    platform: str | None  # an account's


def targets(session: Session, *, actor: User) -> list[Target]:
    """The actor's own brands, then accounts (an admin's too: never another user's)."""
    found = [Target("brand", b.id, b.name, None) for b in accounts.list_brands(session, actor=actor)]
    found += [
        Target("account", a.id, a.name, a.platform) for a in accounts.list_accounts(session, actor=actor)
    ]
    return found
