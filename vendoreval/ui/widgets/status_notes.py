"""Notes in the status bar that a pointer passing over the toolbar does not wipe out.

Qt shows an action's status tip while the pointer is over its toolbar button and, when the pointer leaves,
sends an empty tip, which clears the status bar: a tester clicked the toolbar's Undo, moved the mouse away,
and "Undone: Edit conditions" vanished at once (with the keyboard it stayed its 6 seconds). ``StatusNotes``
remembers the note it showed and until when; when the bar is cleared before then, the note comes back for
the rest of its time. A tip still shows while the pointer is on a button.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar


class StatusNotes(QObject):
    """Shows timed notes on ``bar`` and puts one back when a status tip's end clears it early."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self._note = ""
        self._until = 0.0
        bar.messageChanged.connect(self._changed)

    def show(self, text: str, ms: int) -> None:
        """Show ``text`` for ``ms`` milliseconds."""
        self._note, self._until = text, time.monotonic() + ms / 1000
        self.bar.showMessage(text, ms)

    def clear(self) -> None:
        """Clear the bar and forget the note."""
        self._note, self._until = "", 0.0
        self.bar.clearMessage()

    def current(self) -> str:
        """The note on show, or '' (a status tip on show is not a note)."""
        return self._note if self.bar.currentMessage() == self._note else ""

    def _changed(self, text: str) -> None:
        if text or not self._note:
            return
        left = self._until - time.monotonic()
        if left > 0.05:  # cleared before its time: a tip's end, not the note's timeout
            self.bar.showMessage(self._note, int(left * 1000))
        else:
            self._note = ""
