"""Help → Keyboard shortcuts: menu shortcuts and the scorecard editor's scoring keys."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def shortcuts_html(menu: list[tuple[str, str]], scoring: list[tuple[str, str]]) -> str:
    """Two tables: commands and scoring keys."""
    def table(rows: list[tuple[str, str]]) -> str:
        return "<table cellpadding='3'>" + "".join(
            f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>" for k, v in rows) + "</table>"
    return ("<h3>Scoring (in the scorecard editor, with the criteria list focused)</h3>" + table(scoring)
            + "<h3>Commands</h3>" + table([(k, t) for t, k in menu]))


class ShortcutsDialog(QDialog):
    """Lists the shortcuts."""

    def __init__(self, menu: list[tuple[str, str]], scoring: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Keyboard shortcuts")
        self.text.setHtml(shortcuts_html(menu, scoring))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(520, 560)
