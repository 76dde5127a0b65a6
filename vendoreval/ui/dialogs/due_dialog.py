"""Due for review: stale and soon-due evidence, claims and reassessments of every vendor, soonest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...domain.ageing import DueItem
from ..models.rows import Column, Index, RowsModel
from ..views.table_tab import row_table, selected_row

_STALE = QColor("#a61b1b")


class DueModel(RowsModel[DueItem]):
    """The items, with the day they are judged on."""

    def __init__(self, as_of: dt.date, parent: object = None) -> None:
        super().__init__(parent)
        self.as_of = as_of
        self.columns = (
            Column("Due", lambda i: i.due_on.isoformat()),
            Column("Status", lambda i: i.status(self.as_of)),
            Column("Vendor", lambda i: i.vendor),
            Column("What", lambda i: f"{i.kind.capitalize()}: {i.title}"),
            Column("Why", lambda i: i.reason),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Stale rows in red text (the status column says it in words too)."""
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            item = self.row_at(index.row())
            if item is not None and item.stale(self.as_of):
                return _STALE
            return None
        return super().data(index, role)


class DueDialog(QDialog):
    """The list; Enter or a double-click opens the vendor."""

    open_vendor = Signal(str)

    def __init__(self, items: list[DueItem], as_of: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Due for review")
        self.model = DueModel(as_of, self)
        self.model.set_rows(items)
        self.table = row_table(self, self.model, "Due for review", stretch=4)
        stale = sum(1 for i in items if i.stale(as_of))
        summary = (f"Nothing is due as of {as_of.isoformat()}." if not items else
                   f"{stale} stale, {len(items) - stale} due within 30 days, as of {as_of.isoformat()}. "
                   "Stale: evidence past its valid-until date or older than the vendor's reassessment cadence, "
                   "a claim past its review-by date, a vendor not reassessed within its cadence.")
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.open_button = buttons.addButton("Open vendor", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(bool(items))
        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open)
        self.table.doubleClicked.connect(lambda *_: self._open())
        self.table.activated.connect(lambda *_: self._open())
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if items:
            self.table.selectRow(0)
        self.resize(980, 420)

    def _open(self) -> None:
        item = selected_row(self.table, self.model)
        if item is not None:
            self.open_vendor.emit(item.vendor_id)
            self.accept()
