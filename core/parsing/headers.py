"""Header names: how they are compared, cleaned and de-duplicated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.i18n import _, ngettext

_NON_WORD = re.compile(r"[\W_]+")
# A UTF-8 BOM read as Windows-1252 text: never part of a header name.
_STRAY_BOMS = ("\ufeff", "ï»¿")
MAX_NAMED_DUPLICATES = 5


def normalise(name: str) -> str:
    """The comparable form of a header: case, ё/е, punctuation and spacing ignored."""
    return _NON_WORD.sub(" ", name.casefold().replace("ё", "е")).strip()


@dataclass
class Header:
    """The cleaned header row: display names, their comparable forms, and which to ignore."""

    names: list[str]
    keys: list[str]
    ignored: set[int] = field(default_factory=set)  # later copies of a duplicate name
    warnings: list[str] = field(default_factory=list)

    def usable(self) -> list[int]:
        return [i for i in range(len(self.names)) if i not in self.ignored]


def _clean(cell: str, index: int) -> str:
    name = cell
    for bom in _STRAY_BOMS:
        name = name.replace(bom, "")
    name = " ".join(name.split())
    return name or f"Column {index + 1}"


def read_header(cells: list[str]) -> Header:
    """Strip padding and stray BOMs; keep the first of duplicate names and say so."""
    names = [_clean(c, i) for i, c in enumerate(cells)]
    # Trailing unnamed, empty columns come from a trailing delimiter: drop them.
    while len(names) > 1 and not cells[len(names) - 1].strip():
        names.pop()
    keys = [normalise(n) or n for n in names]
    seen: dict[str, int] = {}
    ignored, dupes = set(), []
    for i, key in enumerate(keys):
        if key in seen:
            ignored.add(i)
            if names[seen[key]] not in dupes:
                dupes.append(names[seen[key]])
        else:
            seen[key] = i
    header = Header(names, keys, ignored)
    if dupes:
        listed = ", ".join(f'"{d}"' for d in dupes[:MAX_NAMED_DUPLICATES])
        if len(dupes) > MAX_NAMED_DUPLICATES:
            listed += " " + _("and {n} more").format(n=len(dupes) - MAX_NAMED_DUPLICATES)
        message = ngettext(
            "{n} column name appears more than once ({names}); the first column of each name was used and the later copies ignored.",
            "{n} column names appear more than once ({names}); the first column of each name was used and the later copies ignored.",
            len(dupes),
        )
        header.warnings.append(message.format(n=len(dupes), names=listed))
    return header
