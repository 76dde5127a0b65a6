"""The background-work helper: results on the UI thread, progress, Cancel, superseded requests, logged failures."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from vendoreval.errors import UserError
from vendoreval.ui import tasks
from vendoreval.ui.tasks import Cancelled, SyncRunner, ThreadRunner, Token, takes_token

#: How long a test's worker may wait for the test to release it (never reached when the test passes).
RELEASE_S = 10


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_results_and_errors_arrive_on_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    worker: list[str] = []
    delivered: list[tuple[object, bool]] = []

    def work() -> int:
        worker.append(threading.current_thread().name)
        return 42

    runner.run(work, lambda r: delivered.append((r, threading.current_thread() is threading.main_thread())))
    qtbot.waitUntil(lambda: bool(delivered), timeout=10_000)
    assert delivered == [(42, True)]
    assert worker and worker[0] != threading.main_thread().name


def test_the_progress_dialog_waits_half_a_second_then_shows_progress_and_cancel(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 300)
    runner = ThreadRunner()
    half_way = threading.Event()
    outcome: list[str] = []

    def work(token: Token) -> str:
        token.progress("Hashing report.pdf…", 0.5)
        half_way.set()
        end = time.monotonic() + RELEASE_S
        while time.monotonic() < end:
            token.check()  # raises Cancelled once the user pressed Cancel
            time.sleep(0.005)
        return "finished"

    started = time.monotonic()
    runner.run(work, lambda r: outcome.append(r), on_cancelled=lambda: outcome.append("cancelled"),
               label="Attaching evidence…")
    assert half_way.wait(RELEASE_S)
    qtbot.wait(100)
    assert not _progress_dialogs(), "no dialog for work that may still finish quickly"
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5_000)
    assert time.monotonic() - started >= 0.27  # a coarse timer may fire up to 5 % early
    dialog = _progress_dialogs()[0]
    qtbot.waitUntil(lambda: dialog.labelText() == "Hashing report.pdf…", timeout=5_000)
    assert (dialog.maximum(), dialog.value()) == (1000, 500)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5_000)
    qtbot.waitUntil(lambda: not _progress_dialogs(), timeout=5_000)


def test_work_without_a_token_gets_no_cancel_button(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)
    runner = ThreadRunner()
    release = threading.Event()
    got: list[object] = []
    runner.run(lambda: release.wait(RELEASE_S), got.append, label="Opening…")
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5_000)
    assert not [b for b in _progress_dialogs()[0].findChildren(QPushButton) if b.isVisible()]
    release.set()
    qtbot.waitUntil(lambda: got == [True], timeout=5_000)
    qtbot.waitUntil(lambda: not _progress_dialogs(), timeout=5_000)


def test_quick_work_never_shows_a_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    got: list[object] = []
    runner.run(lambda: "quick", got.append, label="Quick")
    qtbot.waitUntil(lambda: got == ["quick"], timeout=5_000)
    qtbot.wait(tasks.PROGRESS_DELAY_MS + 100)
    assert not _progress_dialogs()


def test_a_newer_request_of_the_same_kind_supersedes_older_ones(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    release = threading.Event()
    ran: list[str] = []
    delivered: list[str] = []
    first_cancelled: list[bool] = []

    def slow(token: Token) -> str:
        ran.append("first")
        release.wait(RELEASE_S)
        first_cancelled.append(token.cancelled)
        return "first"

    def make(name: str):  # type: ignore[no-untyped-def]
        def work() -> str:
            ran.append(name)
            return name
        return work

    first = runner.run(slow, delivered.append, key="compare")
    qtbot.waitUntil(lambda: ran == ["first"], timeout=5_000)
    second = runner.run(make("second"), delivered.append, key="compare")
    third = runner.run(make("third"), delivered.append, key="compare")
    assert runner.busy("compare")
    release.set()
    qtbot.waitUntil(lambda: delivered == ["third"], timeout=5_000)
    assert ran == ["first", "third"], "the request that was waiting when a newer one came never ran"
    assert first_cancelled == [True] and first.superseded and second.superseded and not third.superseded
    qtbot.waitUntil(lambda: not runner.busy("compare"), timeout=5_000)
    assert not runner._jobs


def test_requests_of_other_kinds_do_not_supersede_each_other(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    got: list[str] = []
    runner.run(lambda: "a", got.append, key="compare")
    runner.run(lambda: "b", got.append, key="consensus")
    runner.run(lambda: "c", got.append)
    qtbot.waitUntil(lambda: sorted(got) == ["a", "b", "c"], timeout=5_000)


def test_a_worker_failure_is_logged_with_its_traceback_then_delivered(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    errors: list[tuple[BaseException, bool]] = []

    def broken() -> None:
        raise RuntimeError("the analysis broke")

    with caplog.at_level(logging.INFO, logger="vendoreval.ui.tasks"):
        runner.run(broken, print, lambda e: errors.append((e, threading.current_thread() is threading.main_thread())),
                   label="Comparing the vendors")
        qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    exc, on_ui_thread = errors[0]
    assert isinstance(exc, RuntimeError) and on_ui_thread
    record = next(r for r in caplog.records if "Comparing the vendors" in r.getMessage())
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "the analysis broke" in caplog.text and "Traceback" in caplog.text and "in broken" in caplog.text


def test_a_user_error_in_a_worker_is_logged_in_one_line(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    errors: list[BaseException] = []

    def refused() -> None:
        raise UserError("report.pdf: over the 100 MB limit")

    with caplog.at_level(logging.INFO, logger="vendoreval.ui.tasks"):
        runner.run(refused, print, errors.append, label="Attaching evidence")
        qtbot.waitUntil(lambda: bool(errors), timeout=5_000)
    assert "Traceback" not in caplog.text
    assert any(r.levelno == logging.WARNING and "100 MB" in r.getMessage() for r in caplog.records)


def test_a_failure_nobody_handles_goes_to_the_unhandled_sink(qtbot) -> None:  # type: ignore[no-untyped-def]
    sink: list[BaseException] = []
    runner = ThreadRunner(unhandled=sink.append)
    runner.run(lambda: 1 / 0, print)
    qtbot.waitUntil(lambda: bool(sink), timeout=5_000)
    assert isinstance(sink[0], ZeroDivisionError)


def test_sync_runner_passes_a_token_and_reports_cancel() -> None:
    runner = SyncRunner()
    seen: list[object] = []

    def work(token: Token) -> str:
        token.progress("half", 0.5)
        return "done"

    runner.run(work, seen.append)
    assert seen == ["done"] and runner.progress == [("half", 0.5)]

    def cancelled(token: Token) -> None:
        raise Cancelled()

    runner.run(cancelled, seen.append, on_cancelled=lambda: seen.append("cancelled"))
    assert seen == ["done", "cancelled"]
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0, print)


def test_which_work_gets_a_token() -> None:
    def with_token(token: Token) -> None: ...

    def keyword_default(p: object = None) -> None: ...

    assert takes_token(with_token) and takes_token(lambda t: t)
    assert not takes_token(lambda: 1) and not takes_token(keyword_default) and not takes_token(lambda p=1: p)


def test_shutdown_cancels_and_waits_for_the_workers(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading
    import time as _time

    from PySide6.QtCore import QThreadPool

    runner = ThreadRunner(pool=QThreadPool())
    started, ended = threading.Event(), threading.Event()

    def work(token) -> str:  # type: ignore[no-untyped-def]
        started.set()
        while not token.cancelled:
            _time.sleep(0.01)
        ended.set()
        return "stopped"

    runner.run(work, lambda _r: None, lambda _e: None, dialog=False)
    assert started.wait(5)
    assert runner.shutdown(5000) is True  # the token was cancelled and the worker ended before it returned
    assert ended.is_set()


def test_idle_is_announced_once_when_work_started_by_a_callback_has_ended_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = ThreadRunner()
    events: list[str] = []
    runner.idle.connect(lambda: events.append("idle"))

    def second(result: object) -> None:
        events.append(f"second {result}")

    def first(result: object) -> None:
        events.append(f"first {result}")
        runner.run(lambda: 2, second)  # started from the first result: the runner is not idle in between

    runner.run(lambda: 1, first)
    assert runner.working()
    qtbot.waitUntil(lambda: "idle" in events, timeout=10_000)
    qtbot.wait(50)
    assert events == ["first 1", "second 2", "idle"] and not runner.working()


CHILD = r"""
import gc, sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from vendoreval.services.workspace import Workspace
from vendoreval.ui.app import application
from vendoreval.ui.heap import HELD_THRESHOLD, hold_full_collections, launch_heap_frozen
from vendoreval.ui.main_window import MainWindow
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.tasks import ThreadRunner

