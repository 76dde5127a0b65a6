"""The self-test's UI check: build the real main window offscreen over a workspace, show it, close it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, qVersion
from PySide6.QtGui import QGuiApplication

from ..services.workspace import Workspace
from .app import application, build_window
from .messages import RecordingMessages
from .tasks import SyncRunner


def check_main_window(ws: Workspace, tmp: Path) -> str:
    """Build, show and close the main window (every page); returns one line for the self-test report."""
    application()
    # Settings go to the temporary folder: the self-test never touches the user's window layout.
    settings = QSettings(str(Path(tmp) / "qsettings.ini"), QSettings.Format.IniFormat)
    window = build_window(ws, messages=RecordingMessages(), runner=SyncRunner(), settings=settings)
    window.show()
    QCoreApplication.processEvents()
    pages = len(window.pages)
    window.close()
    window.deleteLater()
    QCoreApplication.processEvents()
    return f"main window with {pages} pages on Qt {qVersion()}, platform '{QGuiApplication.platformName()}'"
