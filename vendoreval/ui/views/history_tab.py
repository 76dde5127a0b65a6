"""A vendor's history: the audit log in plain words, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...services.workspace import Change
from ..models.history_model import HistoryModel
from ..session import Session
from .table_tab import VendorTab, row_table


class HistoryTab(VendorTab):
    """Who changed what and when."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = HistoryModel(self)
        # Qt's default (extended) selection is kept here; "What happened" takes the spare width
        self.table = row_table(self, self.model, "History", single_selection=False, word_wrap=False, stretch=2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        """Reload the audit entries."""
        self.model.set_rows(self.ws.history(self.vendor_id, 500) if self.vendor_id else [])

    def on_change(self, change: Change) -> None:
        """Every change of the vendor adds an entry."""
        self.refresh()
