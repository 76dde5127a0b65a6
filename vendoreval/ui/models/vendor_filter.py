"""Filters and sorts the vendor list: search words (in the vendor's fields or its claims), decision, archived."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QWidget

from ...domain.models import Decision
from .rows import SORT_ROLE
from .vendor_list_model import VendorListModel

Index = QModelIndex | QPersistentModelIndex


class VendorFilter(QSortFilterProxyModel):
    """Filters vendors by search text (name, product, description), decision and archived state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.decision: Decision | None = None
        self.show_archived = False
        self.claim_matches: frozenset[str] = frozenset()  # vendors with a claim matching the search words
        self.setSortRole(SORT_ROLE)

    def update(self, text: str, decision: Decision | None, show_archived: bool) -> None:
        """Apply new filter values."""
        self.text, self.decision, self.show_archived = text.strip().casefold(), decision, show_archived
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_claim_matches(self, vendor_ids: frozenset[str]) -> None:
        """The vendors whose claims match the search words (shown although their own fields do not)."""
        if vendor_ids != self.claim_matches:
            self.claim_matches = vendor_ids
            self.beginFilterChange()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """True when the vendor matches the search, decision and archived filters."""
        model = self.sourceModel()
        assert isinstance(model, VendorListModel)
        row = model.row_at(source_row)
        if row is None:
            return False
        v = row.vendor
        if v.archived and not self.show_archived:
            return False
        if self.decision is not None and v.decision != self.decision:
            return False
        if self.text:
            hay = f"{v.name} {v.product} {v.website} {v.description}".casefold()
            return all(word in hay for word in self.text.split()) or v.id in self.claim_matches
        return True
