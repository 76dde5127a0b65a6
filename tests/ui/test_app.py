"""Settings, workspaces, help, the pages and File menu actions, the task runner and the app entry point."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.test_dialog_fixes import _on_dialog
from vendoreval.services.settings import load_settings, recent_workspaces
from vendoreval.ui.dialogs.about_dialog import about_html
from vendoreval.ui.dialogs.brief_dialog import BriefDialog
from vendoreval.ui.dialogs.settings_dialog import SettingsDialog
from vendoreval.ui.tasks import SyncRunner, ThreadRunner


def _accept_next_dialog(fill=None, tries: int = 1000) -> None:  # type: ignore[no-untyped-def]
    """Fill (optionally) and accept the next modal dialog (bounded polling: 20 s)."""
    def step(dialog: QDialog) -> None:
        if fill is not None:
            fill(dialog)
        dialog.accept()

    _on_dialog(step, tries, QDialog)


def test_settings_dialog_saves_typed_settings(window) -> None:
    def fill(d: SettingsDialog) -> None:
        d.evaluator.setText("Bea")
        d.organisation.setText("Contoso Marketing")

    _accept_next_dialog(fill)
    window.registry["settings"].trigger()
    s = load_settings(window.session.ws)
    assert (s.evaluator, s.organisation) == ("Bea", "Contoso Marketing")
    assert window.session.ws.evaluator == "Bea"


def test_a_logo_that_cannot_be_used_keeps_the_settings_dialog_open_with_what_was_typed(window) -> None:
    """A refused logo closed the dialog and the organisation typed with it was lost (a tester); now the
    dialog says why, in place, and stays open with every field; nothing is saved until OK passes."""
    seen: list[tuple[bool, str, str]] = []

    def fill(d: SettingsDialog) -> None:
        d.organisation.setText("ACME <b>Bold</b> & Co")
        d.logo.setText("/nowhere/logo.png")
        d.accept()  # refused: the dialog stays
        seen.append((d.isVisible(), d.organisation.text(), d.problem.text()))
        d.logo.clear()  # then OK again, without the logo: saved

    _accept_next_dialog(fill)
    window.registry["settings"].trigger()
    (visible, organisation, problem), = seen
    assert visible and organisation == "ACME <b>Bold</b> & Co"
    assert "/nowhere/logo.png" in problem and "nothing was saved yet" in problem
    assert load_settings(window.session.ws).organisation == "ACME <b>Bold</b> & Co"


def test_about_names_the_licences() -> None:
    text = about_html()
    for needle in ("LGPLv3", "PySide6", "CC BY 4.0", "DejaVu", "FMTI"):
        assert needle in text


def test_help_dialogs_open(window) -> None:
    _accept_next_dialog()
    window.registry["about"].trigger()
    _accept_next_dialog()
    window.registry["shortcuts"].trigger()
    opened = []
    window.open_url = opened.append
    folder = window.commands.open_log_folder()
    assert folder.is_dir() and opened


def test_open_workspace_switches_and_remembers(window, tmp_path: Path) -> None:
    window.page("vendors").new_vendor({"name": "In the first"})
    first = window.session.ws.data_dir
    second = tmp_path / "second"
    window.commands.open_workspace(second)
    assert window.session.ws.data_dir == second
    assert window.page("vendors").list.model.rowCount() == 0
    assert second.resolve() in recent_workspaces()
    window.commands.open_workspace(first)
    assert [r.vendor.name for r in window.page("vendors").list.model.rows()] == ["In the first"]
    window._fill_recent()
    assert any(a.text() == str(second.resolve()) for a in window.recent_menu.actions())


def test_window_geometry_is_remembered(open_window, data_dir: Path) -> None:
    w = open_window(data_dir)
    w.resize(1100, 700)
    w.close()
    assert w.qsettings.value("window/geometry") == w.saveGeometry()
    w2 = open_window(data_dir)
    assert w2.height() == 700  # the offscreen screen is narrow, so only the height survives unclamped


def test_every_page_is_in_the_sidebar_and_built_when_first_shown(window) -> None:
    titles = [window.sidebar.item(i).text() for i in range(window.sidebar.count())]
    assert titles == ["Vendors", "Scorecard", "Compare", "Consensus", "Rubrics"]
    assert [a.shortcut().toString() for a in window.view_menu.actions()] == [f"Ctrl+{i}" for i in range(1, 6)]
    assert window.lazy_pages["consensus"].page is None  # not shown yet: not built
    window.show_page("consensus")
    assert window.stack.currentWidget() is window.lazy_pages["consensus"]
    assert window.lazy_pages["consensus"].page is not None
    file_menu = window.menuBar().actions()[0].menu()
    for key in ("export_brief", "export_bundle", "import_bundle"):
        assert window.registry[key] in file_menu.actions() and window.registry[key].isVisible()


def _reject_next_dialog(seen: list[QDialog], tries: int = 1000) -> None:
    def step(dialog: QDialog) -> None:
        seen.append(dialog)
        dialog.reject()

    _on_dialog(step, tries, QDialog)


def test_brief_export_preselects_the_profile_shown_on_the_compare_page(window) -> None:
    seen: list[QDialog] = []
    _reject_next_dialog(seen)
    window.registry["export_brief"].trigger()  # the Compare page was never opened
    assert isinstance(seen[0], BriefDialog) and seen[0].request().profile == "balanced"
    window.show_page("compare")
    compare = window.page("compare")
    compare.profile.setCurrentIndex(compare.profile.findData("compliance first"))
    _reject_next_dialog(seen)
    window.registry["export_brief"].trigger()
    assert isinstance(seen[1], BriefDialog) and seen[1].request().profile == "compliance first"


def test_delete_is_undoable_and_asks_first(window) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Keep me"})
    window.messages.answer = False
    window.registry["delete_vendor"].trigger()
    assert len(window.session.ws.vendors.list()) == 1
    assert window.messages.shown[-1][0] == "confirm"


def test_archive_hides_and_marks(window) -> None:
    vendors = window.page("vendors")
    v = vendors.new_vendor({"name": "Old vendor"})
    window.registry["archive_vendor"].trigger()
    assert window.session.ws.vendors.get(v.id).archived
    assert vendors.list.archived.isChecked()
    assert "(archived)" in vendors.list.model.index(0, 0).data()
    window.registry["undo"].trigger()
    assert not window.session.ws.vendors.get(v.id).archived


def test_thread_runner_delivers_on_ui_thread(qtbot) -> None:
    runner = ThreadRunner()
    got: list[object] = []
    runner.run(lambda: 21 * 2, got.append)
    qtbot.waitUntil(lambda: got == [42], timeout=10000)
    errors: list[BaseException] = []
    runner.run(lambda: 1 / 0, got.append, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=10000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_sync_runner_raises_without_error_handler() -> None:
    with pytest.raises(ZeroDivisionError):
        SyncRunner().run(lambda: 1 / 0, print)


def test_logging_goes_to_rotating_file() -> None:
    from vendoreval.ui.app import setup_logging

    path = setup_logging()
    logging.getLogger("vendoreval.test").warning("hello log")
    for h in logging.getLogger().handlers:
        h.flush()
    assert "hello log" in path.read_text(encoding="utf-8")
    for h in list(logging.getLogger().handlers):
        if getattr(h, "baseFilename", None) == str(path):
            logging.getLogger().removeHandler(h)
            h.close()


def test_cli_without_subcommand_starts_the_app(monkeypatch, data_dir: Path) -> None:
    import vendoreval.ui.app as app_module
    from vendoreval.cli import main

    calls = []
    monkeypatch.setattr(app_module, "run", lambda data_dir, evaluator: calls.append((data_dir, evaluator)) or 0)
    assert main(["--data-dir", str(data_dir), "--evaluator", "ann"]) == 0
    assert calls == [(str(data_dir), "ann")]


def _run_app_once(data_dir: Path) -> int:
    """Start the app with ui.app.run on data_dir, close its window as soon as it shows, return the exit code."""
    from vendoreval.ui.app import run
    from vendoreval.ui.main_window import MainWindow

    def close_all() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(50, close_all)
            return
        for w in windows:
            w.close()

    QTimer.singleShot(100, close_all)
    try:
        return run(str(data_dir), "ann")
    finally:
        for h in list(logging.getLogger().handlers):
            if h.__class__.__name__ == "RotatingFileHandler":
                logging.getLogger().removeHandler(h)
                h.close()


def test_run_opens_the_window_and_exits_cleanly(data_dir: Path, qapp) -> None:
    assert _run_app_once(data_dir) == 0
    assert (data_dir / "vendoreval.db").exists()
    assert data_dir.resolve() in recent_workspaces()


def test_run_takes_the_daily_backup_of_a_workspace_with_data(data_dir: Path, qapp) -> None:
    import sqlite3

    from vendoreval.services import Workspace

    ws = Workspace(data_dir, evaluator="ann")
    ws.vendors.create("Acme AI")
    ws.close()
    assert _run_app_once(data_dir) == 0
    assert _run_app_once(data_dir) == 0  # a second start the same day
    autos = sorted((data_dir / "backups").glob("vendoreval-auto-*.db"))
    assert len(autos) == 1, "one automatic backup a day, however often the app starts"
    conn = sqlite3.connect(autos[0])
    assert conn.execute("SELECT name FROM vendors").fetchall() == [("Acme AI",)]
    conn.close()


def test_thread_runner_keeps_nothing_alive_after_a_job(qtbot, qapp) -> None:
    import gc
    import weakref

    from vendoreval.ui.tasks import ThreadRunner

    class Payload:
        pass

    runner = ThreadRunner()
    payload = Payload()
    ref = weakref.ref(payload)
    got: list[object] = []
    runner.run(lambda p=payload: "ok" if p else "no", got.append)
    del payload
    qtbot.waitUntil(lambda: got == ["ok"], timeout=10_000)
    for _ in range(3):
        qapp.processEvents()
        gc.collect()
    assert not runner._jobs
    assert ref() is None, "the finished job still holds what its work captured"


def test_log_folder_is_named_when_no_file_manager_can_show_it(window) -> None:  # type: ignore[no-untyped-def]
    window.open_url = lambda _url: True  # a desktop with a file manager: it shows the folder
    before = len(window.messages.shown)
    window.commands.open_log_folder()
    assert len(window.messages.shown) == before
    window.open_url = lambda _url: False  # none (found under a bare X server): the path is said instead
    folder = window.commands.open_log_folder()
    kind, title, text = window.messages.shown[-1]
    assert (kind, title) == ("info", "Log folder") and str(folder) in text
