"""Asks for a URL or a note to record as evidence (the app stores the URL; it never fetches it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class UrlEvidenceDialog(QDialog):
    """A URL (required) and an optional title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add URL evidence")
        self.url = QLineEdit(self)
        self.url.setAccessibleName("URL")
        self.url.setPlaceholderText("https://vendor.example/trust/ai-policy")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Optional: what the page is, e.g. 'Trust centre: AI policy'")
        hint = QLabel("The address is recorded as it is; the app does not download the page. "
                      "Save a copy as a file too if the page may change.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        form = QFormLayout(self)
        form.addRow("&URL:", self.url)
        form.addRow("&Title:", self.title)
        form.addRow(hint)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._enable)
        self._enable()
        self.resize(480, self.sizeHint().height())

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.url.text().strip()))

    def values(self) -> dict[str, str]:
        """The entered fields: url and title."""
        return {"url": self.url.text().strip(), "title": self.title.text().strip()}


class NoteEvidenceDialog(QDialog):
    """A note (required) and an optional title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add note evidence")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Optional: defaults to the note's first words")
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("What was seen or said, by whom and when, e.g. 'Demo call 12 May: "
                                     "retention is 30 days (asked twice)'")
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Note:", self.note)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.note.textChanged.connect(self._enable)
        self._enable()
        self.resize(480, 260)

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.note.toPlainText().strip()))

    def values(self) -> dict[str, str]:
        """The entered fields: note and title."""
        return {"note": self.note.toPlainText().strip(), "title": self.title.text().strip()}
