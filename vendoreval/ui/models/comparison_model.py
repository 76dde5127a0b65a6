"""Qt table models over a Comparison: the ranking, and the criteria x vendors matrix (thin adapters)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.analysis import Comparison, MatrixCell, VendorRow
from ...domain.models import Answer, ClaimStatus, Decision, EvidenceStrength
from ...domain.public_record import PublicRecord
from ...domain.rules import spread_flagged
from ...domain.scoring import score_gap
from ...domain.text import plural
from ..colours import text_on

Index = QModelIndex | QPersistentModelIndex
#: Role under which a cell returns the VendorRow (ranking) or the MatrixCell (matrix).
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1

#: Short words for evidence strength in a matrix cell (the tooltip has the full label).
STRENGTH_SHORT = {
    EvidenceStrength.ASSERTION: "sales claim",
    EvidenceStrength.DOCUMENTATION: "public doc",
    EvidenceStrength.CONTRACT: "contract",
    EvidenceStrength.CERTIFICATION: "certified",
    EvidenceStrength.OWN_TEST: "our test",
}
#: Short words for a claim's status in a matrix cell.
CLAIM_SHORT = {
    ClaimStatus.ASSERTED: "asserted",
    ClaimStatus.DOCUMENTED: "documented",
    ClaimStatus.COMMITTED: "committed",
    ClaimStatus.VERIFIED: "verified",
    ClaimStatus.CONTRADICTED: "contradicted",
    ClaimStatus.DECLINED: "declined",
}
# background by share of the top level: light red .. light green; text always says the level too
LEVEL_COLOURS = ["#f4c7c3", "#fbe0c2", "#fff2c2", "#dcefd2", "#b7dfa5"]
NON_ANSWER_BG = QColor("#e4e4e4")
KO_BG = QColor("#e8a3a3")
KO_FG = QColor("#6b0d0d")
TOTAL_BG = QColor("#eef2f7")
KO_ROW_BG = QColor("#f8e1e1")
_KO_ROW_TEXT = text_on(KO_ROW_BG)
# what the ranking hands the view for every painted cell, made once (a cell is asked for several roles)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_KO_ROW_BRUSH = QBrush(KO_ROW_BG)
_KO_NAME_INK = QBrush(KO_FG)
_KO_ROW_INK = QBrush(_KO_ROW_TEXT)
# Every fixed background above comes with its own text colour (text_on), never the palette's: in a dark
# palette the palette's text is light and would vanish on these light cells.


def fmt(x: float | None, digits: int = 1) -> str:
    """A number for a cell ('—' for none)."""
    return "—" if x is None else f"{x:.{digits}f}"


def level_colour(cell: MatrixCell) -> QColor:
    """The background of a matrix cell: by level, grey for non-answers, red for knock-outs."""
    if cell.knocked_out:
        return KO_BG
    if cell.answer is None or cell.answer != Answer.LEVEL or cell.level is None:
        return NON_ANSWER_BG
    frac = cell.level / cell.top if cell.top else 0.0
    return QColor(LEVEL_COLOURS[min(4, int(frac * 4 + 1e-9))])


def cell_text(cell: MatrixCell | None) -> str:
    """Two short lines: the answer and strength, then the claim status / spread / knock-out."""
    if cell is None or cell.answer is None:
        return "Not scored"
    first = cell.text
    if cell.answer == Answer.LEVEL and cell.strength is not None:
        first += f" · {STRENGTH_SHORT[cell.strength]}"
    second = []
    if cell.knocked_out:
        second.append("✖ KNOCK-OUT")
    if cell.contradicted:
        second.append("⚠ contradicted")
    elif cell.declined:
        second.append("⚠ declined")
    elif cell.claim_statuses:
        second.append(CLAIM_SHORT[ClaimStatus(cell.claim_statuses[0])])
    if spread_flagged(cell.spread):
        second.append(f"⚑ spread {cell.spread}")
    return first + ("\n" + " · ".join(second) if second else "")


def cell_tooltip(cell: MatrixCell | None) -> str:
    """Everything about one cell in words."""
    if cell is None or cell.answer is None:
        return "Not scored yet: counts as the lowest level."
    lines = [f"Answer: {cell.text}"]
    if cell.not_applicable_reason:
        lines.append(f"Engagement context — {cell.not_applicable_reason}; it drops out and never knocks out.")
    if cell.strength is not None:
        lines.append(f"Evidence strength: {cell.strength.label}")
    if cell.claim_statuses:
        lines.append("Claims: " + ", ".join(ClaimStatus(s).label for s in cell.claim_statuses))
    if cell.contradicted:
        lines.append("A linked claim is contradicted: the evidence-weighted score counts 0.")
    if cell.declined:
        lines.append("The vendor declined to answer: the evidence-weighted score counts 0.")
    if cell.evaluator_levels:
        lines.append("Evaluators: " + ", ".join(f"{e} {lv}" for e, lv in sorted(cell.evaluator_levels.items())))
    if cell.knocked_out:
        lines.append("Below the knock-out minimum: the vendor is disqualified.")
    return "\n".join(lines)


def two_lines(text: str, longer_than: int = 16) -> str:
    """A long header broken at the space nearest its middle, so narrow columns show it whole."""
    if len(text) <= longer_than or " " not in text:
        return text
    mid = len(text) // 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - mid))
    return text[:cut] + "\n" + text[cut + 1:]


def decision_text(row: VendorRow) -> str:
    """The decision in words, with the number of conditions."""
    try:
        label = Decision(row.decision).label
    except ValueError:
        label = row.decision
    return label + (f" ({plural(len(row.conditions), 'condition')})" if row.conditions else "")


_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _Base(QAbstractTableModel):
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows (none under a parent: flat table)."""
        return 0 if parent.isValid() else self._rows()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns (none under a parent)."""
        return 0 if parent.isValid() else self._columns()

    def _rows(self) -> int:
        return 0

    def _columns(self) -> int:
        return 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable, read-only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _READ_ONLY


RANKING_HEADERS = ["Rank", "Vendor", "Score", "Total\ncost", "Claimed", "Gap", "Rank\nstable", "Scored", "Spread",
                   "Decision", "Public\nrecord", "Status"]
#: The total cost over the term, beside the score (its currency with it: never converted).
COST_COLUMN = 3
#: The column with the FMTI baseline, stale items and contradictions (domain.public_record).
PUBLIC_COLUMN = 10
#: The knock-out / status column: the last one, stretched.
STATUS_COLUMN = 11
#: The same two columns as the cell methods see them (they count the columns as before the cost was added).
_PUBLIC, _STATUS = PUBLIC_COLUMN - 1, STATUS_COLUMN - 1
#: The ranking's score column, shown in bold.
RANK_SCORE_COLUMN = 2


_RANKING_ROLES = frozenset(int(r) for r in (
    ITEM_ROLE, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole,
))


class RankingModel(_Base):
    """One row per vendor, best first: rank, score, claimed, gap, stability, knock-out, decision."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.public: Mapping[str, PublicRecord] = {}
        self._bold: QFont | None = None
        #: The vendors in the order shown: the ranking's, or sorted by a column (the rank stays the evidence rank).
        self.rows: tuple[VendorRow, ...] = ()
        self.sort_column = -1  # -1: the ranking's own order
        self.sort_order = Qt.SortOrder.AscendingOrder

    def set_comparison(self, comparison: Comparison | None,
                       public: Mapping[str, PublicRecord] | None = None) -> None:
        """Replace the data (``public``: each vendor's public record, by vendor id); the chosen sort stays."""
        self.beginResetModel()
        self.comparison = comparison
        self.public = public or {}
        self.rows = self._sorted(self.sort_column, self.sort_order)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column: numbers by value, text by its words, blanks ('—') last either way.

        Equal values keep the ranking's order; the rank column goes on saying the evidence rank.
        """
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [self.rows[i.row()].vendor_id if 0 <= i.row() < len(self.rows) else None for i in old]
        self.sort_column, self.sort_order = column, order
        self.rows = self._sorted(column, order)
        where = {r.vendor_id: n for n, r in enumerate(self.rows)}
        self.changePersistentIndexList(old, [self.index(where[v], i.column()) if v in where else QModelIndex()
                                             for i, v in zip(old, ids, strict=True)])
        self.layoutChanged.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> tuple[VendorRow, ...]:
        ranking = list(self.comparison.ranking) if self.comparison else []
        if column < 0 or column >= len(RANKING_HEADERS):
            return tuple(ranking)
        keyed = [(self.sort_key(r, column), r) for r in ranking]
        filled = [(k, r) for k, r in keyed if k is not None]
        blank = [r for k, r in keyed if k is None]
        # sorted() is stable with reverse=True too: ties keep the ranking's order either way
        filled.sort(key=lambda kr: kr[0], reverse=order == Qt.SortOrder.DescendingOrder)
        return tuple([r for _k, r in filled] + blank)

    def sort_key(self, r: VendorRow, column: int) -> Any:
        """What a column sorts by (None: blank, sorted last): the number itself, or the text in lower case."""
        if column == 0:
            return r.rank
        if column == COST_COLUMN:
            total = self.comparison.total_costs.get(r.vendor_id) if self.comparison is not None else None
            return None if total is None else (total.currency or "", total.decimal())
        col = column - (column > COST_COLUMN)
        number = {2: r.overall, 3: r.claimed, 4: r.gap, 5: r.rank_stability, 6: r.scored_share,
                  7: max(r.rubric_spread.values()) if r.rubric_spread else None}
        if col in number:
            return number[col]
        text = self._text(r, col)
        return None if text in ("", "—") else text.casefold()

    def _rows(self) -> int:
        return len(self.rows)

    def _columns(self) -> int:
        return len(RANKING_HEADERS)

    def row_at(self, row: int) -> VendorRow | None:
        """The vendor at a row (as shown, sorted or not)."""
        if not 0 <= row < len(self.rows):
            return None
        return self.rows[row]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(RANKING_HEADERS):
            return RANKING_HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, colours and tooltips of the ranking."""
        if role not in _RANKING_ROLES or self.comparison is None:  # the view asks ~10 roles a cell; most unused
            return None
        ranking, row = self.rows, index.row()
        if not 0 <= row < len(ranking):  # (an invalid index has row -1)
            return None
        r, col = ranking[row], index.column()
        if role == ITEM_ROLE:
            return r
        if col == COST_COLUMN:
            return self._cost(r, role)
        col -= col > COST_COLUMN  # the columns after it as they were before it was added
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 2, 3, 4, 5, 6, 7):
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and r.knocked_out:
            return _KO_NAME_INK if col in (1, _STATUS) else _KO_ROW_INK
        if role == Qt.ItemDataRole.BackgroundRole and r.knocked_out:
            return _KO_ROW_BRUSH
        if role == Qt.ItemDataRole.FontRole and col == RANK_SCORE_COLUMN:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        return None

    def _text(self, r: VendorRow, col: int) -> str:
        if col == 0:
            return str(r.rank)
        if col == 1:
            return r.name
        if col == 2:
            return fmt(r.overall)
        if col == 3:
            return fmt(r.claimed)
        if col == 4:
            return fmt(score_gap(r.claimed, r.overall))
        if col == 5:
            return "—" if r.rank_stability is None else f"{100 * r.rank_stability:.0f} %"
        if col == 6:
            return f"{100 * r.scored_share:.0f} %"
        if col == 7:
            return str(max(r.rubric_spread.values())) if r.rubric_spread else "—"
        if col == _PUBLIC:
            record = self.public.get(r.vendor_id)
            return record.cell() if record is not None else "—"
        if col == _STATUS:
            if r.knocked_out:
                return "✖ Disqualified: " + "; ".join(r.knockout_short or r.knockout_reasons)
            if r.overall is None:
                return "Not scored"
            return "Missing: " + ", ".join(r.missing_rubrics) if r.missing_rubrics else "OK"
        return decision_text(r)

    def _cost(self, r: VendorRow, role: int) -> Any:
        total = self.comparison.total_costs.get(r.vendor_id) if self.comparison is not None else None
        if role == Qt.ItemDataRole.DisplayRole:
            return "—" if total is None else total.text()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("Total cost over the term: one-off + annual × months / 12 + exit cost, in the vendor's "
                    "currency (never converted)" if total is not None
                    else "No total cost: record the commercial terms on the vendor's Commercials tab")
        if role == Qt.ItemDataRole.BackgroundRole and r.knocked_out:
            return _KO_ROW_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and r.knocked_out:
            return _KO_ROW_INK
        return None

    def cell_text(self, r: VendorRow, col: int) -> str:
        """The text of one of a vendor's cells (as the view shows it)."""
        if col == COST_COLUMN:
            return str(self._cost(r, Qt.ItemDataRole.DisplayRole))
        return self._text(r, col - (col > COST_COLUMN))

    def _tooltip(self, r: VendorRow, col: int) -> str:
        if col == 4:
            return "Claimed minus evidence-weighted: how much of the score rests on unproven claims."
        if col == 5:
            return r.stability_sentence or "No score: no ranking to keep."
        if col == 7:
            return "Widest difference between evaluators' levels on one criterion (2 or more is flagged)."
        # the vendor, decision and status cells may be wrapped or cut short: the tooltip has them whole
        if col == 1:
            return r.name
        if col == _STATUS:
            return "\n".join(r.knockout_reasons) if r.knocked_out else self._text(r, col)
        if col == 8:
            return "\n".join([decision_text(r), *(f"• {c}" for c in r.conditions)])
        if col == _PUBLIC:
            record = self.public.get(r.vendor_id)
            lines = record.sentences() if record is not None else []
            return "\n".join(lines) or "No model recorded behind this vendor and nothing stale."
        return ""


