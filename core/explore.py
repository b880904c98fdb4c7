"""What the Explorer shows of files: their aggregates over a date range, fetched side by side and kept.

Everything is aggregated in the database (core.analytics): at most one row per date reaches Python,
whatever the size of the file. `load` keeps recent results in a cache the caller owns (the page: its
session state), keyed per user and file version, so toggling a chart option costs no query.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from core import analytics, files, metrics
from core.db import session_scope
from core.formatting import date_range, platform_name
from core.models import SocialFile, User

CACHE_SIZE = 40  # aggregates: at most one row per date each
TOP_POSTS = 20
Span = tuple[SocialFile, date, date]  # a file and the date range shown of it


@dataclass
class View:
    """What the page shows of one file over one date range."""

    file: SocialFile
    label: str
    start: date | None
    end: date | None
    series: pd.DataFrame
    weekdays: pd.DataFrame
    values: dict = field(default_factory=dict)
    top: list[dict] = field(default_factory=list)


def _days(session, file: SocialFile, *, start: date, end: date, **_) -> list:
    return analytics.daily(session, file=file, start=start, end=end)


def _stored(session, file: SocialFile, **_) -> dict | None:
    """The catalogue as stored for the file's period; None when it was never computed."""
    stored = metrics.load(session, file=file)
    return None if stored is None else stored.current


def _top(session, file: SocialFile, *, start: date, end: date, order: str, **_) -> list[dict]:
    return analytics.top_posts(session, file=file, start=start, end=end, order_by=order, limit=TOP_POSTS)


# The queries: the per-date aggregates and the stored metrics of a range, top posts by an order.
FETCH = {"days": _days, "stored": _stored, "top": _top}


def _fetch(user: User, file_id, what: str, **args):
    """One aggregate of one file in a session of its own, through the user's access check."""
    with session_scope() as session:
        file = files.get_file(session, actor=user, file_id=file_id)  # FileNotFound for anyone else's
        return FETCH[what](session, file, **args)


def _base(user: User, file: SocialFile, start: date, end: date) -> tuple:
    """The cache key of a file's range, for this user and this version of the file."""
    return (user.id, str(file.id), file.version, start, end)


def _queries(user: User, spans: list[Span], *, order: str) -> dict:
    """The queries the spans need, by cache key: one scan of the rows per (file, range), and top posts."""
    jobs = {}
    for file, start, end in spans:
        base = _base(user, file, start, end)
        jobs[(*base, "days")] = (file, "days", {})
        if (start, end) == (file.period_start, file.period_end):  # its metrics are stored
            jobs[(*base, "stored")] = (file, "stored", {})
        if file.row_kind == "posts":
            jobs[(*base, "top", order)] = (file, "top", {"order": order})
    return jobs


def _cached(cache: MutableMapping, key: tuple, make):
    """cache[key], made when missing; marked as the most recently used, so evicted last."""
    cache[key] = cache.pop(key) if key in cache else make()
    return cache[key]


def _view(cache: MutableMapping, base: tuple, file: SocialFile, *, grain: str, order: str) -> View:
    """The view of one file's range, rolled up from its cached days: another grain needs no query."""
    days = _cached(cache, (*base, "days"), list)
    stored = _cached(cache, (*base, "stored"), lambda: None)
    series = _cached(cache, (*base, "series", grain),
                     lambda: analytics.series_from_days(days, file=file, grain=grain))  # fmt: skip
    weekdays = _cached(cache, (*base, "weekdays"), lambda: analytics.weekdays_from_days(days))
    # The catalogue as stored when the range is the file's period (the dashboard's figures), else computed.
    values = _cached(cache, (*base, "values"),
                     lambda: stored if stored is not None else metrics.catalogue(days, file=file))  # fmt: skip
    top = _cached(cache, (*base, "top", order), list) if file.row_kind == "posts" else []
    start, end = base[-2:]
    return View(file, file.original_name, start, end, series, weekdays, values, top)


def load(cache: MutableMapping, user: User, spans: list[Span], *, grain: str, order: str) -> list[View]:
    """The aggregates of every file over its span: queries side by side, recent results reused."""
    missing = {key: job for key, job in _queries(user, spans, order=order).items() if key not in cache}
    if missing:  # each query waits on the database: running them together saves most of the wait
        with ThreadPoolExecutor(max_workers=min(len(missing), 4)) as pool:
            futures = {
                key: pool.submit(_fetch, user, file.id, what, start=key[3], end=key[4], **args)
                for key, (file, what, args) in missing.items()
            }
        cache.update({key: future.result() for key, future in futures.items()})
    views = [
        _view(cache, _base(user, file, start, end), file, grain=grain, order=order)
        for file, start, end in spans
    ]
    for key in list(cache)[: max(0, len(cache) - CACHE_SIZE)]:
        del cache[key]
    _unique_labels(views)
    return views


def _unique_labels(views: list[View]) -> None:
    """Name each view apart: with several on show, by platform and date range too."""
    seen: dict[str, int] = {}
    for view in views:
        seen[view.label] = seen.get(view.label, 0) + 1
        if seen[view.label] > 1 or len(views) > 1:
            platform = platform_name(view.file.platform)
            view.label = f"{view.label} ({platform}, {date_range(view.start, view.end)})"
