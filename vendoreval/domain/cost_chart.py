"""Evidence-weighted score against total cost over the term: the data of the chart the Compare page and the
board brief draw, and the layout rules both share (axis ticks, labels that do not overlap).

Costs in different currencies are never converted, so never share an axis: the vendors in the most common
currency make the main chart; another currency gets a chart of its own once it has two vendors or more, and
a currency with a single vendor is named in a note instead (a chart of one point compares nothing).
Vendors with no total cost are listed as "no cost recorded"; vendors with a cost but no score as "not scored".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .commercials import TotalCost

#: The score axis: evidence-weighted, out of 100.
SCORE_TICKS = (0, 25, 50, 75, 100)
NO_CURRENCY = "no currency"


@dataclass(frozen=True)
class ChartVendor:
    """One compared vendor as the chart's input."""

    vendor_id: str
    name: str
    rank: int
    score: float | None  # the overall evidence-weighted score (None: not scored)
    knocked_out: bool
    total: TotalCost | None  # the total cost over the term (None: none recorded)


@dataclass(frozen=True)
class CostPoint:
    """A vendor drawn as a point: x = total cost (as printed, to the cent), y = evidence-weighted score."""

    vendor_id: str
    name: str
    rank: int
    score: float
    cost: Decimal
    cost_text: str  # 'EUR 139,000.00'
    knocked_out: bool

    def tooltip(self) -> str:
        """The point in words (the app's tooltip)."""
        lines = [f"{self.name} (rank {self.rank})", f"Evidence-weighted score: {self.score:.1f} / 100",
                 f"Total cost over the term: {self.cost_text}"]
        if self.knocked_out:
            lines.append("Knocked out: ranks last whatever its score")
        return "\n".join(lines)


@dataclass(frozen=True)
class CurrencyChart:
    """The vendors whose total cost is in one currency (None: no currency recorded), cheapest first."""

    currency: str | None
    points: tuple[CostPoint, ...]

    @property
    def label(self) -> str:
        """'EUR', or 'no currency'."""
        return self.currency or NO_CURRENCY

    @property
    def title(self) -> str:
        """'Total cost over the term (EUR)'."""
        return f"Total cost over the term ({self.label})"

    def cost_ticks(self, count: int = 4) -> tuple[Decimal, ...]:
        """Round ticks from 0 to at least the dearest vendor's cost (the axis always starts at 0)."""
        top = max((p.cost for p in self.points), default=Decimal(0))
        return nice_ticks(top, count)


@dataclass(frozen=True)
class CostScoreChart:
    """Every compared vendor, once: on a chart, in a single-vendor currency, without a cost, or without a score."""

    charts: tuple[CurrencyChart, ...]  # the most common currency first
    other_currency: tuple[CostPoint, ...] = ()  # alone in their currency: named, not charted
    no_cost: tuple[str, ...] = ()  # vendor names, in ranking order
    no_score: tuple[str, ...] = ()

    @property
    def points(self) -> tuple[CostPoint, ...]:
        """Every charted point."""
        return tuple(p for c in self.charts for p in c.points)

    @property
    def any_knocked_out(self) -> bool:
        """Whether a charted vendor is knocked out (the legend then explains the hollow marker)."""
        return any(p.knocked_out for p in self.points)

    def notes(self) -> tuple[str, ...]:
        """The lines under the chart: what is not on it, and why."""
        out = []
        if len(self.charts) > 1:
            out.append(f"Costs in {_and([c.label for c in self.charts])} are charted apart: currencies are never "
                       "converted.")
        if self.other_currency:
            out.append("In another currency, not converted: "
                       + ", ".join(f"{p.name} ({p.cost_text}, score {p.score:.1f})" for p in self.other_currency))
        if self.no_cost:
            out.append("No cost recorded: " + ", ".join(self.no_cost))
        if self.no_score:
            out.append("Not scored: " + ", ".join(self.no_score))
        return tuple(out)


