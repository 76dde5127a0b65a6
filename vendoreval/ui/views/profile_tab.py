"""A vendor's profile: name, product, website, description, decision and conditions, saved as you type."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Decision
from ...services.workspace import Change, NotFound
from ..session import Session
from ..widgets.autosave import AutoSave


class ProfileTab(QWidget):
    """Profile fields; each commits through the services on a pause or focus-out, undoable."""

    FIELDS = ("name", "product", "website", "description")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.vendor_id: str | None = None
        self.name = QLineEdit(self)
        self.product = QLineEdit(self)
        self.website = QLineEdit(self)
        self.website.setPlaceholderText("https://…")
        self.description = QPlainTextEdit(self)
        self.description.setPlaceholderText("What the product does and what you would use it for")
        self.description.setMaximumHeight(140)
        self.decision = QComboBox(self)
        for d in Decision:
            self.decision.addItem(d.label, d)
        self.decision.setToolTip("Where this vendor stands; saved at once")
        self.conditions = QPlainTextEdit(self)
        self.conditions.setPlaceholderText("One condition per line, e.g. “EU data residency in the contract”")
        self.conditions.setToolTip("Conditions to negotiate before signing (one per line)")
        self.conditions.setMaximumHeight(110)
        self.archive_button = QPushButton("Archive vendor", self)
        self.archive_button.setToolTip("Hide this vendor from the list without deleting anything")
        for w, name in ((self.name, "Vendor name"), (self.product, "Product"), (self.website, "Website"),
                        (self.description, "Description"), (self.decision, "Decision"),
                        (self.conditions, "Conditions"), (self.archive_button, "Archive vendor")):
            w.setAccessibleName(name)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # fields stay together at the top instead of spreading over the tab
        form.addRow("&Name:", self.name)
        form.addRow("P&roduct:", self.product)
        form.addRow("&Website:", self.website)
        form.addRow("&Description:", self.description)
        form.addRow("D&ecision:", self.decision)
        form.addRow("Con&ditions:", self.conditions)
        archive_row = QHBoxLayout()
        archive_row.addWidget(self.archive_button)
        archive_row.addStretch(1)
        form.addRow("", archive_row)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.autosaves: dict[str, AutoSave] = {}
        for key in self.FIELDS:
            a = AutoSave(getattr(self, key), self._committer(key))
            session.register_autosave(a)
            self.autosaves[key] = a
        self.conditions_save = AutoSave(self.conditions, self._commit_conditions)
        session.register_autosave(self.conditions_save)
        self.decision.activated.connect(self._decision_picked)
        self.archive_button.clicked.connect(self._toggle_archive)

    def _committer(self, key: str) -> Callable[[str], bool]:
        def commit(text: str) -> bool:
            vid = self.vendor_id
            if vid is None:
                return True
            try:
                old = getattr(self.ws.vendors.get(vid), key)
            except NotFound:
                return True
            value = text.strip() if key != "description" else text
            done = self.session.edit(f"Edit vendor {key}", lambda: self.ws.vendors.update(vid, **{key: value}),
                                     lambda: self.ws.vendors.update(vid, **{key: old}))
            return done is not None
        return commit

    def _commit_conditions(self, text: str) -> bool:
        vid = self.vendor_id
        if vid is None:
            return True
        v = self.ws.vendors.get(vid)
        old_decision, old = v.decision, list(v.conditions)
        new = [line.strip() for line in text.splitlines() if line.strip()]
        done = self.session.edit("Edit conditions", lambda: self.ws.vendors.decide(vid, v.decision, new),
                                 lambda: self.ws.vendors.decide(vid, old_decision, old))
        return done is not None

    def _decision_picked(self, index: int) -> None:
        vid = self.vendor_id
        if vid is None:
            return
        new = self.decision.itemData(index)
        old = self.ws.vendors.get(vid).decision
        if new == old:
            return
        self.session.edit(f"Decision: {Decision(new).label}", lambda: self.ws.vendors.decide(vid, new),
                          lambda: self.ws.vendors.decide(vid, old))
        self.refresh()

    def _toggle_archive(self) -> None:
        vid = self.vendor_id
        if vid is None:
            return
        new = not self.ws.vendors.get(vid).archived
        self.session.edit("Archive vendor" if new else "Unarchive vendor",
                          lambda: self.ws.vendors.set_archived(vid, new),
                          lambda: self.ws.vendors.set_archived(vid, not new))

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show a vendor's profile."""
        self.vendor_id = vendor_id
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Show stored values; a field with uncommitted typing keeps the user's words."""
        if self.vendor_id is None:
            for a in [*self.autosaves.values(), self.conditions_save]:
                a.set_text("")
            return
        try:
            v = self.ws.vendors.get(self.vendor_id)
        except NotFound:
            return
        for key, a in self.autosaves.items():
            if force or not a.pending:
                a.set_text(getattr(v, key))
        if force or not self.conditions_save.pending:
            self.conditions_save.set_text("\n".join(v.conditions))
        self.decision.setCurrentIndex(list(Decision).index(Decision(v.decision)))
        self.archive_button.setText("Unarchive vendor" if v.archived else "Archive vendor")

    def on_change(self, change: Change) -> None:
        """Refresh after this vendor changed (undo, another view)."""
        if change.entity == "vendor":
            self.refresh()
