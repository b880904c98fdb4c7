"""The Reports page's scheduled delivery: a form that makes a schedule, and the user's schedules with
their last and next run, pause/resume, send now and delete (with a confirmation).

Every change runs in a widget callback, before the page is drawn, so the list below already shows
it; its outcome is kept in the session and shown once, at the top of the section.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from core import schedule_runs, schedules
from core.config import get_settings
from core.db import session_scope
from core.formatting import platform_name
from core.i18n import LANGUAGES, N_, _, fmt_date, fmt_datetime, get_language, ngettext
from core.models import User
from core.schedule import CADENCES
from core.schedule_models import ReportRun, ReportSchedule
from ui import language

_FLASH = "schedules_flash"  # (kind, text) of the last change, shown once
_CONFIRM = "schedules_confirm_delete"  # the id of the schedule whose deletion awaits a confirmation
STATUSES = {  # a run's status: its label (translated where shown) and badge colour
    "sent": (N_("sent"), "green"),
    "sending": (N_("sending"), "blue"),
    "retrying": (N_("retrying"), "orange"),
    "failed": (N_("failed"), "red"),
}


def cadence_label(cadence: str) -> str:
    if cadence == "weekly":
        return _("Weekly: every Monday, the previous week")
    return _("Monthly: on the 1st, the previous month")


def _target_label(kind: str, name: str, platform: str | None) -> str:
    if kind == "brand":
        return _("{name} (brand)").format(name=name)
    return _("{name} ({platform} account)").format(name=name, platform=platform_name(platform))


def _schedule_label(schedule: ReportSchedule) -> str:
    if schedule.brand is not None:
        return _target_label("brand", schedule.brand.name, None)
    return _target_label("account", schedule.account.name, schedule.account.platform)


def utc_moment(value: datetime) -> str:
    """A stored time in UTC, in the reader's format (SQLite hands back naive times, stored in UTC)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return _("{moment} UTC").format(moment=fmt_datetime(aware))


def _flash(kind: str, text: str) -> None:
    st.session_state[_FLASH] = (kind, text)


def _run_change(change, done: str, user_id: int) -> None:
    """A callback: `change(session, actor)` in one transaction, then `done` (or why it failed)."""
    language.restore()  # a callback runs before the router sets this run's language
    try:
        with session_scope() as session:
            change(session, session.get(User, user_id))
    except schedules.ScheduleNotFound:
        _flash("error", _("That schedule no longer exists."))
        return
    _flash("success", done)


def _create(user_id: int, choices: dict[str, tuple[str, int]]) -> None:
    language.restore()
    state = st.session_state
    kind, target_id = choices.get(state.get("schedule_target"), (None, None))
    try:
        with session_scope() as session:
            schedules.create_schedule(
                session, actor=session.get(User, user_id), cadence=state["schedule_cadence"],
                recipients=state.get("schedule_recipients") or "", language=state["schedule_language"],
                with_csv=bool(state.get("schedule_csv")),
                **({"brand_id": target_id} if kind == "brand" else {"account_id": target_id}),
            )  # fmt: skip
    except schedules.ScheduleError as exc:
        _flash("error", str(exc))
        return
    except LookupError:  # the account or brand went away meanwhile
        _flash("error", _("That account or brand no longer exists."))
        return
    state["schedule_recipients"] = ""
    _flash("success", _("Schedule created."))


def _send_now(user_id: int, schedule_id: int) -> None:
    language.restore()
    try:
        run = schedule_runs.send_now(user_id=user_id, schedule_id=schedule_id)
    except schedules.ScheduleNotFound:
        _flash("error", _("That schedule no longer exists."))
        return
    span = f"{fmt_date(run.period_start)} – {fmt_date(run.period_end)}"
    if run.status == "sent":
        _flash("success", _("The report for {span} was sent.").format(span=span))
    else:
        _flash("error", _("The report for {span} was not sent: {error}").format(span=span, error=run.error))


def schedule_form(user: User) -> None:
    """The form that makes a schedule of one of the user's own accounts or brands."""
    with session_scope() as session:
        found = schedules.targets(session, actor=user)
    if not found:
        st.info(_("Upload an export first: schedules send an account's or a brand's report."),
                icon=":material/schedule_send:")  # fmt: skip
        return
    choices = {f"{t.kind}:{t.id}": (t.kind, t.id) for t in found}
    labels = {f"{t.kind}:{t.id}": _target_label(t.kind, t.name, t.platform) for t in found}
    codes = list(LANGUAGES)
    with st.form("schedule_form", border=True):
        st.markdown("**" + _("New schedule") + "**")
        st.selectbox(_("Account or brand"), list(choices), format_func=labels.get, key="schedule_target")
        st.radio(_("When"), CADENCES, format_func=cadence_label, key="schedule_cadence")
        st.text_area(
            _("Send to"), key="schedule_recipients", placeholder="client@example.com, boss@example.com",
            help=_("E-mail addresses, separated by commas, spaces or new lines."),
        )  # fmt: skip
        st.selectbox(_("Language of the report"), codes, index=codes.index(get_language()),
                     format_func=LANGUAGES.get, key="schedule_language")  # fmt: skip
        st.checkbox(_("Attach the CSV too (the PDF is always attached)"), key="schedule_csv")
        st.form_submit_button(_("Create schedule"), icon=":material/add_alarm:", type="primary",
                              on_click=_create, args=(user.id, choices), key="schedule_create")  # fmt: skip


