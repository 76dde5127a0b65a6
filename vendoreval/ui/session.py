"""One open workspace in the app: runs edits through the services, reports failures, records undo steps."""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from ..errors import UserError
from ..services.outside import OutsideWrites
from ..services.workspace import Change, StaleEdit, Workspace
from ..store.database import DatabaseLocked, StoreError
from .failures import bug_text, show_failure, user_text
from .heap import collect_young_again, freeze_launch_heap, launch_heap_frozen, release_full_collections
from .messages import Messages
from .tasks import Runner, SyncRunner, ThreadRunner

if TYPE_CHECKING:
    from .widgets.autosave import AutoSave

log = logging.getLogger(__name__)
T = TypeVar("T")

#: How often the app asks whether another writer (window, command line, import) committed: cheap, and
#: what they wrote shows up within about a second.
POLL_MS = 1000
#: The launch's background work frees the collector's full passes when it ends, or after this long at most.
SETTLE_AT_MOST_MS = 30_000

#: After the last committed change (this window's or another writer's), the app waits this long without
#: another one, then checkpoints the database's write-ahead log (store/database.py ``checkpoint``): a commit
#: does not pay for it, and what was saved is on the disk for good within seconds.
CHECKPOINT_IDLE_MS = 2000

#: The end of a status-bar note about an edit that did not happen.
NOT_SAVED_SHORT = "not saved"


def busy_text(ws: Workspace, exc: BaseException) -> str:
    """What the "data folder is busy" question says: who may hold it, that nothing was written, what to do."""
    seconds = ws.busy_timeout_ms / 1000
    return (f"The data folder {ws.data_dir} is busy: another vendoreval window, the command line or an import is "
            f"writing to it and did not finish within {seconds:g} s.\n\nNothing was saved and nothing is "
            "half-written. Retry runs the same command again; Cancel drops it.")


class DataFolderMissing(StoreError):
    """The workspace's data folder or database file is gone (moved, deleted, unmounted)."""


class _ServiceCommand(QUndoCommand):
    """An edit already made through the services; undo/redo call the inverse operations."""

    def __init__(self, session: Session, text: str, redo: Callable[[], Any], undo: Callable[[], Any]) -> None:
        super().__init__(text)
        self.session = session
        self._redo, self._undo = redo, undo
        self._first = True

    def redo(self) -> None:
        if self._first:  # the edit was made before the command was pushed
            self._first = False
            return
        self.session.attempt(self._redo, f"Redo {self.text()}")

    def undo(self) -> None:
        self.session.attempt(self._undo, f"Undo {self.text()}")


