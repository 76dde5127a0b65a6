"""Commits a text field through the services after a pause in typing or when it loses focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

#: Pause after the last keystroke before the text is committed (the issue allows at most a second).
DEBOUNCE_MS = 800

TextWidget = QLineEdit | QPlainTextEdit


class AutoSave(QObject):
    """Watches one text widget; calls ``commit(text)`` once per pause or focus-out, not per keystroke.

    ``commit`` returns False when the services refused the text; the field keeps the user's words
    (nothing on screen is thrown away) and the session has already said it was not saved. Words ``commit``
    found wrong (``refuse``) are not committed (and refused, in a dialog) again at every focus change: only
    once they are changed. A tester typed '31/02/2026' as a date and got the message at each click.
    """

    typing = Signal()  # text was typed that is not committed yet
    settled = Signal()  # the field is back to its stored text (typing undone by hand)

    def __init__(self, widget: TextWidget, commit: Callable[[str], bool], *, delay_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(widget)
        self.widget = widget
        self.commit = commit
        self._committed = self.text()
        self._refused: str | None = None  # the words the last commit refused (not offered again as they are)
        #: The revision of the record the stored text was read from (None: not known): an edit names it,
        #: so that a change made elsewhere since is refused instead of overwritten (ui.stale).
        self.revision: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        widget.textChanged.connect(self._typed)
        widget.installEventFilter(self)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(self.flush)

    def text(self) -> str:
        """The widget's current text."""
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    @property
    def committed(self) -> str:
        """The stored text the field last showed or committed (what typing started from)."""
        return self._committed

    def set_text(self, text: str, revision: int | None = None) -> None:
        """Show a stored value (after load, undo or another view's edit) without committing it; ``revision``:
        the revision of the record it was read from."""
        self._timer.stop()
        if revision is not None:
            self.revision = revision
        self._committed = text
        self._refused = None
        if self.text() != text:
            w = self.widget
            w.blockSignals(True)
            if isinstance(w, QLineEdit):
                w.setText(text)
                w.setCursorPosition(0)  # a long value shows its start ("Acme & Co Marketing"), not its end
            else:
                w.setPlainText(text)
                w.moveCursor(QTextCursor.MoveOperation.End)  # typing goes after what is there, not before it
            w.blockSignals(False)

    def type_text(self, text: str) -> None:
        """Put ``text`` in the field as if the user typed it (it is committed after the pause, or by flush)."""
        w = self.widget
        if isinstance(w, QLineEdit):
            w.setText(text)
        else:
            w.setPlainText(text)

    @property
    def pending(self) -> bool:
        """True when typed text has not been committed yet."""
        return self.text() != self._committed

    def _typed(self, *_args: object) -> None:
        if self.pending:
            self._timer.start()
            self.typing.emit()
        else:
            self._timer.stop()
            self.settled.emit()

    def flush(self) -> None:
        """Commit now if the text differs from what was last committed."""
        self._timer.stop()
        text = self.text()
        if text == self._committed or text == self._refused:
            return
        if self.commit(text):
            self._committed, self._refused = text, None

    def refuse(self) -> None:
        """The words in the field are wrong as they are (a date that is not one): ``commit`` calls this
        when it refuses them, and they are not committed again until they are changed. Not for a failure
        of the moment (a read-only or busy database): those words are tried again at the next flush."""
        self._refused = self.text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Commit when the field loses focus."""
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False
