"""Errors in the app: a UserError is shown as itself; anything else is logged and shown as a bug."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QPushButton

from vendoreval.errors import UserError
from vendoreval.paths import log_dir
from vendoreval.ui.dialogs.bug_dialog import BugDialog
from vendoreval.ui.failures import install_hooks
from vendoreval.ui.messages import NOT_SAVED
from vendoreval.ui.tasks import ThreadRunner


@pytest.fixture
def log_file() -> Iterator[Path]:
    """The app's rotating log file (in the test's own log folder), detached again afterwards."""
    from vendoreval.ui.app import setup_logging

    path = setup_logging()
    yield path
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "baseFilename", None) == str(path):
            root.removeHandler(h)
            h.close()


def _logged(path: Path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8")


@pytest.fixture
def hooks(window):  # type: ignore[no-untyped-def]
    """The app's exception hooks, as ui.app.run installs them (pytest-qt's own are put back afterwards)."""
    installed = install_hooks(lambda: window.messages, lambda: window)
    yield installed
    installed.uninstall()


def _archive_with(window, error: Exception) -> str:  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Acme AI"})
    ws = window.session.ws

    def refuse(*_args: object) -> None:
        raise error

    ws.vendors.set_archived = refuse
    window.registry["archive_vendor"].trigger()
    return vendor.id


def test_a_user_error_from_a_service_shows_its_message(window, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    vid = _archive_with(window, UserError.at("archiving is not allowed here", file="policy.toml", line=3))
    text = window.messages.errors[-1]
    assert "policy.toml, line 3: archiving is not allowed here" in text and NOT_SAVED in text
    assert not window.messages.bugs
    assert window.saved_label.text() == "Last change NOT saved"
    assert not window.session.ws.vendors.get(vid).archived
    assert "Traceback" not in _logged(log_file), "a user's mistake is not a bug"


def test_any_other_error_is_logged_with_its_traceback_and_shown_as_a_bug(window, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    _archive_with(window, RuntimeError("archive index out of sync"))
    assert not window.messages.errors
    kind, title, text = window.messages.shown[-1]
    assert kind == "bug" and title.startswith("Archive Acme AI") and "not saved" in title
    assert "RuntimeError: archive index out of sync" in text and str(log_dir()) in text
    logged = _logged(log_file)
    assert "Traceback" in logged and "RuntimeError: archive index out of sync" in logged and "in refuse" in logged
    assert window.saved_label.text() == "Last change NOT saved"
    window.page("vendors").new_vendor({"name": "Still works"})  # the app goes on
    assert window.session.ws.vendors.find("Still works")


def test_an_exception_in_a_button_slot_is_logged_and_shown_and_the_app_goes_on(
        qtbot, window, hooks, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    button = QPushButton("Broken", window)
    clicks: list[int] = []

    def broken_slot() -> None:
        clicks.append(1)
        raise KeyError("no such column")

    button.clicked.connect(broken_slot)
    button.show()
    button.click()
    qtbot.waitUntil(lambda: bool(window.messages.bugs), timeout=5_000)
    assert "KeyError" in window.messages.bugs[0] and str(log_dir()) in window.messages.bugs[0]
    logged = _logged(log_file)
    assert "Traceback" in logged and "in broken_slot" in logged and "KeyError: 'no such column'" in logged
    button.click()  # still connected, the event loop still turns
    qtbot.waitUntil(lambda: len(clicks) == 2 and len(window.messages.bugs) == 2, timeout=5_000)
    window.page("vendors").new_vendor({"name": "After the bug"})
    assert window.session.ws.vendors.find("After the bug")


def test_an_uncaught_user_error_in_a_slot_is_shown_as_a_user_error(qtbot, window, hooks) -> None:  # type: ignore[no-untyped-def]
    button = QPushButton("Check", window)

    def refuse() -> None:
        raise UserError("field name: a name is needed", field="name")

    button.clicked.connect(refuse)
    button.click()
    qtbot.waitUntil(lambda: bool(window.messages.errors), timeout=5_000)
    assert window.messages.errors == ["Name: A name is needed."]  # in the user's words and not window.messages.bugs


def test_a_thread_that_dies_is_logged_and_shown_on_the_ui_thread(qtbot, window, hooks, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    def run() -> None:
        raise ValueError("bad checksum in the team folder")

    t = threading.Thread(target=run, name="team-folder-sync")
    t.start()
    t.join(5)
    qtbot.waitUntil(lambda: bool(window.messages.bugs), timeout=5_000)
    assert "ValueError: bad checksum in the team folder" in window.messages.bugs[0]
    logged = _logged(log_file)
    assert "team-folder-sync" in logged and "Traceback" in logged


def test_a_worker_failure_nobody_handles_reaches_the_bug_dialog_and_is_logged_once(
        qtbot, window, hooks, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    def analysis() -> None:
        raise ZeroDivisionError("no rubric weighs anything")

    ThreadRunner().run(analysis, print, label="Comparing the vendors")
    qtbot.waitUntil(lambda: bool(window.messages.bugs), timeout=5_000)
    assert "ZeroDivisionError" in window.messages.bugs[0]
    logged = _logged(log_file)
    assert logged.count("ZeroDivisionError: no rubric weighs anything") == 1 and "in analysis" in logged


def test_the_bug_dialog_names_the_log_folder_and_copies_or_opens_it(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opened: list[QUrl] = []
    folder = tmp_path / "logs"
    dialog = BugDialog("Archive Acme AI — not saved", "Archive Acme AI failed: RuntimeError: boom.", folder,
                       open_url=opened.append)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "This is a bug in vendoreval" in dialog.message.text() and "RuntimeError: boom" in dialog.message.text()
    assert dialog.path.text() == str(folder) and dialog.path.isReadOnly()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == str(folder)
    dialog.open_button.click()
    assert opened == [QUrl.fromLocalFile(str(folder))] and folder.is_dir()
    dialog.grab().save(str(tmp_path / "bug-dialog.png"))
