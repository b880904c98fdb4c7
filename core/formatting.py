"""How figures, dates and platforms read, shared by the pages and the PDF/CSV reports."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from core import metrics
from core.i18n import N_, _, fmt_date, fmt_datetime, fmt_decimal, ngettext
from core.parsing import PLATFORMS

DASH = "—"
ZERO = "±0"  # a change too small to show: "-0" or "−0.00" would read as a fall
WORDS = {
    "auto": N_("Detect automatically"),
    "generic": N_("Generic table"),
}  # names that are words: translated
PLATFORM_NAMES = {**PLATFORMS, **WORDS}  # the names the platform profiles give


def platform_name(code: str | None, *, unknown: str = DASH) -> str:
    """A platform code as people write it ("twitter" → "X (Twitter)"); `unknown` when there is none."""
    if not code:
        return unknown
    if code.lower() in WORDS:
        return _(WORDS[code.lower()])
    return PLATFORM_NAMES.get(code.lower(), code.capitalize())


def date_range(start: date | None, end: date | None, *, padded: bool = True) -> str:
    """'Mar 1, 2024 – Mar 30, 2024' · '01.03.2024 – 30.03.2024', in the current language."""
    if start is None or end is None:
        return DASH
    return f"{fmt_date(start)} – {fmt_date(end)}"


def signed(value: Decimal, decimals: int, *, minus: str = "-", trim: bool = False) -> str:
    """`value` with its sign and thousands separators: "+1,234", "−5.20"; ±0 when it rounds to zero.

    `trim` drops trailing zeros of the decimals ("+5.2" rather than "+5.20").
    """
    shown = round(value, decimals)
    if shown == 0:
        return ZERO
    pattern = "#,##0" + ("." + ("#" if trim else "0") * decimals if decimals else "")
    text = fmt_decimal(abs(shown), pattern=pattern)
    return ("+" if shown > 0 else minus) + text


def kpi_change(*, code: str, current, previous) -> str | None:
    """The change of a metric against the previous period: "+1,234 (+5.2 %)"; rates in points: "+0.42 pp (+8.1 %)"."""
    delta, pct = metrics.change(code=code, current=current, previous=previous)
    if delta is None:
        return None
    if metrics.BY_CODE[code].kind == "pct":
        text = _("{change} pp").format(change=signed(delta, 2, trim=True))
    else:
        text = signed(delta, 0 if delta == int(delta) else 2, trim=True)
    if pct is not None:
        text += f" ({signed(pct, 1, trim=True)} %)"
    return text


def period_label(days: int | None) -> str:
    """The period choice in words."""
    if days is None:
        return _("All data")
    return ngettext("Last {n} day", "Last {n} days", days).format(n=days)


def when(moment: datetime | None) -> str:
    """A timestamp in UTC, to the minute."""
    if moment is None:
        return DASH
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return fmt_datetime(moment.astimezone(UTC)) + " UTC"
