"""Text the report's font can draw, without importing fpdf2 or matplotlib (the Explorer's summary uses it)."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

# DejaVu ships inside matplotlib's wheel (its mpl-data) and covers Cyrillic and ₽: no system font needed.
FONT_DIR = Path(find_spec("matplotlib").submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"


@lru_cache(maxsize=1)
def _font_cmap() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONT_DIR / "DejaVuSans.ttf")["cmap"].getBestCmap())


def clean(text: str | None, *, limit: int | None = None) -> str:
    """Text the font can draw: control characters and glyphs DejaVu lacks (most emoji) dropped."""
    if not text:
        return ""
    cmap = _font_cmap()
    out = "".join(c for c in str(text) if (ord(c) in cmap and c.isprintable()) or c == " ").strip()
    out = " ".join(out.split())
    if limit and len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out
