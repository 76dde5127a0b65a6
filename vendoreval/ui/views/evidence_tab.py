"""A vendor's evidence: attach files by drag and drop or a file dialog, open a read-only copy, delete."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Evidence, EvidenceKind
from ...services.workspace import Change
from ..models.evidence_model import EvidenceModel
from ..session import Session
from ..widgets.file_drop import FileDropArea
from .claims_tab import attach_evidence


class EvidenceTab(QWidget):
    """Files, URLs and notes recorded for the vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.vendor_id: str | None = None
        self.open_folder = Path(tempfile.gettempdir()) / "vendoreval-open"
        #: Opens a file with the desktop's default application; tests replace it.
        self.open_url = QDesktopServices.openUrl
        self.model = EvidenceModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Evidence")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, self.model.columnCount()):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton("Add files…", self)
        self.add_button.setToolTip("Store a copy of files in the workspace (kept by content hash)")
        self.open_button = QPushButton("Open", self)
        self.open_button.setToolTip("Open a read-only copy of the file under its original name")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setToolTip("Delete the evidence record (undo with Ctrl+Z)")
        for b in (self.add_button, self.open_button, self.delete_button):
            b.setAccessibleName(b.text().replace("…", "") + " evidence")
        self.drop = FileDropArea("Drop files here to attach them as evidence", self)
        self.drop.setMinimumHeight(64)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.drop)
        self.add_button.clicked.connect(lambda: self.add_files())
        self.open_button.clicked.connect(lambda: self.open_current())
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.table.doubleClicked.connect(lambda *_: self.open_current())
        self.drop.dropped.connect(self.add_files)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show a vendor's evidence."""
        self.vendor_id = vendor_id
        self.refresh()

    def refresh(self) -> None:
        """Reload the evidence list."""
        self.model.set_rows(self.ws.evidence.list(self.vendor_id) if self.vendor_id else [])
        if self.model.rowCount():
            self.table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        item = self.current()
        self.open_button.setEnabled(item is not None and item.kind == EvidenceKind.FILE)
        self.delete_button.setEnabled(item is not None)

    def on_change(self, change: Change) -> None:
        """Reload after evidence changed."""
        if change.entity in ("evidence", "vendor"):
            self.refresh()

    def current(self) -> Evidence | None:
        """The selected evidence item."""
        idx = self.table.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def add_files(self, paths: list[Path] | None = None) -> int:
        """Store files as evidence (asking for them when ``paths`` is None); returns how many were stored."""
        if self.vendor_id is None:
            return 0
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Add evidence files")
            paths = [Path(n) for n in names]
        return attach_evidence(self.session, self.vendor_id, paths, [])

    def open_current(self) -> Path | None:
        """Write a read-only copy of the selected file under its original name and open it; returns the copy."""
        item = self.current()
        if item is None or item.kind != EvidenceKind.FILE:
            if item is not None and item.url:
                self.open_url(QUrl(item.url))
            return None
        eid = item.id
        try:
            copy = self.ws.evidence.read_only_copy(eid, self.open_folder)
        except Exception as exc:
            self.session.messages.error(self, "Cannot open evidence", f"{item.original_name}: {exc}")
            return None
        self.open_url(QUrl.fromLocalFile(str(copy)))
        return copy

    def delete_current(self) -> None:
        """Delete the selected evidence record; undoable (the stored file is kept)."""
        item = self.current()
        if item is None:
            return
        linked = [c.id for c in self.ws.claims.list(item.vendor_id) if item.id in c.evidence_ids]

        self.session.edit("Delete evidence", lambda: self.ws.evidence.delete(item.id),
                          lambda: self.ws.evidence.restore(item, linked))
