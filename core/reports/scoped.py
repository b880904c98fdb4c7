"""Reports of an account or a brand over a date range: titled with its name, reused while its data is unchanged.

The same ReportData, PDF and CSV as a file's report, gathered through the merged timeline; a
brand's report adds a per-platform line (its sums, ratios recomputed from them).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import activity, analytics, metrics, storage, timeline
from core import hours as post_hours
from core.db import session_scope
from core.i18n import get_language
from core.models import Account, Brand, ReportExport, SocialFile, User, utcnow
from core.parsing.profiles import PLATFORMS
from core.presets import DateRange
from core.reports.content import Kpi, Letterhead, ReportData
from core.reports.gather import (
    ReportUnavailable,
    _points,
    _top_posts,
    _weekdays,
    by_hour,
    grain_for,
    render,
    roll_up,
)
from core.reports.service import _check_format, safe_stem
from core.reports.summary import summarise


def _breakdown(session: Session, scope: timeline.Scope, span: DateRange) -> list[str]:
    """One line per platform of a brand: views, engagements and ER by views from that platform's sums."""
    if scope.kind != "brand" or len(scope.platforms) < 2:
        return []
    lines = []
    for platform in scope.platforms:
        part = timeline.sub_scope(scope, platform=platform)
        values = metrics.catalogue(
            analytics.daily(session, file=part, start=span.start, end=span.end), file=part
        )
        shown = ", ".join(
            f"{metrics.BY_CODE[c].name.lower()} {metrics.display(code=c, value=values[c])}"
            for c in ("views", "engagements", "er_views")
        )
        lines.append(f"{PLATFORMS.get(platform, platform)}: {shown}.")
    return lines


def scope_report_data(
    session: Session,
    *,
    scope: timeline.Scope,
    span: DateRange,
    generated_at: datetime,
    before: DateRange | None = None,
) -> ReportData:
    """Everything the report of an account or brand over `span` shows, compared with `before`
    (by default the range of the same length just before)."""
    if not scope.files and activity.bounds(session, scope=scope) is None:
        raise ReportUnavailable(f'"{scope.name}" has no ready files yet.')
    if before is None:
        previous_end = span.start - timedelta(days=1)
        previous_start = previous_end - (span.end - span.start)
    else:
        previous_start, previous_end = before.start, before.end
    both = analytics.daily(session, file=scope, start=min(previous_start, span.start), end=span.end)
    days = [d for d in both if span.start <= d.date <= span.end]
    before_days = [d for d in both if previous_start <= d.date <= previous_end]
    # best_hour needs the hours posts were published at (without them it would always be empty here).
    now_hours = post_hours.hourly(session, file=scope, start=span.start, end=span.end)
    then_hours = post_hours.hourly(session, file=scope, start=previous_start, end=previous_end)
    result = metrics.MetricResult(
        span.start, span.end, previous_start, previous_end,
        metrics.catalogue(days, file=scope, hours=now_hours), metrics.catalogue(before_days, file=scope, hours=then_hours),
    )  # fmt: skip
    kpis = [
        Kpi(m.code, m.label, m.explanation, m.kind, result.current.get(m.code), result.previous.get(m.code))
        for m in metrics.CATALOGUE
    ]
    grain = grain_for(span.start, span.end)
    daily = _points(analytics.series_from_days(days, file=scope, grain="day"))
    posts, order = _top_posts(session, file=scope, start=span.start, end=span.end)
    hours, online = by_hour(session, file=scope, start=span.start, end=span.end)
    best = result.current.get("best_hour")
    platforms = scope.platforms
    data = ReportData(
        file_name=scope.name,
        platform=platforms[0] if len(platforms) == 1 else " + ".join(PLATFORMS.get(p, p) for p in platforms),
        row_kind=scope.row_kind if scope.row_kind in ("posts", "days") else "days",
        period_start=span.start,
        period_end=span.end,
        previous_start=result.previous_start,
        previous_end=result.previous_end,
        generated_at=generated_at,
        kpis=kpis,
        daily=daily,
        chart_series=roll_up(daily, grain=grain, start=span.start, end=span.end),
        grain=grain,
        weekdays=_weekdays(analytics.weekdays_from_days(days)),
        top_posts=posts,
        top_order=order,
        warnings=[timeline.provenance(scope).text + ".", *_breakdown(session, scope, span)],
        title=scope.name,
        letterhead=letterhead(session, scope),
        best_hour=None if best is None else int(best),
        hours=hours,
        online=online,
    )
    return replace(data, summary=summarise(data))


def letterhead(session: Session, scope: timeline.Scope) -> Letterhead | None:
    """The brand on the report: the brand itself, or the account's brand; None without one."""
    if scope.kind == "brand":
        brand = session.get(Brand, int(scope.id))
    elif scope.kind == "account":
        account = session.get(Account, int(scope.id))
        brand = account.brand if account is not None else None
    else:
        brand = None
    if brand is None:
        return None
    return Letterhead(
        name=brand.name, colour=brand.colour, logo=Path(brand.logo_path) if brand.logo_path else None
    )


def _data_key(session: Session, scope: timeline.Scope) -> str:
    """A digest of the files (and their versions) behind the scope: new data, new report."""
    ids = [p.id for p in scope.files]
    versions = session.execute(select(SocialFile.id, SocialFile.version).where(SocialFile.id.in_(ids))).all()
    text = ";".join(sorted(f"{i}:{v}" for i, v in versions)) + f"|{scope.accounts}"
    # The language and the letterhead are part of what the report says: a new one, a new report.
    head = letterhead(session, scope)
    text += f"|{get_language()}|{head}"
    return f"{get_language()}:" + hashlib.sha256(text.encode()).hexdigest()[:61]  # String(64)


