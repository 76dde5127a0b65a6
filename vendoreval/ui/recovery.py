"""A damaged or emptied workspace database in the app: said plainly, with the latest good backup offered.

Two moments: opening (a 0-byte or unreadable ``vendoreval.db``: "Restore latest backup", "Start empty",
"Quit") and after the window's first paint, when ``PRAGMA quick_check`` runs off the UI thread (damage
found: "Restore latest backup", "Keep working"). The rules (which backup is good, moving a damaged file
aside, restoring) are services/backup.py; here only the questions and the reopening.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ..errors import UserError
from ..services import backup as backups
from ..services.workspace import Workspace
from ..store.database import DamagedDatabase, StoreError
from .messages import Messages
from .tasks import Token, reading

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)

RESTORE = "Restore latest backup"
START_EMPTY = "Start empty"
QUIT = "Quit"
KEEP = "Keep working"
TITLE = "The workspace database is damaged"


def _offer(folder: Path) -> tuple[backups.BackupFile | None, str]:
    good = backups.latest_good_backup(folder)
    if good is None:
        return None, (f"There is no good backup in {backups.backups_dir(folder)}. If you have a copy of the "
                      "workspace elsewhere, restore it with `vendoreval restore FILE`.")
    when = dt.datetime.fromtimestamp(good.path.stat().st_mtime).astimezone().strftime("%Y-%m-%d %H:%M")
    return good, (f"The latest good backup is {good.path.name} ({when}). Restoring it brings the workspace back as "
                  "it was then; the damaged file is kept in the backups folder.")


def restore_latest(folder: Path, messages: Messages, parent: QWidget | None,
                   good: backups.BackupFile | None = None) -> bool:
    """Restore the latest good backup into ``folder`` (no connection of this app may be open on it);
    ``good``: that backup, when the caller has already found it (each candidate is opened and checked)."""
    good = good if good is not None else backups.latest_good_backup(folder)
    if good is None:
        messages.error(parent, TITLE, f"There is no good backup in {backups.backups_dir(folder)}.")
        return False
    try:
        result = backups.restore(folder, good.path)
    except UserError as exc:
        messages.error(parent, TITLE, f"The backup could not be restored:\n\n{exc}")
        return False
    log.info("restored %s from %s (damaged file kept as %s)", folder, good.path, result.safety_copy)
    return True


def open_or_recover(folder: Path, evaluator: str | None, messages: Messages, *, read_only: str | None = None,
                    parent: QWidget | None = None) -> Workspace | None:
    """Open the workspace; when its database is empty or damaged, say so and offer the latest good backup,
    an empty workspace (the damaged file moved to the backups folder) or quitting (None)."""
    folder = Path(folder)
    while True:
        try:
            return Workspace(folder, evaluator, read_only=read_only)
        except DamagedDatabase as exc:
            log.warning("workspace %s is damaged: %s", folder, exc)
            good, advice = _offer(folder)
            options = ([RESTORE] if good is not None else []) + [START_EMPTY, QUIT]
            choice = messages.choose(parent, TITLE, f"{exc}\n\n{advice}", options)
            if choice == RESTORE:
                restore_latest(folder, messages, parent, good)
            elif choice == START_EMPTY:
                try:
                    aside = backups.set_aside_damaged(folder)
                except UserError as err:
                    messages.error(parent, TITLE, str(err))
                    continue
                messages.info(parent, "Starting an empty workspace",
                              f"The damaged database was moved to {aside}; it can still be restored from there.")
            else:
                return None


def check_integrity(window: MainWindow) -> None:
    """Run SQLite's quick check of the window's workspace off the UI thread; on damage, tell the user and
    offer the latest good backup. ui/app.py calls it once the window has painted, and File → Open workspace
    once it has switched."""
    session = window.session
    ws = session.ws

    def work(token: Token) -> list[str]:
        started = time.perf_counter()
        with reading(ws, session.runner) as own, own.store.stopping_when(lambda: token.cancelled):
            try:
                problems = own.store.check_pages()
            except StoreError:
                token.check()  # interrupted: the app quits (ThreadRunner.shutdown) and does not wait for it
                raise
        log.info("quick check of %s: %s (%.0f ms)", ws.store.path, "ok" if problems == ["ok"] else "DAMAGED",
                 (time.perf_counter() - started) * 1000)
        return problems

    def done(problems: object) -> None:
        if session.closed or window.session is not session or problems == ["ok"]:
            return
        found = "; ".join(str(p) for p in problems) if isinstance(problems, list) else str(problems)
        log.warning("quick check of %s: %s", ws.store.path, found)
        report_damage(window, found)

    def failed(exc: BaseException) -> None:
        log.warning("quick check of %s failed: %s", ws.store.path, exc)

    session.runner.run(work, done, failed, label="Checking the workspace…", parent=window, dialog=False,
                       key="integrity-check")


def report_damage(window: MainWindow, found: str) -> None:
    """Tell the user the open workspace is damaged and offer the latest good backup (the window reopens it)."""
    ws = window.session.ws
    folder = ws.data_dir
    good, advice = _offer(folder)
    text = (f"SQLite's check of {ws.store.path} found damage: {found}\n\nWhat is shown may be incomplete, and "
            f"changes may be lost. {advice}")
    if ws.read_only:
        text += f"\n\nThis window has the workspace open read-only ({ws.read_only_reason}), so it cannot restore it."
        good = None
    choice = window.messages.choose(window, TITLE, text, ([RESTORE] if good is not None else []) + [KEEP])
    if choice != RESTORE:
        return
    window.session.flush()
    evaluator = ws.evaluator
    ws.close()  # the damaged file is moved aside: no connection of ours may stay on it
    restore_latest(folder, window.messages, window, good)
    try:
        fresh = Workspace(folder, evaluator)
    except UserError as exc:
        window.messages.error(window, TITLE, f"The workspace could not be opened again:\n\n{exc}")
        window.close()
        return
    window.set_workspace(fresh)
