"""Bad input: a clear dialog, and the user is told the edit was NOT saved (nothing dropped silently)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt

from vendoreval.ui.messages import NOT_SAVED


def _type_description(window, qtbot, text: str):  # type: ignore[no-untyped-def]
    profile = window.page("vendors").detail.profile
    profile.description.setFocus()
    qtbot.keyClicks(profile.description, text)
    profile.autosaves["description"].flush()
    return profile


def test_unreadable_evidence_file(window, tmp_path: Path) -> None:
    vendors = window.page("vendors")
    v = vendors.new_vendor({"name": "Filer"})
    ev = vendors.detail.evidence
    assert ev.add_files([tmp_path / "missing.pdf", tmp_path]) == 0
    assert len(window.messages.errors) == 2
    assert "missing.pdf" in window.messages.errors[0] and NOT_SAVED in window.messages.errors[0]
    assert window.session.ws.evidence.list(v.id) == []
    assert window.saved_label.text() == "Last change NOT saved"


def test_invalid_rubric_file_lists_problems(window, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "Bad Id"\nversion = "1"\ntitle = "x"\narea = "y"\n[[criteria]]\nid = "c"\n',
                   encoding="utf-8")
    browser = window.page("rubrics")
    before = browser.model.rowCount()
    assert browser.add_file(bad) is None
    text = window.messages.errors[-1]
    assert "bad.toml" in text and "NOT added" in text
    assert browser.model.rowCount() == before
    broken = tmp_path / "broken.toml"
    broken.write_text("id = [unclosed", encoding="utf-8")
    assert browser.add_file(broken) is None
    assert "broken.toml" in window.messages.errors[-1]


def test_read_only_database(window, qtbot) -> None:
    vendors = window.page("vendors")
    v = vendors.new_vendor({"name": "Readonly"})
    window.session.ws.store.db.execute("PRAGMA query_only = ON")  # writes now fail like a read-only file
    profile = _type_description(window, qtbot, "kept on screen")
    assert "read-only" in window.messages.errors[-1] and NOT_SAVED in window.messages.errors[-1]
    assert profile.description.toPlainText() == "kept on screen"  # the user's words are not thrown away
    assert profile.autosaves["description"].pending
    window.session.ws.store.db.execute("PRAGMA query_only = OFF")
    profile.autosaves["description"].flush()
    assert window.session.ws.vendors.get(v.id).description == "kept on screen"


def test_locked_database(open_window, data_dir: Path, qtbot) -> None:
    window = open_window(data_dir, busy_timeout_ms=50)
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Locked"})
    other = sqlite3.connect(str(data_dir / "vendoreval.db"), timeout=0.05)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert vendors.new_vendor({"name": "Second"}) is None
        # the data folder is busy: asked Retry / Cancel (the recorded answer cancels), nothing half-written
        kind, _what, text = window.messages.shown[-1]
        assert kind == "busy" and "is busy" in text and "Nothing was saved" in text
        assert window.saved_label.text() == "Last change NOT saved"
        editor_card = vendors.detail.scorecards.start_scorecard("gdpr")
        assert editor_card is None and window.messages.shown[-1][0] == "busy"
    finally:
        other.rollback()
        other.close()
    assert [v.name for v in window.session.ws.vendors.list()] == ["Locked"]


def test_data_folder_disappeared(open_window, tmp_path: Path, qtbot) -> None:
    folder = tmp_path / "usb-stick"
    window = open_window(folder)
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Vanishing"})
    card = vendors.detail.scorecards.start_scorecard("gdpr")
    assert card is not None
    shutil.rmtree(folder)
    profile = _type_description(window, qtbot, "typed after the folder went")
    assert "no longer there" in window.messages.errors[-1] and NOT_SAVED in window.messages.errors[-1]
    assert profile.description.toPlainText() == "typed after the folder went"
    editor = window.page("scorecard")
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_2)
    assert "no longer there" in window.messages.errors[-1]
    assert window.session.undo_stack.count() == 2  # vendor + scorecard; the refused edits left no undo step


def test_open_workspace_that_cannot_be_opened(window, tmp_path: Path) -> None:
    not_a_db = tmp_path / "notdb"
    not_a_db.mkdir()
    (not_a_db / "vendoreval.db").write_bytes(b"this is not sqlite" * 100)
    old = window.session.ws
    window.commands.open_workspace(not_a_db)
    assert "could not be opened" in window.messages.errors[-1]
    assert window.session.ws is old


def test_recent_workspace_that_disappeared(window, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    window.commands.open_workspace(gone)
    assert window.session.ws.data_dir == gone
    window.commands.open_workspace(tmp_path / "other")
    shutil.rmtree(gone)
    window._fill_recent()
    action = next(a for a in window.recent_menu.actions() if a.text() == str(gone.resolve()))
    action.trigger()
    assert "no longer there" in window.messages.errors[-1]
    assert window.session.ws.data_dir == tmp_path / "other"
    assert not gone.exists()  # not silently re-created as an empty workspace
