"""Month names in the languages of the exports we see, and the dates they spell."""

from __future__ import annotations

import calendar
from datetime import date

FULL_NAMES = {
    "en": "january february march april may june july august september october november december",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "ru_genitive": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk_genitive": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}
# Abbreviations that are not simply the first letters of a name above.
EXTRA = {"sept": 9, "setiembre": 9, "jän": 1, "févr": 2, "juil": 7, "сент": 9}


def _table() -> dict[str, int]:
    """Full names, plus 3- and 4-letter prefixes that point at one month only."""
    table: dict[str, int] = {}
    prefixes: dict[str, set[int]] = {}
    for names in FULL_NAMES.values():
        for month, name in enumerate(names.split(), start=1):
            table[name] = month
            for size in (3, 4):
                if len(name) > size:
                    prefixes.setdefault(name[:size], set()).add(month)
    for prefix, months in prefixes.items():
        if len(months) == 1:
            table.setdefault(prefix, months.pop())
    table.update(EXTRA)
    return table


MONTHS = _table()


def month_number(token: str) -> int | None:
    """1..12 for a month name or abbreviation in any language we know."""
    return MONTHS.get(token.casefold().rstrip(".").replace("ё", "е"))


# Day of the year in a leap year: compares month/day pairs that have no year.
_STARTS = [0]
for _m in range(1, 12):
    _STARTS.append(_STARTS[-1] + calendar.monthrange(2000, _m)[1])


def day_key(month: int, day: int) -> int:
    return _STARTS[month - 1] + day


def latest_year(month: int, day: int, *, not_after: date) -> int:
    """The latest year in which month/day exists and is no later than `not_after`."""
    year = not_after.year if (month, day) <= (not_after.month, not_after.day) else not_after.year - 1
    while not calendar.isleap(year) and (month, day) == (2, 29):
        year -= 1
    return year