class Session(QObject):
    """The workspace plus what the UI needs around it: undo stack, messages, task runner, save state."""

    changed = Signal(object)  # a services Change, after it is committed
    saved = Signal()  # an edit was committed
    failed = Signal(str)  # an edit was refused; the text says why
    said = Signal(str)  # something done that is not an edit, worth a word in the status bar ('Saved … to …')
    typing = Signal()  # a text field holds typing that will be saved after a pause or on leaving it
    open_scorecard = Signal(str)  # a view asks the main window to show a scorecard in the editor

    def __init__(self, ws: Workspace, *, messages: Messages | None = None, runner: Runner | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.messages = messages or Messages()
        self.runner: Runner = runner or SyncRunner()
        self.undo_stack = QUndoStack(self)
        self.dialog_parent: QWidget | None = None
        self._autosaves: weakref.WeakSet[AutoSave] = weakref.WeakSet()
        self.closed = False
        #: False from ``hold_until_painted`` until the window showing this session has painted once: background
        #: work queued with ``after_paint`` waits for it, so it does not compete with the launch's first paint.
        self.painted = True
        self._after_paint: list[Callable[[], None]] = []
        ws.subscribe(self._on_change)
        self.outside = OutsideWrites(ws)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_outside)
        self.poll_timer.start()
        self.checkpoint_timer = QTimer(self)
        self.checkpoint_timer.setSingleShot(True)
        self.checkpoint_timer.setInterval(CHECKPOINT_IDLE_MS)
        self.checkpoint_timer.timeout.connect(self.checkpoint)
        self.changed.connect(self._checkpoint_later)  # queued to this thread when a worker commits

    def _checkpoint_later(self, _change: Change) -> None:
        if not self.closed:
            self.checkpoint_timer.start()  # restarted by each change: the checkpoint waits for a pause

    def checkpoint(self) -> bool:
        """Checkpoint the write-ahead log now (PASSIVE: it waits for no reader or writer; background work writes
        through connections of its own, so this one is never in use on another thread).

        True when it ran. A failure (the folder went away, a disk error) is logged: the log stays, and the
        next close or checkpoint copies it.
        """
        if self.closed:
            return False
        try:
            done = self.ws.checkpoint()
        except Exception as exc:
            log.warning("checkpointing the database failed: %s", exc, exc_info=True)
            return False
        return done is not None

    def _on_change(self, change: Change) -> None:
        self.changed.emit(change)

    def poll_outside(self) -> bool:
        """Refresh the pages when another writer committed (PRAGMA data_version); True when one had."""
        if self.closed:
            return False
        try:
            return self.outside.poll()
        except Exception as exc:  # the folder went away, a page failed to re-read: logged, asked again later
            log.warning("checking for other writers' changes failed: %s", exc, exc_info=True)
            return False

    def hold_until_painted(self) -> None:
        """The main window, not painted yet: threaded work queued with ``after_paint`` waits for ``window_painted``."""
        if self.runner.threaded:
            self.painted = False

    def after_paint(self, work: Callable[[], None]) -> None:
        """Call ``work`` now if the window has painted (or work is not threaded), else right after its first paint."""
        if self.painted:
            work()
        elif work not in self._after_paint:
            self._after_paint.append(work)

    def window_painted(self) -> None:
        """The window has painted once: run what waited for it (on the next event-loop turn, after the paint)."""
        if self.painted:
            return
        self.painted = True
        collect_young_again()  # held since start-up (ui/heap.py); full passes wait for the freeze
        waiting, self._after_paint = self._after_paint, []

        def run() -> None:
            for work in waiting:
                if not self.closed:
                    work()
            self._freeze_when_settled()

        QTimer.singleShot(0, self, run)

    def _freeze_when_settled(self) -> None:
        """Once the launch's background work has ended, freeze the heap (see ui/heap.py): no long GC pauses."""
        runner = self.runner
        if not isinstance(runner, ThreadRunner) or launch_heap_frozen():
            release_full_collections()  # no launch work to wait for, or frozen already: the collector as it was
            return
        if not runner.working():
            freeze_launch_heap()
            return

        connected = True  # disconnect only what is connected: a second disconnect makes libpyside warn

        def settled() -> None:
            nonlocal connected
            if connected:
                connected = False
                with contextlib.suppress(RuntimeError):  # the runner is gone already
                    runner.idle.disconnect(settled)
            if not self.closed:
                freeze_launch_heap()

        runner.idle.connect(settled)
        # launch work that never settles (a long import started at once) must not hold full passes back for long
        QTimer.singleShot(SETTLE_AT_MOST_MS, self, settled)

    def close(self) -> None:
        """Flush pending text edits and stop listening to the workspace."""
        self.flush()
        self.closed = True
        self.poll_timer.stop()
        self.checkpoint_timer.stop()
        self.ws.unsubscribe(self._on_change)

    # --- edits ----------------------------------------------------------------------------------

    def check_data_folder(self) -> None:
        """Raise DataFolderMissing when the data folder or its database vanished (writes would be lost)."""
        if not self.ws.data_dir.is_dir() or not self.ws.store.path.exists():
            raise DataFolderMissing(
                f"The data folder {self.ws.data_dir} is no longer there (moved, deleted or on a drive that was "
                "removed). Put it back or open another workspace with File → Open workspace…"
            )

    def attempt(self, action: Callable[[], T], what: str, *,
                stale: Callable[[StaleEdit], T | None] | None = None) -> T | None:
        """Run one service call; on failure show it (a UserError as itself, else as a bug), say nothing was
        saved, and return None.

        A busy data folder (another writer held its lock beyond the busy timeout: nothing was written)
        asks Retry / Cancel and, on Retry, runs the same call again. A StaleEdit goes to ``stale`` when
        given (it shows the newer value beside the user's and returns what it saved, if anything).
        """
        while True:
            try:
                self.check_data_folder()
                result = action()
            except DatabaseLocked as exc:
                log.info("%s: data folder busy (%s)", what, exc)
                if self.messages.retry_busy(self.dialog_parent, what, busy_text(self.ws, exc),
                                            self.ws.store.write_lock_free):
                    continue
                self.failed.emit(f"{what}: the data folder was busy; {NOT_SAVED_SHORT}")
                return None
            except StaleEdit as exc:
                if stale is None:
                    self.report(what, exc)
                    return None
                self.failed.emit(f"{what}: changed elsewhere; {NOT_SAVED_SHORT}")
                return stale(exc)
            except Exception as exc:  # a UserError, or a bug: either way the edit did not happen
                self.report(what, exc)
                return None
            self.saved.emit()
            return result

    def edit(self, text: str, do: Callable[[], T], undo: Callable[[], Any],
             redo: Callable[[], Any] | None = None, *,
             stale: Callable[[StaleEdit], T | None] | None = None) -> T | None:
        """Make an edit through the services and record it for undo; None (and a dialog) when it failed.

        ``stale``: what to do when the record changed elsewhere first (see ``attempt``).
        """
        done = False
        result: T | None = None

        def run() -> T:
            nonlocal done
            value = do()
            done = True
            return value

        result = self.attempt(run, text, stale=stale)
        if done:
            self.undo_stack.push(_ServiceCommand(self, text, redo or do, undo))
        return result

    def report(self, what: str, exc: BaseException) -> None:
        """Tell the user an action failed and that it was not saved.

        A UserError shows its message (file, line or field and the reason); anything else is a bug:
        its traceback goes to the log and the dialog says so and names the log folder.
        """
        self.failed.emit(user_text(exc) if isinstance(exc, UserError) else bug_text(what, exc))
        show_failure(self.messages, self.dialog_parent, what, exc, not_saved=True)

    def show_failure(self, what: str, exc: BaseException) -> None:
        """Show a failure of something that is not an edit (a comparison, an export): no "not saved"."""
        show_failure(self.messages, self.dialog_parent, what, exc)

    # --- debounced text fields ------------------------------------------------------------------

    def register_autosave(self, autosave: AutoSave) -> None:
        """Track a debounced field so closing the window flushes it."""
        self._autosaves.add(autosave)
        autosave.typing.connect(self.typing)
        autosave.settled.connect(self.saved)

    def flush(self) -> None:
        """Commit every text field with pending typing."""
        for a in list(self._autosaves):
            a.flush()


def own_session(session: Session | Workspace, messages: Messages | None, owner: QObject) -> Session:
    """The session a page edits through: the window's, or for a page used on its own (tests, scripts) one
    of its own over the workspace, synchronous, closed with ``owner``."""
    if isinstance(session, Session):
        return session
    own = Session(session, messages=messages, parent=owner)
    owner.destroyed.connect(lambda *_: own.close())
    return own
