"""What the Explorer shows of an account or a brand: its merged timeline over a preset range.

The range is a preset (core.presets) anchored on the timeline's own last date — exports lag behind
the calendar — and compared with the previous period of the same length or the same dates a year
earlier. Everything is aggregated in the database: at most one row per date reaches Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy.orm import Session

from core import accounts, activity, analytics, best_hour, memo, metrics, presets, timeline
from core.formatting import platform_name
from core.i18n import get_language, ngettext
from core.models import User, utcnow
from core.reports.content import Kpi, Point, ReportData
from core.reports.gather import _top_posts
from core.reports.scoped import scope_report_data
from core.reports.summary import summarise

TOP_POSTS = 20
ACCOUNT, BRAND = "account", "brand"


@dataclass
class ScopeView:
    """One account's or brand's figures over a range, with the comparison range's catalogue."""

    scope: timeline.Scope
    label: str
    span: presets.DateRange
    before: presets.DateRange
    provenance: str
    result: metrics.MetricResult
    series: pd.DataFrame
    weekdays: pd.DataFrame
    partial: set[date] = field(default_factory=set)
    top: list[dict] = field(default_factory=list)
    breakdown: dict[str, dict] = field(default_factory=dict)  # brand: {platform: catalogue}
    summary: list[str] = field(default_factory=list)  # the written summary, in the current language
    hours: pd.DataFrame | None = None  # engagements by hour posted (core.best_hour); None without times
    online: pd.DataFrame | None = None  # followers online by hour (core.activity); None without activity


def choices(session: Session, *, actor: User) -> dict[str, str]:
    """{"account:<id>" | "brand:<id>": label} of everything the actor may explore (their own)."""
    out = {}
    for brand in accounts.list_brands(session, actor=actor):
        members = accounts.brand_accounts(session, actor=actor, brand_id=brand.id)
        label = ngettext("{name} (brand, {n} account)", "{name} (brand, {n} accounts)", len(members))
        out[f"{BRAND}:{brand.id}"] = label.format(name=brand.name, n=len(members))
    for account in accounts.list_accounts(session, actor=actor):
        out[f"{ACCOUNT}:{account.id}"] = f"{account.name} · {platform_name(account.platform)}"
    return out


def scope_of(session: Session, *, actor: User, choice: str) -> timeline.Scope:
    """The timeline scope of a choice key (AccountNotFound / BrandNotFound for anyone else's)."""
    kind, _, ident = choice.partition(":")
    if kind == BRAND:
        return timeline.brand_scope(session, actor=actor, brand_id=ident)
    if kind == ACCOUNT:
        return timeline.account_scope(session, actor=actor, account_id=ident)
    raise accounts.AccountNotFound(choice)


def span_of(
    scope: timeline.Scope,
    *,
    preset: str,
    compare: str,
    start: date | None = None,
    end: date | None = None,
    session: Session | None = None,
) -> tuple[presets.DateRange, presets.DateRange] | None:
    """(range shown, range compared with) of a preset on this scope's data; None without data.
    With `session`, a scope with no timeline rows is anchored on its follower activity's days."""
    known = timeline.provenance(scope)
    first, last = known.first, known.last
    if last is None and session is not None:
        first, last = activity.bounds(session, scope=scope) or (None, None)
    if last is None:
        return None
    span = presets.resolve(preset, anchor=last, first=first, start=start, end=end)
    return span, presets.compare(span, mode=compare)


def view(
    session: Session,
    scope: timeline.Scope,
    *,
    span: presets.DateRange,
    before: presets.DateRange,
    grain: str,
    order: str,
) -> ScopeView:
    """The scope's series, weekdays, catalogue against `before`, top posts, brand breakdown and summary.

    Kept while the data is unchanged (core.memo): a rerun of the page that asks the same costs nothing.
    """
    args = (scope.name, span, before, grain, order, get_language())
    kept = memo.kept("view", scope, args, lambda: _view(session, scope, span, before, grain, order))
    # Follower activity is no timeline file (core.activity): read afresh, one small query.
    return replace(kept, online=activity.by_hour(session, scope=scope, start=span.start, end=span.end))


