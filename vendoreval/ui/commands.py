"""Application-level commands behind the menus: workspaces, sample data, exports, settings, help.

The dialogs and the sample data are imported when first used (start-up imports only what the first
page needs).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog

from ..errors import UserError
from ..paths import log_dir
from ..services.backup import daily_backup, recovery_advice
from ..services.settings import load_settings, remember_workspace, save_settings, settings_revisions
from ..services.workspace import Workspace
from ..store.database import DamagedDatabase
from .dialogs.about_dialog import AboutDialog
from .dialogs.settings_dialog import SettingsDialog
from .dialogs.shortcuts_dialog import ShortcutsDialog
from .recovery import check_integrity
from .single_instance import claim_workspace
from .tasks import writing

if TYPE_CHECKING:
    from .dialogs.due_dialog import DueDialog
    from .dialogs.team_dialog import TeamDialog
    from .main_window import MainWindow
    from .session import Session

log = logging.getLogger(__name__)


class AppCommands:
    """Handlers for the File and Help menus; the window only wires them to actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    @property
    def session(self) -> Session:
        """The window's current session."""
        return self.window.session

    # --- workspaces -------------------------------------------------------------------------

    def choose_workspace(self) -> None:
        """Ask for a data folder and open it."""
        folder = QFileDialog.getExistingDirectory(self.window, "Open workspace folder",
                                                  str(self.session.ws.data_dir.parent))
        if folder:
            self.open_workspace(Path(folder))

    def open_workspace(self, folder: Path, *, must_exist: bool = False) -> None:
        """Open a data folder off the UI thread and switch the window to it.

        ``must_exist`` (recent workspaces): a folder that has disappeared is reported, not silently
        re-created empty.
        """
        self.session.flush()
        if must_exist and not (Path(folder) / "vendoreval.db").is_file():
            self.session.messages.error(
                self.window, "Workspace not found",
                f"The workspace folder {folder} is no longer there (moved, deleted or on a drive that is not "
                "connected). Nothing was opened; the current workspace stays open.")
            return
        evaluator = None
        claim = claim_workspace(Path(folder), self.session.messages, self.window)  # another window has it open?
        if claim is None:
            return

        def opened() -> tuple[Workspace, str | None]:
            ws = Workspace(folder, evaluator, read_only=claim.read_only)
            return ws, daily_backup(ws)

        def done(result: tuple[Workspace, str | None]) -> None:
            ws, backup_note = result
            remember_workspace(ws.data_dir)
            old = self.window.instance_claim
            if old is not None:
                old.release()
                if claim.lock.owned:
                    claim.lock.acquire()  # the same folder again: releasing the old claim removed the file
            self.window.instance_claim = claim
            claim.watch(self.window)
            self.window.set_workspace(ws)
            if backup_note:
                self.window.notes.show(backup_note, 8000)
            check_integrity(self.window)

        def failed(exc: BaseException) -> None:
            claim.release()
            if not isinstance(exc, UserError):
                self.session.show_failure(f"Opening {folder}", exc)
                return
            advice = f"\n\n{recovery_advice(Path(folder))}" if isinstance(exc, DamagedDatabase) else ""
            self.session.messages.error(self.window, "Cannot open workspace",
                                        f"{folder} could not be opened:\n\n{exc}{advice}\n\nThe current workspace "
                                        "stays open.")

        self.session.runner.run(opened, done, failed,
                                label=f"Opening {folder}…", parent=self.window)

    def load_sample(self) -> bool:
        """Fill the current (empty) workspace with the sample vendors, off the UI thread."""
        from ..services.demo import load_sample

        ws = self.session.ws
        if not ws.store.is_empty():
            self.session.messages.info(
                self.window, "Load sample workspace",
                "The sample workspace is loaded only into an empty workspace, so it never mixes with your "
                "vendors. Choose an empty folder with File → Open workspace… and load it there.")
            return False
        result: list[bool] = []
        runner = self.session.runner

        def work() -> object:
            # a worker thread writes through its own connection, never the UI thread's
            with writing(ws, runner) as own:
                return load_sample(own)

        def done(_value: object) -> None:
            ws.library.reload()
            self.window.reload_pages()
            self.session.saved.emit()
            result.append(True)

        def failed(exc: BaseException) -> None:
            self.session.report("Load sample workspace", exc)

        self.session.runner.run(work, done, failed, label="Loading the sample workspace…",
                                parent=self.window)
        return bool(result)

    # --- settings and help ------------------------------------------------------------------

    def edit_settings(self) -> None:
        """Show the settings dialog and save what was entered."""
        ws = self.session.ws
        revisions = settings_revisions(ws)  # a setting changed elsewhere meanwhile is not overwritten
        dialog = SettingsDialog(load_settings(ws), str(ws.data_dir), self.window, team_summary=self._team_summary,
                                on_team=self.team_folder)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            values, logo_file = dialog.values(), dialog.logo_file()
            self.session.attempt(lambda: save_settings(ws, values, logo_file=logo_file, expected=revisions),
                                 "Save settings")

    def _team_summary(self) -> str:
        team = self.window.team
        return team.summary() if team.joined else "Not in a team folder"

    def team_dialog(self) -> TeamDialog:
        """Settings → Team folder (the folder, its members, Trust…, Sync now)."""
        from .dialogs.team_dialog import TeamDialog

        return TeamDialog(self.window.team, self.session.messages, self.window)

    def team_folder(self) -> None:
        """Show the Team folder settings (typing in progress is saved first, so a sync publishes it)."""
        self.session.flush()
        self.team_dialog().exec()

    def about(self) -> None:
        """Show the About box with the licences."""
        AboutDialog(self.window).exec()

    def shortcuts(self) -> None:
        """Show the keyboard shortcuts."""
        from .views.scorecard_editor_view import KEY_HELP

        ShortcutsDialog(self.window.registry.shortcuts(), KEY_HELP, self.window).exec()

    def due_review(self) -> None:
        """Show what is due for review; opening an item shows its vendor."""
        dialog = self.due_dialog()
        if dialog is not None:
            dialog.exec()

    def due_dialog(self) -> DueDialog | None:
        """The Due for review dialog over today's items (None, with a message, when they cannot be read)."""
        from ..services.ageing import AgeingService, today
        from .dialogs.due_dialog import DueDialog

        as_of = today()
        items = self.session.attempt(lambda: AgeingService(self.session.ws).due(as_of), "Due for review")
        if items is None:
            return None
        dialog = DueDialog(items, as_of, self.window)
        dialog.open_vendor.connect(self.show_vendor)
        return dialog

    def show_vendor(self, vendor_id: str) -> None:
        """Show a vendor on the Vendors page."""
        from .pages import VENDORS

        self.window.show_page(VENDORS.key)
        self.window.page(VENDORS.key).list.select(vendor_id)  # type: ignore[attr-defined]

    def open_log_folder(self) -> Path:
        """Open the folder with the rotating log file."""
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not self.window.open_url(QUrl.fromLocalFile(str(folder))):  # no file manager on this desktop
            self.session.messages.info(self.window, "Log folder",
                                       f"The log files are in:\n\n{folder}\n\n(No file manager could be started "
                                       "to show the folder.)")
        return folder

    # --- exports and imports (typing in progress is saved first) ---------------------------

    def export_brief(self) -> None:
        """File → Export board brief… (drawn off the UI thread; the Compare page's profile preselected)."""
        from .dialogs.brief_dialog import export_brief

        self.session.flush()
        export_brief(self.session.ws, self.window, runner=self.session.runner, profile=self.window.shown_profile(),
                     settings=self.window.qsettings, weights_edited=self.window.compare_weights_edited())

    def export_bundle(self) -> None:
        """File → Export for a colleague…"""
        from .dialogs.bundle_dialog import export_bundle

        self.session.flush()
        export_bundle(self.session.ws, self.window, messages=self.session.messages, runner=self.session.runner)

    def import_file(self, path: Path | None = None) -> None:
        """File → Import…: a claims or scores file (CSV or XLSX), previewed first."""
        from .dialogs.import_dialog import import_file

        self.session.flush()
        import_file(self.session.ws, self.window, messages=self.session.messages, runner=self.session.runner,
                    path=path, on_finished=lambda result: self.window.reload_pages() if result is not None else None)

    def import_bundle(self) -> None:
        """File → Import bundle…"""
        from .dialogs.bundle_dialog import import_bundle

        self.session.flush()
        # the import runs off the UI thread (its own connection): the pages re-read once it is done
        import_bundle(self.session.ws, self.window, messages=self.session.messages, runner=self.session.runner,
                      on_finished=lambda result: self.window.reload_pages() if result is not None else None)


def open_url(url: QUrl) -> bool:
    """Open a URL or local file with the desktop's default application."""
    return bool(QDesktopServices.openUrl(url))
