"""The one helper that runs long work off the UI thread and delivers results by signals."""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

#: Work that takes less than this shows no progress dialog at all.
PROGRESS_DELAY_MS = 500


class Runner(Protocol):
    """Runs ``work`` and calls ``on_done(result)`` or ``on_error(exc)`` on the UI thread."""

    threaded: bool  # True when work runs on another thread (it must then not touch the UI's connection)

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, *, label: str = "",
            parent: QWidget | None = None) -> None:
        """Start the work."""


class SyncRunner:
    """Runs work immediately on the calling thread (for tests and tiny jobs)."""

    threaded = False

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, *, label: str = "",
            parent: QWidget | None = None) -> None:
        """Run now; errors go to ``on_error`` (or propagate when there is none)."""
        try:
            result = work()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        on_done(result)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        work, self.work = self.work, _done_already  # drop the closure (and what it captured) once started
        try:
            result = work()
        except Exception as exc:  # handed to the UI thread, never raised in the worker
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            with contextlib.suppress(RuntimeError):  # the app quit while the work ran
                self.signals.failed.emit(exc)
            return
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(result)


def _done_already() -> None:
    """Stands in for a job's work after it ran, so the job keeps nothing alive."""


class ThreadRunner(QObject):
    """Runs work on a QThreadPool; a progress dialog appears only after PROGRESS_DELAY_MS."""

    threaded = True

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._jobs: set[_Job] = set()

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None, *, label: str = "",
            parent: QWidget | None = None) -> None:
        """Start the work in the pool; callbacks run on the UI thread. Widgets are never touched by the work."""
        job = _Job(work)
        self._jobs.add(job)
        dialog: list[QProgressDialog] = []
        timer = QTimer(self)
        timer.setSingleShot(True)

        def show_progress() -> None:
            d = QProgressDialog(label or "Working…", "", 0, 0, parent)
            d.setCancelButton(None)
            d.setWindowTitle("vendoreval")
            d.setMinimumDuration(0)
            d.show()
            dialog.append(d)

        def finish() -> None:
            # break every link between Qt and this job's closures, so nothing outlives the job
            timer.stop()
            with contextlib.suppress(RuntimeError, TypeError):
                timer.timeout.disconnect()
            timer.deleteLater()
            for d in dialog:
                d.close()
                d.deleteLater()
            dialog.clear()
            with contextlib.suppress(RuntimeError, TypeError):
                job.signals.done.disconnect()
                job.signals.failed.disconnect()
            job.signals.deleteLater()
            self._jobs.discard(job)

        @Slot(object)
        def done(result: object) -> None:
            finish()
            on_done(result)

        @Slot(object)
        def failed(exc: object) -> None:
            finish()
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]

        timer.timeout.connect(show_progress)
        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        timer.start(PROGRESS_DELAY_MS)
        self.pool.start(job)
