"""Dialogs that tell the user something (errors, questions), behind one injectable object for tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

NOT_SAVED = "The change was NOT saved."


class Messages:
    """Shows messages with QMessageBox; tests pass a fake that records them instead."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        """A blocking warning."""
        QMessageBox.warning(parent, title, text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        """A blocking information message."""
        QMessageBox.information(parent, title, text)

    def bug(self, parent: QWidget | None, title: str, text: str, log_folder: Path) -> None:
        """A blocking "this is a bug" dialog naming the log folder (with buttons to copy or open it)."""
        from .dialogs.bug_dialog import BugDialog

        BugDialog(title, text, log_folder, parent).exec()

    def confirm(self, parent: QWidget | None, title: str, text: str, *, cautious: bool = False) -> bool:
        """Ask yes/no; True for yes. ``cautious``: No is the default (Enter or Space keeps things as they are)."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        default = QMessageBox.StandardButton.No if cautious else QMessageBox.StandardButton.NoButton
        answer = QMessageBox.question(parent, title, text, buttons, default)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> str:
        """Ask the user to pick one of ``options`` (buttons, the first the default); Escape or closing the
        dialog picks the last one, which should be the cautious choice."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.ActionRole) for option in options]
        box.setDefaultButton(buttons[0])
        box.setEscapeButton(buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        return next((o for o, b in zip(options, buttons, strict=True) if b is clicked), options[-1])

    def stale_edit(self, parent: QWidget | None, what: str, text: str, theirs: str, mine: str) -> str:
        """An edit refused because the record changed elsewhere: show the newer value beside the user's;
        "apply" (save mine over it), "discard" (keep theirs) or "later" (mine stays marked by the field)."""
        from .dialogs.stale_edit_dialog import StaleEditDialog

        dialog = StaleEditDialog(what, text, theirs, mine, parent)
        dialog.exec()
        return dialog.choice

    def retry_busy(self, parent: QWidget | None, what: str, text: str,
                   lock_free: Callable[[], bool] | None = None) -> bool:
        """The data folder is busy (another writer holds its lock): True to try the same command again.

        With ``lock_free`` (asked twice a second, without waiting) the question answers itself "Retry" as
        soon as the other writer lets go.
        """
        box = QMessageBox(QMessageBox.Icon.Warning, f"{what} — the data folder is busy", text,
                          QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel, parent)
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 440px; }")
        timer = QTimer(box)
        if lock_free is not None:
            box.setInformativeText("This is retried by itself as soon as the other writer has finished.")

            def check() -> None:
                try:
                    free = lock_free()
                except Exception:  # the question stays; the user decides
                    timer.stop()
                    return
                if free:
                    timer.stop()
                    box.done(QMessageBox.StandardButton.Retry)

            timer.timeout.connect(check)
            timer.start(500)
        answer = box.exec()
        timer.stop()
        return answer == QMessageBox.StandardButton.Retry


class RecordingMessages(Messages):
    """Records messages instead of showing them; ``answer`` is what confirm() returns."""

    def __init__(self, answer: bool = True, choices: list[str] | None = None) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = answer
        self.choices = list(choices or [])  # what choose() answers, in turn (then the first option)
        self.offered: list[list[str]] = []  # the options of every choose()

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        """Record an error."""
        self.shown.append(("error", title, text))

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        """Record an information message."""
        self.shown.append(("info", title, text))

    def bug(self, parent: QWidget | None, title: str, text: str, log_folder: Path) -> None:
        """Record a bug report (the log folder is appended to the text)."""
        self.shown.append(("bug", title, f"{text}\n\nLog folder: {log_folder}"))

    def confirm(self, parent: QWidget | None, title: str, text: str, *, cautious: bool = False) -> bool:
        """Record a question (``cautious`` ones are recorded as 'confirm-no-default') and give the canned answer."""
        self.shown.append(("confirm-no-default" if cautious else "confirm", title, text))
        return self.answer

    def choose(self, parent: QWidget | None, title: str, text: str, options: list[str]) -> str:
        """Record a choice offered and give the next canned answer (which must be one of the options)."""
        self.shown.append(("choose", title, text))
        self.offered.append(list(options))
        if self.choices:
            answer = self.choices.pop(0)
            if answer not in options:
                raise ValueError(f"{answer!r} was not offered: {options}")
            return answer
        return options[0]

    def stale_edit(self, parent: QWidget | None, what: str, text: str, theirs: str, mine: str) -> str:
        """Record a stale edit (newer value and the user's) and give the next canned answer, else "later"."""
        self.shown.append(("stale", what, f"{text}\n\nNow saved: {theirs}\n\nYours: {mine}"))
        return self._next(("apply", "discard", "later"), "later")

    def retry_busy(self, parent: QWidget | None, what: str, text: str,
                   lock_free: Callable[[], bool] | None = None) -> bool:
        """Record a "data folder is busy" question; the next canned answer "retry" retries, else cancel."""
        self.shown.append(("busy", what, text))
        return self._next(("retry", "cancel"), "cancel") == "retry"

    def _next(self, options: tuple[str, ...], default: str) -> str:
        if self.choices and self.choices[0] in options:
            return self.choices.pop(0)
        return default

    @property
    def errors(self) -> list[str]:
        """Texts of the errors shown."""
        return [t for kind, _title, t in self.shown if kind == "error"]

    @property
    def bugs(self) -> list[str]:
        """Texts of the "this is a bug" dialogs shown."""
        return [t for kind, _title, t in self.shown if kind == "bug"]
