"""The team folder in the app: syncing in the background, and what the status item and the dialog show.

One ``TeamController`` per session. It syncs through the session's runner (off the UI thread with a
``ThreadRunner``: a worker connection of its own, kept between syncs so the verified-bundle cache stays
warm), FOLDER_SETTLE_MS after the folder watcher saw a file come or go, every SYNC_EVERY_MS (the fallback
where a folder cannot be watched), AFTER_EDIT_MS after a local edit, and on "Sync now"; never two at once (a
request while one runs is run once after it). Each run asks ``TeamSync.poll_once`` (which syncs only when
the folder or this workspace changed) and reads the ``TeamStatus``; imports written through the worker's
connection are announced to the pages at once (``Session.poll_outside``). Join, leave and trust are
quick setting writes made on the UI thread through ``Session.attempt`` (a UserError shows its message).

Start-up pays for none of it: the team service (bundles, signatures) is imported at the first look,
FIRST_LOOK_MS after the window opened; until then the status item says the folder is being looked at.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ..domain.models import utc_now
from ..services.outside import OUTSIDE
from ..services.settings import SETTING_TEAM_FOLDER
from ..services.workspace import Change, Workspace
from .session import Session

if TYPE_CHECKING:
    from ..services.team import SyncReport, TeamService, TeamStatus, TeamSync

log = logging.getLogger(__name__)

#: How often the folder is looked at (a look that finds nothing changed reads a directory listing only).
SYNC_EVERY_MS = 60_000
#: The first look at the folder, after the window has been drawn.
FIRST_LOOK_MS = 1_500
#: How long after a local edit this member's bundle is published (edits in a row publish once).
AFTER_EDIT_MS = 3_000
#: How long the folder must stay quiet after a change seen by the watcher before it is looked at (a sync
#: client writes a bundle and a presence file in a burst; a download may arrive in pieces).
FOLDER_SETTLE_MS = 2_000
#: How often "synced X min ago" is re-worded.
TICK_MS = 30_000
#: Changes that are not edits worth publishing: the team bookkeeping itself, and other writers' commits.
_NOT_EDITS = ("team",)


class TeamController(QObject):
    """Background sync with the team folder for one session, and the last status seen."""

    status_changed = Signal(object)  # TeamStatus, after each look at the folder (and after join, leave, trust)
    synced = Signal(object)  # SyncReport, after a sync that ran

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else session)
        self.session = session
        self.ws = session.ws
        self._service: TeamService | None = None  # UI thread: join, leave, trust (imported when first needed)
        self._status: TeamStatus | None = None  # None until the first look at the folder
        folder = self.ws.store.settings().get(SETTING_TEAM_FOLDER)
        self._joined_at_start = isinstance(folder, str) and bool(folder)
        self.last_report: SyncReport | None = None
        self.last_error: str | None = None
        self.checked_at: str | None = None  # when the folder was last seen in step with this workspace
        self.running = False
        self.runs = 0  # syncs and looks started (for tests and the log)
        self.closed = False
        self._again: bool | None = None  # a request came while one ran: None no, False look, True sync
        self._worker: Workspace | None = None
        self._sync: TeamSync | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(SYNC_EVERY_MS)
        self.timer.timeout.connect(self.poll)
        self.after_edit = QTimer(self)
        self.after_edit.setSingleShot(True)
        self.after_edit.setInterval(AFTER_EDIT_MS)
        self.after_edit.timeout.connect(self.poll)
        # The folder is watched (inotify, FSEvents, ReadDirectoryChangesW), so a colleague's bundle that the
        # sync client drops in is looked at within seconds; the timer above is the fallback where watching
        # does not work (many network shares) or the watch was lost (the drive was unmounted).
        self.watcher = QFileSystemWatcher(self)
        self.after_folder = QTimer(self)
        self.after_folder.setSingleShot(True)
        self.after_folder.setInterval(FOLDER_SETTLE_MS)
        self.after_folder.timeout.connect(self.poll)
        self.watcher.directoryChanged.connect(self._folder_changed)
        self.status_changed.connect(self._watch)
        session.changed.connect(self._on_change)

    # --- what is shown --------------------------------------------------------------------------

    @property
    def service(self) -> TeamService:
        """The team service on the UI thread's workspace (join, leave, trust)."""
        if self._service is None:
            from ..services.team import TeamService

            self._service = TeamService(self.ws)
        return self._service

    @property
    def status(self) -> TeamStatus:
        """The status of the last look at the folder (before the first: the folder setting only)."""
        if self._status is None:
            from ..services.team import TeamStatus

            folder = self.service.folder()
            return TeamStatus(joined=folder is not None, folder=folder, me_name=self.service.member_name())
        return self._status

    @status.setter
    def status(self, value: TeamStatus) -> None:
        self._status = value

    @property
    def joined(self) -> bool:
        """True when this workspace syncs with a team folder."""
        return self.status.joined if self._status is not None else self._joined_at_start

    def shown_status(self) -> TeamStatus:
        """The status with "synced" meaning the last time the folder was seen in step with this workspace."""
        st = self.status
        if st.joined and self.checked_at and (st.last_sync is None or self.checked_at > st.last_sync):
            return replace(st, last_sync=self.checked_at)
        return st

    def summary(self) -> str:
        """'Team: 3 members, synced 2 min ago' (or why the last look failed)."""
        if self.joined and self.ws.read_only:
            return "Team: not syncing (this workspace is open read-only)"
        if self._status is None and self.joined:
            return "Team: looking at the folder…"
        if self.last_error and self.joined:
            return f"Team: sync failed ({self.last_error})"
        return self.shown_status().summary()

    # --- starting and stopping ------------------------------------------------------------------

    def start(self) -> None:
        """Look at the folder now (when joined) and then every SYNC_EVERY_MS."""
        self.timer.start()
        QTimer.singleShot(FIRST_LOOK_MS, self, self.poll)

    def close(self) -> None:
        """Stop the timers; the worker connection closes now, or when a sync still running has ended."""
        self.closed = True
        self.timer.stop()
        self.after_edit.stop()
        self.after_folder.stop()
        self._unwatch()
        if not self.running:
            self._close_worker()

    def _close_worker(self) -> None:
        if self._worker is not None and self._worker is not self.ws:
            self._worker.close()
        self._worker, self._sync = None, None

    # --- watching the folder --------------------------------------------------------------------

    def watched(self) -> list[str]:
        """The folders being watched (the team folder and its members/ folder, when joined and there)."""
        return sorted(self.watcher.directories())

    def _watch(self, status: TeamStatus) -> None:
        """After each look: watch the folder joined (again, if the watch was lost), or nothing."""
        if self.closed:
            return
        from ..services.team import MEMBERS_DIR  # loaded already: a status came from it

        folder = status.folder if status.joined and status.folder_problem is None else None
        wanted = [] if folder is None else [str(Path(folder)), str(Path(folder) / MEMBERS_DIR)]
        have = set(self.watcher.directories())
        if have - set(wanted):
            self.watcher.removePaths(sorted(have - set(wanted)))
        missing = [p for p in wanted if p not in have and Path(p).is_dir()]
        if missing:
            self.watcher.addPaths(missing)  # a folder that cannot be watched: the timer still looks

    def _unwatch(self) -> None:
        paths = self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)

    def _folder_changed(self, _path: str) -> None:
        if not self.closed and self.joined:
            self.after_folder.start()  # restarted by every change: a burst is looked at once, when it settles

    def _on_change(self, change: Change) -> None:
        if self.closed or not self.joined or change.entity in _NOT_EDITS:
            return
        if change.entity == "workspace" and change.entity_id == OUTSIDE:
            return  # another writer (or our own worker): not an edit of this member's
        self.after_edit.start()  # restarted by every edit: a burst of edits publishes once

    # --- syncing --------------------------------------------------------------------------------

    def poll(self) -> None:
        """Sync if the folder or this workspace changed since the last look (the timers call this)."""
        if self.joined:
            self.request(force=False)

    def sync_now(self) -> None:
        """Sync now, whether or not anything changed ("Sync now")."""
        self.request(force=True)

    def request(self, *, force: bool) -> None:
        """Start a look (or, with ``force``, a sync) in the background; never two at once."""
        if self.closed or self.session.closed:
            return
        if self.running:
            self._again = bool(self._again) or force
            return
        self.running = True
        self.runs += 1
        runner = self.session.runner
        threaded = bool(getattr(runner, "threaded", False))
        evaluator = self.ws.evaluator  # a name changed in Settings since the last run

        def work() -> tuple[SyncReport | None, TeamStatus]:
            # only one run at a time touches the worker (``running``): opened here, off the UI thread
            if self._sync is None:
                from ..services.team import TeamSync

                self._worker = self._open_worker(threaded)
                self._sync = TeamSync(self._worker)
            team_sync = self._sync
            team_sync.ws.evaluator = evaluator
            if force and team_sync.service.folder() is not None:
                report: SyncReport | None = team_sync.service.sync()
                team_sync.last_report = report
            else:
                report = team_sync.poll_once()
            return report, team_sync.service.status()

        runner.run(work, self._done, self._failed, label="Syncing with the team folder…",
                   parent=self.session.dialog_parent, dialog=False)

    def _open_worker(self, threaded: bool) -> Workspace:
        if not threaded:
            return self.ws
        ws = self.ws
        return Workspace(ws.data_dir, ws.evaluator, busy_timeout_ms=ws.busy_timeout_ms, secrets=ws.secrets,
                         read_only=ws.read_only_reason)

    def _finished(self) -> bool:
        """After a run: False when the controller was closed meanwhile (nothing more is shown)."""
        self.running = False
        if self.closed or self.session.closed:
            self._close_worker()
            return False
        return True

    def _done(self, result: Any) -> None:
        if not self._finished():
            return
        report, status = result
        self.last_error = None
        self.status = status
        if status.joined and status.folder_problem is None and (report is None or report.ok) and not self.ws.read_only:
            self.checked_at = utc_now()
        if report is not None:
            self.last_report = report
            if report.imported:
                # written through the worker's own connection: the pages re-read now, not at the next poll
                self.session.poll_outside()
            self.synced.emit(report)
        self.status_changed.emit(status)
        self._run_again()

    def _failed(self, exc: BaseException) -> None:
        if not self._finished():
            return
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        self.last_error = first_line
        log.warning("team folder sync failed: %s", first_line)
        self.status_changed.emit(self.status)
        self._run_again()

    def _run_again(self) -> None:
        again, self._again = self._again, None
        if again is not None:
            self.request(force=again)

    # --- join, leave, trust (quick writes of settings, on the UI thread) ------------------------

    def _reset(self) -> None:
        """After join or leave: a fresh look (the worker's cache belonged to the old folder)."""
        if not self.running:
            self._close_worker()
        self.last_report, self.last_error, self.checked_at = None, None, None

    def join(self, folder: str | Path, name: str | None) -> bool:
        """Join ``folder`` as ``name``; a UserError is shown and nothing changes. True when joined."""
        status = self.session.attempt(lambda: self.service.join(folder, name), "Join the team folder")
        if status is None:
            return False
        self._reset()
        self.status = status
        self.status_changed.emit(status)
        self.request(force=True)  # publish this member's bundle and import what is trusted
        return True

    def leave(self) -> bool:
        """Leave the team folder (what was imported stays). True when left."""
        def leave() -> bool:
            self.service.leave()
            return True

        if not self.session.attempt(leave, "Leave the team folder"):
            return False
        from ..services.team import TeamStatus

        self._reset()
        self.status = TeamStatus(joined=False, me_name=self.service.member_name())
        self.status_changed.emit(self.status)
        return True

    def trust(self, fingerprint: str) -> bool:
        """Trust one member's key (by its full fingerprint), then sync so their bundle is imported."""
        chosen = self.session.attempt(lambda: self.service.trust(fingerprint), "Trust a team member's key")
        if chosen is None:
            return False
        self.request(force=True)
        return True
