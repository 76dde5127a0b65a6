"""A text box for a vendor's words: what is pasted from a PDF arrives with its hard line breaks joined."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...domain.pasted_text import join_pdf_lines


class PastedTextEdit(QPlainTextEdit):
    """A plain-text box whose paste (Ctrl+V, the context menu, a drop of text) joins a PDF's line breaks.

    Tab moves to the next field: a tab character in a verbatim claim is never wanted.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Insert pasted or dropped text with the line breaks inside its paragraphs joined."""
        if source.hasText():
            self.textCursor().insertText(join_pdf_lines(source.text()))
            self.ensureCursorVisible()
            return
        super().insertFromMimeData(source)
