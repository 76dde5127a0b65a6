"""Which app window has a workspace open: a lock file with its process id and host in the data folder.

The app takes ``<data folder>/vendoreval.lock`` when it opens a workspace and removes it when it closes.
A second window on the same workspace finds the lock held (``acquire()`` returns the holder) and asks the
user what to do (ui/single_instance.py). A lock left by an app that was killed or crashed is stale: its
process is gone (same host), or the file is unreadable; it is taken over without a word. The CLI takes no
lock: its commands are short, and SQLite's own locking keeps their writes whole.

"Switch to it" asks the window that holds the lock to come to the front through a request file beside the
lock (``vendoreval.lock.raise``), which that window watches and removes when it has raised itself. No
socket: the frozen app ships without QtNetwork and never opens one (a QLocalServer would need it).

A process id can be reused after a crash; the lock also records when its process started (from
``/proc`` where there is one), so a reused id is recognised as stale too. A lock from another host
(a workspace on a network share) cannot be checked and counts as held: the user decides.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from .workspace import default_evaluator

LOCK_FILENAME = "vendoreval.lock"
RAISE_FILENAME = "vendoreval.lock.raise"


@dataclass(frozen=True)
class LockHolder:
    """Who holds a lock: process id, host, user, when it was taken, and the process's start stamp."""

    pid: int
    host: str
    user: str = ""
    since: str = ""
    process_start: str = ""

    def describe(self) -> str:
        """The holder in words, for a dialog: 'process 1234 of ann on laptop, since 09:12'."""
        when = ""
        with contextlib.suppress(ValueError):
            when = dt.datetime.fromisoformat(self.since).astimezone().strftime(", since %Y-%m-%d %H:%M")
        user = f" of {self.user}" if self.user else ""
        return f"process {self.pid}{user} on {self.host or 'an unknown computer'}{when}"


def this_host() -> str:
    """This computer's name as the lock records it."""
    return socket.gethostname() or "localhost"


def process_start(pid: int) -> str:
    """A stamp of when process ``pid`` started (field 22 of /proc/PID/stat), '' where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()  # the command name in (...) may hold spaces
    return fields[19] if len(fields) > 19 else ""


def process_alive(pid: int) -> bool:
    """True when a process with this id runs on this host (signal 0 checks without sending anything)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OSError:
        return False
    return True


class InstanceLock:
    """The lock file of one data folder, as seen by this process."""

    def __init__(self, data_dir: Path, *, pid: int | None = None, host: str | None = None) -> None:
        self.path = Path(data_dir) / LOCK_FILENAME
        self.pid = os.getpid() if pid is None else pid
        self.host = this_host() if host is None else host
        self.owned = False

    def me(self) -> LockHolder:
        """This process as a lock holder."""
        return LockHolder(self.pid, self.host, default_evaluator(), dt.datetime.now(dt.UTC).isoformat(),
                          process_start(self.pid))

    def holder(self) -> LockHolder | None:
        """Who the lock file names, or None when there is none or it cannot be read (a torn write)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockHolder(int(data["pid"]), str(data["host"]), str(data.get("user", "")),
                              str(data.get("since", "")), str(data.get("process_start", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_stale(self, holder: LockHolder | None) -> bool:
        """True when the lock can be taken over silently: unreadable, or its process is gone from this host."""
        if holder is None:
            return True
        if holder.host != self.host:
            return False  # cannot be checked from here
        if not process_alive(holder.pid):
            return True
        started = process_start(holder.pid)
        return bool(holder.process_start and started and started != holder.process_start)  # a reused id

    def acquire(self) -> LockHolder | None:
        """Take the lock; returns None when this process now holds it (also when it held it already, or a
        stale lock was taken over), else the live holder, and leaves its lock alone.

        A folder where no lock file can be written (read-only) has nobody to warn: None, not owned.
        """
        current = self.holder() if self.path.exists() else None
        if current is not None and current.pid == self.pid and current.host == self.host:
            self.owned = True
            return None
        if self.path.exists() and not self.is_stale(current):
            return current
        if self._write(replace=self.path.exists()):
            after = self.holder()
            if after is not None and (after.pid, after.host) != (self.pid, self.host):
                return None if self.is_stale(after) else after  # another window took it at the same moment
            self.owned = after is not None
        return None

    def _write(self, *, replace: bool) -> bool:
        """Write this process's lock file (created exclusively unless a stale one is replaced); False when the
        folder cannot be written."""
        body = json.dumps(self.me().__dict__, sort_keys=True).encode("utf-8")
        tmp = self.path.with_name(f".{LOCK_FILENAME}.{self.pid}.tmp")
        try:
            tmp.write_bytes(body)
            if replace:
                os.replace(tmp, self.path)
            else:
                try:
                    os.link(tmp, self.path)  # fails if another window created it meanwhile
                except FileExistsError:
                    return True  # acquire() reads who has it
                except OSError:  # no hard links here (some network and FAT drives): exclusive create
                    try:
                        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                    except FileExistsError:
                        return True
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(body)
        except OSError:
            return False
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
        return True

    def release(self) -> None:
        """Remove the lock file if this process holds it (never another window's)."""
        if not self.owned:
            return
        self.owned = False
        current = self.holder()
        if current is not None and (current.pid, current.host) == (self.pid, self.host):
            with contextlib.suppress(OSError):
                self.path.unlink()


def request_raise(data_dir: Path, timeout_s: float = 3.0, poll_s: float = 0.05) -> bool:
    """Ask the window holding the workspace's lock to come to the front; True once it did (it removed the
    request within ``timeout_s``), False when it did not answer (the request is then withdrawn)."""
    request = Path(data_dir) / RAISE_FILENAME
    try:
        request.write_text(str(os.getpid()), encoding="ascii")
    except OSError:
        return False
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not request.exists():
            return True
        time.sleep(poll_s)
    with contextlib.suppress(OSError):
        request.unlink()
    return False


def take_raise_request(data_dir: Path) -> bool:
    """True (and the request removed, which answers it) when another window asked this one to come to the front."""
    request = Path(data_dir) / RAISE_FILENAME
    try:
        request.unlink()
    except OSError:
        return False
    return True
