"""The Vendors page: the list on the left, the selected vendor's detail on the right, or the first-run page."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ...domain.models import Vendor
from ...services.workspace import Change
from ..dialogs.vendor_dialog import NewVendorDialog
from ..models.vendor_list_model import VendorRow
from ..session import Session
from .first_run_view import FirstRunView
from .vendor_detail_view import VendorDetailView
from .vendor_list_view import VendorListView


class VendorsView(QWidget):
    """Vendors: list, detail, and the create / archive / delete commands (with undo)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.first_run = FirstRunView(self)
        self.list = VendorListView(self)
        self.detail = VendorDetailView(session, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([430, 800])
        self.splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.first_run)
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.stack)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)  # coalesce bursts of changes into one recount of totals
        self._refresh_timer.timeout.connect(self.reload)
        self.list.selected.connect(self.detail.set_vendor)
        self.first_run.new_vendor.connect(self.new_vendor)
        session.changed.connect(self._on_change)
        self.reload()

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read vendors and their overall scores from the services."""
        self._refresh_timer.stop()
        try:
            totals = self.ws.totals.vendor_totals(include_archived=True)
        except Exception as exc:
            self.session.report("Reading the vendors", exc)
            return
        rows = [VendorRow(t.vendor, t.overall.claimed, t.overall.evidence_weighted, t.overall.knocked_out)
                for t in totals]
        keep = self.list.current_id()
        self.list.set_rows(rows, keep=keep)
        self.stack.setCurrentWidget(self.splitter if rows else self.first_run)
        if rows and self.list.current_id() is None:
            self.list.table.selectRow(0)

    def _on_change(self, change: Change) -> None:
        if change.entity in ("vendor", "score", "scorecard", "claim", "agreed_score", "weight_profile", "workspace"):
            self._refresh_timer.start()

    # --- commands ---------------------------------------------------------------------------

    def current_vendor(self) -> Vendor | None:
        """The selected vendor (None when there is none)."""
        vid = self.list.current_id()
        if vid is None:
            return None
        try:
            return self.ws.vendors.get(vid)
        except Exception:
            return None

    def new_vendor(self, values: dict[str, str] | None = None) -> Vendor | None:
        """Create a vendor (asking for its name when ``values`` is None); undoable."""
        if values is None:
            dialog = NewVendorDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        fields = {k: v for k, v in values.items() if k != "name" and v}
        name = values.get("name", "")
        holder: list[Vendor] = []

        def do() -> Vendor:
            v = self.ws.vendors.create(name, **fields)
            holder[:] = [v]
            return v

        def undo() -> None:
            snap = self.ws.vendors.delete(holder[0].id)
            holder.append(snap)  # type: ignore[arg-type]

        def redo() -> None:
            snap = holder.pop()
            self.ws.vendors.restore(snap)  # type: ignore[arg-type]

        vendor = self.session.edit(f"Create vendor {name}", do, undo, redo)
        if vendor is not None:
            self.reload()
            self.list.select(vendor.id)
        return vendor

    def archive_current(self) -> None:
        """Archive the selected vendor, or bring it back if it is archived; undoable."""
        vendor = self.current_vendor()
        if vendor is None:
            return
        vid, new = vendor.id, not vendor.archived
        self.session.edit(f"{'Archive' if new else 'Unarchive'} {vendor.name}",
                          lambda: self.ws.vendors.set_archived(vid, new),
                          lambda: self.ws.vendors.set_archived(vid, not new))
        if new and not self.list.archived.isChecked():
            self.list.archived.setChecked(True)  # keep the archived vendor in sight, marked in italics
        self.reload()

    def delete_current(self, confirm: bool = True) -> None:
        """Delete the selected vendor and everything it owns, after asking; undoable."""
        vendor = self.current_vendor()
        if vendor is None:
            return
        if confirm and not self.session.messages.confirm(
            self, "Delete vendor",
            f"Delete {vendor.name} with all its claims, evidence records and scorecards?\n\n"
            "You can undo this with Edit → Undo (Ctrl+Z) until you close the app. "
            "Archiving keeps the vendor but hides it.",
        ):
            return
        vid = vendor.id
        snaps: list[object] = []

        def do() -> None:
            snaps[:] = [self.ws.vendors.delete(vid)]

        self.session.edit(f"Delete {vendor.name}", do,
                          lambda: self.ws.vendors.restore(snaps[0]),  # type: ignore[arg-type]
                          do)
        self.reload()

    def focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.stack.setCurrentWidget(self.splitter) if self.list.model.rowCount() else None
        self.list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.list.search.selectAll()
