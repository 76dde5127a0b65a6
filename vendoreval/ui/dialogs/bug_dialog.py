"""The "this is a bug" dialog: says the failure is the app's fault, and where the log with the details is."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..colours import mute


class BugDialog(QDialog):
    """A failure that is not the user's doing: what failed, that it is a bug, the log folder to send."""

    def __init__(self, title: str, text: str, log_folder: Path, parent: QWidget | None = None,
                 open_url: Callable[[QUrl], object] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.log_folder = log_folder
        #: Opens the folder with the desktop's file manager; tests replace it.
        self.open_url = open_url or QDesktopServices.openUrl
        icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel(
            f"<b>{_escape(text)}</b><br><br>This is a bug in vendoreval, not something you did; what was "
            "saved before stays saved. The details (a traceback) are in the log file: please send the newest "
            "file in the log folder, with a note of what you were doing.", self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("What went wrong")
        self.path = QLineEdit(str(log_folder), self)
        self.path.setReadOnly(True)
        self.path.setAccessibleName("Log folder")
        self.copy_button = QPushButton("&Copy path", self)
        self.copy_button.setToolTip("Copy the log folder's path to the clipboard")
        self.open_button = QPushButton("&Open log folder", self)
        self.copy_button.clicked.connect(self.copy_path)
        self.open_button.clicked.connect(self.open_folder)
        path_row = QHBoxLayout()
        folder_label = QLabel("Log folder:", self)
        mute(folder_label)
        path_row.addWidget(folder_label)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.copy_button)
        path_row.addWidget(self.open_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(path_row)
        layout.addWidget(buttons)
        self.resize(620, self.sizeHint().height())

    def copy_path(self) -> None:
        """Put the log folder's path on the clipboard."""
        QGuiApplication.clipboard().setText(str(self.log_folder))
        self.copy_button.setText("Copied")

    def open_folder(self) -> None:
        """Show the log folder in the file manager."""
        self.log_folder.mkdir(parents=True, exist_ok=True)
        if not self.open_url(QUrl.fromLocalFile(str(self.log_folder))):  # no file manager: the path is the help
            self.path.selectAll()
            self.path.setFocus()


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")
