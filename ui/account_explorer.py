"""The Explorer on accounts and brands: pick them, pick a date preset, see the merged timelines.

Data from core.scope_view; charts and tables from ui.explorer_charts, as for single files. The
address carries the choice (?account=<id>&brand=<id>), so a view can be bookmarked or shared.
"""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from core import analytics, presets, scope_view
from core.db import session_scope
from core.formatting import date_range, platform_name
from core.i18n import _, get_language, use_language
from core.models import User
from core.reports import scoped as reports
from ui import charts
from ui.address_picker import address_picker
from ui.explorer_charts import DATE_INPUT, charts_section, grain_picker, top_label, top_posts_table
from ui.kpis import kpi_card
from ui.reports import BUTTONS, download_button

PICK = "explorer_scopes"
_ASKED = "explorer_scopes_asked"
MAX_SCOPES = 4
KPIS = ("views", "engagements", "er_views", "subs_growth")


def asked() -> list[str]:
    """The accounts and brands the address names, as choice keys."""
    return [f"{scope_view.ACCOUNT}:{a}" for a in st.query_params.get_all("account")] + [
        f"{scope_view.BRAND}:{b}" for b in st.query_params.get_all("brand")
    ]


def _pick(options: dict[str, str]) -> list[str]:
    chosen = address_picker(
        _("Accounts and brands"),
        options,
        wanted=asked(),
        key=PICK,
        asked_key=_ASKED,
        limit=MAX_SCOPES,
        missing=_("That account or brand is not available: it may have been deleted, or not be yours."),
        help=_("Pick two or more to compare them: two channels, or a brand's platforms."),
    )
    st.query_params["account"] = [c.partition(":")[2] for c in chosen if c.startswith(scope_view.ACCOUNT)]
    st.query_params["brand"] = [c.partition(":")[2] for c in chosen if c.startswith(scope_view.BRAND)]
    return chosen


