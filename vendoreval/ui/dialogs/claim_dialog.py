"""Records a new claim: the vendor's words pasted verbatim, and where and when they were said."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QWidget

from ...domain.models import SourceKind
from .form import line_field, ok_cancel, text_field

SOURCE_LABELS = {
    SourceKind.DOCUMENT: "Document",
    SourceKind.URL: "Web page",
    SourceKind.MEETING: "Meeting or call",
    SourceKind.EMAIL: "E-mail",
    SourceKind.QUESTIONNAIRE: "Vendor questionnaire",
    SourceKind.OTHER: "Other",
}


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, None for empty text; ValueError with a readable message otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.") from None


def source_kind_combo(parent: QWidget) -> QComboBox:
    """A combo box of source kinds."""
    combo = QComboBox(parent)
    for kind, label in SOURCE_LABELS.items():
        combo.addItem(label, kind)
    combo.setAccessibleName("Source kind")
    combo.setToolTip("Where the vendor said it")
    return combo


class ClaimDialog(QDialog):
    """Text (required), source kind, source, page, date, said to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a claim")
        self.text = text_field(self, "The vendor's words", "Paste exactly what the vendor said or wrote")
        self.kind = source_kind_combo(self)
        self.source = line_field(self, "Source", "Document title, URL or meeting")
        self.page = line_field(self, "Page", "Page or section")
        self.said_on = line_field(self, "Date said", "YYYY-MM-DD")
        self.said_to = line_field(self, "Said to", "Who heard or received it")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.buttons = ok_cancel(self, "Record claim", on_ok=self._accept)
        form = QFormLayout(self)
        form.addRow("Vendor's &words:", self.text)
        form.addRow("Source &kind:", self.kind)
        form.addRow("&Source:", self.source)
        form.addRow("&Page:", self.page)
        form.addRow("&Date:", self.said_on)
        form.addRow("Said &to:", self.said_to)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self.resize(560, 420)

    def _accept(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        """The claim's fields (ValueError when the text is empty or the date unreadable)."""
        text = self.text.toPlainText()
        if not text.strip():
            raise ValueError("Paste the vendor's words first.")
        return {"text": text, "source_kind": self.kind.currentData(), "source": self.source.text().strip(),
                "page": self.page.text().strip(), "said_on": parse_date(self.said_on.text()),
                "said_to": self.said_to.text().strip()}
