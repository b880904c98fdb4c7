"""Streaming rows: the compiled fast path, the careful path, rows that are not data, and problems."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from core.i18n import N_, _, fmt_decimal, ngettext
from core.models import ROW_COLUMNS
from core.parsing.direct import DirectFile, direct_file
from core.parsing.headers import normalise
from core.parsing.limits import Limits
from core.parsing.plan import Plan, build_row, compile_row
from core.parsing.reader import records
from core.parsing.source import Source
from core.parsing.types import Detection, Issue, ParsedTable, ParseError, ProgressFn

PROGRESS_EVERY = 50_000
TOTAL_WORDS = frozenset(
    {
        "total",
        "totals",
        "grand total",
        "sum",
        "summary",
        "итого",
        "итоговое значение",
        "всего",
        "сумма",
        "total general",
    }
)
NO_ROWS = N_("The file has a header but no rows of data. Export a period that has activity.")
# A quoted value longer than this many lines is a quote that never closes, not a long post text.
MAX_RECORD_LINES = 100
# Short rows are the exporter's habit (it leaves out empty cells at a row's end) when at least this
# share of the rows, and more than one, are short; otherwise a short row is a value gone missing.
SHORT_HABIT = 0.05


def unclosed_quote(line: int, limit: int = MAX_RECORD_LINES) -> ParseError:
    return ParseError(
        [
            Issue(
                _(
                    'opens a quote (") that does not close within {limit} lines, so the rest of the file would '
                    "be read as one value. Close or remove that quote and upload the file again."
                ).format(limit=limit),
                line=line,
            )
        ]
    )


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in text)


@dataclass
class Skipped:
    """Rows that are not data, by kind, with their lines (reported, never counted)."""

    totals: list[int] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    descriptions: list[int] = field(default_factory=list)

    def warnings(self) -> list[str]:
        out = []
        if self.totals:
            n = len(self.totals)
            message = ngettext("Skipped {n} totals row ({lines}).", "Skipped {n} totals rows ({lines}).", n)
            out.append(message.format(n=n, lines=_lines(self.totals)))
        if self.descriptions:
            n = len(self.descriptions)
            message = ngettext(
                "Skipped {n} description row under the header ({lines}).",
                "Skipped {n} description rows under the header ({lines}).",
                n,
            )
            out.append(message.format(n=n, lines=_lines(self.descriptions)))
        if self.notes:
            line, text = self.notes[0]
            n = len(self.notes)
            if n == 1:
                message = _('Skipped 1 note line that is not data (line {line}: "{text}").')
            else:
                message = ngettext(
                    'Skipped {n} note line that are not data (line {line}: "{text}" and {more} more).',
                    'Skipped {n} note lines that are not data (line {line}: "{text}" and {more} more).',
                    n,
                )
            out.append(message.format(n=n, line=line, text=text[:60], more=n - 1))
        return out


def _lines(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
    return ngettext("line {lines}", "lines {lines}", len(lines)).format(lines=shown)


class Careful:
    """The careful path for one record: skip what is not data, read the rest cell by cell."""

    def __init__(self, plan: Plan, issues: list[Issue]):
        self.plan, self.issues, self.problems = plan, issues, 0
        self.skipped = Skipped()
        self.seen_data = False
        self.short: list[tuple[int, int]] = []  # (line, values) of rows shorter than the header

    def _not_data(self, cells: list[str], line: int) -> bool:
        filled = [c.strip() for c in cells if c.strip()]
        first = normalise(filled[0])
        date_cell = cells[self.plan.date_at] if self.plan.date_at < len(cells) else ""
        if _parses(self.plan.date_column.parse, date_cell):
            return False
        if first in TOTAL_WORDS or normalise(date_cell) in TOTAL_WORDS:
            self.skipped.totals.append(line)
        elif len(filled) == 1 and _has_letters(filled[0]):
            self.skipped.notes.append((line, filled[0]))
        elif not self.seen_data and self._describes(cells):
            self.skipped.descriptions.append(line)
        else:
            return False
        return True

    def _describes(self, cells: list[str]) -> bool:
        """A row of words explaining the columns (Facebook puts one under its header)."""
        texts = [cells[i] for i, _ in self.plan.measures.values() if i < len(cells) and cells[i].strip()]
        wordy = [t for t in texts if _has_letters(t) and " " in t.strip()]
        return bool(wordy) and len(wordy) == len(texts)

    def judge_short_rows(self, count: int) -> str | None:
        """A warning when short rows are the exporter's habit; else each one becomes a problem."""
        if not self.short:
            return None
        width = self.plan.width
        if len(self.short) > 1 and len(self.short) >= count * SHORT_HABIT:
            lines = [line for line, _n in self.short]
            message = ngettext(
                "{n} row had fewer values than the header's {width} columns ({lines}); the exporter leaves out "
                "empty cells at the end of a row, so the missing cells were read as empty.",
                "{n} rows had fewer values than the header's {width} columns ({lines}); the exporter leaves out "
                "empty cells at the end of a row, so the missing cells were read as empty.",
                len(lines),
            )
            return message.format(n=len(lines), width=width, lines=_lines(lines))
        for line, n in self.short:
            message = _(
                "has {n} values but the header has {width} columns (a value is missing, or a delimiter "
                "inside a value was lost)."
            )
            self._problem(message.format(n=n, width=width), line)
        return None

    def _problem(self, message: str, line: int, column: str | None = None, value: str | None = None) -> None:
        self.problems += 1
        if len(self.issues) < 20:
            self.issues.append(Issue(_(message), line=line, column=column, value=value))

    def __call__(self, cells: list[str], line: int) -> tuple | None:
        if not any(c.strip() for c in cells) or self._not_data(cells, line):
            return None
        width = self.plan.width
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            n = len(cells)
            message = _(
                "has {n} values but the header has {width} columns (a value with an unquoted delimiter?)."
            )
            self._problem(message.format(n=n, width=width), line)
            return None
        if len(cells) < width:
            self.short.append((line, len(cells)))
            cells = cells + [""] * (width - len(cells))
        problems: list = []
        row = build_row(self.plan, cells, line, problems)
        for i, value, message in problems:
            self._problem(message, line, self.plan.names[i], value.strip() or None)
        self.seen_data = self.seen_data or row is not None
        return row


