"""The app with a damaged or emptied database, a read-only workspace, and a workspace another window has open."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.damage import backed_up_workspace, damage_a_page
from vendoreval.services import Workspace
from vendoreval.services import backup as backups
from vendoreval.services.instance_lock import LOCK_FILENAME, RAISE_FILENAME, InstanceLock
from vendoreval.ui import recovery, single_instance
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.widgets.read_only_banner import READ_ONLY_STATUS, ReadOnlyBanner


def _workspace(data_dir: Path, *names: str) -> Path:
    """A workspace with these vendors (and 30 claims each), closed, and a backup of it; returns the backup."""
    return backed_up_workspace(data_dir, names, 30)


def _names(data_dir: Path) -> list[str]:
    ws = Workspace(data_dir)
    try:
        return [v.name for v in ws.vendors.list()]
    finally:
        ws.close()


def _run(data_dir: Path, messages: RecordingMessages, until: Callable[[], bool] = lambda: True) -> tuple[int, list]:
    """Run the app on ``data_dir``; once a window is up and ``until()`` holds, close it. Returns the exit
    code and the vendor names the window showed when it was closed."""
    from vendoreval.ui.app import run

    seen: list[list[str]] = []
    running = [True]

    def close_when_ready() -> None:
        if not running[0]:
            return  # run() ended without a window (the user quit): stop looking
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or not until():
            QTimer.singleShot(50, close_when_ready)
            return
        for w in windows:
            seen.append([v.name for v in w.session.ws.vendors.list()])
            w.close()

    QTimer.singleShot(100, close_when_ready)
    try:
        return run(str(data_dir), "ann", messages=messages), seen
    finally:
        running[0] = False
        for h in list(logging.getLogger().handlers):
            if h.__class__.__name__ == "RotatingFileHandler":
                logging.getLogger().removeHandler(h)
                h.close()


# --- a 0-byte database at start -----------------------------------------------------------------

def test_a_zero_byte_database_offers_the_latest_backup_and_restores_it(data_dir: Path, qapp) -> None:
    _workspace(data_dir, "Acme AI", "Lumen Copy")
    (data_dir / "vendoreval.db").write_bytes(b"")
    messages = RecordingMessages(choices=[recovery.RESTORE])
    code, seen = _run(data_dir, messages)
    assert code == 0
    assert messages.offered[0] == [recovery.RESTORE, recovery.START_EMPTY, recovery.QUIT]
    assert "empty (0 bytes)" in messages.shown[0][2]
    assert seen == [["Acme AI", "Lumen Copy"]]
    assert [b.kind for b in backups.list_backups(data_dir)].count("damaged") == 1  # the 0-byte file is kept


def test_quit_leaves_the_zero_byte_file_as_it_was(data_dir: Path, qapp) -> None:
    _workspace(data_dir, "Acme AI")
    (data_dir / "vendoreval.db").write_bytes(b"")
    messages = RecordingMessages(choices=[recovery.QUIT])
    code, seen = _run(data_dir, messages)
    assert code == 0 and seen == []
    assert (data_dir / "vendoreval.db").stat().st_size == 0
    assert not (data_dir / LOCK_FILENAME).exists()


def test_start_empty_moves_the_file_aside(data_dir: Path, qapp) -> None:
    (data_dir / "vendoreval.db").write_bytes(b"")  # no backup: restore is not offered
    messages = RecordingMessages(choices=[recovery.START_EMPTY])
    code, seen = _run(data_dir, messages)
    assert code == 0 and seen == [[]]
    assert messages.offered[0] == [recovery.START_EMPTY, recovery.QUIT]
    assert "no good backup" in messages.shown[0][2]
    assert any("moved to" in text for kind, _t, text in messages.shown if kind == "info")


# --- the quick check after the first paint ------------------------------------------------------------

def test_the_check_integrity_finds_a_damaged_page_and_restores(open_window, data_dir: Path) -> None:
    _workspace(data_dir, "Acme AI", "Lumen Copy")
    damage_a_page(data_dir / "vendoreval.db", "claims")
    messages = RecordingMessages(choices=[recovery.RESTORE])
    window = open_window(data_dir, messages)  # it opens and lists: the damage is in the claims
    assert [v.name for v in window.session.ws.vendors.list()] == ["Acme AI", "Lumen Copy"]
    recovery.check_integrity(window)
    assert messages.offered == [[recovery.RESTORE, recovery.KEEP]]
    assert "found damage" in messages.shown[0][2]
    ws = window.session.ws
    assert ws.store.check_pages(full=True) == ["ok"]
    assert len(ws.claims.list(ws.vendors.find("Acme AI").id)) == 30


def test_keep_working_leaves_the_workspace_open(open_window, data_dir: Path) -> None:
    _workspace(data_dir, "Acme AI")
    damage_a_page(data_dir / "vendoreval.db", "claims")
    messages = RecordingMessages(choices=[recovery.KEEP])
    window = open_window(data_dir, messages)
    before = window.session.ws
    recovery.check_integrity(window)
    assert messages.offered == [[recovery.RESTORE, recovery.KEEP]]
    assert window.session.ws is before


def test_a_healthy_workspace_is_checked_without_a_word(open_window, data_dir: Path) -> None:
    _workspace(data_dir, "Acme AI")
    messages = RecordingMessages()
    recovery.check_integrity(open_window(data_dir, messages))
    assert messages.shown == []


def test_the_app_runs_the_check_after_its_first_paint(data_dir: Path, qapp) -> None:
    _workspace(data_dir, "Acme AI")
    damage_a_page(data_dir / "vendoreval.db", "claims")
    messages = RecordingMessages(choices=[recovery.KEEP])
    code, _seen = _run(data_dir, messages, until=lambda: bool(messages.offered))  # on a worker thread
    assert code == 0
    assert messages.offered == [[recovery.RESTORE, recovery.KEEP]]


# --- read-only ------------------------------------------------------------------------------------

def test_a_read_only_workspace_shows_a_banner_and_refuses_edits(open_window, data_dir: Path, tmp_path: Path) -> None:
    _workspace(data_dir, "Acme AI")
    messages = RecordingMessages()
    window = open_window(data_dir, messages, read_only="the data folder is read-only")
    banners = window.findChildren(ReadOnlyBanner)
    assert len(banners) == 1 and banners[0].isVisible()
    assert "data folder is read-only" in banners[0].label.text()
    assert window.saved_label.text() == READ_ONLY_STATUS
    window.resize(1100, 500)
    window.grab().save(str(tmp_path / "read-only.png"))
    assert window.session.attempt(lambda: window.session.ws.vendors.create("Nope"), "New vendor") is None
    assert "read-only" in messages.errors[-1]
    assert window.saved_label.text() == "Last change NOT saved"


def test_a_writable_workspace_has_no_banner(window) -> None:
    assert window.findChildren(ReadOnlyBanner) == []


# --- a second window on the same workspace ---------------------------------------------------------

@pytest.fixture
def other_window(data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A live process of this host holding the workspace's lock, as the first app window would."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    assert InstanceLock(data_dir, pid=proc.pid).acquire() is None
    yield proc
    proc.kill()
    proc.wait()


def test_the_second_window_is_told_and_can_open_read_only(data_dir: Path, other_window, qapp) -> None:
    _workspace(data_dir, "Acme AI")
    messages = RecordingMessages(choices=[single_instance.READ_ONLY])
    code, seen = _run(data_dir, messages)
    assert code == 0 and seen == [["Acme AI"]]
    assert messages.offered[0] == [single_instance.SWITCH, single_instance.READ_ONLY, single_instance.ANYWAY,
                                   single_instance.QUIT]
    assert f"process {other_window.pid}" in messages.shown[0][2]
    assert json.loads((data_dir / LOCK_FILENAME).read_text())["pid"] == other_window.pid  # still the first's


def test_open_read_only_gives_a_read_only_workspace(data_dir: Path, other_window) -> None:
    _workspace(data_dir, "Acme AI")
    claim = single_instance.claim_workspace(data_dir, RecordingMessages(choices=[single_instance.READ_ONLY]))
    assert claim is not None and claim.read_only and "another vendoreval window" in claim.read_only
    ws = Workspace(data_dir, read_only=claim.read_only)
    try:
        assert ws.read_only and [v.name for v in ws.vendors.list()] == ["Acme AI"]
    finally:
        ws.close()


def test_open_anyway_and_quit(data_dir: Path, other_window) -> None:
    anyway = single_instance.claim_workspace(data_dir, RecordingMessages(choices=[single_instance.ANYWAY]))
    assert anyway is not None and anyway.read_only is None and not anyway.lock.owned
    assert single_instance.claim_workspace(data_dir, RecordingMessages(choices=[single_instance.QUIT])) is None
    assert json.loads((data_dir / LOCK_FILENAME).read_text())["pid"] == other_window.pid


def test_switch_to_it_raises_the_first_window(qtbot, data_dir: Path, other_window) -> None:
    first = MainWindow(Workspace(data_dir, evaluator="ann"), messages=RecordingMessages())
    qtbot.addWidget(first)
    first.show()
    first.showMinimized()
    watcher = single_instance.RaiseWatcher(data_dir, first)
    got: list[object] = []
    asker = threading.Thread(target=lambda: got.append(single_instance.claim_workspace(
        data_dir, RecordingMessages(choices=[single_instance.SWITCH]), raise_timeout_s=20)))
    asker.start()
    qtbot.waitUntil(lambda: not asker.is_alive(), timeout=25000)
    assert got == [None]  # this start ends: the first window has the workspace
    assert not first.isMinimized()
    assert not (data_dir / RAISE_FILENAME).exists()
    watcher.stop()


def test_switch_to_a_window_that_does_not_answer_offers_the_rest(data_dir: Path, other_window) -> None:
    messages = RecordingMessages(choices=[single_instance.SWITCH, single_instance.READ_ONLY])
    claim = single_instance.claim_workspace(data_dir, messages, raise_timeout_s=0.2)
    assert claim is not None and claim.read_only
    assert messages.offered[1] == [single_instance.READ_ONLY, single_instance.ANYWAY, single_instance.QUIT]
    assert any("did not come to the front" in text for kind, _t, text in messages.shown if kind == "info")
    assert not (data_dir / RAISE_FILENAME).exists()


def test_a_stale_lock_is_taken_over_without_a_word(data_dir: Path, qapp) -> None:
    _workspace(data_dir, "Acme AI")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # an app that was killed: its pid is gone, its lock file stayed
    (data_dir / LOCK_FILENAME).write_text(json.dumps({"pid": dead.pid, "host": InstanceLock(data_dir).host}))
    messages = RecordingMessages()
    held: list[int] = []
    code, seen = _run(data_dir, messages,
                      until=lambda: held.append(json.loads((data_dir / LOCK_FILENAME).read_text())["pid"]) is None)
    assert code == 0 and seen == [["Acme AI"]]
    assert messages.shown == []
    import os

    assert held and held[-1] == os.getpid()  # the running app held it
    assert not (data_dir / LOCK_FILENAME).exists()  # and gave it back on closing


def test_a_copy_keeps_its_lock_apart(data_dir: Path, tmp_path: Path) -> None:
    """Locks belong to a folder: a copy of the workspace elsewhere opens without a question."""
    _workspace(data_dir, "Acme AI")
    assert InstanceLock(data_dir, pid=1, host="elsewhere").acquire() is None
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(LOCK_FILENAME))
    messages = RecordingMessages()
    claim = single_instance.claim_workspace(copy, messages)
    assert claim is not None and claim.lock.owned and messages.shown == []
    claim.release()


def test_background_writes_of_a_read_only_window_are_refused(data_dir: Path) -> None:
    """Work on a worker thread writes through its own connection: opened read-only as well, not writable
    because the folder happens to be (the window is read-only by choice, another window edits)."""
    from types import SimpleNamespace

    from vendoreval.services.workspace import ReadOnlyWorkspace
    from vendoreval.ui.tasks import writing

    _workspace(data_dir, "Acme AI")
    ws = Workspace(data_dir, read_only="another vendoreval window has it open")
    try:
        with writing(ws, SimpleNamespace(threaded=True)) as own:  # type: ignore[arg-type]
            assert own is not ws and own.read_only
            with pytest.raises(ReadOnlyWorkspace):
                own.vendors.create("Nope")
    finally:
        ws.close()
    assert _names(data_dir) == ["Acme AI"]


def test_opening_a_workspace_another_window_has_asks_and_checks_it(open_window, data_dir: Path, tmp_path: Path,
                                                                    other_window) -> None:
    """File → Open workspace… asks as a second start does, and runs the quick check on the one it opened."""
    mine = tmp_path / "mine"
    _workspace(mine, "Mine")
    _workspace(data_dir, "Theirs")
    damage_a_page(data_dir / "vendoreval.db", "claims")
    messages = RecordingMessages(choices=[single_instance.READ_ONLY, recovery.KEEP])
    window = open_window(mine, messages)
    window.commands.open_workspace(data_dir)
    ws = window.session.ws
    assert ws.data_dir == data_dir and ws.read_only
    assert window.findChildren(ReadOnlyBanner)
    assert messages.offered == [[single_instance.SWITCH, single_instance.READ_ONLY, single_instance.ANYWAY,
                                 single_instance.QUIT], [recovery.KEEP]]  # read-only: it cannot restore
    assert "cannot restore" in messages.shown[-1][2]
    assert json.loads((data_dir / LOCK_FILENAME).read_text())["pid"] == other_window.pid
