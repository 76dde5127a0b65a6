"""The dialog shown when an edit was refused because another writer changed the record first.

The other writer's value is what is stored and shown; the user's own words are kept beside it, so that
nothing typed is lost, with one click to apply them over the newer value (or to drop them).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..colours import mute

#: What the user chose: apply their own value on the newer record, keep the other writer's, or decide later
#: (their words stay marked beside the field).
APPLY, DISCARD, LATER = "apply", "discard", "later"


def _box(text: str, name: str, parent: QWidget) -> QPlainTextEdit:
    box = QPlainTextEdit(text, parent)
    box.setReadOnly(True)
    box.setAccessibleName(name)
    box.setMinimumWidth(260)
    box.setMaximumHeight(150)
    return box


class StaleEditDialog(QDialog):
    """Changed elsewhere: the newer value (now shown), the user's own (kept, not saved), and the choice."""

    def __init__(self, what: str, message: str, theirs: str, mine: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{what} — changed elsewhere")
        self.choice = LATER
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(f"<b>{html.escape(what)}: your change was not saved.</b><br>{html.escape(message)}",
                              self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAccessibleName("What happened")
        self.theirs = _box(theirs, "Newer value, saved elsewhere", self)
        self.mine = _box(mine, "Your value, not saved", self)
        self.mine.setStyleSheet("QPlainTextEdit { border: 2px solid #c77c00; }")  # marked: not saved
        columns = QGridLayout()  # headings, hints and boxes each on one line across both columns
        columns.setVerticalSpacing(4)
        for col, (title, hint, box) in enumerate((
                ("Now saved (shown in the field)", "Written by another window, the command line or an import.",
                 self.theirs),
                ("Yours (kept, NOT saved)", "Apply it with one click, or drop it.", self.mine))):
            note = QLabel(hint, self)
            note.setWordWrap(True)
            mute(note)
            columns.addWidget(QLabel(f"<b>{title}</b>", self), 0, col)
            columns.addWidget(note, 1, col)
            columns.addWidget(box, 2, col)
        buttons = QDialogButtonBox(self)
        self.apply_button = QPushButton("&Apply mine", self)
        self.apply_button.setToolTip("Save your value over the newer one (it replaces what the other writer saved)")
        self.discard_button = QPushButton("&Keep theirs", self)
        self.discard_button.setToolTip("Drop your value; the newer one stays")
        self.later_button = QPushButton("Decide &later", self)
        self.later_button.setToolTip("Close; your value stays marked beside the field until you apply or drop it")
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.later_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.later_button.setDefault(True)  # Enter never overwrites anyone by accident
        self.apply_button.clicked.connect(lambda: self._done(APPLY))
        self.discard_button.clicked.connect(lambda: self._done(DISCARD))
        self.later_button.clicked.connect(lambda: self._done(LATER))
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self.resize(660, 320)

    def _done(self, choice: str) -> None:
        self.choice = choice
        if choice == LATER:
            self.reject()
        else:
            self.accept()
