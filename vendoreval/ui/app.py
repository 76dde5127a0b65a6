"""Starts the desktop app: logging, QApplication, the workspace (opened off the UI thread), the main window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ..errors import UserError
from ..paths import data_dir as resolve_data_dir
from ..paths import log_dir
from ..services.backup import daily_backup
from ..services.settings import remember_workspace
from ..services.workspace import Workspace
from .failures import install_hooks, show_failure
from .main_window import MainWindow
from .messages import Messages
from .tasks import ThreadRunner

LOG_FILE = "vendoreval.log"


def setup_logging() -> Path:
    """A rotating log file in the user log folder (1 MB × 3); returns its path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path
               for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def application() -> QApplication:
    """The QApplication (created once), following the system palette and high-DPI scaling."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName("vendoreval")
    QCoreApplication.setApplicationName("vendoreval")
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("vendoreval")
    return app


def build_window(ws: Workspace, **kwargs: object) -> MainWindow:
    """The main window over an open workspace (collaborators may be injected, e.g. for tests)."""
    return MainWindow(ws, **kwargs)  # type: ignore[arg-type]


def run(data_dir: str | None, evaluator: str | None) -> int:
    """Open the workspace in ``data_dir`` (or the default) and run the app until the window closes."""
    log_path = setup_logging()
    app = application()
    folder = resolve_data_dir(data_dir)
    logging.getLogger(__name__).info("starting on %s (log %s)", folder, log_path)
    messages = Messages()
    try:
        ws = Workspace(folder, evaluator)
    except UserError as exc:
        logging.getLogger(__name__).warning("cannot open workspace %s: %s", folder, exc)
        QMessageBox.critical(None, "Cannot open workspace", f"{folder} could not be opened:\n\n{exc}")
        return 2
    except Exception as exc:
        show_failure(messages, None, f"Opening {folder}", exc)  # logged with its traceback, shown as a bug
        return 1
    try:
        remember_workspace(ws.data_dir)
    except OSError:
        pass
    backup_note = daily_backup(ws)
    window = build_window(ws, messages=messages, runner=ThreadRunner(app))
    # an exception nobody caught (in a slot, a timer, a thread) is logged and shown, and the app goes on
    hooks = install_hooks(lambda: window.messages, lambda: window if window.isVisible() else None)
    window.show()
    if backup_note:
        window.statusBar().showMessage(backup_note, 8000)
    try:
        return int(app.exec())
    finally:
        hooks.uninstall()
