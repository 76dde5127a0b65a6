"""Evidence-weighted score against total cost over the term, painted with QPainter: one plot per currency
(never converted), each vendor a labelled point, knocked-out vendors hollow and grey, a tooltip per point.

The data and the rules (which vendors, which currency, what the notes say) are ``domain.cost_chart``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ...domain.cost_chart import SCORE_TICKS, CostPoint, CostScoreChart, CurrencyChart, place_labels, tick_text
from .charts import GRID_COLOUR, Ink, _ink

#: A point's marker radius and how near (pixels) the pointer must be for its tooltip.
MARKER, HIT = 5.0, 9.0


@dataclass(frozen=True)
class DrawnPoint:
    """Where a point and its label were drawn (for tooltips and tests)."""

    point: CostPoint
    centre: QPointF
    label: QRectF


class CostScorePlot(QWidget):
    """The plots side by side; ``drawn`` holds each point's place after a paint (or ``layout_points()``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: CostScoreChart | None = None
        self.drawn: list[DrawnPoint] = []
        self.setMinimumSize(420, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setAccessibleName("Evidence-weighted score against total cost")

    def sizeHint(self) -> QSize:
        """Wide rather than tall."""
        return QSize(760, 420)

    def set_chart(self, chart: CostScoreChart | None) -> None:
        """Show a chart's data (None: nothing compared)."""
        self.chart = chart
        self.setAccessibleDescription(self.describe())
        self.layout_points()
        self.update()

    def describe(self) -> str:
        """The chart in words (accessible description)."""
        if self.chart is None or not self.chart.points:
            return "No vendor has both a score and a total cost."
        return "; ".join(f"{p.name}: score {p.score:.1f}, {p.cost_text}" + (" (knocked out)" if p.knocked_out else "")
                         for p in self.chart.points)

    def _panels(self) -> list[tuple[CurrencyChart, QRectF]]:
        charts = list(self.chart.charts) if self.chart is not None else []
        if not charts:
            return []
        n = len(charts)
        cols = 1 if n == 1 else 2
        rows = -(-n // cols)
        w, h = self.width() / cols, (self.height() - self._legend_h()) / rows
        return [(c, QRectF((i % cols) * w, self._legend_h() + (i // cols) * h, w, h)) for i, c in enumerate(charts)]

    def _legend_h(self) -> float:
        return QFontMetrics(self.font()).height() + 8.0

    def _plot_rect(self, panel: QRectF) -> QRectF:
        fm = QFontMetrics(self.font())
        left = fm.horizontalAdvance("100") + 14 + fm.height()  # tick labels and the rotated axis title
        bottom = 2 * fm.height() + 12  # tick labels and the axis title
        return QRectF(panel.left() + left, panel.top() + 10, max(40.0, panel.width() - left - 24),
                      max(40.0, panel.height() - bottom - 14))

    def layout_points(self) -> list[DrawnPoint]:
        """Place every point and its label (the labels nudged apart) for the widget's current size."""
        fm = QFontMetrics(self.font())
        out: list[DrawnPoint] = []
        for chart, panel in self._panels():
            plot = self._plot_rect(panel)
            top = float(chart.cost_ticks()[-1])
            centres = [QPointF(plot.left() + plot.width() * float(p.cost) / top,
                               plot.bottom() - plot.height() * max(0.0, min(100.0, p.score)) / 100.0)
                       for p in chart.points]
            sizes = [(float(fm.horizontalAdvance(p.name) + 4), float(fm.height())) for p in chart.points]
            boxes = place_labels([(c.x(), c.y()) for c in centres], sizes,
                                 (plot.left(), plot.top(), plot.width() + 20, plot.height()), gap=MARKER + 3,
                                 marker=MARKER)
            out += [DrawnPoint(p, c, QRectF(*b)) for p, c, b in zip(chart.points, centres, boxes, strict=True)]
        self.drawn = out
        return out

    def point_at(self, pos: QPointF) -> DrawnPoint | None:
        """The point (or its label) under ``pos``, nearest first."""
        near = [(abs(d.centre.x() - pos.x()) + abs(d.centre.y() - pos.y()), d) for d in self.drawn
                if (abs(d.centre.x() - pos.x()) <= HIT and abs(d.centre.y() - pos.y()) <= HIT)
                or d.label.contains(pos)]
        return min(near, key=lambda t: t[0])[1] if near else None

    def event(self, e: QEvent) -> bool:
        """A tooltip per point: name, rank, score, cost, knocked out."""
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            hit = self.point_at(QPointF(e.pos()))
            if hit is None:
                QToolTip.hideText()
                e.ignore()
            else:
                QToolTip.showText(e.globalPos(), hit.point.tooltip(), self)
            return True
        return super().event(e)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Labels are placed anew for the new size."""
        self.layout_points()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Axes, grid, ticks, the points and their labels, and the legend."""
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        ink = _ink(self)
        font = QFont(self.font())
        fm = QFontMetrics(font)
        p.setFont(font)
        if self.chart is None or not self.chart.charts:
            p.setPen(ink.muted)
            p.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter,
                       "No vendor has both an evidence-weighted score and a total cost:\nrecord the commercial "
                       "terms on each vendor's Commercials tab.")
            return
        self._legend(p, ink, fm)
        drawn = {d.point.vendor_id: d for d in self.layout_points()}  # each vendor is drawn once
        for chart, panel in self._panels():
            plot = self._plot_rect(panel)
            ticks = chart.cost_ticks()
            top = float(ticks[-1])
            p.setPen(QPen(GRID_COLOUR, 1))
            for s in SCORE_TICKS:
                y = plot.bottom() - plot.height() * s / 100
                p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            for t in ticks:
                x = plot.left() + plot.width() * float(t) / top
                p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(ink.muted)
            for s in SCORE_TICKS:
                y = plot.bottom() - plot.height() * s / 100
                p.drawText(QRectF(plot.left() - 44, y - fm.height() / 2, 40, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(s))
            for t in ticks:
                x = plot.left() + plot.width() * float(t) / top
                p.drawText(QRectF(x - 40, plot.bottom() + 4, 80, fm.height()), Qt.AlignmentFlag.AlignHCenter,
                           tick_text(t))
            p.setPen(ink.text)
            p.drawText(QRectF(plot.left(), plot.bottom() + 6 + fm.height(), plot.width(), fm.height()),
                       Qt.AlignmentFlag.AlignHCenter, chart.title + " →")
            p.save()
            p.translate(panel.left() + 2, plot.center().y())
            p.rotate(-90)
            p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), fm.height()), Qt.AlignmentFlag.AlignHCenter,
                       "Evidence-weighted score →")
            p.restore()
            for pt in chart.points:
                d = drawn.get(pt.vendor_id)
                if d is None:
                    continue
                if pt.knocked_out:
                    p.setPen(QPen(ink.muted, 1.6))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                else:
                    p.setPen(QPen(ink.evidence, 1))
                    p.setBrush(QBrush(ink.evidence))
                p.drawEllipse(d.centre, MARKER, MARKER)
                p.setPen(ink.muted if pt.knocked_out else ink.text)
                p.drawText(d.label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, pt.name)
        p.end()

    def _legend(self, p: QPainter, ink: Ink, fm: QFontMetrics) -> None:
        x, y = 8.0, 4.0 + fm.height() / 2
        p.setPen(QPen(ink.evidence, 1))
        p.setBrush(QBrush(ink.evidence))
        p.drawEllipse(QPointF(x + MARKER, y), MARKER, MARKER)
        p.setPen(ink.text)
        text = "vendor (hover for its score and cost)"
        p.drawText(QPointF(x + 2 * MARKER + 5, y + fm.ascent() / 2 - 1), text)
        x += 2 * MARKER + 5 + fm.horizontalAdvance(text) + 20
        if self.chart is not None and self.chart.any_knocked_out:
            p.setPen(QPen(ink.muted, 1.6))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(x + MARKER, y), MARKER, MARKER)
            p.setPen(ink.muted)
            p.drawText(QPointF(x + 2 * MARKER + 5, y + fm.ascent() / 2 - 1), "knocked out (hollow, grey): ranks last")


class CostScoreChartView(QWidget):
    """The plot and, under it, the notes: vendors in another currency, with no cost recorded, not scored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = CostScorePlot(self)
        self.heading = QLabel("Up and to the left is better: a higher evidence-weighted score (out of 100) for a "
                              "lower total cost over the term (one-off + annual × months / 12 + exit cost).", self)
        self.heading.setWordWrap(True)
        self.notes = QLabel("", self)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("Vendors not on the chart")
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.notes)

    def set_chart(self, chart: CostScoreChart | None) -> None:
        """Show a chart and its notes."""
        self.plot.set_chart(chart)
        notes = chart.notes() if chart is not None else ()
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
