"""The one helper that runs long work off the UI thread and delivers results by signals.

Shaped after Anki's ``aqt.operations`` (``CollectionOp``/``QueryOp``): ``runner.run(work, on_done,
on_error)`` runs ``work`` in the background and calls ``on_done(result)`` or ``on_error(exc)`` on the UI
thread. Work that takes one argument gets a :class:`Token`: it reports progress with
``token.progress(text, fraction)`` and stops at ``token.check()`` (raising :class:`Cancelled`) once the
user pressed Cancel on the progress dialog, which then offers that button. A progress dialog appears
only when the work takes longer than PROGRESS_DELAY_MS. Requests given the same ``key`` coalesce: a
newer one supersedes the one running (asked to stop, its result dropped) and the one waiting (never
started), so while a weight is dragged only the latest comparison runs to the screen.

Work on a worker thread must not touch the UI thread's database connection (``threaded`` tells) nor
any widget: it reads through ``Workspace.reading()``, a read-only twin on its own connection.
A failure that is not a ``UserError`` is logged with its traceback in the worker, then delivered.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..errors import UserError
from ..services.workspace import Change, Workspace

log = logging.getLogger(__name__)

#: Work that takes less than this shows no progress dialog at all.
PROGRESS_DELAY_MS = 500
#: The progress dialog counts in this many steps when the work reports a fraction.
_STEPS = 1000

Work = Callable[..., Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Cancelled(Exception):
    """Raised by ``Token.check()`` in background work once it was cancelled; the work stops there."""


class Token:
    """Handed to background work that takes an argument: cancellation and progress, safe from any thread."""

    def __init__(self, on_progress: Callable[[str | None, float | None], None] | None = None) -> None:
        self._cancelled = threading.Event()
        self._on_progress = on_progress

    @property
    def cancelled(self) -> bool:
        """True once the user (or a newer request of the same kind) cancelled the work."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next ``check()`` (SQLite statements: ``Store.stopping_when``)."""
        self._cancelled.set()

    def check(self) -> None:
        """Raise Cancelled when the work was cancelled; call it between steps of long work."""
        if self._cancelled.is_set():
            raise Cancelled()

    def progress(self, text: str | None = None, fraction: float | None = None) -> None:
        """Say what the work is doing and/or how far it is (0 to 1); shown in the progress dialog."""
        if self._on_progress is not None:
            self._on_progress(text, fraction)


def takes_token(work: Work) -> bool:
    """True when ``work`` has a required positional parameter (it is then called with a Token)."""
    try:
        params = inspect.signature(work).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty for p in params)


def mark_logged(exc: BaseException) -> None:
    """Note that ``exc`` (and its traceback) is in the log already, so reporting it does not log it twice."""
    with contextlib.suppress(AttributeError, TypeError):
        exc.__vendoreval_logged__ = True  # type: ignore[attr-defined]


def was_logged(exc: BaseException) -> bool:
    """True when ``exc`` was logged with its traceback already."""
    return bool(getattr(exc, "__vendoreval_logged__", False))


def log_failure(exc: BaseException, what: str) -> None:
    """Log a failure once: a UserError as one line, anything else (a bug) with its traceback."""
    if was_logged(exc):
        return
    if isinstance(exc, UserError):
        log.warning("%s: %s", what or "background work", exc)
    else:
        log.error("%s failed (a bug)", what or "background work", exc_info=(type(exc), exc, exc.__traceback__))
    mark_logged(exc)


class Task:
    """A started request: cancel it, or ask whether it was cancelled or superseded."""

    def __init__(self, label: str = "", key: str | None = None,
                 on_progress: Callable[[str | None, float | None], None] | None = None) -> None:
        self.label, self.key = label, key
        self.token = Token(on_progress)
        self.superseded = False  # a newer request with the same key replaced it: its result is dropped
        self.finished = False

    @property
    def cancelled(self) -> bool:
        """True once cancelled (by the user, or because a newer request superseded it)."""
        return self.token.cancelled

    def cancel(self) -> None:
        """Ask the work to stop; its result, if it still comes, is dropped."""
        self.token.cancel()


class Runner(Protocol):
    """Runs ``work`` and calls ``on_done(result)`` or ``on_error(exc)`` on the UI thread."""

    threaded: bool  # True when work runs on another thread (it must then not touch the UI's connection)

    def run(self, work: Work, on_done: Done, on_error: Failed | None = None, *, label: str = "",
            parent: QWidget | None = None, key: str | None = None, dialog: bool = True,
            on_cancelled: Callable[[], None] | None = None) -> Task:
        """Start the work; ``key`` coalesces requests of one kind, ``dialog=False`` never shows progress."""


