"""Charts for the brief, drawn with reportlab.graphics: claimed vs evidence-weighted bars, and a radar per vendor.

Every string is drawn with an explicit shipped font, run by run (reportlab.graphics would otherwise
fall back to Helvetica, which is never embedded and has no CJK).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from . import fonts

CLAIMED = colors.HexColor("#b9c7d8")
EVIDENCE = colors.HexColor("#1f4e79")
KNOCKED = colors.HexColor("#b03a2e")
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
    """Horizontal bars per vendor (name, claimed, evidence-weighted, knocked out), 0 to 100."""
    fonts.register_fonts()
    label_w = min(150.0, width * 0.32)
    bar_h, gap, top_pad, bottom_pad = 6.0, 7.0, 22.0, 16.0
    row_h = 2 * bar_h + gap
    height = top_pad + bottom_pad + row_h * max(1, len(rows))
    d = _drawing(width, height)
    x0, x1 = label_w + 6, width - 28
    scale = (x1 - x0) / 100.0
    y_base = bottom_pad
    for tick in (0, 25, 50, 75, 100):
        x = x0 + tick * scale
        d.add(Line(x, y_base - 2, x, height - top_pad + 4, strokeColor=GRID, strokeWidth=0.5))
        draw_text(d, x, y_base - 11, str(tick), 7, anchor="middle", color=MUTED)
    # legend
    d.add(Rect(x0, height - 10, 8, 6, fillColor=CLAIMED, strokeColor=None))
    draw_text(d, x0 + 11, height - 10, "Claimed", 7.5)
    d.add(Rect(x0 + 70, height - 10, 8, 6, fillColor=EVIDENCE, strokeColor=None))
    draw_text(d, x0 + 81, height - 10, "Evidence-weighted", 7.5)
    for i, (name, claimed, evidence, knocked) in enumerate(rows):
        y = height - top_pad - (i + 1) * row_h + gap / 2
        label = fonts.fit(name, label_w - 4, 8)
        draw_text(d, label_w, y + bar_h - 3, label, 8, anchor="end", color=KNOCKED if knocked else INK)
        for j, (value, fill) in enumerate(((claimed, CLAIMED), (evidence, EVIDENCE))):
            yy = y + (1 - j) * bar_h
            if value is None:
                draw_text(d, x0 + 2, yy + 1, "no score", 6, color=MUTED)
                continue
            d.add(Rect(x0, yy, max(0.5, value * scale), bar_h - 0.8, fillColor=fill, strokeColor=None))
            draw_text(d, x0 + value * scale + 2, yy + 1, f"{value:.0f}", 6, color=MUTED)
    return d


def radar(title: str, labels: Sequence[str], evidence: Sequence[float | None], claimed: Sequence[float | None],
          size: float = 160.0, knocked_out: bool = False) -> Drawing:
    """A radar of one vendor's area scores (0..100): evidence-weighted filled, claimed outlined."""
    fonts.register_fonts()
    d = _drawing(size, size + 14)
    cx, cy = size / 2, size / 2
    r = size * 0.25
    n = len(labels)
    draw_text(d, cx, size + 3, fonts.fit(title, size - 4, 8.5, bold=True), 8.5, anchor="middle", bold=True,
              color=KNOCKED if knocked_out else INK)
    if n < 3:
        # a radar needs three axes; with fewer, show the figures as text
        for i, (lab, ev) in enumerate(zip(labels, evidence, strict=False)):
            draw_text(d, cx, cy - i * 12, f"{fonts.fit(lab, size - 40, 7)}: "
                      f"{'—' if ev is None else f'{ev:.0f}'}", 7, anchor="middle")
        return d

    def point(i: int, value: float) -> tuple[float, float]:
        angle = math.pi / 2 - 2 * math.pi * i / n
        return cx + r * value / 100 * math.cos(angle), cy + r * value / 100 * math.sin(angle)

    for ring in (25, 50, 75, 100):
        pts = [c for i in range(n) for c in point(i, ring)]
        d.add(Polygon(pts, fillColor=None, strokeColor=GRID, strokeWidth=0.5))
    for i, lab in enumerate(labels):
        x, y = point(i, 100)
        d.add(Line(cx, cy, x, y, strokeColor=GRID, strokeWidth=0.5))
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        # keep labels inside the drawing so neighbouring radars never overlap
        room = size - 4 if anchor == "middle" else max(20.0, size / 2 - abs(lx - cx) - 2)
        lines = _label_lines(lab, room, 6.5)
        for k, line in enumerate(lines):
            draw_text(d, lx, ly - 3 + (len(lines) - 1) * 3.6 - k * 7.2, line, 6.5, anchor=anchor, color=MUTED)
    claimed_pts = [c for i, v in enumerate(claimed) for c in point(i, v or 0.0)]
    evidence_pts = [c for i, v in enumerate(evidence) for c in point(i, v or 0.0)]
    d.add(Polygon(evidence_pts, fillColor=colors.HexColor("#a9c1da"), strokeColor=EVIDENCE,
                  strokeWidth=0.8))
    d.add(Polygon(claimed_pts, fillColor=None, strokeColor=colors.HexColor("#7f9cbf"), strokeWidth=0.8,
                  strokeDashArray=[2, 2]))
    return d


def _label_lines(text: str, room: float, size: float) -> list[str]:
    """An axis label on one line, or two when it is too wide and has a space; each line fitted to ``room``."""
    text = fonts.clean(text).replace("\n", " ").strip()
    if fonts.string_width(text, size) <= room or " " not in text:
        return [fonts.fit(text, room, size)]
    words = text.split()
    best = min(range(1, len(words)), key=lambda i: max(fonts.string_width(" ".join(words[:i]), size),
                                                       fonts.string_width(" ".join(words[i:]), size)))
    return [fonts.fit(" ".join(words[:best]), room, size), fonts.fit(" ".join(words[best:]), room, size)]
