"""Charts drawn with QPainter: a radar of one vendor across rubric areas, and claimed vs evidence-weighted bars.

Every chart prints its numbers as text next to the shapes, so nothing is told by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ...domain.scoring import score_gap
from ..colours import TEXT_CONTRAST, contrast, readable_on, text_on

EVIDENCE_COLOUR = QColor("#1f5f8b")
CLAIMED_COLOUR = QColor("#c0792a")
GRID_COLOUR = QColor("#c8c8c8")
KO_COLOUR = QColor("#a61b1b")
MUTED_COLOUR = QColor("#777777")


@dataclass(frozen=True)
class Ink:
    """The colours a chart draws with, chosen for the background it is drawn on."""

    text: QColor
    muted: QColor
    ko: QColor
    evidence: QColor
    claimed: QColor


def ink_for(base: QColor, text: QColor) -> Ink:
    """Chart colours readable on ``base``: the palette's text, and the meaning colours lightened on a dark base."""
    return Ink(text=text if contrast(text, base) >= TEXT_CONTRAST else text_on(base),
               muted=readable_on(MUTED_COLOUR, base, TEXT_CONTRAST), ko=readable_on(KO_COLOUR, base, TEXT_CONTRAST),
               evidence=readable_on(EVIDENCE_COLOUR, base), claimed=readable_on(CLAIMED_COLOUR, base))


def _ink(widget: QWidget) -> Ink:
    palette = widget.palette()
    return ink_for(palette.base().color(), palette.text().color())


@dataclass(frozen=True)
class RadarSeries:
    """One vendor's scores per axis (0-100, None when not scored)."""

    name: str
    evidence: Sequence[float | None]
    claimed: Sequence[float | None]
    knocked_out: bool = False
    subtitle: str = ""


def _value(x: float | None) -> float:
    return 0.0 if x is None else max(0.0, min(100.0, x))


