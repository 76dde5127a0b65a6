"""A vendor's model supply chain: the models behind the product, each provider's public FMTI baseline,
and the claims the public record contradicts."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QVBoxLayout, QWidget

from ...domain.supply_chain import ModelUse, ProviderBaseline
from ...services.supply_chain import SupplyChainService
from ...services.workspace import Change, NotFound
from ..models.rows import Column, RowsModel
from ..session import Session
from .table_tab import VendorTab, button_row, push_button, row_table, selected_row


class ModelsModel(RowsModel[tuple[ModelUse, ProviderBaseline | None]]):
    """Models with their provider's baseline."""

    columns = (
        Column("Provider", lambda r: r[0].provider),
        Column("Model", lambda r: r[0].model),
        Column("Version", lambda r: r[0].version or "—"),
        Column("Own", lambda r: "own model" if r[0].own else "third party"),
        Column("FMTI", lambda r: _fmti(r), header_tip="The provider's score in the latest FMTI edition, out of 100",
               align_right=True),
        Column("Trend", lambda r: r[1].trend if r[1] else "",
               header_tip="The provider's FMTI score in each edition, oldest first"),
        Column("Source", lambda r: r[0].note),
    )


def _fmti(row: tuple[ModelUse, ProviderBaseline | None]) -> str:
    m, b = row
    if m.own:
        return ""
    if b is None or b.latest is None:
        return "no baseline"
    return f"{b.latest.total}/{b.latest.out_of} ({b.latest.edition[:4]})"


class ModelsTab(VendorTab):
    """The models behind the vendor's product."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.service = SupplyChainService(self.ws)
        self.model = ModelsModel(self)
        self.table = row_table(self, self.model, "Models", stretch=6)
        self.add_button = push_button(self, "Add model…", "Add model",
                                      "Record a model the product uses (from its sub-processor list or documents)")
        self.version_button = push_button(self, "New version…", "New model version",
                                          "Record that the vendor moved to another version of this model")
        self.remove_button = push_button(self, "Remove", "Remove model", "Remove the model (undo with Ctrl+Z)")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Public baseline")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row([self.add_button, self.version_button], [self.remove_button]))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.add_button.clicked.connect(lambda: self.add())
        self.version_button.clicked.connect(lambda: self.new_version())
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    def refresh(self) -> None:
        """Reload the models, their baselines and the contradictions."""
        if self.vendor_id is None:
            self.model.set_rows([])
            self.summary.setText("")
            self._enable()
            return
        try:
            models = self.service.models(self.vendor_id)
            public = self.service.for_vendor(self.vendor_id)
            baselines = {b.model.id: b for b in public}
            contradictions = self.service.contradictions(self.vendor_id, public)
        except NotFound:
            models, baselines, contradictions = [], {}, []
        self.model.set_rows([(m, baselines.get(m.id)) for m in models])
        if self.model.rowCount():
            self.table.selectRow(0)
        lines = []
        for c in contradictions:
            lines.append(f"<p style='color:#a61b1b'><b>⚠ {html.escape(c.sentence)}</b><br>"
                         f"Claim: “{html.escape(c.claim_text[:200])}”</p>")
        for b in baselines.values():
            lines.append(f"<p>{html.escape(b.summary)}.</p>")
        if not models:
            lines.append("<p>No models recorded. Add the models the product is built on (its sub-processor list "
                         "usually names them) to see each provider's public FMTI baseline.</p>")
        self.summary.setText("".join(lines))
        self._enable()

    def _enable(self) -> None:
        row = self.current()
        self.add_button.setEnabled(self.vendor_id is not None and self.ws.read_only_reason is None)
        self.version_button.setEnabled(row is not None and self.ws.read_only_reason is None)
        self.remove_button.setEnabled(row is not None and self.ws.read_only_reason is None)

    def on_change(self, change: Change) -> None:
        """Reload after the vendor, its claims or models changed."""
        if change.entity in ("vendor", "claim", "model", "baseline", "workspace"):
            self.refresh()

    def current(self) -> ModelUse | None:
        """The selected model."""
        row = selected_row(self.table, self.model)
        return row[0] if row else None

    def add(self, values: dict[str, Any] | None = None) -> ModelUse | None:
        """Record a model (asking for it when ``values`` is None); undoable."""
        if self.vendor_id is None:
            return None
        if values is None:
            from ..dialogs.model_dialog import ModelDialog

            dialog = ModelDialog(self, vendor_name=self.ws.vendors.get(self.vendor_id).name)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        vendor_id = self.vendor_id
        holder: list[ModelUse] = []
        answer_before = self.ws.contexts.get(vendor_id).get("gpai-model")  # add may answer it; undo clears it

        def do() -> ModelUse:
            entry = self.service.add(vendor_id, str(values.get("provider", "")), str(values.get("model", "")),
                                     version=str(values.get("version", "")), own=bool(values.get("own")),
                                     note=str(values.get("note", "")))
            holder[:] = [entry]
            return entry

        return self.session.edit("Add model", do, lambda: self.service.undo_add(holder[0], answer_before),
                                 lambda: self.service.restore(holder[0]))

    def new_version(self, version: str | None = None) -> ModelUse | None:
        """Record a new version of the selected model (asking for it when ``version`` is None); undoable."""
        entry = self.current()
        if entry is None or self.vendor_id is None:
            return None
        if version is None:
            text, ok = QInputDialog.getText(self, "New model version",
                                            f"The version of {entry.provider} {entry.model} now in use:",
                                            text=entry.version)
            if not ok:
                return None
            version = text
        vendor_id, old = self.vendor_id, entry.version
        return self.session.edit("New model version",
                                 lambda: self.service.set_version(vendor_id, entry.id, version or ""),
                                 lambda: self.service.set_version(vendor_id, entry.id, old))

    def remove_current(self) -> None:
        """Remove the selected model; undoable."""
        entry = self.current()
        if entry is None or self.vendor_id is None:
            return
        vendor_id = self.vendor_id
        self.session.edit("Remove model", lambda: self.service.remove(vendor_id, entry.id),
                          lambda: self.service.restore(entry))
