"""What parsing returns: a detection, canonical rows, and issues a person can act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from core.i18n import N_, _, joined, render, to_record

MAX_LISTED_ISSUES = 20


@dataclass(frozen=True)
class Issue:
    """One problem, located: `Line 57, column "Views": "12abc" is not a number.`"""

    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        return "".join(self._parts())

    def record(self) -> dict:
        """The issue as a message record (core.i18n.render says it in any language)."""
        return joined(self._parts())

    def _parts(self) -> list[str]:
        if self.line is not None and self.column is not None:
            prefix = _('Line {line}, column "{column}": ').format(line=self.line, column=self.column)
        elif self.line is not None:
            prefix = _("Line {line}: ").format(line=self.line)
        elif self.column is not None:
            prefix = _('Column "{column}": ').format(column=self.column)
        else:
            prefix = ""
        value = _('"{value}" ').format(value=self.value) if self.value is not None else ""
        return [prefix, value, _(self.message)]


class ParseError(Exception):
    """The file cannot be used; `str()` is the text shown to the user."""

    def __init__(self, issues: list[Issue], total: int | None = None):
        self.issues = issues[:MAX_LISTED_ISSUES]
        self.total = max(total or 0, len(issues))
        super().__init__(self.text)

    def details(self) -> list[dict]:
        """The issues as data: [{message, line, column, value}]."""
        return [asdict(issue) for issue in self.issues]

    def __str__(self) -> str:
        return self.text  # in the language current where it is shown, not where it was raised

    @property
    def text(self) -> str:
        return render(self.record())

    def record(self) -> dict | str:
        """The text as a message record (core.i18n.render says it in any language)."""
        lines = [issue.record() for issue in self.issues]
        if self.total > 1:
            if self.total > len(lines):
                head = _("{total} problems found; the first {shown}:").format(
                    total=self.total, shown=len(lines)
                )
            else:
                head = _("{total} problems found:").format(total=self.total)
            return joined([head, *(joined(["- ", line]) for line in lines)], "\n")
        return lines[0] if lines else to_record(_("The file could not be read."))


@dataclass
class Detection:
    """How a file was read; stored with the file and shown to the user."""

    platform: str  # youtube | tiktok | instagram | facebook | twitter | linkedin | vk | telegram | generic
    confidence: float  # 0..1: how sure the header match is
    mapping: dict[str, str]  # source header -> canonical column
    row_kind: str  # "posts" | "days"
    encoding: str = "utf-8"
    delimiter: str = ","
    unmapped: list[str] = field(default_factory=list)  # headers kept in `extra`
    notes: list[str] = field(default_factory=list)  # e.g. "Subscribers is a net flow"
    formats: dict[str, str] = field(default_factory=dict)  # source header -> how its values were read
    candidates: dict[str, float] = field(default_factory=dict)  # platform -> score, for "did you mean"
    account_name: str | None = None  # the profile the file says it is of (Meta's "Account username")

    def as_dict(self) -> dict:
        return {
            "platform": self.platform,
            "confidence": round(self.confidence, 3),
            "mapping": self.mapping,
            "row_kind": self.row_kind,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "unmapped": self.unmapped,
            "notes": self.notes,
            "formats": self.formats,
            "candidates": self.candidates,
            "account_name": self.account_name,
        }


DELIMITER_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("vertical bar")}
DECIMAL_NAMES = {",": N_("decimal comma"), ".": N_("decimal point")}
DATE_ORDERS = {"dmy": N_("day/month/year"), "mdy": N_("month/day/year"), "ymd": N_("year-month-day")}
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1251": N_("Windows-1251 (Cyrillic)"),
    "cp1252": N_("Windows-1252 (Western)"),
    "koi8-r": "KOI8-R",
}


@dataclass(frozen=True)
class ReadOptions:
    """What the user says about how to read the file, overriding detection; None = detect."""

    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    date_order: str | None = None

    def __post_init__(self) -> None:
        checks = (
            ("delimiter", self.delimiter, DELIMITER_NAMES),
            ("decimal", self.decimal, DECIMAL_NAMES),
            ("encoding", self.encoding, ENCODINGS),
            ("date order", self.date_order, DATE_ORDERS),
        )
        for what, value, allowed in checks:
            if value is not None and value not in allowed:
                shown = ", ".join(repr(k) for k in allowed)
                raise ValueError(f"The {what} {value!r} is not one we read; choose one of {shown}.")

    @classmethod
    def from_dict(cls, data: dict | None) -> ReadOptions:
        data = data or {}
        delimiter = {"tab": "\t", "\\t": "\t"}.get(data.get("delimiter"), data.get("delimiter"))
        encoding = (data.get("encoding") or "").lower().replace("_", "-") or None
        encoding = {
            "utf8": "utf-8",
            "windows-1251": "cp1251",
            "windows-1252": "cp1252",
            "koi8r": "koi8-r",
        }.get(encoding, encoding)
        return cls(delimiter or None, data.get("decimal") or None, encoding, data.get("date_order") or None)

    def as_dict(self) -> dict[str, str]:
        """Only what the user set (stored with the file)."""
        values = {"delimiter": self.delimiter, "decimal": self.decimal, "encoding": self.encoding}
        values["date_order"] = self.date_order
        return {k: v for k, v in values.items() if v}


ProgressFn = Callable[[float], None]  # called with the fraction of the file read, 0..1


class ParsedTable:
    """A file whose header was understood; rows() streams the canonical rows."""

    detection: Detection
    warnings: list[str]

    def rows(self, on_progress: ProgressFn | None = None) -> Iterator[tuple]:
        """Yield one tuple per data row in core.models.ROW_COLUMNS order; raise ParseError at the end."""
        raise NotImplementedError

    def columns(self) -> tuple[str, ...]:
        """The ROW_COLUMNS that rows() can fill; the others are always None (a loader skips them)."""
        from core.models import ROW_COLUMNS

        return ROW_COLUMNS
