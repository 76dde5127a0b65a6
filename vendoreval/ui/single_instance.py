"""A second app window on a workspace another window has open: told so, and offered what to do.

The lock file itself is services/instance_lock.py (no Qt). Here: the question ("Switch to it", "Open
read-only", "Open anyway", "Quit") and, in the window that holds the lock, the watcher that brings it
to the front when another start asks for it.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QWidget

from ..services.instance_lock import InstanceLock, LockHolder, request_raise, take_raise_request
from .messages import Messages

log = logging.getLogger(__name__)

SWITCH = "Switch to it"
READ_ONLY = "Open read-only"
ANYWAY = "Open anyway"
QUIT = "Quit"

#: How often the lock holder looks for a request to come to the front when the folder watcher is silent
#: (network drives); the watcher usually answers at once.
POLL_MS = 1500


@dataclass
class Claim:
    """The outcome of opening a folder: the lock (held or not) and, if so chosen, why to open read-only."""

    folder: Path
    lock: InstanceLock
    read_only: str | None = None
    watcher: RaiseWatcher | None = field(default=None, repr=False)

    def watch(self, window: QWidget) -> None:
        """While this claim holds the lock, bring ``window`` to the front when another start asks for it."""
        if self.lock.owned and self.watcher is None:
            self.watcher = RaiseWatcher(self.folder, window)

    def release(self) -> None:
        """Give the lock back (if held) and stop watching."""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.lock.release()


def claim_workspace(folder: Path, messages: Messages, parent: QWidget | None = None, *,
                    raise_timeout_s: float = 3.0) -> Claim | None:
    """Take the workspace's lock, or ask what to do when another window holds it; None: do not open it
    (the other window was brought to the front, or the user quit)."""
    folder = Path(folder)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)  # so that a new workspace is locked from its first start
    lock = InstanceLock(folder)
    holder = lock.acquire()
    if holder is None:
        return Claim(folder, lock)
    log.info("workspace %s is open in %s", folder, holder.describe())
    options = ([SWITCH] if holder.host == lock.host else []) + [READ_ONLY, ANYWAY, QUIT]
    while True:
        choice = messages.choose(parent, "Workspace already open", _question(folder, holder, lock), options)
        if choice == SWITCH:
            if request_raise(folder, raise_timeout_s):
                return None
            messages.info(parent, "Workspace already open",
                          f"The other vendoreval window ({holder.describe()}) did not come to the front. It may "
                          "be busy or stopped; choose another way to open the workspace.")
            options.remove(SWITCH)
            continue
        if choice == READ_ONLY:
            return Claim(folder, lock, read_only=f"another vendoreval window has it open: {holder.describe()}")
        if choice == ANYWAY:
            log.warning("opening %s although %s has it open", folder, holder.describe())
            return Claim(folder, lock)
        return None


def _question(folder: Path, holder: LockHolder, lock: InstanceLock) -> str:
    elsewhere = "" if holder.host == lock.host else (
        f" That window is on another computer ({holder.host}); if it is no longer running there, open anyway.")
    return (f"The workspace {folder} is already open in another vendoreval window ({holder.describe()}).{elsewhere}"
            "\n\nSwitch to that window, open this one read-only (you can look and export; changes are not saved), "
            "or open it anyway (both windows then write to the same workspace).")


class RaiseWatcher(QObject):
    """Brings a window to the front when another start of the app asks for it (a request file in the folder)."""

    def __init__(self, folder: Path, window: QWidget) -> None:
        super().__init__(window)
        self.folder = folder
        self.window = window
        self.fs = QFileSystemWatcher([str(folder)], self)
        self.fs.directoryChanged.connect(lambda _path: self.check())
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> bool:
        """Answer a pending request by raising the window; True when there was one."""
        if not take_raise_request(self.folder):
            return False
        w = self.window
        if w.isMinimized():
            w.showNormal()
        w.show()
        w.raise_()
        w.activateWindow()
        return True

    def stop(self) -> None:
        """Stop watching."""
        self.timer.stop()
        with contextlib.suppress(RuntimeError):
            self.fs.removePaths(self.fs.directories())
        self.deleteLater()
