"""How each canonical slot of a row is read from the file's cells, decided once per file.

The plan compiles into one small function per file that builds a row tuple from a record
using the cheapest converter right for each column (`int`, `date.fromisoformat`, ...), so the
common plain file pays no per-cell checks; any record it cannot build goes to the careful path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from operator import itemgetter

from core.models import MEASURES
from core.parsing.dates import DateColumn
from core.parsing.numbers import NumberColumn

TEXTS = ("post_id", "title", "url")


@dataclass
class Plan:
    """Source column index for each canonical slot, with the column readers."""

    names: list[str]  # display name per column index
    width: int  # cells per record as the header has them (trailing empties included)
    date_at: int
    dates: dict[int, DateColumn]  # the date column and, if different, the published_at one
    measures: dict[str, tuple[int, NumberColumn]]
    texts: dict[str, int]
    published_at: int | None
    extra: list[tuple[str, int]] = field(default_factory=list)
    # The other columns' numbers, read only as evidence of the file's decimal mark (`ER, %`: 5,6).
    evidence: dict[int, NumberColumn] = field(default_factory=dict)

    @cached_property
    def extra_reader(self):
        return make_extra(self.extra)

    @property
    def date_column(self) -> DateColumn:
        return self.dates[self.date_at]

    def columns(self):
        """(index, reader) for every column whose format is decided from its cells."""
        yield from self.dates.items()
        yield from ((i, col) for i, col in self.measures.values())
        yield from self.evidence.items()

    @property
    def plain(self) -> bool:
        return all(col.plain for _, col in self.columns())

    @property
    def counts(self) -> list[NumberColumn]:
        return [col for _, col in self.measures.values()]

    def observe(self, cells: list[str], only: set[int] | None = None) -> None:
        n = len(cells)
        for i, col in self.columns():
            if i < n and (only is None or i in only):
                col.observe(cells[i])

    def needs_survey(self) -> set[int]:
        """Columns whose format only the whole file can settle."""
        return {i for i, col in self.columns() if i not in self.evidence and col.needs_survey()}

    def adopt(self, other: Plan, indexes: set[int]) -> None:
        """Take the readers of `indexes` from `other` (which observed the whole file)."""
        for i in indexes & set(self.dates):
            self.dates[i] = other.dates[i]
        for name, (i, _) in list(self.measures.items()):
            if i in indexes:
                self.measures[name] = other.measures[name]
        for i in indexes & set(self.evidence):
            self.evidence[i] = other.evidence[i]

    def decide(self, *, decimal: str | None = None, date_order: str | None = None) -> None:
        """Fix every column's format; `decimal` and `date_order` are the user's, when given."""
        numbers = [*self.counts, *self.evidence.values()]
        comma = sum(col.votes[","] for col in numbers)
        dot = sum(col.votes["."] for col in numbers)
        file_mark = None if comma == dot else "," if comma > dot else "."
        for col in self.dates.values():
            col.decide(date_order)
        for col in numbers:
            col.decide(file_mark, forced=decimal)

    def undecided_notes(self) -> list[str]:
        return [note for col in self.counts if (note := col.undecided_note())]

    def reset(self) -> None:
        for col in self.dates.values():
            col.reset()

    def keeps_time(self) -> bool:
        """Whether rows get a published_at: a mapped column, or times in the date column."""
        return self.published_at is not None or self.date_column.timed

    def formats(self) -> dict[str, str]:
        out = {self.names[i]: col.describe() for i, col in self.dates.items()}
        for i, col in self.measures.values():
            described = col.describe()
            if described:
                out[self.names[i]] = described
        return out


def make_extra(pairs: list[tuple[str, int]]):
    """Record -> {name: text} of the file's other non-empty cells, or None."""
    if not pairs:
        return lambda cells: None
    names = tuple(n for n, _ in pairs)
    getter = itemgetter(*(i for _, i in pairs))
    if len(pairs) == 1:
        one = getter

        def getter(cells):
            return (one(cells),)

    def extra(cells: list[str]) -> dict[str, str] | None:
        return {k: v for k, v in zip(names, getter(cells), strict=True) if v and not v.isspace()} or None

    return extra


def compile_row(plan: Plan):
    """A function (cells, line) -> row tuple in ROW_COLUMNS order; raises on any cell it cannot read."""
    ns: dict[str, object] = {"X": plan.extra_reader, "D": plan.date_column.fast_date}
    slots = ["line", f"D(r[{plan.date_at}])"]
    for k, measure in enumerate(MEASURES):
        if measure in plan.measures:
            i, col = plan.measures[measure]
            ns[f"N{k}"] = col.fast
            slots.append(f"N{k}(r[{i}])")
        else:
            slots.append("None")
    for text in TEXTS:
        i = plan.texts.get(text)
        slots.append("None" if i is None else f"(r[{i}].strip() or None)")
    source = plan.published_at if plan.published_at is not None else plan.date_at
    if plan.keeps_time():
        ns["P"] = plan.dates[source].fast_datetime
        slots.append(f"P(r[{source}])")
    else:
        slots.append("None")
    slots.append("X(r)")
    code = f"def row(r, line):\n    return ({', '.join(slots)},)\n"
    # Only integer indexes and fixed names enter the source; no text from the file.
    exec(compile(code, "<row plan>", "exec"), ns)  # noqa: S102
    return ns["row"]


def build_row(plan: Plan, cells: list[str], line: int, problems: list) -> tuple | None:
    """The careful path: read each cell on its own, collecting (index, value, message) problems."""

    def read(fn, i):
        try:
            return fn(cells[i])
        except ValueError as exc:
            problems.append((i, cells[i], str(exc)))
            return None

    day: date | None = read(plan.date_column.parse, plan.date_at)
    measures = [
        read(plan.measures[m][1].parse, plan.measures[m][0]) if m in plan.measures else None for m in MEASURES
    ]
    texts = [(cells[plan.texts[t]].strip() or None) if t in plan.texts else None for t in TEXTS]
    published = None
    source = plan.published_at if plan.published_at is not None else plan.date_at
    if plan.keeps_time() and not (source == plan.date_at and day is None):
        published = read(plan.dates[source].parse_datetime, source)
    if problems:
        return None
    return (line, day, *measures, *texts, published, plan.extra_reader(cells))