def _view(session: Session, scope, span, before, grain: str, order: str) -> ScopeView:
    days = analytics.daily(session, file=scope, start=span.start, end=span.end)
    result = metrics.compute_range(
        session,
        file=scope,
        start=span.start,
        end=span.end,
        previous_start=before.start,
        previous_end=before.end,
    )
    out = ScopeView(
        scope,
        scope.name,
        span,
        before,
        timeline.provenance(scope).text,
        result,
        analytics.series_from_days(days, file=scope, grain=grain),
        analytics.weekdays_from_days(days),
        presets.partial_buckets(grain=grain, start=span.start, end=span.end),
    )
    if scope.has_posts:
        ranked = order if order in analytics.TOP_ORDERS else (analytics.top_order(scope) or "views")
        out.top = analytics.top_posts(
            session, file=scope, start=span.start, end=span.end, order_by=ranked, limit=TOP_POSTS
        )
        out.hours = best_hour.hourly_engagements(session, file=scope, start=span.start, end=span.end)
    if scope.kind == BRAND and len(scope.platforms) > 1:
        for platform in scope.platforms:
            part = timeline.sub_scope(scope, platform=platform)
            part_days = analytics.daily(session, file=part, start=span.start, end=span.end)
            out.breakdown[platform_name(platform)] = metrics.catalogue(part_days, file=part)
    out.summary = _summary(session, scope, span, result, days) if scope.files else []
    return out


def summary(
    session: Session,
    scope: timeline.Scope,
    *,
    span: presets.DateRange,
    before: presets.DateRange,
    now: datetime | None = None,
) -> list[str]:
    """The report's written summary of `scope` over `span` against `before`, in the current language."""
    data = scope_report_data(session, scope=scope, span=span, before=before, generated_at=now or utcnow())
    return data.summary


def _summary(session: Session, scope, span, result: metrics.MetricResult, days: list) -> list[str]:
    """`summary` from what the view has read already (the catalogue against `before`, the days): the
    same sentences as the report's, without gathering the rest of a report (its hours, letterhead,
    breakdown); the report's top posts are the ones its PDF reads (kept: core.memo)."""
    posts, order = _top_posts(session, file=scope, start=span.start, end=span.end)
    kpis = [
        Kpi(m.code, m.label, m.explanation, m.kind, result.current.get(m.code), result.previous.get(m.code))
        for m in metrics.CATALOGUE
    ]
    best = result.current.get("best_hour")
    data = ReportData(
        file_name=scope.name, platform=None, row_kind=scope.row_kind, period_start=span.start,
        period_end=span.end, previous_start=result.previous_start, previous_end=result.previous_end,
        generated_at=utcnow(), kpis=kpis, daily=[Point(day=d) for d in sorted({d.date for d in days})],
        top_posts=posts, top_order=order, best_hour=None if best is None else int(best),
    )  # fmt: skip
    return summarise(data)


def opening_view(session: Session, *, actor: User) -> ScopeView | None:
    """The view the Explorer opens on when nothing is asked (its first choice, the whole timeline
    against the period before, the range's grouping, top posts by views), computed and kept (core.memo):
    what the Dashboard prefetches, so that the first click on the Explorer finds it. None without data."""
    options = choices(session, actor=actor)
    if not options:
        return None
    scope = scope_of(session, actor=actor, choice=next(iter(options)))
    spans = span_of(scope, preset="all", compare="previous", session=session)
    if spans is None:
        return None
    grain = presets.grain_for(spans[0].start, spans[0].end)
    return view(session, scope, span=spans[0], before=spans[1], grain=grain, order=analytics.TOP_ORDERS[0])