def _parses(fn: Callable[[str], object], value: str) -> bool:
    try:
        fn(value)
        return True
    except ValueError:
        return False


class StreamTable(ParsedTable):
    """A file whose header was understood; rows() streams it again from the start each time."""

    def __init__(
        self,
        *,
        detection: Detection,
        warnings: list[str],
        plan: Plan,
        source: Source,
        delimiter: str,
        width: int,
        header_line: int,
        limits: Limits,
    ):
        self.detection, self.warnings = detection, warnings
        self._base_warnings = list(warnings)
        self._plan, self._header_line, self._limits = plan, header_line, limits
        self._source, self._delimiter = source, delimiter
        self._open = partial(records, source, delimiter, limits, width)

    def direct(self) -> DirectFile | None:
        """The file as the database server may parse it itself (core.parsing.direct), or None."""
        return direct_file(
            self._plan,
            source=self._source,
            delimiter=self._delimiter,
            header_line=self._header_line,
            limits=self._limits,
        )

    def columns(self) -> tuple[str, ...]:
        plan = self._plan
        used = {"line", "date", *plan.measures, *plan.texts}
        used |= {"published_at"} if plan.keeps_time() else set()
        used |= {"extra"} if plan.extra else set()
        return tuple(c for c in ROW_COLUMNS if c in used)

    def rows(self, on_progress: ProgressFn | None = None) -> Iterator[tuple]:
        """Yield canonical rows in file order; raise ParseError at the end if any row had problems."""
        plan, issues = self._plan, []
        plan.reset()
        fast, careful = compile_row(plan), Careful(plan, issues)
        width, count = plan.width, 0
        checkpoint = min(PROGRESS_EVERY, self._limits.max_rows + 1)
        with self._open() as opened:
            reader = opened.reader
            for _row in reader:
                if reader.line_num >= self._header_line:
                    break
            prev = line = reader.line_num
            for r in reader:
                line, prev = prev + 1, reader.line_num
                if prev - line >= MAX_RECORD_LINES:
                    raise unclosed_quote(line)
                row = None
                if len(r) == width:
                    try:
                        row = fast(r, line)
                    except Exception:  # any cell the fast readers refuse: read it carefully
                        row = None
                if row is None:
                    careful.seen_data = count > 0
                    row = careful(r, line)
                    if row is None:
                        continue
                if careful.problems:
                    continue  # the file will be refused: stop handing rows to the loader
                count += 1
                if count >= checkpoint:
                    checkpoint = min(count + PROGRESS_EVERY, self._limits.max_rows + 1)
                    self.check_rows(count)
                    if on_progress:
                        on_progress(opened.position())
                yield row
        self._finish(careful, count, on_progress)

    def check_rows(self, count: int) -> None:
        """ParseError when the file has more rows than one upload may."""
        if count > self._limits.max_rows:
            raise ParseError(
                [
                    Issue(
                        _(
                            "The file has more than {limit} rows of data, the limit for one upload. "
                            "Export a shorter period or split the file."
                        ).format(limit=fmt_decimal(self._limits.max_rows))
                    )
                ]
            )

    def _finish(self, careful: Careful, count: int, on_progress: ProgressFn | None) -> None:
        self.check_rows(count)
        short = careful.judge_short_rows(count)
        self.warnings[:] = self._base_warnings + careful.skipped.warnings() + ([short] if short else [])
        if careful.problems:
            raise ParseError(careful.issues, total=careful.problems)
        if count == 0:
            raise ParseError([Issue(_(NO_ROWS))])
        if on_progress:
            on_progress(1.0)
