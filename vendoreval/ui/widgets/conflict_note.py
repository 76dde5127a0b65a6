"""The note under a field whose edit was refused because the record changed elsewhere: the user's own words,
marked as not saved, with one click to apply them over the newer value or to drop them."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..colours import text_on

_BACKGROUND = QColor("#fff4ce")  # the read-only banner's amber: "not saved" looks the same everywhere
_PREVIEW = 240  # characters of the user's text shown in the note (the tooltip holds all of it)


class ConflictNote(QFrame):
    """Hidden until an edit of its field is refused as stale; then it holds the user's text until applied or dropped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_note")
        self.setAccessibleName("Your change, not saved")
        self.mine: str | None = None
        self._apply: Callable[[str], None] | None = None
        self._label: QLabel | None = None
        self._apply_button: QPushButton | None = None
        self.hide()

    def _build(self) -> tuple[QLabel, QPushButton]:
        """The label and buttons, made the first time a note is shown: a window has a note under each of some
        twenty fields, almost always hidden, and a style sheet per widget makes every one of them slow to build."""
        if self._label is None or self._apply_button is None:
            ink = text_on(_BACKGROUND).name()
            self.setStyleSheet(f"#conflict_note {{ background: {_BACKGROUND.name()}; border: 1px solid #c77c00; "
                               f"border-radius: 3px; }} #conflict_note QLabel {{ color: {ink}; }}")
            self._label = QLabel(self)
            self._label.setWordWrap(True)
            self._apply_button = QPushButton("Apply mine", self)
            self._apply_button.setToolTip("Save your text over the newer value")
            discard = QPushButton("Discard", self)
            discard.setToolTip("Drop your text; the newer value stays")
            row = QHBoxLayout(self)
            row.setContentsMargins(8, 4, 4, 4)
            row.addWidget(self._label, 1)
            row.addWidget(self._apply_button)
            row.addWidget(discard)
            self._apply_button.clicked.connect(self._applied)
            discard.clicked.connect(self.clear)
        return self._label, self._apply_button

    @property
    def label(self) -> QLabel:
        """The note's text."""
        return self._build()[0]

    @property
    def apply_button(self) -> QPushButton:
        """Apply mine."""
        return self._build()[1]

    def hold(self, mine: str, apply: Callable[[str], None]) -> None:
        """Show ``mine`` (not saved) with Apply / Discard; ``apply(mine)`` saves it on the newer record."""
        self.mine, self._apply = mine, apply
        shown = mine if len(mine) <= _PREVIEW else mine[:_PREVIEW] + "…"
        label, _apply_button = self._build()
        label.setText("<b>Not saved — changed elsewhere.</b> The field shows the newer value. Yours: "
                           f"<i>{html.escape(shown).replace(chr(10), '<br>') or '(empty)'}</i>")
        self.setToolTip(mine)
        self.show()

    def clear(self) -> None:
        """Drop the held text and hide."""
        self.mine, self._apply = None, None
        self.hide()

    def _applied(self) -> None:
        mine, apply = self.mine, self._apply
        self.clear()
        if mine is not None and apply is not None:
            apply(mine)


def with_note(field: QWidget, parent: QWidget) -> tuple[QWidget, ConflictNote]:
    """``field`` with a ConflictNote under it, in one widget for a form row."""
    box = QWidget(parent)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    field.setParent(box)
    column.addWidget(field)
    note = ConflictNote(box)
    column.addWidget(note)
    return box, note
