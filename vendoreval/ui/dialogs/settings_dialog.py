"""Settings: evaluator name, organisation name and logo (used in board briefs); the team folder's own page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ...services.settings import AppSettings, read_logo
from ...services.workspace import ServiceError
from ..colours import TEXT_CONTRAST, readable_on


class SettingsDialog(QDialog):
    """Edits AppSettings; the caller saves them through the settings service."""

    def __init__(self, settings: AppSettings, workspace_folder: str, parent: QWidget | None = None, *,
                 team_summary: Callable[[], str] | None = None, on_team: Callable[[], None] | None = None) -> None:
        """``team_summary`` says how the team folder stands; ``on_team`` opens its settings (the Team folder row)."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.evaluator = QLineEdit(settings.evaluator, self)
        self.evaluator.setAccessibleName("Evaluator name")
        self.evaluator.setToolTip("Your name as it appears on scorecards and in the history")
        self.organisation = QLineEdit(settings.organisation, self)
        self.organisation.setAccessibleName("Organisation name")
        self.organisation.setPlaceholderText("Shown on board briefs")
        self._settings = settings
        # A path typed or picked here is read once, checked (PNG/JPEG, at most 2 MB) and copied into the
        # workspace when the dialog is saved; the brief never reads the path again.
        self.logo = QLineEdit("", self)
        self.logo.setAccessibleName("Logo file")
        self.logo.setPlaceholderText(f"Current: {settings.logo_name}" if settings.logo_sha256
                                     else "PNG or JPEG (at most 2 MB) shown on board briefs")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose logo file")
        browse.setToolTip("Pick the logo image; a copy is kept in the workspace")
        browse.clicked.connect(self._browse)
        self.remove_logo = QPushButton("Remove", self)
        self.remove_logo.setAccessibleName("Remove logo")
        self.remove_logo.setToolTip("Board briefs without a logo")
        self.remove_logo.setEnabled(bool(settings.logo_sha256))
        self.remove_logo.clicked.connect(self._remove)
        self._removed = False
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        logo_row.addWidget(self.remove_logo)
        folder = QLabel(workspace_folder, self)
        folder.setWordWrap(True)
        folder.setAccessibleName("Workspace folder")
        hint = QLabel("Window size and position are remembered on this computer. "
                      "Change the workspace with File → Open workspace…", self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow("&Evaluator name:", self.evaluator)
        form.addRow("&Organisation:", self.organisation)
        logo_label = QLabel("&Logo:", self)
        logo_label.setBuddy(self.logo)
        form.addRow(logo_label, logo_row)
        form.addRow("Workspace folder:", folder)
        if on_team is not None:
            self._team_text = team_summary or (lambda: "")
            self.team_summary = QLabel(self)
            self.team_summary.setAccessibleName("Team folder status")
            self.team_button = QPushButton("Team folder…", self)
            self.team_button.setToolTip("Join a folder your team syncs, see its members, trust a colleague's key")
            self.team_button.clicked.connect(on_team)
            self.team_button.clicked.connect(self._show_team)  # after the Team folder settings closed
            self._show_team()
            team_row = QHBoxLayout()
            team_row.addWidget(self.team_summary, 1)
            team_row.addWidget(self.team_button)
            form.addRow("Team folder:", team_row)
        form.addRow(hint)
        self.problem = QLabel(self)  # why the logo picked cannot be used (the dialog stays open)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        red = readable_on(QColor("#b00020"), self.palette().color(QPalette.ColorRole.Window), TEXT_CONTRAST)
        self.problem.setStyleSheet(f"color: {red.name()};")  # readable on a dark palette too
        self.problem.hide()
        form.addRow(self.problem)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(560, self.sizeHint().height())

    def _show_team(self, *_args: object) -> None:
        shown = self._team_text().removeprefix("Team: ")
        self.team_summary.setText(shown[:1].upper() + shown[1:])

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose logo", "", "Images (*.png *.jpg *.jpeg)")
        if name:
            self.logo.setText(name)

    def _remove(self) -> None:
        self._removed = True
        self.logo.clear()
        self.logo.setPlaceholderText("No logo (removed when you press OK)")
        self.remove_logo.setEnabled(False)

    def accept(self) -> None:
        """Close with the values, unless the logo picked cannot be used: then say why and stay open with
        everything typed (the organisation typed was lost with the dialog when the logo was refused)."""
        path = self.logo_file()
        if path is not None:
            try:
                read_logo(path)
            except ServiceError as exc:
                why = str(exc).removeprefix("The logo was not changed: ").rstrip()
                self.problem.setText(f"{why}{'' if why.endswith('.') else '.'} Choose another picture, or clear "
                                     "the Logo field; nothing was saved yet.")
                self.problem.show()
                self.resize(self.width(), max(self.height(), self.sizeHint().height()))
                self.logo.setFocus()
                self.logo.selectAll()
                return
        super().accept()

    def logo_file(self) -> str | None:
        """The picture typed or picked, to be copied in when saved (None: keep or remove the current one)."""
        return self.logo.text().strip() or None

    def values(self) -> AppSettings:
        """The settings as entered (validated when saved)."""
        keep = not self._removed
        return AppSettings.model_construct(evaluator=self.evaluator.text(), organisation=self.organisation.text(),
                                           logo_sha256=self._settings.logo_sha256 if keep else "",
                                           logo_name=self._settings.logo_name if keep else "")
