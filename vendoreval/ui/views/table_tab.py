"""Set-up shared by the views that list rows in a table: the table, its buttons, the selection, a vendor tab base."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from ..models.rows import RowsModel
from ..session import Session

R = TypeVar("R")


def row_table(parent: QWidget, model: RowsModel[R], name: str, *, single_selection: bool = True,
              word_wrap: bool = True, stretch: int | None = 0, min_rows: int = 0) -> QTableView:
    """A table that selects whole rows of ``model``, named ``name`` for screen readers, without row numbers.

    ``stretch`` is the column that takes the spare width (the others fit their contents); None leaves the
    columns to the caller. ``min_rows``: the table is never squeezed below its header and that many rows (a
    small window scrolls the page instead).
    """
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single_selection:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    if not word_wrap:
        table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    if min_rows:
        keep_rows_visible(table, min_rows)
    if stretch is not None:
        h = table.horizontalHeader()
        for c in range(model.columnCount()):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                   else QHeaderView.ResizeMode.ResizeToContents)
    return table


def keep_rows_visible(table: QTableView, rows: int) -> None:
    """Give ``table`` a minimum height of its header, ``rows`` rows and a horizontal scroll bar."""
    header = table.horizontalHeader().sizeHint().height()
    row = table.verticalHeader().defaultSectionSize()
    bar = table.style().pixelMetric(table.style().PixelMetric.PM_ScrollBarExtent)
    table.setMinimumHeight(header + rows * row + bar + 2 * table.frameWidth())


def selected_row(table: QTableView, model: RowsModel[R]) -> R | None:
    """The row of ``model`` under the table's current index (None when nothing is selected)."""
    idx = table.currentIndex()
    return model.row_at(idx.row()) if idx.isValid() else None


def push_button(parent: QWidget, text: str, name: str, tooltip: str) -> QPushButton:
    """A button with the name screen readers announce and its tooltip."""
    button = QPushButton(text, parent)
    button.setToolTip(tooltip)
    button.setAccessibleName(name)
    return button


def button_row(left: list[QWidget], right: list[QWidget]) -> QHBoxLayout:
    """A row of buttons: ``left`` at the start, ``right`` pushed to the end (destructive ones go there)."""
    row = QHBoxLayout()
    for w in left:
        row.addWidget(w)
    row.addStretch(1)
    for w in right:
        row.addWidget(w)
    return row


class VendorTab(QWidget):
    """Base of the vendor detail tabs: the session, the vendor shown, and a reload when the vendor changes."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.vendor_id: str | None = None

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show a vendor (None: nothing)."""
        self.vendor_id = vendor_id
        self.refresh()

    def refresh(self) -> None:
        """Reload what the tab shows for ``vendor_id``; each tab says how."""
        raise NotImplementedError
