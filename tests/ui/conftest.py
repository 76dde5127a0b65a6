"""Fixtures for the desktop app tests: a window over a temp workspace with recorded messages and no threads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QtMsgType

from vendoreval.services.workspace import Workspace
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.tasks import SyncRunner

#: Qt messages that the offscreen platform prints and that say nothing about our code.
HARMLESS = ("propagateSizeHints", "QFont::setPointSize", "This plugin does not support")


@pytest.fixture(autouse=True)
def _fail_on_qt_warnings(qtlog: object) -> Iterator[None]:
    """A Qt warning (or worse) during a test fails it, like qutebrowser's suite."""
    yield
    bad = [r.message for r in qtlog.records  # type: ignore[attr-defined]
           if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)
           and not any(h in r.message for h in HARMLESS)]
    assert not bad, f"Qt warnings: {bad}"


@pytest.fixture
def open_window(qtbot: object, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """Open a main window on a data folder (evaluator 'ann'); windows still open are closed at the end."""
    windows: list[MainWindow] = []

    def make(data_dir: Path, messages: RecordingMessages | None = None, **ws_kwargs: object) -> MainWindow:
        ws = Workspace(data_dir, evaluator="ann", **ws_kwargs)  # type: ignore[arg-type]
        settings = QSettings(str(tmp_path / "qsettings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ws, messages=messages or RecordingMessages(), runner=SyncRunner(), settings=settings)
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=10000)  # type: ignore[attr-defined]
        windows.append(window)
        return window

    yield make
    for w in windows:
        if w.isVisible():
            w.close()


@pytest.fixture
def window(open_window: Callable[..., MainWindow], data_dir: Path) -> MainWindow:
    """A window on an empty workspace."""
    return open_window(data_dir)


def rows(model: object) -> list[object]:
    """The rows of one of our RowsModels."""
    return model.rows()  # type: ignore[attr-defined,no-any-return]
