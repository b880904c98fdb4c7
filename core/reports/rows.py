"""The report's tables drawn row by row: zebra rows between thin rules, a bold muted heading row.

What fpdf2's `table()` drew, at a fraction of its cost: it laid out every cell twice through
`multi_cell` (once to measure the row, once to draw it); here a one-line cell is a single `cell`,
and only the columns that wrap are measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.reports.page import FONT

INK, MUTED, RULE, ZEBRA = (30, 41, 59), (100, 116, 139), (226, 232, 240), (248, 250, 252)
LINE, PAD_Y, PAD_X = 5, 1, 1.5


@dataclass(frozen=True)
class Cell:
    text: str
    colour: tuple[int, int, int] | None = None
    bold: bool = False
    link: str | None = None


def _cell(value) -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value))


def table(pdf, *, widths, aligns, heading, rows, size: float, wrap: frozenset[int] = frozenset()) -> None:
    """Draw `heading` and `rows` (texts or Cells) in columns of `widths` mm; columns in `wrap` wrap."""
    align = ["R" if a == "RIGHT" else "L" for a in aligns]
    left, width = pdf.l_margin, sum(widths)

    def fits(cell: Cell, i: int) -> bool:
        return pdf.get_string_width(cell.text) <= widths[i] - 2 * PAD_X - 0.5

    def lines(row: list[Cell], head: bool) -> int:
        counts = [1]
        for i in wrap:
            pdf.set_font(FONT, "B" if row[i].bold or head else "", size)
            if not fits(row[i], i):
                text, w = row[i].text, widths[i] - 2 * PAD_X
                counts.append(len(pdf.multi_cell(w, LINE, text, dry_run=True, output="LINES")))
        return max(counts)

    def draw(row: list[Cell], *, fill: bool, head: bool = False) -> None:
        height = lines(row, head) * LINE + 2 * PAD_Y
        if pdf.will_page_break(height):
            pdf.add_page()
            if not head:
                draw(head_row, fill=False, head=True)
        top = pdf.get_y()
        if fill:
            pdf.set_fill_color(*ZEBRA)
            pdf.rect(left, top, width, height, style="F")
        x = left
        for i, cell in enumerate(row):
            pdf.set_font(FONT, "B" if cell.bold or head else "", size)
            pdf.set_text_color(*(MUTED if head else cell.colour or INK))
            pdf.set_xy(x + PAD_X, top + PAD_Y)
            if i in wrap and not fits(cell, i):
                pdf.multi_cell(widths[i] - 2 * PAD_X, LINE, cell.text, align=align[i], link=cell.link or "")
            else:
                pdf.cell(widths[i] - 2 * PAD_X, LINE, cell.text, align=align[i], link=cell.link or "")
            x += widths[i]
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(left, top + height, left + width, top + height)
        pdf.set_xy(left, top + height)

    head_row = [Cell(str(h)) for h in heading]
    draw(head_row, fill=False, head=True)
    for n, row in enumerate(rows):
        draw([_cell(v) for v in row], fill=n % 2 == 0)
    pdf.set_text_color(*INK)
