"""The banner above the pages of a workspace open read-only: why, and what still works."""

from __future__ import annotations

import html

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...services.workspace import Workspace
from ..colours import text_on

#: The save indicator's text in the status bar while the workspace is read-only.
READ_ONLY_STATUS = "Read-only: changes are not saved"
_BACKGROUND = QColor("#fff4ce")  # a pale amber, the same in light and dark palettes (text picked to match)


class ReadOnlyBanner(QFrame):
    """A strip that says the workspace is open read-only, and why."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setAccessibleName("Read-only workspace")
        ink = text_on(_BACKGROUND).name()
        self.setStyleSheet(f"#read_only_banner {{ background: {_BACKGROUND.name()}; "
                           f"border-bottom: 1px solid #d9c27a; }} #read_only_banner QLabel {{ color: {ink}; }}")
        self.label = QLabel(
            f"<b>Read-only.</b> {html.escape(reason[:1].upper() + reason[1:])}. You can look, compare and export "
            "briefs and files; changes are not saved, and no automatic backup is made.", self)
        self.label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.label)


def with_read_only_banner(content: QWidget, ws: Workspace) -> QWidget:
    """``content`` itself for a workspace that can be written; else ``content`` under a ReadOnlyBanner."""
    if not ws.read_only_reason:
        return content
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(ReadOnlyBanner(ws.read_only_reason, box))
    column.addWidget(content, 1)
    return box