@contextlib.contextmanager
def reading(ws: Workspace, runner: Runner) -> Iterator[Workspace]:
    """The workspace background work reads from: a read-only twin when ``runner`` uses threads, else ``ws``."""
    if getattr(runner, "threaded", False):
        with ws.reading() as twin:
            yield twin
    else:
        yield ws


@contextlib.contextmanager
def writing(ws: Workspace, runner: Runner) -> Iterator[Workspace]:
    """The workspace background work writes through: its own, opened for the work, when ``runner`` uses
    threads (the UI's connection never crosses threads), else ``ws``.

    Listeners of ``ws`` do not hear of changes written through another connection: the caller
    announces them on the UI thread when the work is done (see ``announce_outside_change``).
    """
    if getattr(runner, "threaded", False):
        own = Workspace(ws.data_dir, ws.evaluator, busy_timeout_ms=ws.busy_timeout_ms, secrets=ws.secrets,
                        read_only=ws.read_only_reason)  # read-only by choice (another window) stays so
        try:
            yield own
        finally:
            own.close()
    else:
        yield ws


def announce_outside_change(ws: Workspace, runner: Runner, what: str) -> None:
    """After work wrote through its own connection: re-read the rubric library and tell ``ws``'s listeners."""
    if getattr(runner, "threaded", False):
        ws.library.reload()
        ws.notify(Change("workspace", what))


class SyncRunner:
    """Runs work immediately on the calling thread (for tests and tiny jobs)."""

    threaded = False

    def __init__(self) -> None:
        self.progress: list[tuple[str | None, float | None]] = []  # what work reported, for tests

    def run(self, work: Work, on_done: Done, on_error: Failed | None = None, *, label: str = "",
            parent: QWidget | None = None, key: str | None = None, dialog: bool = True,
            on_cancelled: Callable[[], None] | None = None) -> Task:
        """Run now; errors go to ``on_error`` (or propagate when there is none)."""
        task = Task(label, key, lambda text, fraction: self.progress.append((text, fraction)))
        try:
            result = work(task.token) if takes_token(work) else work()
        except Cancelled:
            task.finished = True
            if on_cancelled is not None:
                on_cancelled()
            return task
        except Exception as exc:
            task.finished = True
            log_failure(exc, label)
            if on_error is None:
                raise
            on_error(exc)
            return task
        task.finished = True
        on_done(result)
        return task


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(object, object)  # text or None, fraction or None


class _Job(QRunnable):
    def __init__(self, work: Work, task: Task, with_token: bool) -> None:
        super().__init__()
        self.work = work
        self.task = task
        self.with_token = with_token
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        work, self.work = self.work, _done_already  # drop the closure (and what it captured) once started
        token = self.task.token
        try:
            if token.cancelled:  # superseded or cancelled before it started
                raise Cancelled()
            result = work(token) if self.with_token else work()
        except Cancelled:
            with contextlib.suppress(RuntimeError):
                self.signals.cancelled.emit()
            return
        except Exception as exc:  # handed to the UI thread, never raised in the worker
            log_failure(exc, self.task.label)
            with contextlib.suppress(RuntimeError):  # the app quit while the work ran
                self.signals.failed.emit(exc)
            return
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(result)


def _done_already(*_args: object) -> None:
    """Stands in for a job's work after it ran, so the job keeps nothing alive."""


