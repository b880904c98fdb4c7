"""How figures, dates and platforms read, shared by the pages and the PDF/CSV reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from core import metrics
from core.parsing import PLATFORMS

DASH = "—"
ZERO = "±0"  # a change too small to show: "-0" or "−0.00" would read as a fall
PLATFORM_NAMES = {"auto": "Detect automatically", **PLATFORMS}  # the names the platform profiles give


def platform_name(code: str | None, *, unknown: str = DASH) -> str:
    """A platform code as people write it ("twitter" → "X (Twitter)"); `unknown` when there is none."""
    if not code:
        return unknown
    return PLATFORM_NAMES.get(code.lower(), code.capitalize())


def date_range(start: date | None, end: date | None, *, padded: bool = True) -> str:
    """'01 Mar 2024 – 30 Mar 2024' (the pages) or, not padded, '1 Mar 2024 – 30 Mar 2024' (the reports)."""
    if start is None or end is None:
        return DASH
    day = "%d" if padded else "%-d"
    return f"{start:{day} %b %Y} – {end:{day} %b %Y}"


def signed(value: Decimal, decimals: int, *, minus: str = "-", trim: bool = False) -> str:
    """`value` with its sign and thousands separators: "+1,234", "−5.20"; ±0 when it rounds to zero.

    `trim` drops trailing zeros of the decimals ("+5.2" rather than "+5.20").
    """
    shown = round(value, decimals)
    if shown == 0:
        return ZERO
    text = f"{abs(shown):,.{decimals}f}"
    if trim and decimals:
        text = text.rstrip("0").rstrip(".")
    return ("+" if shown > 0 else minus) + text


def kpi_change(*, code: str, current, previous) -> str | None:
    """The change of a metric against the previous period: "+1,234 (+5.2 %)"; rates in points: "+0.42 pp (+8.1 %)"."""
    delta, pct = metrics.change(code=code, current=current, previous=previous)
    if delta is None:
        return None
    if metrics.BY_CODE[code].kind == "pct":
        text = signed(delta, 2, trim=True) + " pp"
    else:
        text = signed(delta, 0 if delta == int(delta) else 2, trim=True)
    if pct is not None:
        text += f" ({signed(pct, 1, trim=True)} %)"
    return text


def period_label(days: int | None) -> str:
    """The period choice in words."""
    return "All data" if days is None else f"Last {days} days"


def when(moment: datetime | None) -> str:
    """A timestamp in UTC, to the minute."""
    if moment is None:
        return DASH
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
