"""Vendors with decision and overall scores, for the vendor list: filtered and sorted in the model itself.

The list was a QSortFilterProxyModel over this model. A reset of 200 rows then made about 15,000 calls from
Qt into Python (rowCount and columnCount for every index the proxy made while sorting, the sort key of both
sides of every comparison, the filter per row), each of which waits for the interpreter lock while a worker
computes (the launch's count of totals). Filtering and sorting here is one pass
in Python, and Qt calls in only for what it paints (about 2,800 calls: benchmarks/bench_vendor_list.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from ...domain.models import Decision, Vendor
from .rows import Column, RowsModel, fmt_score
from .vendor_filter import VendorFilter


@dataclass(frozen=True)
class VendorRow:
    """One vendor as listed: the vendor, its overall claimed and evidence-weighted scores, knock-out."""

    vendor: Vendor
    claimed: float | None = None
    evidence: float | None = None
    knocked_out: bool = False
    pending: bool = False  # totals still being computed in the background
    #: What is past its date as of today: 'Evidence "SOC 2": expired on …' lines (domain.ageing.DueItem.line)
    stale: tuple[str, ...] = ()
    #: False while the review dates are still being read (at launch, with the background count of totals)
    stale_known: bool = True


def _review(r: VendorRow) -> str:
    if not r.stale_known:
        return "…"
    return f"⚠ {len(r.stale)} stale" if r.stale else ""


def _review_tip(r: VendorRow) -> str:
    if not r.stale_known:
        return "Reading the review dates…"
    return "\n".join(r.stale) or "Nothing is past its review date"


def _score(value: float | None, row: VendorRow) -> str:
    return "…" if row.pending else fmt_score(value)


def _score_key(r: VendorRow) -> float:
    return -1.0 if r.evidence is None else r.evidence


class VendorListModel(RowsModel[VendorRow]):
    """Name, product, decision, evidence-weighted and claimed overall score, review: the vendors ``filter``
    accepts, in the order of the column last sorted by (``sort``, as a view's header asks)."""

    columns = (
        Column[VendorRow]("Vendor", lambda r: r.vendor.name + (" (archived)" if r.vendor.archived else ""),
                          tooltip=lambda r: r.vendor.description or r.vendor.name),
        Column[VendorRow]("Product", lambda r: r.vendor.product),
        Column[VendorRow]("Decision", lambda r: Decision(r.vendor.decision).label,
                          sort=lambda r: list(Decision).index(Decision(r.vendor.decision))),
        Column[VendorRow]("Evidence", lambda r: _score(r.evidence, r) + (" ✗" if r.knocked_out else ""),
                          sort=_score_key, align_right=True,
                          header_tip="Evidence-weighted overall score, 0–100: levels discounted by evidence strength",
                          tooltip=lambda r: "Evidence-weighted overall score (0–100)"
                          + ("; knocked out by a failed criterion" if r.knocked_out else "")),
        Column[VendorRow]("Claimed", lambda r: _score(r.claimed, r),
                          sort=lambda r: -1.0 if r.claimed is None else r.claimed, align_right=True,
                          header_tip="Claimed overall score, 0–100: the vendor's claims taken at face value",
                          tooltip=lambda r: "Overall score taking the vendor's claims at face value (0–100)"),
        Column[VendorRow]("Review", _review, sort=lambda r: -len(r.stale),
                          header_tip="Claims, evidence or the whole assessment past their review date "
                                     "(Vendor → Due for review)",
                          tooltip=_review_tip),
    )

    _italic: QFont | None = None

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.filter = VendorFilter()
        self._all: list[VendorRow] = []  # every row given, shown or not, in the order given
        self._sort_column = -1  # -1: the order given
        self._descending = False

    def set_rows(self, rows: Sequence[VendorRow]) -> None:
        """Replace the rows (all of them: the filter picks those shown)."""
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._shown()
        self.endResetModel()

    def rows(self) -> list[VendorRow]:
        """Every row given to ``set_rows``, shown or filtered out, in the order given."""
        return list(self._all)

    def total(self) -> int:
        """How many rows there are, shown or not."""
        return len(self._all)

    def set_filter(self, text: str, decision: Decision | None, show_archived: bool) -> None:
        """Show the vendors matching new filter values (the selection stays on a vendor still shown)."""
        self.filter.update(text, decision, show_archived)
        self._relayout()

    def set_claim_matches(self, vendor_ids: frozenset[str]) -> None:
        """The vendors whose claims match the search words (shown although their own fields do not)."""
        if vendor_ids != self.filter.claim_matches:
            self.filter.claim_matches = vendor_ids
            self._relayout()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (ties keep the order given); the filter and later ``set_rows`` keep it."""
        self._sort_column = column if 0 <= column < len(self.columns) else -1
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._relayout()

    def _shown(self) -> list[VendorRow]:
        accepts = self.filter.accepts
        rows = [r for r in self._all if accepts(r.vendor)]
        if self._sort_column >= 0:
            col = self.columns[self._sort_column]
            text = col.text
            key = col.sort if col.sort is not None else (lambda r: text(r).casefold())
            rows.sort(key=key, reverse=self._descending)  # stable, also reversed: ties keep the order given
        return rows

    def _relayout(self) -> None:
        """Re-filter and re-sort, moving the view's selection and current row with their vendors."""
        self.layoutAboutToBeChanged.emit()
        old = self._rows
        self._rows = self._shown()
        where = {r.vendor.id: i for i, r in enumerate(self._rows)}
        before = self.persistentIndexList()
        after = []
        for index in before:
            i = index.row()
            moved = where.get(old[i].vendor.id, -1) if 0 <= i < len(old) else -1
            after.append(self.index(moved, index.column()) if moved >= 0 else QModelIndex())
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def extra_data(self, row: VendorRow, column: int, role: int) -> Any:
        """Archived vendors in italics."""
        if role == Qt.ItemDataRole.FontRole and row.vendor.archived:
            if VendorListModel._italic is None:
                VendorListModel._italic = QFont()
                VendorListModel._italic.setItalic(True)
            return VendorListModel._italic
        return None

    def row_of(self, vendor_id: str) -> int:
        """Position of a vendor among those shown (-1 if absent or filtered out)."""
        for i, r in enumerate(self._rows):
            if r.vendor.id == vendor_id:
                return i
        return -1
