"""A vendor's evidence: attach files (drag and drop or a dialog), record URLs and notes, open, delete."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QHeaderView, QVBoxLayout, QWidget

from ...domain.models import Evidence, EvidenceKind
from ...services.workspace import Change, NotFound
from ..dialogs.evidence_dialog import NoteEvidenceDialog, UrlEvidenceDialog
from ..models.evidence_model import EvidenceModel
from ..session import Session
from ..widgets.file_drop import FileDropArea
from ..widgets.flow_layout import wrapping_button_row
from .claims_tab import attach_evidence
from .table_tab import VendorTab, push_button, row_table, selected_row


class EvidenceTab(VendorTab):
    """Files, URLs and notes recorded for the vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.open_folder = Path(tempfile.gettempdir()) / "vendoreval-open"
        #: Opens a file or web address with the desktop's default application; tests replace it.
        #: Called only on an explicit Open (button or double-click): the app itself never fetches a URL.
        self.open_url = QDesktopServices.openUrl
        self.model = EvidenceModel(self)
        self.table = row_table(self, self.model, "Evidence", word_wrap=False, stretch=None, min_rows=4)
        # the title and the file or URL share the spare width; a long one is cut in its middle (whole in the
        # tooltip) and never pushes the dates behind a scroll bar
        h, m = self.table.horizontalHeader(), EvidenceModel
        for col in range(self.model.columnCount()):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch if col in (m.TITLE, m.FILE)
                                   else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.add_button = push_button(self, "Add files…", "Add files evidence",
                                      "Store a copy of files in the workspace (kept by content hash)")
        self.url_button = push_button(self, "Add URL…", "Add URL evidence",
                                      "Record a web address as evidence (recorded only; the app does not fetch it)")
        self.note_button = push_button(self, "Add note…", "Add note evidence",
                                       "Record a note as evidence: what was seen or said, by whom and when")
        self.open_button = push_button(self, "Open", "Open evidence",
                                       "Open a read-only copy of the file under its original name")
        self.dates_button = push_button(self, "Dates…", "Evidence dates",
                                        "When the document was issued and until when it is valid (it goes stale "
                                        "after)")
        self.delete_button = push_button(self, "Delete", "Delete evidence",
                                         "Delete the evidence record (undo with Ctrl+Z)")
        self.drop = FileDropArea("Drop files here to attach them as evidence", self)
        self.drop.setMinimumHeight(64)
        layout = QVBoxLayout(self)
        layout.addLayout(wrapping_button_row([self.add_button, self.url_button, self.note_button, self.open_button,
                                              self.dates_button], [self.delete_button]))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.drop)
        self.add_button.clicked.connect(lambda: self.add_files())
        self.url_button.clicked.connect(lambda: self.add_url())
        self.note_button.clicked.connect(lambda: self.add_note())
        self.open_button.clicked.connect(lambda: self.open_current())
        self.delete_button.clicked.connect(lambda: self.delete_current())
        self.dates_button.clicked.connect(lambda: self.edit_dates())
        self.table.doubleClicked.connect(lambda *_: self.open_current())
        self.drop.dropped.connect(self.add_files)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    def refresh(self) -> None:
        """Reload the evidence list."""
        from ...services.ageing import AgeingService

        items = self.ws.evidence.list(self.vendor_id) if self.vendor_id else []
        self.model.set_rows(items, AgeingService(self.ws).evidence_dates_by_id() if items else {})
        if self.model.rowCount():
            self.table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        item = self.current()
        has_vendor = self.vendor_id is not None
        for b in (self.add_button, self.url_button, self.note_button):
            b.setEnabled(has_vendor)
        self.open_button.setEnabled(item is not None)
        self.open_button.setToolTip(
            "" if item is None
            else "Open the address in your web browser" if item.kind == EvidenceKind.URL
            else "Show the whole note" if item.kind == EvidenceKind.NOTE
            else "Open a read-only copy of the file under its original name")
        self.delete_button.setEnabled(item is not None)
        self.dates_button.setEnabled(item is not None)

    def on_change(self, change: Change) -> None:
        """Reload after evidence changed."""
        if change.entity in ("evidence", "vendor", "workspace"):
            self.refresh()

    def current(self) -> Evidence | None:
        """The selected evidence item."""
        return selected_row(self.table, self.model)

    def add_files(self, paths: list[Path] | None = None) -> int:
        """Store files as evidence (asking for them when ``paths`` is None); returns how many were stored."""
        if self.vendor_id is None:
            return 0
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Add evidence files")
            paths = [Path(n) for n in names]
        return attach_evidence(self.session, self.vendor_id, paths, [])

    def add_url(self, values: dict[str, str] | None = None) -> Evidence | None:
        """Record a URL as evidence (asking for it when ``values`` is None); undoable. Nothing is fetched."""
        if self.vendor_id is None:
            return None
        if values is None:
            dialog = UrlEvidenceDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        vendor_id, url, title = self.vendor_id, values.get("url", ""), values.get("title", "")
        return self._add(f"Add URL {url.strip()[:60]}",
                         lambda: self.ws.evidence.add_url(vendor_id, url, title=title))

    def add_note(self, values: dict[str, str] | None = None) -> Evidence | None:
        """Record a note as evidence (asking for it when ``values`` is None); undoable."""
        if self.vendor_id is None:
            return None
        if values is None:
            dialog = NoteEvidenceDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        vendor_id, note, title = self.vendor_id, values.get("note", ""), values.get("title", "")
        return self._add("Add note", lambda: self.ws.evidence.add_note(vendor_id, note, title=title))

    def _add(self, text: str, create: Any) -> Evidence | None:
        """Run an evidence-creating service call as an undoable edit (undo deletes, redo restores it)."""
        holder: list[Evidence] = []

        def do() -> Evidence:
            item: Evidence = create()
            holder[:] = [item]
            return item

        def undo() -> None:
            try:
                self.ws.evidence.delete(holder[0].id)
            except NotFound:
                pass

        def redo() -> None:
            self.ws.evidence.restore(holder[0], [])

        item = self.session.edit(text, do, undo, redo)
        if item is not None:
            self.select(item.id)
        return item

    def select(self, evidence_id: str) -> None:
        """Select an evidence row by id (after adding it)."""
        for r, e in enumerate(self.model.rows()):
            if e.id == evidence_id:
                self.table.selectRow(r)
                break

    def open_current(self) -> Path | None:
        """Open the selected item: a file as a read-only copy (returned), a web address in the browser, a note shown.

        Only an explicit user action calls this; web addresses other than http(s) are not handed on, so a
        recorded 'file:' or script link cannot start anything.
        """
        item = self.current()
        if item is None:
            return None
        if item.kind == EvidenceKind.NOTE:
            self.session.messages.info(self, item.title or "Note", item.note)
            return None
        if item.kind == EvidenceKind.URL:
            url = QUrl(item.url or "")
            if url.isValid() and url.scheme().lower() in ("http", "https"):
                self.open_url(url)
            else:
                self.session.messages.error(self, "Cannot open evidence",
                                            f"{item.url}: only web addresses (http or https) are opened.")
            return None
        eid = item.id
        try:
            copy = self.ws.evidence.read_only_copy(eid, self.open_folder)
        except Exception as exc:
            self.session.messages.error(self, "Cannot open evidence", f"{item.original_name}: {exc}")
            return None
        self.open_url(QUrl.fromLocalFile(str(copy)))
        return copy

    def edit_dates(self, values: tuple[str, str] | None = None) -> bool:
        """Set the selected item's issue and valid-until dates (asking when ``values`` is None); undoable."""
        from ...domain.ageing import DateRuleError, parse_date
        from ...services.ageing import AgeingService

        item = self.current()
        if item is None:
            return False
        svc = AgeingService(self.ws)
        old = svc.evidence_dates(item.id)
        if values is None:
            from ..dialogs.dates_dialog import EvidenceDatesDialog

            dialog = EvidenceDatesDialog(item.title or item.original_name or item.url or "Evidence",
                                         old.effective_on, old.valid_until, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        try:
            effective = parse_date(values[0], "Issued on") if values[0] else None
            until = parse_date(values[1], "Valid until") if values[1] else None
        except DateRuleError as exc:
            self.session.messages.error(self, "Evidence dates", f"{exc}. Nothing was saved.")
            return False
        eid = item.id
        done = self.session.edit("Evidence dates", lambda: svc.set_evidence_dates(eid, effective, until),
                                 lambda: svc.set_evidence_dates(eid, old.effective_on, old.valid_until))
        return done is not None

    def delete_current(self) -> None:
        """Delete the selected evidence record; undoable (the stored file is kept)."""
        item = self.current()
        if item is None:
            return
        linked = [c.id for c in self.ws.claims.list(item.vendor_id) if item.id in c.evidence_ids]

        self.session.edit("Delete evidence", lambda: self.ws.evidence.delete(item.id),
                          lambda: self.ws.evidence.restore(item, linked))