def scope_download_name(scope: timeline.Scope, span: DateRange, fmt: str) -> str:
    """`<account or brand name>_<start>_<end>.<fmt>`, safe for a file system and a header."""
    return f"{safe_stem(scope.name)}_{span.start}_{span.end}.{fmt}"


def _owner_column(scope: timeline.Scope):
    return ReportExport.account_id if scope.kind == "account" else ReportExport.brand_id


def get_or_create_scope_report(
    session: Session, *, actor: User, scope: timeline.Scope, span: DateRange, fmt: str
) -> ReportExport:
    """The report of the scope (from account_scope / brand_scope, so already the actor's) over `span`:
    a ready one for the same data and range is reused, else it is built now."""
    fmt = _check_format(fmt)
    key = _data_key(session, scope)
    if session.get_bind().dialect.name == "postgresql":  # two clicks make one report
        lock = f"report:{scope.kind}:{scope.id}:{fmt}:{span.start}:{span.end}"
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(lock))))
    column = _owner_column(scope)
    query = select(ReportExport).where(
        column == int(scope.id),
        ReportExport.format == fmt,
        ReportExport.range_start == span.start,
        ReportExport.range_end == span.end,
        ReportExport.data_key == key,
    )
    store = storage.get_store()
    found = next((r for r in session.scalars(query) if store.exists(r.path, session=session)), None)
    if found is not None:
        return found
    now = utcnow()
    data = render(scope_report_data(session, scope=scope, span=span, generated_at=now), fmt=fmt)
    report = ReportExport(
        id=uuid.uuid4(), user_id=actor.id, format=fmt, range_start=span.start, range_end=span.end
    )
    setattr(report, column.key, int(scope.id))
    report.path = store.key("reports", f"{report.id}.{fmt}")
    report.data_key, report.size_bytes, report.created_at = key, len(data), now
    store.write(report.path, [data], session=session)
    _drop_superseded(session, column == int(scope.id), fmt=fmt, span=span, key=key)
    session.add(report)
    session.flush()
    return report


def _drop_superseded(session: Session, owner, *, fmt: str, span: DateRange, key: str) -> None:
    """Delete the reports (rows and bytes) of the same scope, format, range and language that the new
    one replaces: built from older data or letterhead, never reused again. Reports in another
    language stay until their own rebuild; nothing else names a report (a schedule's run and an
    e-mail carry a copy of its bytes)."""
    language = key.split(":", 1)[0]
    storage.delete_reports(
        session, owner, ReportExport.format == fmt, ReportExport.range_start == span.start,
        ReportExport.range_end == span.end, ReportExport.data_key != key,
        # Keys from before the language prefix are never reused either.
        ReportExport.data_key.like(f"{language}:%") | ~ReportExport.data_key.contains(":"),
    )  # fmt: skip


def resolve_scope(
    session: Session, *, actor: User, account: str | int | None = None, brand: str | int | None = None
) -> timeline.Scope:
    """The actor's account or brand by id or name as a timeline scope (NotFound for anyone else's)."""
    from core import accounts

    if (account is None) == (brand is None):
        raise ValueError("Give an account or a brand.")
    if account is not None:
        found = accounts.find_account(session, actor=actor, ref=str(account))
        return timeline.account_scope(session, actor=actor, account_id=found.id)
    found = accounts.find_brand(session, actor=actor, ref=str(brand))
    return timeline.brand_scope(session, actor=actor, brand_id=found.id)


def scope_span(
    session: Session, scope: timeline.Scope, *, start: date | None, end: date | None, period_days: int | None
) -> DateRange:
    """The range of a report: given, or the last `period_days` of the timeline, or all of it."""
    from core.presets import pick_range

    first, last = analytics.date_bounds(session, file=scope) if scope.files else (None, None)
    if last is None:  # an account with only follower activity: its days
        first, last = activity.bounds(session, scope=scope) or (None, None)
    span = pick_range(first=first, last=last, start=start, end=end, period_days=period_days)
    if span is None:
        raise ReportUnavailable(f'"{scope.name}" has no data yet.')
    return span


def download_scope(
    *, user_id: int, account: str | int | None = None, brand: str | int | None = None,
    start: date | None = None, end: date | None = None, period_days: int | None = None, fmt: str,
) -> tuple[str, bytes]:  # fmt: skip
    """One click in the dashboard: (download name, bytes) of an account's or brand's report."""
    with session_scope() as session:
        actor = session.get(User, user_id)
        scope = resolve_scope(session, actor=actor, account=account, brand=brand)
        span = scope_span(session, scope, start=start, end=end, period_days=period_days)
        report = get_or_create_scope_report(session, actor=actor, scope=scope, span=span, fmt=fmt)
        return scope_download_name(scope, span, report.format), storage.get_store().read_bytes(
            report.path, session=session
        )


def cli_scope_report(
    *, actor: User, account: str | None, brand: str | None, start: date | None, end: date | None,
    period_days: int | None, fmt: str, out: Path | None,
) -> Path:  # fmt: skip
    """`python -m core report --account/--brand`: write the report to `out` (a directory: its name inside)."""
    with session_scope() as session:
        actor = session.merge(actor)
        scope = resolve_scope(session, actor=actor, account=account, brand=brand)
        span = scope_span(session, scope, start=start, end=end, period_days=period_days)
        report = get_or_create_scope_report(session, actor=actor, scope=scope, span=span, fmt=fmt)
        name = scope_download_name(scope, span, report.format)
        out = Path(out) if out else Path.cwd()
        target = out / name if out.is_dir() else out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(storage.get_store().read_bytes(report.path, session=session))
    return target
