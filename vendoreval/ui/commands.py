"""Application-level commands behind the menus: workspaces, sample data, settings, help, optional exports."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog

from ..errors import UserError
from ..paths import log_dir
from ..services.backup import daily_backup
from ..services.settings import load_settings, remember_workspace, save_settings
from ..services.workspace import Workspace
from .dialogs.about_dialog import AboutDialog
from .dialogs.settings_dialog import SettingsDialog
from .dialogs.shortcuts_dialog import ShortcutsDialog
from .tasks import writing

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger(__name__)



def optional_function(module: str, name: str) -> Callable[..., Any] | None:
    """A function from a module another engineer provides, or None when the module is not there."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def module_present(module: str) -> bool:
    """True when a module can be imported, without importing it (keeps start-up fast)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def sample_loader() -> Callable[[Workspace], Any] | None:
    """vendoreval.services.demo.load_sample, imported only when the user asks for the sample."""
    return optional_function("vendoreval.services.demo", "load_sample")


class AppCommands:
    """Handlers for the File and Help menus; the window only wires them to actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    @property
    def session(self) -> Any:
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

        def opened() -> tuple[Workspace, str | None]:
            ws = Workspace(folder, evaluator)
            return ws, daily_backup(ws)

        def done(result: tuple[Workspace, str | None]) -> None:
            ws, backup_note = result
            remember_workspace(ws.data_dir)
            self.window.set_workspace(ws)
            if backup_note:
                self.window.statusBar().showMessage(backup_note, 8000)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserError):
                self.session.show_failure(f"Opening {folder}", exc)
                return
            self.session.messages.error(self.window, "Cannot open workspace",
                                        f"{folder} could not be opened:\n\n{exc}\n\nThe current workspace stays open.")

        self.session.runner.run(opened, done, failed,
                                label=f"Opening {folder}…", parent=self.window)

    def load_sample(self) -> bool:
        """Fill the current (empty) workspace with the sample vendors, off the UI thread."""
        loader = sample_loader()
        if loader is None:
            self.session.messages.error(self.window, "Sample workspace not available",
                                        "This build has no sample workspace (vendoreval.services.demo is missing).")
            return False
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
                return loader(own)

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
        dialog = SettingsDialog(load_settings(ws), str(ws.data_dir), self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            values = dialog.values()
            self.session.attempt(lambda: save_settings(ws, values), "Save settings")

    def about(self) -> None:
        """Show the About box with the licences."""
        AboutDialog(self.window).exec()

    def shortcuts(self) -> None:
        """Show the keyboard shortcuts."""
        from .views.scorecard_editor_view import KEY_HELP

        ShortcutsDialog(self.window.registry.shortcuts(), KEY_HELP, self.window).exec()

    def open_log_folder(self) -> Path:
        """Open the folder with the rotating log file."""
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        self.window.open_url(QUrl.fromLocalFile(str(folder)))
        return folder

    # --- hooks into other engineers' dialogs ------------------------------------------------

    def call_optional(self, module: str, name: str) -> None:
        """Call ``module.name(ws, parent)`` (an export/import dialog), flushing typing first."""
        fn = optional_function(module, name)
        if fn is None:
            return
        self.session.flush()
        params = inspect.signature(fn).parameters
        extra: dict[str, Any] = {}
        if "runner" in params:
            extra["runner"] = self.session.runner  # long work (PDF, import) off the UI thread
        if "messages" in params:
            extra["messages"] = self.session.messages
        fn(self.session.ws, self.window, **extra)
        self.window.reload_pages()


def open_url(url: QUrl) -> bool:
    """Open a URL or local file with the desktop's default application."""
    return bool(QDesktopServices.openUrl(url))
