"""Undo and redo of the session's edits through the services' inverse operations."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from vendoreval.domain.models import Answer


def test_undo_redo_create_and_delete_vendor(window) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Undoable"})
    vendors.detail.claims.add_claim({"text": "Claim one"})
    window.registry["delete_vendor"].trigger()  # confirm() answers yes
    assert ws.vendors.list() == []
    window.registry["undo"].trigger()
    assert ws.vendors.get(v.id).name == "Undoable"
    assert [c.text for c in ws.claims.list(v.id)] == ["Claim one"]  # restored with everything it owned
    window.registry["undo"].trigger()  # the claim
    window.registry["undo"].trigger()  # the vendor itself
    assert ws.vendors.list() == []
    window.registry["redo"].trigger()
    assert ws.vendors.get(v.id).name == "Undoable"
    assert vendors.stack.currentWidget() is vendors.splitter or vendors._refresh_timer.isActive()


def test_undo_redo_score_and_text(window, qtbot) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Scored"})
    card = vendors.detail.scorecards.start_scorecard("gdpr")
    editor = window.page("scorecard")
    editor.list.setFocus()
    crit = editor.current_criterion().id
    qtbot.keyClick(editor.list, Qt.Key.Key_3)
    qtbot.keyClick(editor.list, Qt.Key.Key_1)
    assert ws.scorecards.get(card.id).scores[crit].level == 1
    window.registry["undo"].trigger()
    assert ws.scorecards.get(card.id).scores[crit].level == 3
    assert editor.level_buttons[3].isChecked()
    window.registry["undo"].trigger()
    assert crit not in ws.scorecards.get(card.id).scores
    assert editor.progress.text().startswith("<b>0 of")
    window.registry["redo"].trigger()
    assert ws.scorecards.get(card.id).scores[crit].answer == Answer.LEVEL

    profile = vendors.detail.profile
    profile.product.setText("First")
    profile.autosaves["product"].flush()
    profile.product.setText("Second")
    profile.autosaves["product"].flush()
    assert ws.vendors.get(v.id).product == "Second"
    assert window.registry["undo"].text().startswith("&Undo Edit vendor product")
    window.registry["undo"].trigger()
    assert ws.vendors.get(v.id).product == "First"
    assert profile.product.text() == "First"


def test_undo_claim_and_evidence_deletion(window, tmp_path: Path) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Evident"})
    claims = vendors.detail.claims
    claim = claims.add_claim({"text": "ISO 42001 certified"})
    f = tmp_path / "cert.pdf"
    f.write_bytes(b"cert")
    claims.attach_files([f])
    ev = ws.evidence.list(v.id)[0]
    evidence_tab = vendors.detail.evidence
    vendors.detail.tabs.setCurrentWidget(evidence_tab)
    evidence_tab.delete_current()
    assert ws.evidence.list(v.id) == [] and ws.claims.get(claim.id).evidence_ids == []
    window.registry["undo"].trigger()
    assert [e.id for e in ws.evidence.list(v.id)] == [ev.id]
    assert ws.claims.get(claim.id).evidence_ids == [ev.id]
    vendors.detail.tabs.setCurrentWidget(claims)
    claims.delete_current()
    assert ws.claims.list(v.id) == []
    window.registry["undo"].trigger()
    assert ws.claims.get(claim.id).evidence_ids == [ev.id]


def test_debounced_text_is_one_audit_entry(window, qtbot) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    v = vendors.new_vendor({"name": "Typist"})
    profile = vendors.detail.profile
    profile.website.setFocus()
    qtbot.keyClicks(profile.website, "https://typist.example")
    assert ws.vendors.get(v.id).website == ""  # not per keystroke
    qtbot.waitUntil(lambda: ws.vendors.get(v.id).website == "https://typist.example", timeout=10000)
    assert len([e for e in ws.history(v.id) if e.field == "website"]) == 1
    assert window.saved_label.text().startswith("All changes saved")


def test_redo_by_keyboard_after_undo(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    # each redo key once: a key listed twice (X11's standard Redo is Ctrl+Shift+Z) is ambiguous and fires nothing
    keys = [k.toString() for k in window.registry["redo"].shortcuts()]
    assert len(keys) == len(set(keys)) and {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys)
    ws = window.session.ws
    for key, mods in ((Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
                      (Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)):
        window.page("vendors").new_vendor({"name": f"Redone {key}"})
        window.registry["undo"].trigger()
        assert ws.vendors.list() == []
        qtbot.keyClick(window, key, mods)
        assert [v.name for v in ws.vendors.list()] == [f"Redone {key}"]
        ws.vendors.delete(ws.vendors.list()[0].id)


def test_redo_keys_are_listed_once_where_the_platform_redo_is_ctrl_shift_z(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QKeySequence

    from vendoreval.ui import main_window

    class X11Keys(QKeySequence):  # what Qt's xcb platform answers for QKeySequence.Redo
        @staticmethod
        def keyBindings(key):  # type: ignore[no-untyped-def,override]
            return [QKeySequence("Ctrl+Shift+Z")]

    monkeypatch.setattr(main_window, "QKeySequence", X11Keys)
    assert [k.toString() for k in main_window.redo_shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_undo_says_what_it_undid_in_the_status_bar(window) -> None:  # type: ignore[no-untyped-def]
    """Undo works on whatever page the change was made: from another page it looked as if nothing happened
    (a tester undid a rationale from the Rubrics page). The status bar says what was undone and redone."""
    window.page("vendors").new_vendor({"name": "Acme AI"})
    window.show_page("rubrics")
    window.registry["undo"].trigger()
    assert window.statusBar().currentMessage() == "Undone: Create vendor Acme AI"
    assert window.session.ws.vendors.list() == []
    window.registry["redo"].trigger()
    assert window.statusBar().currentMessage() == "Redone: Create vendor Acme AI"
    assert [v.name for v in window.session.ws.vendors.list()] == ["Acme AI"]
