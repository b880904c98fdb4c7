"""Follower activity by hour (TikTok's "Follower activity": Date, Hour 0–23, Active followers).

Not a time series of measures but when an account's followers are online: each row is one hour of
one day (or of a typical day, where the export has no dates). `open_table` hands such a file back
as an ActivityTable; `hours()` reads every row or raises ParseError naming each bad line and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.i18n import N_, _, fmt_date, fmt_decimal, ngettext
from core.parsing.dates import DateColumn
from core.parsing.headers import Header
from core.parsing.limits import Limits
from core.parsing.numbers import NumberColumn
from core.parsing.profiles import Profile
from core.parsing.stream import NO_ROWS
from core.parsing.types import Detection, Issue, ParsedTable, ParseError

ROW_KIND = "hours"
# How the file card names what each column was read as.
LABELS = {"hour": N_("Hour of day (0–23)"), "active_followers": N_("Active followers")}
NOT_AN_HOUR = N_("is not an hour of the day (0–23).")
REPEATED_ON = N_("is the same hour as line {first} on {date}: each hour may appear once a day.")
REPEATED = N_("is the same hour as line {first}: each hour may appear once.")
MISSING = N_("the number of active followers is missing.")
_HOUR = re.compile(r"(\d{1,2})(?::00(?::00)?)?")


@dataclass(frozen=True)
class Hour:
    """One row: its line, its date (None where the export has none), the hour and the followers
    online then; `measured` is False for the hours after the export was taken (see `_unmeasured`)."""

    line: int
    day: date | None
    hour: int
    followers: int
    measured: bool = True


def columns(profile: Profile, header: Header) -> tuple[int, int] | None:
    """(hour column, followers column) when the header is this platform's follower activity table."""
    found = {}
    for i in header.usable():
        for role, keys in profile.activity.items():
            if header.keys[i] in keys:
                found.setdefault(role, i)
    if {"hour", "active_followers"} <= set(found):
        return found["hour"], found["active_followers"]
    return None


def parse_hour(value: str) -> int:
    """0–23, written as `7`, `07` or `07:00`; ValueError otherwise."""
    m = _HOUR.fullmatch(value.strip())
    if m is None or int(m[1]) > 23:
        raise ValueError(NOT_AN_HOUR)
    return int(m[1])


def _unmeasured(rows: list[Hour]) -> list[Hour]:
    """The hours still to come when the file was exported: a run of zeros that ends the last day at
    23:00 after that day had followers online (TikTok writes them as 0)."""
    if not rows or rows[-1].day is None or rows[-1].hour != 23 or rows[-1].followers != 0:
        return []
    last = [r for r in rows if r.day == rows[-1].day]
    run = []
    for r in reversed(last):
        if r.followers != 0:
            break
        run.append(r)
    return run[::-1] if len(run) < len(last) else []


