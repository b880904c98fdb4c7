"""Date columns: recognise the format over the whole column, then read every cell the same way."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial

from core.i18n import _
from core.parsing.months import month_number
from core.parsing.years import YearGuess

_TIME = (
    r"(?:(?:[T\s]|,\s*)+(?:at\s+|в\s+)?(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d+))?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?)?"
    r"\s*(?P<tz>z|(?:utc|gmt)?\s*[+-]\d{1,2}(?::?\d{2})?|utc|gmt)?"
)
_WEEKDAY = r"(?:[^\W\d_]+\.?,?\s+)?"
_KINDS = {
    "ymd": r"(?P<y>\d{4})(?P<s>[-/.])(?P<a>\d{1,2})(?P=s)(?P<b>\d{1,2})",
    "num": r"(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})",
    "month_day": _WEEKDAY
    + r"(?P<mon>[^\W\d_]{3,})\.?[\s-]+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?[\s-]+(?P<y>\d{4}))?",
    "day_month": _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?[\s-]+(?:de\s+)?(?P<mon>[^\W\d_]{3,})\.?"
    r"(?:,?[\s-]+(?:de\s+)?(?P<y>\d{4})(?:\s*г(?:ода|\.)?)?)?",
}
PATTERNS = {k: re.compile(rf"\s*{v}{_TIME}\s*", re.IGNORECASE) for k, v in _KINDS.items()}
# No platform exported statistics before 2004; a day after the upload allows for time zones.
EARLIEST = date(2004, 1, 1)
FUTURE_SLACK = timedelta(days=1)
LABELS = {
    "ymd": "YYYY-MM-DD",
    "dmy": "D/M/YYYY",
    "mdy": "M/D/YYYY",
    "month_day": "Month D, YYYY",
    "day_month": "D Month YYYY",
}


def _match(value: str) -> tuple[str, re.Match] | None:
    for kind, pattern in PATTERNS.items():
        m = pattern.fullmatch(value)
        if m and (kind in ("ymd", "num") or month_number(m["mon"])):
            return kind, m
    return None


def looks_like_date(value: str) -> bool:
    return _match(value) is not None


def _tz(text: str | None):
    if not text or text.lower() in ("z", "utc", "gmt"):
        return UTC
    digits = text.lower().replace("utc", "").replace("gmt", "").replace(":", "").strip()
    sign, digits = (-1 if digits[0] == "-" else 1), digits[1:].strip()
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _time(m: re.Match, day: date) -> datetime | None:
    """The cell's time as an aware datetime (UTC when the export gives no offset), None without one."""
    if m["H"] is None:
        return None
    hour = int(m["H"])
    if m["ampm"]:
        if hour > 12 or hour == 0:
            raise ValueError(_("has an impossible 12-hour time."))
        hour = hour % 12 + (12 if m["ampm"][0] in "pP" else 0)
    micro = int((m["F"] or "0")[:6].ljust(6, "0"))
    clock = datetime(day.year, day.month, day.day, hour, int(m["M"]), int(m["S"] or 0), micro)
    return clock.replace(tzinfo=_tz(m["tz"]))


def _iso_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso_date(value: str) -> date:
    return datetime.fromisoformat(value).date()