@dataclass(frozen=True)
class MatrixLine:
    """One row of the matrix: a criterion, a rubric total, or an overall line."""

    kind: str  # "criterion", "rubric", "overall", "claimed", "gap", "knockout"
    rubric_id: str = ""
    criterion_id: str = ""
    title: str = ""
    weight: float | None = None


class MatrixModel(_Base):
    """Criteria x vendors: each cell the level or non-answer, evidence strength and claim status; totals below."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.lines: list[MatrixLine] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        """Replace the data."""
        self.beginResetModel()
        self.comparison = comparison
        self.lines = []
        if comparison is not None:
            by_rubric: dict[str, list[MatrixLine]] = {}
            for line in comparison.criteria:
                by_rubric.setdefault(line.rubric_id, []).append(
                    MatrixLine("criterion", line.rubric_id, line.criterion_id, line.title, line.weight))
            for rid in comparison.rubric_ids:
                # the rubric's total heads its criteria, so each block is labelled where it starts
                self.lines.append(MatrixLine("rubric", rid, "", f"{comparison.rubric_titles.get(rid, rid)} total",
                                             comparison.weights.get(rid)))
                self.lines += by_rubric.get(rid, [])
            self.lines += [MatrixLine("overall", title="Overall (evidence-weighted)"),
                           MatrixLine("claimed", title="Overall claimed"),
                           MatrixLine("gap", title="Gap (claimed − evidence)"),
                           MatrixLine("knockout", title="Knock-out")]
        self.endResetModel()

    def _rows(self) -> int:
        return len(self.lines)

    def _columns(self) -> int:
        return 2 + (len(self.comparison.ranking) if self.comparison else 0)

    def vendor_at(self, column: int) -> VendorRow | None:
        """The vendor of a column (None for the label columns)."""
        if self.comparison is None or column < 2 or column - 2 >= len(self.comparison.ranking):
            return None
        return self.comparison.ranking[column - 2]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Vendor names (with rank) across, nothing down."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self._columns():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Criterion"
            if section == 1:
                return "Weight"
            v = self.vendor_at(section)
            return None if v is None else two_lines(f"{v.rank}. {v.name}" + (" ✖" if v.knocked_out else ""))
        if role == Qt.ItemDataRole.ToolTipRole and (v := self.vendor_at(section)) is not None:
            return v.name + (" — disqualified: " + "; ".join(v.knockout_reasons) if v.knocked_out else "")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, colours and tooltips."""
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line = self.lines[index.row()]
        col = index.column()
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return line.title
            if role == Qt.ItemDataRole.FontRole and line.kind != "criterion":
                f = QFont()
                f.setBold(True)
                return f
            if role == Qt.ItemDataRole.BackgroundRole and line.kind != "criterion":
                return QBrush(TOTAL_BG)
            if role == Qt.ItemDataRole.ForegroundRole and line.kind != "criterion":
                return QBrush(text_on(TOTAL_BG))
            if role == Qt.ItemDataRole.ToolTipRole and line.kind == "criterion":
                return f"{line.rubric_id}:{line.criterion_id}"
            return None
        if col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return "" if line.weight is None else f"{line.weight:g}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == Qt.ItemDataRole.BackgroundRole and line.kind != "criterion":
                return QBrush(TOTAL_BG)
            if role == Qt.ItemDataRole.ForegroundRole and line.kind != "criterion":
                return QBrush(text_on(TOTAL_BG))
            return None
        v = self.vendor_at(col)
        if v is None:
            return None
        if line.kind == "criterion":
            scored = line.rubric_id in v.rubric_scores
            cell = v.cells.get((line.rubric_id, line.criterion_id)) if scored else None
            if role == ITEM_ROLE:
                return cell
            if role == Qt.ItemDataRole.DisplayRole:
                return cell_text(cell) if scored else "Not scored on this rubric"
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(level_colour(cell) if cell is not None and scored else NON_ANSWER_BG)
            if role == Qt.ItemDataRole.ForegroundRole:
                if cell is not None and cell.knocked_out:
                    return QBrush(KO_FG)
                return QBrush(text_on(level_colour(cell) if cell is not None and scored else NON_ANSWER_BG))
            if role == Qt.ItemDataRole.FontRole and (cell is None or cell.answer != Answer.LEVEL):
                f = QFont()
                f.setItalic(True)
                return f
            if role == Qt.ItemDataRole.ToolTipRole:
                return cell_tooltip(cell)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(KO_BG if line.kind == "knockout" and v.knocked_out else TOTAL_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(KO_FG if line.kind == "knockout" and v.knocked_out else text_on(TOTAL_BG))
        if role == Qt.ItemDataRole.FontRole:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.TextAlignmentRole and line.kind != "knockout":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._total(v, line, role == Qt.ItemDataRole.ToolTipRole)
        return None

    @staticmethod
    def _total(v: VendorRow, line: MatrixLine, tooltip: bool) -> str:
        if line.kind == "rubric":
            rs = v.rubric_scores.get(line.rubric_id)
            if rs is None:
                return "Not scored"
            text = f"{fmt(rs.evidence_weighted)} (claimed {fmt(rs.claimed)})"
            spread = v.rubric_spread.get(line.rubric_id)
            if spread_flagged(spread):
                text += f"\n⚑ max spread {spread}"
            if tooltip:
                evaluators = v.evaluators.get(line.rubric_id, ())
                return (f"{rs.answered} of {plural(rs.total, 'criterion')} answered; version {rs.rubric_version}"
                        + (f"; evaluators: {', '.join(evaluators)}" if evaluators else ""))
            return text
        if line.kind == "overall":
            return fmt(v.overall)
        if line.kind == "claimed":
            return fmt(v.claimed)
        if line.kind == "gap":
            return fmt(score_gap(v.claimed, v.overall))
        if v.knocked_out:
            return "✖ " + "; ".join(v.knockout_reasons)
        return "none"