def _range_controls() -> tuple[str, str, date | None, date | None]:
    left, middle, right = st.columns(3)
    preset = left.selectbox(
        _("Dates"), list(presets.PRESETS), index=list(presets.PRESETS).index("all"),
        format_func=lambda p: _(presets.PRESETS[p]), key="explorer_preset",
        help=_("Counted back from the last date the data has (exports lag the calendar)."),
    )  # fmt: skip
    compare = middle.selectbox(
        _("Compared with"),
        list(presets.COMPARISONS),
        format_func=lambda c: _(presets.COMPARISONS[c]),
        key="explorer_compare",
    )
    start = end = None
    if preset == "custom":
        picked = right.date_input(
            _("From – to"), value=(), key="explorer_custom", format=DATE_INPUT[get_language()]
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            start, end = picked
    return preset, compare, start, end


def _report_buttons(user: User, view: scope_view.ScopeView, *, key: str) -> None:
    kind, ident = view.scope.kind, view.scope.id
    with st.container(horizontal=True, key=f"{key}_downloads_{kind}_{ident}"):
        for fmt, label, icon in BUTTONS:
            produce = partial(
                _scope_bytes,
                user_id=user.id,
                kind=kind,
                ident=ident,
                start=view.span.start,
                end=view.span.end,
                fmt=fmt,
                language=get_language(),  # the bytes are made on click, outside this run
            )
            download_button(
                _(label),
                produce=produce,
                name=reports.scope_download_name(view.scope, view.span, fmt),
                fmt=fmt,
                key=f"{key}_{fmt}_{kind}_{ident}",
                icon=icon,
                help=_("Builds the report of this range (or reuses the last one) and downloads it."),
            )


def _scope_bytes(
    *, user_id: int, kind: str, ident: str, start: date, end: date, fmt: str, language: str
) -> bytes:
    """What a report button downloads, in the page's language: access is checked again in core, at click time."""
    with use_language(language):
        _name, data = reports.download_scope(user_id=user_id, start=start, end=end, fmt=fmt, **{kind: ident})
    return data


def _header(user: User, view: scope_view.ScopeView, *, grain: str) -> None:
    st.markdown(f"**{view.label}** · {date_range(view.span.start, view.span.end)}")
    notes = [
        view.provenance,
        _("compared with {range}").format(range=date_range(view.before.start, view.before.end)),
    ]
    if view.span.partial:
        notes.append(_("the period is not over yet: its figures are partial"))
    if view.partial:
        shown = ", ".join(
            date_range(b, min(presets.bucket_end(b, grain), view.span.end)) for b in sorted(view.partial)
        )
        notes.append(_("incomplete buckets, not dips: {buckets}").format(buckets=shown))
    st.caption(" · ".join(notes))
    if view.summary:
        st.info(" ".join(view.summary), icon=":material/notes:")
    result = view.result
    for col, code in zip(st.columns(len(KPIS)), KPIS, strict=True):
        with col:
            kpi_card(
                code=code,
                current=result.current.get(code),
                previous=result.previous.get(code),
                previous_range=date_range(result.previous_start, result.previous_end),
            )
    _report_buttons(user, view, key="explorer_scope_report")


def render(user: User) -> None:
    """The account/brand Explorer; says what to do when the user has no account yet."""
    with session_scope() as session:
        options = scope_view.choices(session, actor=user)
    if not options:
        st.info(_("No account yet: upload an export and it becomes an account here."))
        return
    chosen = _pick(options)
    if not chosen:
        st.info(_("Pick an account or a brand to explore."))
        return
    preset, compare, start, end = _range_controls()
    grain_col, order_col = st.columns(2, vertical_alignment="bottom")
    order = order_col.selectbox(_("Top posts by"), analytics.TOP_ORDERS, format_func=top_label,
                                key="explorer_top_order")  # fmt: skip
    found = []
    with session_scope() as session:
        for choice in chosen:
            scope = scope_view.scope_of(session, actor=user, choice=choice)
            spans = scope_view.span_of(
                scope, preset=preset, compare=compare, start=start, end=end, session=session
            )
            if spans is None:
                st.caption(_("{name}: no ready export yet.").format(name=options[choice]))
                continue
            found.append((scope, *spans))
        suggested = presets.grain_of_longest([(span.start, span.end) for _scope, span, _before in found])
        grain = grain_picker(grain_col, suggested)
        views = [
            scope_view.view(session, scope, span=span, before=before, grain=grain, order=order)
            for scope, span, before in found
        ]
    if not views:
        return
    _unique(views)
    for view in views:
        with st.container(border=True, key=f"explorer_scope_{view.scope.kind}_{view.scope.id}"):
            _header(user, view, grain=grain)
    per = "post" if all(v.scope.row_kind == "posts" for v in views) else "day"
    charts_section(
        {v.label: v.series for v in views},
        {v.label: v.weekdays for v in views},
        per=per,
        grain=grain,
        align=False,
        partial={v.label: v.partial for v in views},
        hours={v.label: v.hours for v in views},
        online={v.label: v.online for v in views},
    )
    with_posts = [v for v in views if v.top]
    if with_posts:
        st.subheader(_("Top posts"))
        for view in with_posts:
            if len(with_posts) > 1:
                st.markdown(f"**{view.label}**")
            top_posts_table(view.top, key=f"explorer_top_{view.scope.kind}_{view.scope.id}")
    for view in views:
        if view.breakdown:
            st.subheader(_("{name} by platform").format(name=view.label))
            st.html(charts.metric_table(view.breakdown))
    st.subheader(_("All metrics"))
    st.caption(_("Over each range shown. Hover a metric's name for its definition."))
    st.html(charts.metric_table({v.label: v.result.current for v in views}))


def _unique(views: list[scope_view.ScopeView]) -> None:
    """Name each view as the picker does (an account with its platform), apart even when names repeat."""
    seen: dict[str, int] = {}
    for view in views:
        scope = view.scope
        label = scope.name
        if scope.kind == scope_view.ACCOUNT:
            label += f" · {platform_name(scope.accounts[0][2])}"
        seen[label] = seen.get(label, 0) + 1
        view.label = label if seen[label] == 1 else f"{label} ({seen[label]})"
