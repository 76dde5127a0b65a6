"""Charts for the brief, drawn with reportlab.graphics: labelled horizontal bars, the value at each bar's end.

Every string is drawn with an explicit shipped font, run by run (reportlab.graphics would otherwise
fall back to Helvetica, which is never embedded and has no CJK).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib import colors

from ..domain.cost_chart import SCORE_TICKS, CurrencyChart, place_labels, tick_text
from . import fonts

CLAIMED = colors.HexColor("#b9c7d8")
EVIDENCE = colors.HexColor("#1f4e79")
KNOCKED = colors.HexColor("#b03a2e")
#: A knocked-out vendor's claimed bar: KNOCKED, light (as CLAIMED is to EVIDENCE).
KNOCKED_CLAIMED = colors.HexColor("#e6b3ad")
GRID = colors.HexColor("#d0d0d0")
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose initial font is the shipped Latin font (reportlab's default is Helvetica)."""
    d = Drawing(width, height)
    d.initialFontName = fonts.LATIN
    return d


def draw_text(d: Drawing, x: float, y: float, text: str, size: float, *, anchor: str = "start",
              color: colors.Color = INK, bold: bool = False) -> None:
    """Add text to a drawing run by run, each run in the shipped font that covers it."""
    parts = fonts.runs(text.replace("\n", " "), bold)
    width = sum(_w(r.text, r.font, size) for r in parts)
    if anchor == "middle":
        x -= width / 2
    elif anchor == "end":
        x -= width
    for r in parts:
        d.add(String(x, y, r.text, fontName=r.font, fontSize=size, fillColor=MUTED if r.missing else color))
        x += _w(r.text, r.font, size)


