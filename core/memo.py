"""Figures of a timeline kept in memory while its data is unchanged, so a rerun costs no query.

The key names the data: each file's id and version (a reload bumps it), its dates and rows, the
accounts of the scope — plus what was asked (a function, a range, an order). Only scopes whose files
all have recorded totals (core.day_totals: loaded by the pipeline, so reloads bump the version) are
kept; rows written by hand are always read afresh. Per process, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
SIZE = 512

_lock = threading.Lock()
_kept: OrderedDict[tuple, Any] = OrderedDict()
_running: dict[tuple, threading.Event] = {}  # keys being computed, set when done
WAIT = 60.0  # seconds a thread waits for another's computation before doing it itself


def data_key(scope) -> tuple | None:
    """What identifies the scope's data; None when it cannot be kept (a file without totals)."""
    if not scope.files or not all(p.stored for p in scope.files):
        return None
    files = tuple((p.id, p.version, p.first, p.last, p.rows, p.account_id, p.row_kind) for p in scope.files)
    return (scope.kind, scope.id, files, scope.accounts, scope.columns, scope.settled)


def kept(name: str, scope, args: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or a copy of what it gave for the same data and arguments. While another thread
    computes the same (a prefetch, another session), this one waits for its result instead of
    reading the same rows a second time."""
    base = data_key(scope)
    if base is None:
        return compute()
    key = (name, base, args)
    while True:
        with _lock:
            if key in _kept:
                _kept.move_to_end(key)
                return _fresh(_kept[key])
            running = _running.get(key)
            if running is None:
                _running[key] = threading.Event()
                break
        if not running.wait(WAIT):
            return compute()  # too slow: compute it here too, and leave the keeping to the other
        # done: kept (read it above), or it failed (then this thread computes it)
    try:
        value = compute()
        with _lock:
            _kept[key] = _fresh(value)
            while len(_kept) > SIZE:
                _kept.popitem(last=False)
    finally:
        with _lock:
            _running.pop(key).set()
    return value


def _fresh(value):
    """A copy a caller may change: lists (of dicts: each copied), frames; tuples and None as they are."""
    if isinstance(value, list):
        return [dict(v) if isinstance(v, dict) else v for v in value]
    if hasattr(value, "copy") and not isinstance(value, tuple | dict):
        return value.copy()
    return value


def clear() -> None:
    with _lock:
        _kept.clear()
