"""Dialogs that tell the user something (errors, questions), behind one injectable object for tests."""

from __future__ import annotations

from pathlib import Path

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

    @property
    def errors(self) -> list[str]:
        """Texts of the errors shown."""
        return [t for kind, _title, t in self.shown if kind == "error"]

    @property
    def bugs(self) -> list[str]:
        """Texts of the "this is a bug" dialogs shown."""
        return [t for kind, _title, t in self.shown if kind == "bug"]
