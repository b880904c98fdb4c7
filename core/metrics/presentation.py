"""Metric values as people read them: changes between periods, rounding, weekday names."""

from __future__ import annotations

from decimal import Decimal

from core.analytics import WEEKDAYS, ratio
from core.i18n import fmt_decimal, weekday_name
from core.metrics.definitions import BY_CODE, SHOWN_PLACES, WIDE, Value, exact


def change(*, code: str, current: Value, previous: Value) -> tuple[Decimal | None, Decimal | None]:
    """(absolute change, relative change in %); for % metrics the absolute change is in points."""
    if BY_CODE[code].kind == "text" or current is None or previous is None:
        return None, None
    delta = exact(Decimal(current) - Decimal(previous))
    return delta, exact(ratio(delta, abs(Decimal(previous))))


def display(*, code: str, value: Value) -> str:
    """The value as shown to people: rounded to 4 places, thousands grouped, "—" when null."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return weekday_text(value)
    shown = Decimal(value).quantize(SHOWN_PLACES, context=WIDE)
    return fmt_decimal(shown, pattern="#,##0.####") + (" %" if BY_CODE[code].kind == "pct" else "")


def weekday_text(value: str) -> str:
    """A stored weekday ("Thursday") in the current language; other text as it is."""
    return weekday_name(WEEKDAYS.index(value)) if value in WEEKDAYS else value
