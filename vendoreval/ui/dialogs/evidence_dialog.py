"""Asks for a URL or a note to record as evidence (the app stores the URL; it never fetches it)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from ..colours import mute
from .form import line_field, ok_cancel, text_field


class UrlEvidenceDialog(QDialog):
    """A URL (required) and an optional title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add URL evidence")
        self.url = line_field(self, "URL", "https://vendor.example/trust/ai-policy")
        self.title = line_field(self, "Title", "Optional: what the page is, e.g. 'Trust centre: AI policy'")
        hint = QLabel("The address is recorded as it is; the app does not download the page. "
                      "Save a copy as a file too if the page may change.", self)
        hint.setWordWrap(True)
        mute(hint)
        self.buttons = ok_cancel(self, "Add", required=self.url)
        form = QFormLayout(self)
        form.addRow("&URL:", self.url)
        form.addRow("&Title:", self.title)
        form.addRow(hint)
        form.addRow(self.buttons)
        self.resize(480, self.sizeHint().height())

    def values(self) -> dict[str, str]:
        """The entered fields: url and title."""
        return {"url": self.url.text().strip(), "title": self.title.text().strip()}


class NoteEvidenceDialog(QDialog):
    """A note (required) and an optional title."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add note evidence")
        self.title = line_field(self, "Title", "Optional: defaults to the note's first words")
        self.note = text_field(self, "Note", "What was seen or said, by whom and when, e.g. 'Demo call 12 May: "
                                             "retention is 30 days (asked twice)'")
        self.note.setTabChangesFocus(True)
        self.buttons = ok_cancel(self, "Add", required=self.note)
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Note:", self.note)
        form.addRow(self.buttons)
        self.resize(480, 260)

    def values(self) -> dict[str, str]:
        """The entered fields: note and title."""
        return {"note": self.note.toPlainText().strip(), "title": self.title.text().strip()}
