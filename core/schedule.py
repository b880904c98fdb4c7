"""When scheduled reports are due, as pure functions of the date (tested at chosen times, never by sleeping).

Weekly: every Monday, the previous Monday–Sunday. Monthly: every 1st, the previous calendar month.
A run missed (the app was down on the Monday) is still due afterwards, until a newer due day replaces it.
"""

from __future__ import annotations

from datetime import date, timedelta

CADENCES = ("weekly", "monthly")


def _check(cadence: str) -> None:
    if cadence not in CADENCES:
        raise ValueError(f"cadence must be one of {', '.join(CADENCES)}, not {cadence!r}")


def last_due_day(cadence: str, today: date) -> date:
    """The most recent day on or before `today` on which the cadence sends (a Monday, or a 1st)."""
    _check(cadence)
    if cadence == "weekly":
        return today - timedelta(days=today.weekday())
    return today.replace(day=1)


def period_for(cadence: str, due_day: date) -> tuple[date, date]:
    """The range a run on `due_day` reports: the week or the month before it."""
    _check(cadence)
    if cadence == "weekly":
        return due_day - timedelta(days=7), due_day - timedelta(days=1)
    end = due_day.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def due_period(
    cadence: str, *, today: date, created: date, last_sent_end: date | None
) -> tuple[date, date] | None:
    """The range to send now, or None: the latest due day's period, unless it was sent already or the
    schedule did not exist yet on that day (a schedule made on a Wednesday first sends next Monday)."""
    day = last_due_day(cadence, today)
    if created > day:
        return None
    start, end = period_for(cadence, day)
    if last_sent_end is not None and last_sent_end >= end:
        return None
    return start, end


def next_due_day(cadence: str, today: date) -> date:
    """The first day after `today` on which the cadence sends (the next Monday, or the next 1st)."""
    _check(cadence)
    if cadence == "weekly":
        return today + timedelta(days=7 - today.weekday())
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def next_run_day(cadence: str, *, today: date, created: date, last_scheduled_start: date | None) -> date:
    """The day the schedule sends next: today while the latest due day's period is still unsent (the
    next pass of the runner takes it), else the next due day."""
    due = due_period(cadence, today=today, created=created, last_sent_end=None)
    if due is not None and (last_scheduled_start is None or last_scheduled_start < due[0]):
        return today
    return next_due_day(cadence, today)
