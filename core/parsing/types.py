"""What parsing returns: a detection, canonical rows, and issues a person can act on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

MAX_LISTED_ISSUES = 20


@dataclass(frozen=True)
class Issue:
    """One problem, located: `Line 57, column "Views": "12abc" is not a number.`"""

    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"Line {self.line}")
        if self.column is not None:
            where.append(f'column "{self.column}"')
        prefix = ", ".join(where)
        if prefix:
            prefix = prefix[0].upper() + prefix[1:] + ": "
        value = f'"{self.value}" ' if self.value is not None else ""
        return f"{prefix}{value}{self.message}"


class ParseError(Exception):
    """The file cannot be used; `str()` is the text shown to the user."""

    def __init__(self, issues: list[Issue], total: int | None = None):
        self.issues = issues[:MAX_LISTED_ISSUES]
        self.total = max(total or 0, len(issues))
        super().__init__(self.text)

    @property
    def text(self) -> str:
        lines = [str(i) for i in self.issues]
        if self.total > 1:
            head = f"{self.total} problems found" + (
                f"; the first {len(lines)}:" if self.total > len(lines) else ":"
            )
            return "\n".join([head, *(f"- {line}" for line in lines)])
        return lines[0] if lines else "The file could not be read."


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
        }


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
