"""Reading a file's header and a sample, deciding every format once, and handing back a stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.i18n import _, fmt_decimal, ngettext
from core.models import MEASURES
from core.parsing import mapping as maps
from core.parsing.dates import DateColumn, looks_like_date
from core.parsing.headers import Header, read_header
from core.parsing.limits import Limits
from core.parsing.numbers import NEVER_NEGATIVE, NumberColumn
from core.parsing.plan import TEXTS, Plan
from core.parsing.profiles import PROFILES, map_header
from core.parsing.reader import Sample, read_text_head, record_width, records, sniff_delimiter, take_sample
from core.parsing.source import Source, inspect
from core.parsing.stream import NO_ROWS, StreamTable
from core.parsing.types import Detection, Issue, ParseError, ReadOptions

# Columns naming the profile a file is of, most specific first (Meta Business Suite, Facebook).
ACCOUNT_COLUMNS = ("account username", "account name", "page name", "channel name", "имя аккаунта")
# Rows are posts when this share of them repeat an earlier row's date (DESIGN.md).
REPEATED_DATES = 0.1


@dataclass
class Reading:
    """Everything decided about a file before its rows are streamed."""

    source: Source
    delimiter: str
    sample: Sample
    header: Header
    detection: Detection
    index_map: dict[int, str] = field(default_factory=dict)  # column index -> canonical
    problem: str | None = None
    plan: Plan | None = None
    warnings: list[str] = field(default_factory=list)


def _fail(message: str) -> ParseError:
    return ParseError([Issue(message)])


def _looks_numeric(cell: str) -> bool:
    text = cell.strip().replace(" ", "").replace(",", "").replace(".", "").lstrip("-+")
    return text.isdigit()


def _check_header(header_cells: list[str], sample: Sample, limits: Limits) -> None:
    if len(header_cells) > limits.max_columns:
        message = _(
            "The file has {n} columns, more than the limit of {limit}. Export fewer metrics or split the file."
        )
        raise _fail(message.format(n=fmt_decimal(len(header_cells)), limit=fmt_decimal(limits.max_columns)))
    data_like = sum(_looks_numeric(c) or looks_like_date(c) for c in header_cells if c.strip())
    if data_like * 2 > len([c for c in header_cells if c.strip()]):
        message = _(
            "The first line holds data ({cells}), not column names. "
            "Export the table with its header line, or add one (for example: Date, Views, Likes)."
        )
        cells = ", ".join(header_cells[:3]) + (", …" if len(header_cells) > 3 else "")
        raise _fail(message.format(cells=cells))
    if not any(any(c.strip() for c in cells) for _, cells in sample.rows):
        raise _fail(_(NO_ROWS))


def _plan(header: Header, index_map: dict[int, str], width: int, *, today: date, dayfirst: bool) -> Plan:
    by_target = {c: i for i, c in index_map.items()}
    date_at = by_target.get("date", by_target.get("published_at"))
    published_at = by_target.get("published_at")
    dates = {
        i: DateColumn(header.names[i], today=today, dayfirst=dayfirst)
        for i in {date_at, published_at} - {None}
    }
    mapped = set(index_map)
    return Plan(
        names=header.names + [f"Column {i + 1}" for i in range(len(header.names), width)],
        width=width,
        date_at=date_at,
        dates=dates,
        measures={
            c: (i, NumberColumn(header.names[i], signed=c not in NEVER_NEGATIVE))
            for i, c in index_map.items()
            if c in MEASURES
        },
        texts={c: i for i, c in index_map.items() if c in TEXTS},
        published_at=published_at,
        extra=[(header.names[i], i) for i in header.usable() if i not in mapped],
        evidence={i: NumberColumn(header.names[i]) for i in header.usable() if i not in mapped},
    )


def _export_day(reading: Reading, index_map: dict, *, today: date, dayfirst: bool) -> date:
    """The day the file was exported, when an unmapped column repeats one date without a year on
    every row (TikTok's "Time"): the file's other dates without a year end by then."""
    rows = reading.sample.rows
    for i in reading.header.usable():
        values = {cells[i].strip() for _, cells in rows if len(cells) > i}
        if i in index_map or len(rows) < 2 or len(values) != 1 or not (value := values.pop()):
            continue
        column = DateColumn(reading.header.names[i], today=today, dayfirst=dayfirst)
        column.observe(value)
        column.decide()
        if column.yearless:
            try:
                return min(today, column.parse(value))
            except ValueError:
                continue
    return today


def _decide_formats(
    reading: Reading, limits: Limits, *, today: date, dayfirst: bool, index_map: dict, options: ReadOptions
) -> Plan:
    """Observe the sample; when it is not the whole file and not plain, observe the whole file."""
    width = record_width(reading.sample)
    plan = _plan(reading.header, index_map, width, today=today, dayfirst=dayfirst)
    for _line, cells in reading.sample.rows:
        plan.observe(cells)
    needy = set() if reading.sample.complete else plan.needs_survey()
    if needy:
        whole = _plan(reading.header, index_map, width, today=today, dayfirst=dayfirst)
        with records(reading.source, reading.delimiter, limits, width) as opened:
            reader = opened.reader
            for cells in reader:
                if reader.line_num > reading.sample.header_line:
                    whole.observe(cells, needy)
        plan.adopt(whole, needy)
    plan.decide(decimal=options.decimal, date_order=options.date_order)
    return plan


def _row_kind(plan: Plan, sample: Sample) -> str:
    if plan.texts or plan.published_at is not None:
        return "posts"
    cells = [
        c[plan.date_at].strip() for _, c in sample.rows if len(c) > plan.date_at and c[plan.date_at].strip()
    ]
    repeats = len(cells) - len(set(cells))
    return "posts" if cells and repeats > len(cells) * REPEATED_DATES else "days"


def _format_warnings(plan: Plan) -> list[str]:
    out = plan.undecided_notes()
    for col in plan.dates.values():
        if col.guessed_order:
            order = _("day/month") if col.order == "dmy" else _("month/day")
            message = _(
                'Every date in "{column}" reads both as day/month and as month/day; they were read as '
                "{order} ({format}). If that is wrong, upload the file with the other order."
            )
            out.append(message.format(column=col.name, order=order, format=col.describe()))
        if col.yearless:
            message = _(
                'The dates in "{column}" have no year; years were given so that they run in order and '
                "end no later than {date}."
            )
            out.append(message.format(column=col.name, date=col.today.isoformat()))
    return out


def _account_name(header: Header, sample: Sample) -> str | None:
    """The first value of the file's account column, for the accounts of issue 11."""
    for key in ACCOUNT_COLUMNS:
        if key in header.keys:
            at = header.keys.index(key)
            for _, cells in sample.rows[:50]:
                if len(cells) > at and cells[at].strip():
                    return cells[at].strip()[:200]
    return None


def _drop_dateless_date(index_map: dict[int, str], sample: Sample) -> None:
    """A "Date" column holding no dates beside a post-time column (Meta Business Suite writes
    "Lifetime" in every row): the post time is the date, the other column is kept in `extra`."""
    by_target = {c: i for i, c in index_map.items()}
    at, published = by_target.get("date"), by_target.get("published_at")
    if at is None or published is None:
        return
    cells = [cells[at] for _, cells in sample.rows[:200] if len(cells) > at and cells[at].strip()]
    if cells and not any(map(looks_like_date, cells)):
        del index_map[at]


def _start(
    source: Source, platform: str, user_map: dict | None, limits: Limits, check: bool, options: ReadOptions
) -> Reading:
    delimiter = ""
    if source.kind == "csv":
        delimiter = options.delimiter or sniff_delimiter(read_text_head(source))
    with records(source, delimiter, limits) as opened:
        sample = take_sample(opened)
    if sample is None:
        raise _fail(_("The file has no text in it: there is nothing to read."))
    _check_header(sample.header, sample, limits)
    header = read_header(sample.header)
    code, sureness, scores = maps.choose_platform(platform, header, check=check and not user_map)
    index_map = maps.user_mapping(user_map, header) if user_map else map_header(PROFILES[code], header)
    if not user_map:
        _drop_dateless_date(index_map, sample)
    detection = Detection(
        platform=code,
        confidence=maps.confidence(code, sureness, index_map, header),
        mapping={header.names[i]: c for i, c in sorted(index_map.items())},
        row_kind="days",
        encoding=source.encoding,
        delimiter=delimiter,
        unmapped=[header.names[i] for i in header.usable() if i not in index_map],
        candidates={c: float(s) for c, s in scores.items() if s},
    )
    detection.account_name = _account_name(header, sample)
    reading = Reading(
        source, delimiter, sample, header, detection, index_map, maps.problem(code, index_map, header)
    )
    if user_map and reading.problem is None:
        detection.confidence = 1.0  # the user said so
    reading.warnings = list(header.warnings)
    if sample.preamble:
        n = sample.preamble
        message = ngettext("Skipped {n} line above the header.", "Skipped {n} lines above the header.", n)
        reading.warnings.append(message.format(n=n))
    return reading


def read_file(
    path: Path,
    *,
    platform: str,
    user_map: dict | None,
    today: date | None,
    limits: Limits | None,
    check_platform: bool = True,
    options: ReadOptions | None = None,
    source: Source | None = None,
) -> Reading:
    """Decide how to read the file; `reading.problem` says why it cannot be used, if it cannot.

    With `check_platform`, a chosen platform the file plainly does not come from is refused.
    `source`: the file already inspected (core.parsing.head), instead of `path`.
    """
    limits = limits or Limits.from_settings()
    options = options or ReadOptions()
    source = source or inspect(Path(path), limits, options.encoding)
    reading = _start(source, platform, user_map, limits, check_platform, options)
    if reading.problem:
        return reading
    index_map = reading.index_map
    dayfirst = reading.delimiter == ";" or any(
        "\u0400" <= ch <= "\u04ff" for n in reading.header.names for ch in n
    )
    today = _export_day(reading, index_map, today=today or date.today(), dayfirst=dayfirst)
    plan = _decide_formats(
        reading, limits, today=today, dayfirst=dayfirst, index_map=index_map, options=options
    )
    reading.plan = plan
    det = reading.detection
    det.row_kind = _row_kind(plan, reading.sample)
    det.formats = plan.formats()
    det.notes = maps.notes(
        index_map,
        reading.header,
        date_from_published="date" not in det.mapping.values(),
        keeps_time=plan.keeps_time(),
    )
    reading.warnings += _format_warnings(plan)
    return reading


def guess_date_column(reading: Reading) -> str | None:
    """For a header we could not map: the first unmapped column whose cells are mostly dates."""
    for i in reading.header.usable():
        if i in reading.index_map:
            continue
        cells = [c[i] for _, c in reading.sample.rows[:200] if len(c) > i and c[i].strip()]
        if cells and sum(map(looks_like_date, cells)) >= 0.8 * len(cells):
            return reading.header.names[i]
    return None


def stream(reading: Reading, limits: Limits | None) -> StreamTable:
    limits = limits or Limits.from_settings()
    width = record_width(reading.sample)
    return StreamTable(
        detection=reading.detection,
        warnings=list(reading.warnings),
        plan=reading.plan,
        source=reading.source,
        delimiter=reading.delimiter,
        width=width,
        header_line=reading.sample.header_line,
        limits=limits,
    )