def _w(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def bars(rows: Sequence[tuple[str, float | None, float | None, bool]], width: float) -> Drawing:
    """Horizontal bars per vendor (name, claimed, evidence-weighted, knocked out), 0 to 100; a knocked-out
    vendor's name and both its bars in red (the caption says so), its claimed bar the lighter red."""
    fonts.register_fonts()
    label_w = min(150.0, width * 0.32)
    bar_h, gap, top_pad, bottom_pad = 8.5, 6.0, 22.0, 16.0
    row_h = 2 * bar_h + gap
    height = top_pad + bottom_pad + row_h * max(1, len(rows))
    d = _drawing(width, height)
    x0, x1 = label_w + 6, width - 28
    scale = (x1 - x0) / 100.0
    y_base = bottom_pad
    for tick in (0, 25, 50, 75, 100):
        x = x0 + tick * scale
        d.add(Line(x, y_base - 2, x, height - top_pad + 4, strokeColor=GRID, strokeWidth=0.5))
        draw_text(d, x, y_base - 11, str(tick), 8, anchor="middle", color=MUTED)
    # legend
    d.add(Rect(x0, height - 10, 8, 6, fillColor=CLAIMED, strokeColor=None))
    draw_text(d, x0 + 11, height - 10, "Claimed", 8)
    d.add(Rect(x0 + 74, height - 10, 8, 6, fillColor=EVIDENCE, strokeColor=None))
    draw_text(d, x0 + 85, height - 10, "Evidence-weighted", 8)
    for i, (name, claimed, evidence, knocked) in enumerate(rows):
        y = height - top_pad - (i + 1) * row_h + gap / 2
        label = fonts.fit(name, label_w - 4, 9)
        draw_text(d, label_w, y + bar_h - 4, label, 9, anchor="end", color=KNOCKED if knocked else INK)
        fills = (KNOCKED_CLAIMED, KNOCKED) if knocked else (CLAIMED, EVIDENCE)
        for j, (value, fill) in enumerate(((claimed, fills[0]), (evidence, fills[1]))):
            yy = y + (1 - j) * bar_h
            if value is None:
                draw_text(d, x0 + 2, yy + 1.5, "no score", 7.5, color=MUTED)
                continue
            d.add(Rect(x0, yy, max(0.5, value * scale), bar_h - 0.8, fillColor=fill, strokeColor=None))
            draw_text(d, x0 + value * scale + 2, yy + 1.5, f"{value:.0f}", 8, color=INK)
    return d


def area_bars(areas: Sequence[str], rows: Sequence[tuple[str, Sequence[float | None], bool]], width: float,
              columns: int = 2) -> Drawing:
    """Per area, one labelled bar per vendor (name, evidence-weighted per area, knocked out), 0 to 100, the
    value printed at the end of each bar; the areas in ``columns`` columns."""
    fonts.register_fonts()
    columns = max(1, min(columns, len(areas)))
    col_w = width / columns
    bar_h, step, title_h, pad = 7.0, 10.0, 14.0, 8.0
    block_h = title_h + step * max(1, len(rows)) + pad
    per_col = -(-len(areas) // columns) if areas else 1
    height = block_h * per_col
    d = _drawing(width, height)
    label_w = min(120.0, col_w * 0.46)
    for k, title in enumerate(areas):
        col, pos = divmod(k, per_col)
        x_left = col * col_w
        top = height - pos * block_h
        draw_text(d, x_left, top - 10, fonts.fit(title, col_w - 8, 9, bold=True), 9, bold=True)
        x0 = x_left + label_w + 4
        x1 = x_left + col_w - 24
        scale = (x1 - x0) / 100.0
        for i, (name, values, knocked) in enumerate(rows):
            y = top - title_h - (i + 1) * step + (step - bar_h) / 2
            draw_text(d, x_left + label_w, y + 1, fonts.fit(name, label_w - 2, 8), 8, anchor="end",
                      color=KNOCKED if knocked else INK)
            d.add(Rect(x0, y, 100 * scale, bar_h, fillColor=colors.HexColor("#f1f3f6"), strokeColor=None))
            value = values[k] if k < len(values) else None
            if value is None:
                draw_text(d, x0 + 2, y + 1, "no score", 7, color=MUTED)
                continue
            d.add(Rect(x0, y, max(0.5, value * scale), bar_h, fillColor=KNOCKED if knocked else EVIDENCE,
                       strokeColor=None))
            draw_text(d, x0 + value * scale + 2, y + 1, f"{value:.0f}", 8, color=INK)
    return d


def cost_scatter(chart: CurrencyChart, width: float, height: float, legend_knocked_out: bool = False) -> Drawing:
    """Evidence-weighted score (0-100, up) against total cost over the term (from 0, right) in one currency:
    each vendor a labelled point, knocked-out vendors hollow and grey; labels nudged so they do not overlap."""
    fonts.register_fonts()
    d = _drawing(width, height)
    size = 8.0
    left, right, bottom, top_pad = 34.0, 14.0, 30.0, 16.0
    x0, y0 = left, bottom
    w, h = width - left - right, height - bottom - top_pad
    ticks = chart.cost_ticks()
    top = float(ticks[-1])
    for s in SCORE_TICKS:
        y = y0 + h * s / 100
        d.add(Line(x0, y, x0 + w, y, strokeColor=GRID, strokeWidth=0.5))
        draw_text(d, x0 - 4, y - 2.8, str(s), size, anchor="end", color=MUTED)
    for t in ticks:
        x = x0 + w * float(t) / top
        d.add(Line(x, y0, x, y0 + h, strokeColor=GRID, strokeWidth=0.5))
        draw_text(d, x, y0 - 10, tick_text(t), size, anchor="middle", color=MUTED)
    draw_text(d, x0 + w / 2, y0 - 22, chart.title + " \u2192", size, anchor="middle")
    label = String(0, 0, "Evidence-weighted score \u2192", fontName=fonts.LATIN, fontSize=size, fillColor=INK,
                   textAnchor="middle")
    group = Group(label)
    group.translate(9, y0 + h / 2)
    group.rotate(90)
    d.add(group)
    # legend, top left
    d.add(Circle(x0 + 4, height - 6, 3, fillColor=EVIDENCE, strokeColor=EVIDENCE, strokeWidth=0.6))
    draw_text(d, x0 + 10, height - 8.8, "vendor", size)
    if legend_knocked_out:
        d.add(Circle(x0 + 52, height - 6, 3, fillColor=None, strokeColor=MUTED, strokeWidth=1))
        draw_text(d, x0 + 58, height - 8.8, "knocked out (hollow, grey): ranks last", size, color=MUTED)
    anchors = [(x0 + w * float(p.cost) / top, y0 + h * max(0.0, min(100.0, p.score)) / 100) for p in chart.points]
    sizes = [(_w(fonts.fit(p.name, w / 2, size), fonts.LATIN, size) + 2, size + 2) for p in chart.points]
    boxes = place_labels(anchors, sizes, (x0, y0, w + right - 2, h), gap=5.5, marker=3.5)
    for p, (x, y), box in zip(chart.points, anchors, boxes, strict=True):
        if p.knocked_out:
            d.add(Circle(x, y, 3, fillColor=colors.white, strokeColor=MUTED, strokeWidth=1))
        else:
            d.add(Circle(x, y, 3, fillColor=EVIDENCE, strokeColor=EVIDENCE, strokeWidth=0.6))
        draw_text(d, box[0] + 1, box[1] + 2.6, fonts.fit(p.name, w / 2, size), size,
                  color=MUTED if p.knocked_out else INK)
    return d
