"""Starts the desktop app: logging, QApplication, the workspace, the main window.

`show_main_window` is the one way the main window is built and shown: by the app, by `--self-test` and by
`--quit-after-first-paint` (which exits as soon as the window has painted once: a start-up probe for CI
and benchmarks/bench_launch.py).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
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
from .recovery import check_integrity, open_or_recover
from .single_instance import claim_workspace
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


def show_main_window(ws: Workspace, **kwargs: object) -> MainWindow:
    """Build the main window over an open workspace and show it (the QApplication is created if needed)."""
    application()
    window = build_window(ws, **kwargs)
    window.show()
    return window


class FirstPaint(QObject):
    """Calls ``then()`` once, on the event loop's next turn after ``window`` received its first paint event.

    A real paint: the platform exposed the window and Qt drew it (offscreen, the backing store; under X11,
    after the server's Expose), not merely show() returning.
    """

    def __init__(self, window: QObject, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.painted = False
        self._then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch for the window's first QEvent.Paint; never consumes an event."""
        if event.type() == QEvent.Type.Paint and not self.painted:
            self.painted = True
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)  # after this paint has been drawn and flushed
        return False


def end_process(code: int) -> NoReturn:
    """End the process after the app ran (``run`` returned ``code``), without the interpreter's teardown.

    Everything meant to outlast the process is written by then: each edit was committed when it was made,
    the window's close flushed pending typing, synced QSettings (geometry, the last place) and closed the
    workspace. Qt's application object is still deleted here (its shutdown hands an X11 clipboard the user
    filled to the clipboard manager) and the atexit hooks run (``logging.shutdown`` flushes and closes the
    log; tempfile and ``weakref.finalize`` clean-ups). What is skipped is freeing each module's objects one
    by one and the final full garbage collection over the session's heap: on the 200-vendor workspace 60-70
    ms of CPU at every quit, a sixth of a whole launch (benchmarks/bench_launch.py), that nobody waits for.
    Instagram ends its Python processes the same way (``atexit.register(os._exit, 0)``).
    """
    app = QCoreApplication.instance()
    if app is not None:
        shiboken6.delete(app)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


#: How long --quit-after-first-paint waits for the paint before it gives up with exit code 1.
FIRST_PAINT_TIMEOUT_MS = 60_000


def run(data_dir: str | None, evaluator: str | None, *, quit_after_first_paint: bool = False,
        messages: Messages | None = None) -> int:
    """Open the workspace in ``data_dir`` (or the default) and run the app until the window closes.

    With ``quit_after_first_paint`` the same start-up runs and the window closes itself (saving as on any
    close) right after its first paint: exit 0, or 1 when it was not painted within FIRST_PAINT_TIMEOUT_MS.
    A workspace another window has open, or whose database is damaged, is asked about first (0: the user
    switched to the other window or quit).
    """
    started = time.perf_counter()
    log_path = setup_logging()
    app = application()
    folder = resolve_data_dir(data_dir)
    logging.getLogger(__name__).info("starting on %s (log %s)", folder, log_path)
    messages = messages or Messages()
    claim = claim_workspace(folder, messages)
    if claim is None:
        return 0
    try:
        ws = open_or_recover(folder, evaluator, messages, read_only=claim.read_only)
    except UserError as exc:
        claim.release()
        logging.getLogger(__name__).warning("cannot open workspace %s: %s", folder, exc)
        QMessageBox.critical(None, "Cannot open workspace", f"{folder} could not be opened:\n\n{exc}")
        return 2
    except Exception as exc:
        claim.release()
        show_failure(messages, None, f"Opening {folder}", exc)  # logged with its traceback, shown as a bug
        return 1
    if ws is None:
        claim.release()
        return 0
    remember_workspace(ws.data_dir)
    backup_note = daily_backup(ws)
    runner = ThreadRunner(app)
    window = build_window(ws, messages=messages, runner=runner)
    window.instance_claim = claim
    claim.watch(window)
    # an exception nobody caught (in a slot, a timer, a thread) is logged and shown, and the app goes on
    hooks = install_hooks(lambda: window.messages, lambda: window if window.isVisible() else None)
    window.show()
    if backup_note:
        window.notes.show(backup_note, 8000)
    if quit_after_first_paint:
        def painted_once() -> None:
            logging.getLogger(__name__).info("first paint after %.0f ms; quitting (--quit-after-first-paint)",
                                             (time.perf_counter() - started) * 1000)
            window.close()  # saves and closes as on any close; the last window closing ends exec() with 0

        painted = FirstPaint(window, painted_once)

        def give_up() -> None:
            if not painted.painted:
                print(f"vendoreval: the main window was not painted within {FIRST_PAINT_TIMEOUT_MS // 1000} s "
                      f"(platform '{QGuiApplication.platformName()}')", file=sys.stderr)
                app.exit(1)  # before close(): the last window closing would otherwise quit with 0
                window.close()

        QTimer.singleShot(FIRST_PAINT_TIMEOUT_MS, give_up)
    # after-first-paint work (installed last, so its filter runs first: the check starts before a probe quits)
    FirstPaint(window, lambda: check_integrity(window))
    try:
        return int(app.exec())
    finally:
        runner.shutdown()  # no worker may outlive the event loop (see ThreadRunner.shutdown)
        hooks.uninstall()
        if window.instance_claim is not None:
            window.instance_claim.release()
