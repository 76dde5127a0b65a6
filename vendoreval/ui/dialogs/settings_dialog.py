"""Settings: evaluator name, organisation name and logo (used in board briefs)."""

from __future__ import annotations

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

from ...services.settings import AppSettings


class SettingsDialog(QDialog):
    """Edits AppSettings; the caller saves them through the settings service."""

    def __init__(self, settings: AppSettings, workspace_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.evaluator = QLineEdit(settings.evaluator, self)
        self.evaluator.setAccessibleName("Evaluator name")
        self.evaluator.setToolTip("Your name as it appears on scorecards and in the history")
        self.organisation = QLineEdit(settings.organisation, self)
        self.organisation.setAccessibleName("Organisation name")
        self.organisation.setPlaceholderText("Shown on board briefs")
        self.logo = QLineEdit(settings.logo_path, self)
        self.logo.setAccessibleName("Logo file")
        self.logo.setPlaceholderText("PNG or JPEG shown on board briefs")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose logo file")
        browse.setToolTip("Pick the logo image")
        browse.clicked.connect(self._browse)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
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
        form.addRow(hint)
        form.addRow(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose logo", "", "Images (*.png *.jpg *.jpeg)")
        if name:
            self.logo.setText(name)

    def values(self) -> AppSettings:
        """The settings as entered (validated when saved)."""
        return AppSettings.model_construct(evaluator=self.evaluator.text(), organisation=self.organisation.text(),
                                           logo_path=self.logo.text())
