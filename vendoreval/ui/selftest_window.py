"""The self-test's UI check: build the real main window over a workspace, wait for its first paint, close it."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer, qVersion
from PySide6.QtGui import QGuiApplication

from ..domain.text import plural
from ..services.workspace import Workspace
from .app import FirstPaint, show_main_window
from .messages import RecordingMessages
from .tasks import SyncRunner

#: The self-test fails when the window has not painted within this long.
PAINT_TIMEOUT_MS = 30_000


def check_main_window(ws: Workspace, tmp: Path) -> str:
    """Build, show, paint and close the main window (every page); returns one line for the self-test report."""
    # Settings go to the temporary folder: the self-test never touches the user's window layout.
    settings = QSettings(str(Path(tmp) / "qsettings.ini"), QSettings.Format.IniFormat)
    started = time.perf_counter()
    window = show_main_window(ws, messages=RecordingMessages(), runner=SyncRunner(), settings=settings)
    loop = QEventLoop()  # a local loop: app.quit() would close every window in Qt 6
    painted = FirstPaint(window, loop.quit)
    give_up = QTimer(loop, singleShot=True, interval=PAINT_TIMEOUT_MS)
    give_up.timeout.connect(loop.quit)
    give_up.start()
    loop.exec()
    give_up.stop()
    paint_ms = (time.perf_counter() - started) * 1000
    pages = len(window.pages)
    window.close()
    window.deleteLater()
    QCoreApplication.processEvents()
    if not painted.painted:
        raise RuntimeError(f"the main window was not painted within {PAINT_TIMEOUT_MS // 1000} s")
    return (f"main window with {plural(pages, 'page')} on Qt {qVersion()}, "
            f"platform '{QGuiApplication.platformName()}', "
            f"first paint after {paint_ms:.0f} ms")
