"""An upload judged by its first bytes only, so the server's CSV path can stream it from the store.

core.parsing.source.inspect reads the whole file before anything else (its text encoding, the
length of every line). A UTF-8 CSV that the server parses needs neither in advance: the server
refuses any byte sequence that is not UTF-8 (the reader then reads the file, scanned as before),
and core.parsing.direct checks each line's length as the blocks pass. Anything the head cannot
vouch for (a spreadsheet, another encoding, a file over a limit) gives None: the file is read as before.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from core.parsing.limits import Limits
from core.parsing.source import BOMS, HEAD_BYTES, Source, _not_text, _utf16_without_bom


def inspect_head(
    opener: Callable[[], BinaryIO], *, name: str, size: int, limits: Limits, encoding: str | None = None
) -> Source | None:
    """A Source whose whole-file checks are left to the load (`scanned` False), or None."""
    if not 0 < size <= limits.max_bytes or encoding not in (None, "utf-8"):
        return None
    with opener() as fh:
        head = fh.read(HEAD_BYTES)
    chosen = "utf-8"
    if head.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    elif any(head.startswith(bom) for bom, _ in BOMS) or head.startswith(b"PK\x03\x04"):
        return None
    if _utf16_without_bom(head[:4096]) or _not_text(head):
        return None
    try:  # UTF-8 as far as it goes (the last character may be cut by the head's end)
        codecs.getincrementaldecoder("utf-8")().decode(head, final=size <= len(head))
    except UnicodeDecodeError:
        return None
    return Source(Path(name), "csv", chosen, size, opener=opener, scanned=False)
