"""Shared fixtures: an isolated home, a temporary workspace, and the CLI runner."""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: How long a test's teardown waits for background Qt jobs (brief export, totals) still running.
QT_JOBS_TIMEOUT_MS = 60_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    """Before a test's fixtures close its workspaces: wait for its background Qt jobs and deliver their results.

    Without this, under load a worker started by one test (brief export, overall scores) could deliver
    its result during the next test, which then failed with a pytest-qt "CALL ERROR" that was not its own.
    """
    if "PySide6.QtWidgets" in sys.modules:
        _wait_for_qt_jobs(item)
    return (yield)


@pytest.fixture(autouse=True)
def _qt_leftovers_deleted(request: pytest.FixtureRequest) -> Iterator[None]:
    """After the test (set up first, so torn down last): really delete the widgets it closed.

    pytest-qt closes a test's widgets and calls deleteLater(), but deferred deletes wait for an event
    loop that tests never run: closed windows stayed alive, subscribed to their workspace, with
    live timers and text-field event filters, until some later test's processEvents() or a garbage
    collection ran their code against a closed database, failing that later test. Deleting them here
    makes such errors (and Qt warnings) belong to the test that caused them.
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for w in QApplication.topLevelWidgets():
        if w.parentWidget() is None:  # menus and popups go with their window
            if w.isVisible():
                w.close()  # opened without qtbot.addWidget (closeEvent saves and closes its workspace)
            # also windows that ui.app.run() opened and closed: nothing else would ever delete them
            w.deleteLater()
    _wait_for_qt_jobs(request.node)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _wait_for_qt_jobs(item: pytest.Item) -> None:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    if not QThreadPool.globalInstance().waitForDone(QT_JOBS_TIMEOUT_MS):
        pytest.fail(f"{item.nodeid}: background Qt jobs still running {QT_JOBS_TIMEOUT_MS} ms after the test")
    app.processEvents()  # queued results of finished jobs


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own VENDOREVAL_HOME, so nothing touches the real user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("VENDOREVAL_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder."""
    d = tmp_path / "workspace"
    d.mkdir()
    return d


@pytest.fixture
def ws(data_dir: Path) -> Iterator[object]:
    """An open workspace in a temporary data folder, evaluator 'ann'."""
    from vendoreval.services import Workspace

    w = Workspace(data_dir, evaluator="ann")
    yield w
    w.close()


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path):  # type: ignore[no-untyped-def]
    """Run `vendoreval --data-dir <tmp> ARGS...` in-process; returns a CliResult."""
    from vendoreval.cli import main

    def run(*args: str, data: Path | None = None) -> CliResult:
        code = main(["--data-dir", str(data or data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
