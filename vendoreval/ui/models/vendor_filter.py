"""Filters and sorts the vendor list: search words, decision, archived vendors."""

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
        self.setSortRole(SORT_ROLE)

    def update(self, text: str, decision: Decision | None, show_archived: bool) -> None:
        """Apply new filter values."""
        self.text, self.decision, self.show_archived = text.strip().casefold(), decision, show_archived
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
            return all(word in hay for word in self.text.split())
        return True