class ActivityTable(ParsedTable):
    """A follower activity file whose header was understood; hours() reads it whole (24 rows a day)."""

    def __init__(
        self,
        *,
        detection: Detection,
        warnings: list[str],
        open_records,
        header_line: int,
        limits: Limits,
        names: list[str],
        dates: DateColumn | None,
        at: tuple[int | None, int, int],
    ):
        self.detection, self.warnings, self._names = detection, warnings, names
        self._open, self._header_line, self._limits = open_records, header_line, limits
        self._dates, (self._date_at, self._hour_at, self._value_at) = dates, at

    def rows(self, on_progress=None):
        return iter(())  # no canonical rows: the hours are read by hours()

    def columns(self) -> tuple[str, ...]:
        return ()

    def _records(self) -> list[tuple[int, list[str]]]:
        out = []
        with self._open() as opened:
            reader = opened.reader
            for _row in reader:
                if reader.line_num >= self._header_line:
                    break
            prev = reader.line_num
            for cells in reader:
                line, prev = prev + 1, reader.line_num
                if any(c.strip() for c in cells):
                    out.append((line, cells))
                if len(out) > self._limits.max_rows:
                    message = _(
                        "The file has more than {limit} rows of data, the limit for one upload. "
                        "Export a shorter period or split the file."
                    )
                    raise ParseError([Issue(message.format(limit=fmt_decimal(self._limits.max_rows)))])
        return out

    def hours(self) -> list[Hour]:
        """Every row read, in file order; ParseError listing each bad line (column and value)."""
        records = self._records()
        dates, names = self._dates, self._names
        if dates is not None:
            for _line, cells in records:
                dates.observe(_cell(cells, self._date_at))
            dates.decide()
        issues: list[Issue] = []
        followers = NumberColumn(names[self._value_at], signed=False)
        seen: dict[tuple[date | None, int], int] = {}
        rows: list[Hour] = []

        def read(fn, i, cells, line):
            try:
                return fn(_cell(cells, i))
            except ValueError as exc:
                issues.append(Issue(_(str(exc)), line=line, column=names[i], value=_cell(cells, i).strip()))
                return None

        for line, cells in records:
            day = read(dates.parse, self._date_at, cells, line) if dates is not None else None
            hour = read(parse_hour, self._hour_at, cells, line)
            value = read(followers.parse, self._value_at, cells, line)
            if value is None and not _cell(cells, self._value_at).strip():
                issues.append(Issue(_(MISSING), line=line, column=names[self._value_at]))
            if hour is None or value is None or (dates is not None and day is None):
                continue
            first = seen.setdefault((day, hour), line)
            if first != line:
                message = REPEATED_ON if day else REPEATED
                text = _(message).format(first=first, date=fmt_date(day) if day else "")
                issues.append(
                    Issue(text, line=line, column=names[self._hour_at], value=_cell(cells, self._hour_at))
                )
                continue
            rows.append(Hour(line, day, hour, value))
        if issues:
            raise ParseError(issues, total=len(issues))
        if not rows:
            raise ParseError([Issue(_(NO_ROWS))])
        return self._mark_unmeasured(rows)

    def _mark_unmeasured(self, rows: list[Hour]) -> list[Hour]:
        late = _unmeasured(rows)
        if not late:
            return rows
        n, lines = len(late), {r.line for r in late}
        message = ngettext(
            "The last {n} hour of {date} ({start}:00–23:00) has 0 active followers: it was still to come "
            "when the file was exported, so it is left out of the averages by hour.",
            "The last {n} hours of {date} ({start}:00–23:00) have 0 active followers: they were still to "
            "come when the file was exported, so they are left out of the averages by hour.",
            n,
        )
        self.warnings.append(message.format(n=n, date=fmt_date(late[0].day), start=f"{late[0].hour:02d}"))
        return [Hour(r.line, r.day, r.hour, r.followers, r.line not in lines) for r in rows]


def _cell(cells: list[str], i: int) -> str:
    return cells[i] if i < len(cells) else ""


def table(reading, *, limits: Limits, today: date | None) -> ActivityTable | None:
    """The file read as follower activity when its header is its platform's activity table, else None.

    `reading` is core.parsing.table.Reading (its header, sample and source were read once)."""
    from core.parsing.profiles import PROFILES
    from core.parsing.reader import record_width, records

    header, det = reading.header, reading.detection
    at = columns(PROFILES[det.platform], header)
    if at is None:
        return None
    date_at = next((i for i, c in reading.index_map.items() if c == "date"), None)
    hour_at, value_at = at
    cyrillic = any("\u0400" <= ch <= "\u04ff" for n in header.names for ch in n)
    dates = None
    if date_at is not None:
        today = today or date.today()
        dates = DateColumn(header.names[date_at], today=today, dayfirst=reading.delimiter == ";" or cyrillic)
    used = {date_at: "date", hour_at: "hour", value_at: "active_followers"}
    det.row_kind, det.confidence = ROW_KIND, max(det.confidence, 0.9)
    det.mapping = {header.names[i]: c for i, c in sorted((i, c) for i, c in used.items() if i is not None)}
    det.unmapped = [header.names[i] for i in header.usable() if i not in used]
    det.notes = [_("Follower activity: when the account's followers are online, by hour of day (0–23).")]
    width = record_width(reading.sample)
    return ActivityTable(
        detection=det,
        warnings=list(reading.warnings),
        open_records=lambda: records(reading.source, reading.delimiter, limits, width),
        header_line=reading.sample.header_line,
        limits=limits,
        names=header.names + [f"Column {i + 1}" for i in range(len(header.names), width)],
        dates=dates,
        at=(date_at, hour_at, value_at),
    )