data = Path(sys.argv[1])
original = gc.get_threshold()
hold_full_collections()  # as the app's start does
app = application()
runner = ThreadRunner(app)
frozen_while = []
held = []
runner.idle.connect(lambda: frozen_while.append(launch_heap_frozen()))
runner.idle.connect(lambda: held.append(gc.isenabled() and gc.get_threshold()[2] == HELD_THRESHOLD))
window = MainWindow(Workspace(data, "Evaluator A"), messages=RecordingMessages(), runner=runner,
                   settings=QSettings(str(data.parent / "q.ini"), QSettings.Format.IniFormat))
before_show = launch_heap_frozen()
off_before_show = not gc.isenabled()
window.show()
end = time.monotonic() + 60
while not launch_heap_frozen() and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
print("before-show", before_show, "painted", window.painted, "frozen", launch_heap_frozen(),
      "working", runner.working(), "count", gc.get_freeze_count(), "off-before-show", off_before_show,
      "held-until-freeze", bool(held) and held[0], "restored", gc.isenabled() and gc.get_threshold() == original)
"""


def test_the_launch_heap_is_frozen_once_the_window_painted_and_its_background_work_ended(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A child process (the freeze is once per process): see vendoreval/ui/heap.py for why and the figures."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = tmp_path / "ws"
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VENDOREVAL_HOME": str(tmp_path / "home"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    made = subprocess.run([sys.executable, "-m", "vendoreval", "--data-dir", str(data), "demo"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    proc = subprocess.run([sys.executable, "-c", CHILD, str(data)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    words = proc.stdout.split()
    assert words[:8] == ["before-show", "False", "painted", "True", "frozen", "True", "working", "False"], proc.stdout
    assert int(words[9]) > 10_000  # the modules, pages and loaded workspace: out of the full collections
    # start-up without the collector; from the first paint the young generations, full passes after the freeze
    assert words[10:] == ["off-before-show", "True", "held-until-freeze", "True", "restored", "True"], proc.stdout