class RadarChart(QWidget):
    """One vendor across the rubric areas: evidence-weighted filled, claimed dashed, values printed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axes: list[str] = []
        self.series: RadarSeries | None = None
        self.show_legend = False  # the grid shows one legend for all; a chart on its own shows its own
        self.setMinimumSize(260, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, axes: Sequence[str], series: RadarSeries | None) -> None:
        """Show ``series`` on ``axes`` (rubric titles)."""
        self.axes = list(axes)
        self.series = series
        name = series.name if series else ""
        self.setAccessibleName(f"Radar chart of {name}")
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words (tooltip and accessible description)."""
        if self.series is None:
            return ""
        parts = []
        for axis, ev, cl in zip(self.axes, self.series.evidence, self.series.claimed, strict=False):
            parts.append(f"{axis}: {'not scored' if ev is None else f'{ev:.0f}'}"
                         + ("" if cl is None else f" (claimed {cl:.0f})"))
        return f"{self.series.name} — " + "; ".join(parts)

    def sizeHint(self) -> QSize:
        """Roughly square."""
        return QSize(300, 300)

    def _point(self, centre: QPointF, radius: float, i: int, value: float) -> QPointF:
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(self.axes), 1)
        r = radius * value / 100.0
        return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw rings, axes, both polygons and the labels."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        ink = _ink(self)
        s = self.series
        font = QFont(self.font())
        title_font = QFont(font)
        title_font.setBold(True)
        fm = QFontMetrics(font)
        p.setFont(title_font)
        p.setPen(ink.ko if s and s.knocked_out else ink.text)
        top = 4.0
        if s is not None:
            title = s.name + ("  ✖ knocked out" if s.knocked_out else "")
            p.drawText(QRectF(4, top, self.width() - 8, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                       QFontMetrics(title_font).elidedText(title, Qt.TextElideMode.ElideRight, self.width() - 8))
            top += fm.height() + 2
            if s.subtitle:
                p.setFont(font)
                p.setPen(ink.text)
                p.drawText(QRectF(4, top, self.width() - 8, fm.height()), Qt.AlignmentFlag.AlignHCenter,
                           fm.elidedText(s.subtitle, Qt.TextElideMode.ElideRight, self.width() - 8))
                top += fm.height()
            top += 8  # air between the title and the top axis label
        p.setFont(font)
        n = len(self.axes)
        if s is None or n < 3:
            p.setPen(ink.text)
            p.drawText(QRectF(self.rect()).adjusted(8, top, -8, -8), Qt.AlignmentFlag.AlignCenter
                       | Qt.TextFlag.TextWordWrap, "A radar needs three or more rubrics." if s else "")
            p.end()
            return
        label_w = min(130.0, self.width() / 3.3)
        line_h = fm.height()
        legend_h = line_h + 6 if self.show_legend else 0
        area = QRectF(0, top, self.width(), self.height() - top - legend_h).adjusted(
            label_w * 0.75, line_h * 2 + 4, -label_w * 0.75, -line_h * 2 - 4)
        if self.show_legend:
            y = self.height() - line_h / 2 - 4
            p.setPen(QPen(ink.evidence, 2))
            fill = QColor(ink.evidence)
            fill.setAlpha(90)
            p.setBrush(QBrush(fill))
            p.drawRect(QRectF(8, y - 5, 14, 10))
            p.setPen(ink.text)
            p.drawText(QPointF(28, y + fm.ascent() / 2 - 1), "evidence-weighted")
            lx = 40.0 + fm.horizontalAdvance("evidence-weighted")
            p.setPen(QPen(ink.claimed, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(lx, y), QPointF(lx + 22, y))
            p.setPen(ink.text)
            p.drawText(QPointF(lx + 28, y + fm.ascent() / 2 - 1), "claimed")
            p.setBrush(Qt.BrushStyle.NoBrush)
        radius = max(20.0, min(area.width(), area.height()) / 2)
        centre = area.center()
        # rings at 25, 50, 75, 100 with their values, so a shape can be read without a legend
        p.setPen(QPen(GRID_COLOUR, 1))
        for ring in (25, 50, 75, 100):
            poly = QPolygonF([self._point(centre, radius, i, ring) for i in range(n)])
            p.drawPolygon(poly)
        for i in range(n):
            p.drawLine(centre, self._point(centre, radius, i, 100))
        p.setPen(ink.muted)
        small = QFont(font)
        small.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        p.setFont(small)
        for ring in (50, 100):
            pt = self._point(centre, radius, 0, ring)
            p.drawText(QPointF(pt.x() + 3, pt.y() + 10), str(ring))
        p.setFont(font)
        # claimed: dashed outline; evidence-weighted: filled
        claimed = QPolygonF([self._point(centre, radius, i, _value(v)) for i, v in enumerate(s.claimed)])
        pen = QPen(ink.claimed, 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolygon(claimed)
        fill = QColor(ink.evidence)
        fill.setAlpha(90)
        p.setPen(QPen(ink.evidence, 2))
        p.setBrush(QBrush(fill))
        evidence = QPolygonF([self._point(centre, radius, i, _value(v)) for i, v in enumerate(s.evidence)])
        p.drawPolygon(evidence)
        # axis labels: the area on one line, the evidence-weighted value under it
        p.setPen(ink.text)
        for i, axis in enumerate(self.axes):
            ev = s.evidence[i] if i < len(s.evidence) else None
            pt = self._point(centre, radius + 6, i, 100)
            dx, dy = pt.x() - centre.x(), pt.y() - centre.y()
            # as much room as there is between the axis end and the widget's edge
            room = self.width() - 4 if abs(dx) < 4 else (self.width() - pt.x() - 2 if dx > 0 else pt.x() - 2)
            lines = [fm.elidedText(axis, Qt.TextElideMode.ElideRight, int(max(room, 30))),
                     "—" if ev is None else f"{ev:.0f}"]
            block_top = pt.y() - 2 * line_h if dy < -4 else (pt.y() if dy > 4 else pt.y() - line_h)
            for k, text in enumerate(lines):
                tw = fm.horizontalAdvance(text)
                x = pt.x() - tw / 2 if abs(dx) < 4 else (pt.x() if dx > 0 else pt.x() - tw)
                x = max(2.0, min(self.width() - tw - 2, x))
                p.drawText(QPointF(x, block_top + k * line_h + fm.ascent()), text)
        p.end()


class RadarGrid(QScrollArea):
    """One radar per vendor, side by side, with a legend line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._inner = QWidget(self)
        outer = QVBoxLayout(self._inner)
        ink = ink_for(self.palette().window().color(), self.palette().windowText().color())
        self.legend = QLabel(
            f"<span style='color:{ink.evidence.name()}'>■</span> filled: evidence-weighted score &nbsp;&nbsp;"
            f"<span style='color:{ink.claimed.name()}'>- - -</span> dashed: what the vendor claims (levels at face "
            "value) &nbsp;&nbsp; rings at 25, 50, 75, 100", self._inner)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.legend)
        self._grid = QGridLayout()
        outer.addLayout(self._grid)
        outer.addStretch(1)
        self.setWidget(self._inner)
        self.charts: list[RadarChart] = []
        self._laid_out = 0

    def _columns(self) -> int:
        """As many radars of about 340 pixels as fit side by side (1 to 4)."""
        return max(1, min(4, self.viewport().width() // 340))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-flow the radars when the width allows a different number per row."""
        super().resizeEvent(event)
        if self.charts and self._columns() != self._laid_out:
            self._place()

    def set_data(self, axes: Sequence[str], series: Sequence[RadarSeries]) -> None:
        """One radar per series, as many to a row as fit."""
        while self.charts:
            chart = self.charts.pop()
            self._grid.removeWidget(chart)
            chart.hide()  # out of the layout it would sit at the top-left, over the legend, until deleted
            chart.deleteLater()
        for s in series:
            chart = RadarChart(self._inner)
            chart.set_data(axes, s)
            self.charts.append(chart)
        self._place()

    def _place(self) -> None:
        columns = self._columns()
        for chart in self.charts:
            self._grid.removeWidget(chart)
        for i, chart in enumerate(self.charts):
            self._grid.addWidget(chart, i // columns, i % columns)
        self._laid_out = columns


@dataclass(frozen=True)
class BarRow:
    """One vendor's claimed and evidence-weighted overall scores."""

    name: str
    claimed: float | None
    evidence: float | None
    knocked_out: bool = False


class ClaimBars(QWidget):
    """Per vendor, a bar for the claimed score and one for the evidence-weighted score, with the gap."""

    ROW_H = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BarRow] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Claimed versus evidence-weighted scores")

    def set_data(self, rows: Sequence[BarRow]) -> None:
        """Show these vendors (best first)."""
        self.rows = list(rows)
        self.setMinimumHeight(self._height())
        self.setToolTip("\n".join(self.describe()))
        self.updateGeometry()
        self.update()

    def describe(self) -> list[str]:
        """Each vendor's bars in words."""
        out = []
        for r in self.rows:
            gap = score_gap(r.claimed, r.evidence)
            out.append(f"{r.name}: claimed {_fmt(r.claimed)}, evidence-weighted {_fmt(r.evidence)}"
                       + ("" if gap is None else f", gap {gap:.1f}") + (", knocked out" if r.knocked_out else ""))
        return out

    def _height(self) -> int:
        return 36 + self.ROW_H * max(1, len(self.rows)) + QFontMetrics(self.font()).height() + 4

    def sizeHint(self) -> QSize:
        """Tall enough for every vendor."""
        return QSize(600, self._height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the legend and two bars per vendor with their numbers."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        ink = _ink(self)
        fm = QFontMetrics(self.font())
        name_w = min(220, max([fm.horizontalAdvance(r.name) for r in self.rows] + [80]) + 12)
        num_w = fm.horizontalAdvance("claimed 100.0  gap −100.0") + 12
        x0 = name_w + 4
        width = max(40, self.width() - x0 - num_w - 8)
        # legend
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ink.claimed).lighter(150))
        p.drawRect(QRectF(x0, 8, 14, 10))
        p.setPen(ink.text)
        p.drawText(QPointF(x0 + 20, 18), "claimed (levels at face value)")
        lx = x0 + 40 + fm.horizontalAdvance("claimed (levels at face value)")
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(ink.evidence)
        p.drawRect(QRectF(lx, 8, 14, 10))
        p.setPen(ink.text)
        p.drawText(QPointF(lx + 20, 18), "evidence-weighted (the ranking score)")
        # scale lines at 0, 50, 100
        top = 30
        p.setPen(QPen(GRID_COLOUR, 1, Qt.PenStyle.DotLine))
        bottom = top + self.ROW_H * len(self.rows)
        for tick in (0, 25, 50, 75, 100):
            x = x0 + width * tick / 100
            p.drawLine(QPointF(x, top), QPointF(x, bottom))
        p.setPen(ink.muted)
        for tick in (0, 25, 50, 75, 100):
            x = x0 + width * tick / 100
            label = str(tick)
            p.drawText(QPointF(x - fm.horizontalAdvance(label) / 2, bottom + fm.ascent() + 1), label)
        for i, r in enumerate(self.rows):
            y = top + i * self.ROW_H
            p.setPen(ink.ko if r.knocked_out else ink.text)
            name = fm.elidedText(r.name, Qt.TextElideMode.ElideRight, name_w - 8)
            p.drawText(QRectF(0, y, name_w - 4, self.ROW_H - 4),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       name + ("\n✖ knocked out" if r.knocked_out else ""))
            bar_h = (self.ROW_H - 12) / 2
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(ink.claimed).lighter(150))
            p.drawRect(QRectF(x0, y + 4, width * _value(r.claimed) / 100, bar_h))
            p.setBrush(ink.evidence)
            p.drawRect(QRectF(x0, y + 4 + bar_h + 1, width * _value(r.evidence) / 100, bar_h))
            gap = score_gap(r.claimed, r.evidence)
            p.setPen(ink.text)
            text_x = x0 + width + 8
            p.drawText(QPointF(text_x, y + 4 + fm.ascent()), f"claimed {_fmt(r.claimed)}"
                       + ("" if gap is None else f"  gap {gap:.1f}"))
            p.drawText(QPointF(text_x, y + 4 + bar_h + 1 + fm.ascent()), f"evidence {_fmt(r.evidence)}")
        p.end()


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"
