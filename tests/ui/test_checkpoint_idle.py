"""The app checkpoints the database after a pause in changes (its own or another writer's), not in a commit."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from vendoreval.services.workspace import Workspace
from vendoreval.store.database import DB_FILENAME
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.session import CHECKPOINT_IDLE_MS


def _vendors_in_the_file_alone(data_dir: Path, tmp_path: Path) -> list[str]:
    copy = tmp_path / "file-alone.db"
    shutil.copy(data_dir / DB_FILENAME, copy)
    conn = sqlite3.connect(copy)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM vendors"))
    finally:
        conn.close()


def test_an_edit_reaches_the_database_file_after_a_pause(open_window: Callable[..., MainWindow], data_dir: Path,
                                                        tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(data_dir)
    session = window.session
    assert session.checkpoint_timer.interval() == CHECKPOINT_IDLE_MS and CHECKPOINT_IDLE_MS <= 5000
    session.checkpoint_timer.setInterval(200)
    ran: list[bool] = []
    real = session.checkpoint
    session.checkpoint_timer.timeout.disconnect()
    session.checkpoint_timer.timeout.connect(lambda: ran.append(real()))
    session.ws.checkpoint()  # what the window's opening wrote
    session.ws.vendors.create("Acme")
    assert session.checkpoint_timer.isActive()
    assert "Acme" not in _vendors_in_the_file_alone(data_dir, tmp_path)  # saved, in the log only
    qtbot.wait(100)
    session.ws.vendors.create("Bolt")  # another change within the pause: the checkpoint waits again
    qtbot.waitUntil(lambda: bool(ran), timeout=3000)
    assert ran == [True]
    assert _vendors_in_the_file_alone(data_dir, tmp_path) == ["Acme", "Bolt"]


def test_another_writers_commit_is_checkpointed_too(open_window: Callable[..., MainWindow], data_dir: Path,
                                                   tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = open_window(data_dir)
    session = window.session
    session.checkpoint_timer.setInterval(50)
    session.ws.checkpoint()  # what the window's opening wrote
    other = Workspace(data_dir, evaluator="bob")  # the command line, while the app is open
    try:
        other.vendors.create("Cedar")
        assert "Cedar" not in _vendors_in_the_file_alone(data_dir, tmp_path)
        assert session.poll_outside()
        assert session.checkpoint_timer.isActive()
        qtbot.waitUntil(lambda: not session.checkpoint_timer.isActive(), timeout=3000)
        assert "Cedar" in _vendors_in_the_file_alone(data_dir, tmp_path)
    finally:
        other.close()


def test_a_closed_session_does_not_checkpoint(open_window: Callable[..., MainWindow], data_dir: Path) -> None:
    window = open_window(data_dir)
    session = window.session
    session.ws.vendors.create("Acme")
    session.close()
    assert not session.checkpoint_timer.isActive()
    assert session.checkpoint() is False