def _last_run(run: ReportRun | None) -> None:
    if run is None:
        st.caption(_("Not sent yet."))
        return
    how = _("sent by hand") if run.manual else _("scheduled")
    span = f"{fmt_date(run.period_start)} – {fmt_date(run.period_end)}"
    when = utc_moment(run.started_at or run.sent_at) if (run.started_at or run.sent_at) else "—"
    line = _("Last run {when} ({how}), {span}:").format(when=when, how=how, span=span)
    label, colour = STATUSES.get(run.status, (run.status, "gray"))
    st.markdown(f"{line} :{colour}-badge[{_(label)}]")
    if run.status == "retrying":
        retry = utc_moment(run.next_attempt_at) if run.next_attempt_at else "—"
        st.caption(_("Trying again at {when}. The error: {error}").format(when=retry, error=run.error))
    elif run.status == "failed":
        st.error(run.error or _("No reason was recorded."), icon=":material/error:")


def _buttons(user: User, schedule: ReportSchedule, label: str) -> None:
    sid = schedule.id
    with st.container(horizontal=True, key=f"schedule_actions_{sid}"):
        st.button(_("Send now"), key=f"schedule_send_{sid}", icon=":material/send:", on_click=_send_now,
                  args=(user.id, sid), help=_("Sends the latest complete period now; it is recorded as a run."))  # fmt: skip
        pause = not schedule.paused  # what the button does: pause a running schedule, resume a paused one
        done = _("Paused: {name}.") if pause else _("Resumed: {name}.")
        st.button(
            _("Pause") if pause else _("Resume"), key=f"schedule_pause_{sid}",
            icon=":material/pause:" if pause else ":material/play_arrow:", on_click=_run_change,
            args=(lambda s, a: schedules.set_paused(s, actor=a, schedule_id=sid, paused=pause),
                  done.format(name=label), user.id),
        )  # fmt: skip
        if st.session_state.get(_CONFIRM) != sid:
            st.button(_("Delete"), key=f"schedule_delete_{sid}", icon=":material/delete:",
                      on_click=lambda: st.session_state.update({_CONFIRM: sid}))  # fmt: skip
            return
    st.warning(_("Delete the schedule of {name}? Its run history goes with it.").format(name=label))
    with st.container(horizontal=True, key=f"schedule_confirm_{sid}"):
        st.button(
            _("Delete for good"), key=f"schedule_yes_{sid}", type="primary", icon=":material/delete_forever:",
            on_click=_run_change,
            args=(lambda s, a: schedules.delete_schedule(s, actor=a, schedule_id=sid),
                  _("Deleted: {name}.").format(name=label), user.id),
        )  # fmt: skip
        st.button(
            _("Keep it"), key=f"schedule_no_{sid}", on_click=lambda: st.session_state.pop(_CONFIRM, None)
        )


def _schedule_row(user: User, listed: schedules.Listed) -> None:
    schedule = listed.schedule
    label = _schedule_label(schedule)
    with st.container(border=True, key=f"schedule_row_{schedule.id}"):
        st.markdown(f"**{label}**")
        if user.is_admin:
            st.caption(_("Owner: {email}").format(email=schedule.owner.email))
        files = "PDF + CSV" if schedule.with_csv else "PDF"
        st.write(f"{cadence_label(schedule.cadence)} · {LANGUAGES[schedule.language]} · {files}")
        st.write(_("To: {addresses}").format(addresses=", ".join(schedule.recipients)))
        if listed.next_run is None:
            st.markdown(":gray-badge[:material/pause: " + _("Paused") + "]")
        else:
            st.write(_("Next run: {day}").format(day=fmt_date(listed.next_run)))
        _last_run(listed.last_run)
        _buttons(user, schedule, label)


def schedules_section(user: User) -> None:
    """Scheduled delivery: the outcome of the last change, the user's schedules, and the form."""
    st.subheader(_("Scheduled delivery"))
    if not get_settings().smtp_url:
        st.warning(
            _("E-mail is off on this server (SMTP_URL is not set): schedules are kept but nothing is sent.")
        )
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])
    with session_scope() as session:
        listed = schedules.list_schedules(session, actor=user)
    if listed:
        st.caption(ngettext("{n} schedule", "{n} schedules", len(listed)).format(n=len(listed)))
        if user.is_admin:
            st.caption(_("As an administrator you see every user's schedules, with their owner."))
    for entry in listed:
        _schedule_row(user, entry)
    schedule_form(user)
