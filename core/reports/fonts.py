"""The report's TrueType fonts, parsed once a process instead of once a document.

fpdf2's `add_font` parses the whole font with fontTools (character map, every glyph's width and
id) for each document: most of the time a small report's PDF takes. fpdf2 (2.8) has no public way
to share a parsed font between documents, and its `TTFFont` cannot simply be reused: `output()`
subsets the font's fontTools object in place and writes per-document state into it (its index,
the glyphs used, those missing, the font descriptor's name and object id). So a document gets a
`TTFFont` of its own whose read-only part — character map, widths, glyph ids, metrics — is the
parse kept here, and whose per-document part is new: a fresh (lazily read, so nearly free)
fontTools object to subset, a new subset map and descriptor. Same bytes as `add_font`
(tests/reports/test_report_fonts.py); any other fpdf2 layout falls back to `add_font`.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.font_type_3 import get_color_font_object
from fpdf.fonts import PDFFontDescriptor, SubsetMap, TTFFont

# TTFFont's attributes as fpdf2 2.8.9 has them: the ones set anew for each document, the rest shared.
PER_DOCUMENT = frozenset({"i", "fontkey", "emphasis", "ttfont", "subset", "missing_glyphs", "biggest_size_pt",
                          "desc", "_hbfont", "color_font"})  # fmt: skip
SHARED = frozenset({"type", "name", "glyph_ids", "sp", "ss", "up", "ut", "cw", "ttffile", "scale", "cmap",
                    "unicode_range", "palette_index", "is_compressed", "is_cff", "is_cid_keyed", "is_symbol",
                    "cff_ros", "collection_font_number"})  # fmt: skip
_parsed: dict[Path, TTFFont | None] = {}
_lock = threading.Lock()


def add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """`pdf.add_font(family, style, path)`, from the process's parse of the font file."""
    parsed = _parse(path)
    if parsed is None:
        pdf.add_font(family, style, path)
        return
    font = TTFFont.__new__(TTFFont)
    for name in SHARED:
        if hasattr(parsed, name):
            setattr(font, name, getattr(parsed, name))
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.emphasis = TextEmphasis.coerce(style)
    font.ttfont = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=font.collection_font_number, lazy=True)
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.desc = _descriptor(parsed.desc)
    font._hbfont = None
    font.color_font = get_color_font_object(pdf, font, font.palette_index) if pdf.render_color_fonts else None
    pdf.fonts[font.fontkey] = font


def _parse(path: Path) -> TTFFont | None:
    """The font parsed by fpdf2 once a process; None when it cannot be shared (then add_font each time)."""
    with _lock:
        if path not in _parsed:
            _parsed[path] = _shareable(path)
        return _parsed[path]


def _shareable(path: Path) -> TTFFont | None:
    if set(TTFFont.__slots__) != PER_DOCUMENT | SHARED:
        return None  # another fpdf2: its fonts may keep state this module does not know of
    scratch = FPDF()
    scratch.add_font("parsed", "", path)
    font = scratch.fonts["parsed"]
    if "glyf" in font.ttfont and ".notdef" not in font.ttfont["glyf"]:
        return None  # fpdf2 drew a .notdef into this parse's fontTools object: a fresh one lacks it
    if font.color_font is not None:
        return None  # a colour font's glyphs are drawn per document from its fontTools object
    return font


def _descriptor(desc: PDFFontDescriptor) -> PDFFontDescriptor:
    """A document's own font descriptor: output() names it and gives it the document's object id."""
    return PDFFontDescriptor(
        ascent=desc.ascent,
        descent=desc.descent,
        cap_height=desc.cap_height,
        flags=desc.flags,
        font_b_box=desc.font_b_box,
        italic_angle=desc.italic_angle,
        stem_v=desc.stem_v,
        missing_width=desc.missing_width,
    )