class ThreadRunner(QObject):
    """Runs work on a QThreadPool; a progress dialog (with Cancel for work that takes a token) after a delay."""

    threaded = True
    #: No work runs or waits any more (checked on the event-loop turn after the last result was handed
    #: over, so work a callback starts counts as still running).
    idle = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None,
                 unhandled: Failed | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        #: Gets failures of work started without ``on_error`` (the app's error reporter).
        self.unhandled: Failed = unhandled or _to_excepthook
        self._jobs: set[_Job] = set()
        self._running: dict[str, _Job] = {}  # key -> the job of that kind on a worker now
        self._waiting: dict[str, tuple[_Job, Callable[[], None]]] = {}  # key -> the newest request, not started

    def busy(self, key: str) -> bool:
        """True while a request with this key runs or waits."""
        return key in self._running or key in self._waiting

    def working(self) -> bool:
        """True while any work runs or waits."""
        return bool(self._jobs or self._waiting)

    def _check_idle(self) -> None:
        def check() -> None:
            if not self.working():
                self.idle.emit()

        QTimer.singleShot(0, self, check)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """At exit: cancel what waits or takes a token, then wait for the workers (True when all ended).

        Work still running on a pool thread while Python and Qt tear down can touch freed objects: a
        --quit-after-first-paint probe under load crashed with SIGSEGV once while the after-first-paint
        integrity check was still reading.
        """
        self._waiting.clear()
        for job in list(self._jobs):
            job.task.cancel()
        return bool(self.pool.waitForDone(timeout_ms))

    def run(self, work: Work, on_done: Done, on_error: Failed | None = None, *, label: str = "",
            parent: QWidget | None = None, key: str | None = None, dialog: bool = True,
            on_cancelled: Callable[[], None] | None = None) -> Task:
        """Start the work in the pool; callbacks run on the UI thread. Widgets are never touched by the work."""
        signals_box: list[_Signals] = []

        def progress(text: str | None, fraction: float | None) -> None:  # on the worker thread
            if signals_box:
                with contextlib.suppress(RuntimeError):
                    signals_box[0].progressed.emit(text, fraction)

        task = Task(label, key, progress)
        with_token = takes_token(work)
        job = _Job(work, task, with_token)
        signals_box.append(job.signals)
        self._jobs.add(job)
        dialogs: list[QProgressDialog] = []
        shown: dict[str, Any] = {"text": None, "fraction": None}
        timer = QTimer(self)
        timer.setSingleShot(True)

        def show_progress() -> None:
            if task.finished or task.cancelled:
                return
            d = QProgressDialog(label or "Working…", "Cancel" if with_token else "", 0, 0, parent)
            if not with_token:
                d.setCancelButton(None)
            else:
                d.canceled.connect(task.cancel)
            d.setWindowTitle("vendoreval")
            d.setMinimumDuration(0)
            d.setAutoClose(False)
            d.setAutoReset(False)
            dialogs.append(d)
            apply_progress(shown["text"], shown["fraction"])
            d.show()

        @Slot(object, object)
        def apply_progress(text: object, fraction: object) -> None:
            if text is not None:
                shown["text"] = text
            if fraction is not None:
                shown["fraction"] = fraction
            for d in dialogs:
                if isinstance(text, str):
                    d.setLabelText(text)
                if isinstance(fraction, int | float):
                    d.setRange(0, _STEPS)
                    d.setValue(max(0, min(_STEPS, round(float(fraction) * _STEPS))))

        def finish() -> None:
            # break every link between Qt and this job's closures, so nothing outlives the job
            task.finished = True
            timer.stop()
            with contextlib.suppress(RuntimeError, TypeError):
                timer.timeout.disconnect()
            timer.deleteLater()
            for d in dialogs:
                with contextlib.suppress(RuntimeError, TypeError):
                    d.canceled.disconnect()
                d.close()
                d.deleteLater()
            dialogs.clear()
            with contextlib.suppress(RuntimeError, TypeError):
                job.signals.done.disconnect()
                job.signals.failed.disconnect()
                job.signals.cancelled.disconnect()
                job.signals.progressed.disconnect()
            job.signals.deleteLater()
            signals_box.clear()
            self._jobs.discard(job)
            self._check_idle()  # on the next turn: after the callback, which may start more work
            if key is not None and self._running.get(key) is job:
                del self._running[key]
                waiting = self._waiting.pop(key, None)
                if waiting is not None:
                    next_job, start_next = waiting
                    self._running[key] = next_job
                    start_next()

        @Slot(object)
        def done(result: object) -> None:
            finish()
            if task.superseded or task.cancelled:
                if not task.superseded and on_cancelled is not None:
                    on_cancelled()
                return
            on_done(result)

        @Slot(object)
        def failed(exc: object) -> None:
            finish()
            if task.superseded:
                return  # logged in the worker; nobody waits for this result any more
            if on_error is not None:
                on_error(exc)  # type: ignore[arg-type]
            else:
                self.unhandled(exc)  # type: ignore[arg-type]

        @Slot()
        def cancelled() -> None:
            finish()
            if not task.superseded and on_cancelled is not None:
                on_cancelled()

        timer.timeout.connect(show_progress)
        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        job.signals.cancelled.connect(cancelled)
        job.signals.progressed.connect(apply_progress)

        def start() -> None:
            if dialog:
                timer.start(PROGRESS_DELAY_MS)
            self.pool.start(job)

        if key is None:
            start()
            return task
        older = self._waiting.pop(key, None)
        if older is not None:  # never started: drop it
            older_job = older[0]
            older_job.task.superseded = True
            older_job.task.cancel()
            older[1]()  # started only to finish at once (cancelled), which releases it
        running = self._running.get(key)
        if running is None:
            self._running[key] = job
            start()
        else:
            running.task.superseded = True
            running.task.cancel()
            self._waiting[key] = (job, start)
        return task


def _to_excepthook(exc: BaseException) -> None:
    """Where failures of work started without ``on_error`` go by default: the app's exception hook."""
    import sys

    sys.excepthook(type(exc), exc, exc.__traceback__)
