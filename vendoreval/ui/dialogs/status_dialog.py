"""Moves a claim's status, with a note saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QWidget

from ...domain.models import ClaimStatus

HELP = ("Asserted → Documented → Contractually committed → Independently verified; "
        "or Contradicted / Declined to answer.")


class StatusDialog(QDialog):
    """New status and a note."""

    def __init__(self, current: ClaimStatus, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change claim status")
        self.status = QComboBox(self)
        self.status.setAccessibleName("Claim status")
        for s in ClaimStatus:
            self.status.addItem(s.label, s)
        self.status.setCurrentIndex(list(ClaimStatus).index(ClaimStatus(current)))
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)  # Tab moves on; a tab character is never what is meant
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Why: e.g. “Clause 7.2 of the signed DPA”, “Contradicted by their model card”")
        self.note.setPlainText(note)
        hint = QLabel(HELP, self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow("&Status:", self.status)
        form.addRow("&Note:", self.note)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(480, 260)

    def values(self) -> tuple[ClaimStatus, str]:
        """The chosen status and note."""
        return self.status.currentData(), self.note.toPlainText().strip()
