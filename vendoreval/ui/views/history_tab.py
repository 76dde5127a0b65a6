"""A vendor's history: the audit log in plain words, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from ...services.workspace import Change
from ..models.history_model import HistoryModel
from ..session import Session


class HistoryTab(QWidget):
    """Who changed what and when."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.vendor_id: str | None = None
        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("History")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show a vendor's history."""
        self.vendor_id = vendor_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the audit entries."""
        self.model.set_rows(self.session.ws.history(self.vendor_id, 500) if self.vendor_id else [])

    def on_change(self, change: Change) -> None:
        """Every change of the vendor adds an entry."""
        self.refresh()
