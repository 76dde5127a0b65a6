"""Quitting: the process ends without the interpreter's teardown, and never waits for the quick check."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.damage import backed_up_workspace
from vendoreval.services import Workspace
from vendoreval.store.store import Store
from vendoreval.ui import recovery
from vendoreval.ui.tasks import ThreadRunner, Token

ROOT = Path(__file__).resolve().parents[2]
#: A statement that counts far enough to run for many seconds (ended early only by an interrupt).
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000000) SELECT count(*) FROM c"


def _child(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)


def test_end_process_runs_the_exit_hooks_flushes_and_exits_with_the_code(tmp_path: Path) -> None:
    proc = _child(
        "import atexit, logging, sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        f"logging.basicConfig(filename={str(tmp_path / 'app.log')!r})\n"
        "logging.getLogger('t').warning('the last line of the log')\n"
        "atexit.register(lambda: print('exit hooks ran'))\n"
        "sys.stdout.write('written, not flushed; ')\n"
        "from vendoreval.ui.app import end_process\n"
        "end_process(3)\n"
        "print('after end_process')\n", tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == "written, not flushed; exit hooks ran\n"
    assert "the last line of the log" in (tmp_path / "app.log").read_text(encoding="utf-8")


def test_the_app_process_ends_with_its_settings_and_workspace_written(tmp_path: Path) -> None:
    """The real entry point: what the window's close writes is on disk after the fast end."""
    data = tmp_path / "ws"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOREVAL_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "vendoreval", "--quit-after-first-paint", "--data-dir", str(data)],
                          env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    settings = (tmp_path / "config" / "vendoreval" / "vendoreval.conf").read_text(encoding="utf-8")
    assert "geometry=" in settings  # QSettings synced by the window's close
    alone = tmp_path / "copied" / "vendoreval.db"  # the database file copied without its -wal and -shm
    alone.parent.mkdir()
    shutil.copyfile(data / "vendoreval.db", alone)
    with contextlib.closing(sqlite3.connect(alone)) as copy:  # the log was checkpointed into the file
        assert copy.execute("SELECT count(*) FROM sqlite_master WHERE name = 'vendors'").fetchone()[0] == 1
        assert copy.execute("PRAGMA user_version").fetchone()[0] > 0
    assert "quitting (--quit-after-first-paint)" in (tmp_path / "home" / "logs" / "vendoreval.log").read_text(
        encoding="utf-8")


def test_main_returns_to_a_caller_after_the_app_ran(tmp_path: Path) -> None:
    """Only the process entry (``entry``) ends the process: scripts and tests calling ``main`` go on."""
    env_code = (
        "import sys\n"
        "from vendoreval.cli import main\n"
        f"rc = main(['--quit-after-first-paint', '--data-dir', {str(tmp_path / 'ws')!r}])\n"
        "print('main returned', rc)\n")
    proc = _child(f"import os\nos.environ['VENDOREVAL_HOME'] = {str(tmp_path / 'home')!r}\n"
                  f"os.environ['XDG_CONFIG_HOME'] = {str(tmp_path / 'config')!r}\n" + env_code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "main returned 0" in proc.stdout


def _long_statement(store: Store, token: Token, outcome: list[object], started: threading.Event) -> None:
    try:
        with store.stopping_when(lambda: token.cancelled):
            started.set()
            outcome.append(store.db.execute(ENDLESS).fetchone()[0])
    except sqlite3.OperationalError as exc:  # SQLITE_INTERRUPT (the store's reads turn it into a StoreError)
        outcome.append(exc)


@pytest.mark.parametrize("wait_s", [0.0, 0.2])
def test_a_cancel_stops_the_sqlite_statement_running_inside_stopping_when(data_dir: Path, wait_s: float) -> None:
    """Cancelled before the statement started or while it runs: it ends at once; the connection works on."""
    ws = Workspace(data_dir)
    try:
        token, outcome, started = Token(), [], threading.Event()
        worker = threading.Thread(target=_long_statement, args=(ws.store, token, outcome, started))
        worker.start()
        assert started.wait(10)
        time.sleep(wait_s)
        cancelled_at = time.perf_counter()
        token.cancel()
        worker.join(30)
        assert not worker.is_alive()
        assert time.perf_counter() - cancelled_at < 2
        assert len(outcome) == 1 and isinstance(outcome[0], sqlite3.OperationalError)
        assert outcome[0].sqlite_errorcode == sqlite3.SQLITE_INTERRUPT
        assert ws.store.db.execute("SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2)").fetchone()[0] == 2
    finally:
        ws.close()


def test_quitting_does_not_wait_for_the_quick_check(open_window, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A check of a large workspace (here: one statement that runs for many seconds) is interrupted when
    the app quits, without a warning in the log; the check runs again at the next start."""
    backed_up_workspace(data_dir, ("Acme AI",), 3)
    running = threading.Event()

    def slow_check(self: Store, *, full: bool = False, limit: int = 20) -> list[str]:
        running.set()
        with self._reading():
            self.db.execute(ENDLESS).fetchone()
        return ["ok"]

    monkeypatch.setattr(Store, "check_pages", slow_check)
    window = open_window(data_dir)
    runner = ThreadRunner()
    window.session.runner = runner
    recovery.check_integrity(window)
    assert running.wait(10)
    started = time.perf_counter()
    with caplog.at_level(logging.INFO, logger="vendoreval"):
        assert runner.shutdown(timeout_ms=20_000)
    assert time.perf_counter() - started < 3
    assert not [r for r in caplog.records if "quick check" in r.getMessage()]