def cost_score_chart(vendors: Iterable[ChartVendor]) -> CostScoreChart:
    """The chart's data for the compared vendors (in ranking order); each vendor appears exactly once."""
    ordered = sorted(vendors, key=lambda v: (v.rank, v.name.casefold(), v.vendor_id))
    groups: dict[str | None, list[CostPoint]] = {}
    no_cost: list[str] = []
    no_score: list[str] = []
    for v in ordered:
        if v.total is None:
            no_cost.append(v.name)
            continue
        if v.score is None:
            no_score.append(v.name)
            continue
        groups.setdefault(v.total.currency, []).append(
            CostPoint(v.vendor_id, v.name, v.rank, float(v.score), v.total.decimal(), v.total.text(), v.knocked_out))
    # most vendors first; a tie goes to the currency of the better-ranked vendor (the groups keep ranking order)
    keys = sorted(groups, key=lambda k: (-len(groups[k]), groups[k][0].rank, k or ""))
    charts: list[CurrencyChart] = []
    other: list[CostPoint] = []
    for i, k in enumerate(keys):
        points = groups[k]
        if i == 0 or len(points) > 1:
            charts.append(CurrencyChart(k, tuple(sorted(points, key=lambda p: (p.cost, p.rank, p.vendor_id)))))
        else:
            other.extend(points)
    return CostScoreChart(tuple(charts), tuple(other), tuple(no_cost), tuple(no_score))


def nice_ticks(top: Decimal, count: int = 4) -> tuple[Decimal, ...]:
    """0 and about ``count`` round steps (1, 2, 2.5 or 5 x 10^k) up to the first tick at or above ``top``."""
    if top <= 0:
        return (Decimal(0), Decimal(1))
    raw = top / max(1, count)
    exponent = raw.adjusted()
    base = Decimal(1).scaleb(exponent)
    step = next(m * base for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if m * base >= raw)
    ticks = [Decimal(0)]
    while ticks[-1] < top:
        ticks.append(ticks[-1] + step)
    return tuple(t.normalize() if t else Decimal(0) for t in ticks)


def tick_text(value: Decimal) -> str:
    """A cost tick, short: '0', '500', '25k', '1.5M'."""
    for limit, suffix in ((Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "M"), (Decimal(1000), "k")):
        if value >= limit:
            return f"{(value / limit).normalize():f}{suffix}"
    return f"{value.normalize():f}"


# --- layout shared by the renderers -------------------------------------------------------------------

Box = tuple[float, float, float, float]  # x, y (the corner nearest the origin), width, height


def _overlap(a: Box, b: Box) -> float:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(anchors: Sequence[tuple[float, float]], sizes: Sequence[tuple[float, float]],
                 bounds: Box, gap: float = 5.0, marker: float = 4.0) -> list[Box]:
    """Where each point's label goes so that labels overlap neither each other nor the points: right of the
    point, else left, above or below, else nudged up and down in steps of half a line, keeping the placement
    that overlaps least. Works with y up (PDF) or y down (screen): only the boxes' geometry counts.
    """
    x0, y0, w0, h0 = bounds
    points: list[Box] = [(x - marker, y - marker, 2 * marker, 2 * marker) for x, y in anchors]
    placed: list[Box] = []
    # the most crowded points first would be better still; in order of height keeps neighbours stacked
    order = sorted(range(len(anchors)), key=lambda i: (anchors[i][1], anchors[i][0]))
    out: dict[int, Box] = {}
    for i in order:
        (x, y), (w, h) = anchors[i], sizes[i]
        candidates: list[Box] = [(x + gap, y - h / 2, w, h), (x - gap - w, y - h / 2, w, h),
                                 (x - w / 2, y + gap, w, h), (x - w / 2, y - gap - h, w, h)]
        for k in range(1, 7):
            for sign in (1, -1):
                dy = sign * k * h / 2
                candidates += [(x + gap, y - h / 2 + dy, w, h), (x - gap - w, y - h / 2 + dy, w, h)]
        best: Box | None = None
        best_cost = 0.0
        for c in candidates:
            # keep inside the plot
            cx = min(max(c[0], x0), x0 + w0 - w) if w <= w0 else x0
            cy = min(max(c[1], y0), y0 + h0 - h) if h <= h0 else y0
            box = (cx, cy, w, h)
            cost = sum(_overlap(box, p) for p in placed) + sum(_overlap(box, p) for p in points)
            if best is None or cost < best_cost - 1e-9:
                best, best_cost = box, cost
            if cost == 0:
                break
        assert best is not None
        placed.append(best)
        out[i] = best
    return [out[i] for i in range(len(anchors))]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