class DateColumn:
    """One date column: observe its cells, decide its format once, then parse every cell alike."""

    def __init__(self, name: str, *, today: date, dayfirst: bool):
        self.name, self.today, self.dayfirst = name, today, dayfirst
        self.kinds: Counter[str] = Counter()
        self.separators: Counter[str] = Counter()
        self.order_votes = {"dmy": 0, "mdy": 0}
        self.close = {"dmy": 0, "mdy": 0}  # consecutive cells a few days apart under each reading
        self._prev: dict[str, date] = {}
        self.iso_dates = self.iso_times = True  # every cell is what date/datetime.fromisoformat read
        self.timed = self.yearless = False
        self.example: str | None = None
        self.kind, self.order, self.guessed_order = "ymd", "dmy", False
        self.years = YearGuess(today=today)

    def observe(self, value: str) -> None:
        """Collect the evidence one cell gives about the column's format."""
        value = value.strip()
        if not value:
            return
        if self.iso_dates and not (len(value) == 10 and _try(date.fromisoformat, value)):
            self.iso_dates = False
        if self.iso_times and not _try(datetime.fromisoformat, value):
            self.iso_times = False
        found = _match(value)
        if found is None:
            return
        kind, m = found
        self.kinds[kind] += 1
        self.example = self.example or value
        self.timed = self.timed or m["H"] is not None
        if kind == "num":
            self.separators[m["s"]] += 1
            self._observe_order(m)
        elif kind != "ymd" and m["y"] is None:
            self.years.observe(month_number(m["mon"]), int(m["d"]))

    def _observe_order(self, m: re.Match) -> None:
        a, b = int(m["a"]), int(m["b"])
        if a > 12:
            self.order_votes["dmy"] += 1
        if b > 12:
            self.order_votes["mdy"] += 1
        if any(self.order_votes.values()):
            return  # a day above 12 decides; the closeness of neighbours is only a tie-breaker
        for order, (d, mo) in (("dmy", (a, b)), ("mdy", (b, a))):
            day = _try(date, self._year(m["y"]), mo, d)
            prev = self._prev.get(order)
            if day and prev and abs((day - prev).days) <= 7:
                self.close[order] += 1
            if day:
                self._prev[order] = day

    def decide(self, order: str | None = None) -> None:
        """Fix the format for the whole column from everything observed (`order`: the user's)."""
        if self.kinds:
            self.kind = self.kinds.most_common(1)[0][0]
        votes, close = self.order_votes, self.close
        if votes["dmy"] != votes["mdy"]:
            self.order = "dmy" if votes["dmy"] > votes["mdy"] else "mdy"
        elif self.separators.most_common(1) and self.separators.most_common(1)[0][0] == ".":
            self.order = "dmy"  # D.M.YYYY: nobody writes month.day.year
        elif close["dmy"] != close["mdy"]:
            self.order = "dmy" if close["dmy"] > close["mdy"] else "mdy"
        else:
            self.order, self.guessed_order = ("dmy" if self.dayfirst else "mdy"), self.kind == "num"
        if order in ("dmy", "mdy"):
            self.order, self.guessed_order = order, False
        self.yearless = self.kind in ("month_day", "day_month") and self.years.seen > 0
        self.years.decide()

    def describe(self) -> str:
        label = LABELS[self.order if self.kind == "num" else self.kind]
        if self.yearless:
            label = label.replace(", YYYY", "").replace(" YYYY", "") + f" (no year; {self.years.describe()})"
        return label + (" with time" if self.timed else "")

    @property
    def plain(self) -> bool:
        return self.iso_dates or self.iso_times

    def needs_survey(self) -> bool:
        """Whether only the whole column can settle the format (day/month order, missing years)."""
        if self.plain:
            return False
        if self.kind == "num" or (self.kinds and self.kinds.most_common(1)[0][0] == "num"):
            undecided = not any(self.order_votes.values())
            return undecided and self.separators.most_common(1)[0][0] != "."
        return self.years.seen > 0

    @property
    def latest(self) -> date:
        return self.today + FUTURE_SLACK

    @property
    def fast_date(self):
        """The cheapest reader right for every cell seen (may raise)."""
        if self.iso_dates:
            fn = date.fromisoformat
        elif self.iso_times:
            fn = _iso_date
        elif self.kind == "num" and not self.timed:
            fn = partial(_split_date, self.separators.most_common(1)[0][0], self.order == "dmy")
        else:
            return self.parse
        return _bounded(fn, EARLIEST, self.latest)

    @property
    def fast_datetime(self):
        if self.iso_times and self.timed:
            return _bounded(_iso_datetime, EARLIEST, self.latest, key=lambda moment: moment.date())
        return self.parse_datetime

    def _check_range(self, day: date) -> None:
        if day < EARLIEST:
            message = _(
                "is before {year}: no platform exported statistics that early (a wrong year, or the wrong column?)."
            )
            raise ValueError(message.format(year=EARLIEST.year))
        if day > self.latest:
            message = _(
                "is after {date}, the day the file was uploaded: statistics cannot be "
                "from the future (a wrong year or day/month order?)."
            )
            raise ValueError(message.format(date=self.today.isoformat()))  # unambiguous, whatever the order

    def reset(self) -> None:
        self.years.reset()

    def _year(self, text: str | None) -> int:
        year = int(text)
        if len(text) == 2:
            year += 2000 if 2000 + year <= self.today.year + 1 else 1900
        return year

    def _read(self, value: str) -> tuple[date, re.Match]:
        found = _match(value)
        if found is None or found[0] != self.kind:
            if not value.strip():
                raise ValueError(_("the date is missing."))
            if self.example:
                raise ValueError(
                    _('is not a date in the format of this column like "{example}".').format(
                        example=self.example
                    )
                )
            raise ValueError(_("is not a date in the format of this column."))
        m = found[1]
        if self.kind == "ymd":
            parts = int(m["y"]), int(m["a"]), int(m["b"])
        elif self.kind == "num":
            a, b = int(m["a"]), int(m["b"])
            parts = (self._year(m["y"]), b, a) if self.order == "dmy" else (self._year(m["y"]), a, b)
        else:
            mo, d = month_number(m["mon"]), int(m["d"])
            parts = (self._year(m["y"]) if m["y"] else self.years.year(mo, d), mo, d)
        day = _try(date, *parts)
        if day is None:
            label = LABELS.get(self.order if self.kind == "num" else self.kind)
            raise ValueError(_("is not a real date (read as {format}).").format(format=label))
        self._check_range(day)
        return day, m

    def parse(self, value: str) -> date:
        """The date in a cell; ValueError with the reason otherwise."""
        return self._read(value)[0]

    def parse_datetime(self, value: str) -> datetime | None:
        """The cell's date and time, None when it has no time."""
        day, m = self._read(value)
        return _time(m, day)


def _split_date(separator: str, dayfirst: bool, value: str) -> date:
    """D/M/YYYY or M/D/YYYY without a regex; anything unusual raises and takes the careful path."""
    a, b, year = value.split(separator)
    if len(year) != 4:
        raise ValueError(value)
    return date(int(year), int(b), int(a)) if dayfirst else date(int(year), int(a), int(b))


def _bounded(fn, earliest: date, latest: date, key=None):
    """`fn` that also raises (for the careful path to explain) on a date outside [earliest, latest]."""

    def read(value: str):
        moment = fn(value)
        day = key(moment) if key else moment
        if not earliest <= day <= latest:
            raise ValueError(value)
        return moment

    return read


def _try(fn, *args):
    try:
        return fn(*args)
    except (ValueError, TypeError):
        return None
