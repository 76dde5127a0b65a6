"""The Evidence tab: URLs and notes recorded (never fetched), undoable, opened only on an explicit Open."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from vendoreval.domain.models import EvidenceKind
from vendoreval.ui.dialogs.evidence_dialog import NoteEvidenceDialog, UrlEvidenceDialog


def _evidence_tab(window):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Acme AI"})
    tab = vendors.detail.evidence
    vendors.detail.tabs.setCurrentWidget(tab)
    opened: list[QUrl] = []
    tab.open_url = opened.append  # nothing may reach the desktop in a test
    return tab, vendor, opened


def test_add_url_and_note_show_in_the_list_and_undo_redo(window) -> None:
    tab, vendor, opened = _evidence_tab(window)
    ws = window.session.ws
    assert tab.url_button.isEnabled() and tab.note_button.isEnabled()
    url = tab.add_url({"url": " https://acme.example/trust/ai-policy ", "title": "Trust centre: AI policy"})
    assert url is not None and url.kind == EvidenceKind.URL and url.url == "https://acme.example/trust/ai-policy"
    note = tab.add_note({"note": "Demo call 12 May: retention is 30 days", "title": ""})
    assert note is not None and note.kind == EvidenceKind.NOTE
    shown = {tab.model.data(tab.model.index(r, 0)): tab.model.data(tab.model.index(r, 2))
             for r in range(tab.model.rowCount())}
    assert shown == {"Trust centre: AI policy": "https://acme.example/trust/ai-policy",
                     "Demo call 12 May: retention is 30 days": "Demo call 12 May: retention is 30 days"}
    assert tab.current().id == note.id  # the added item is selected
    assert opened == []  # recording a URL opens nothing

    window.registry["undo"].trigger()
    assert [e.id for e in ws.evidence.list(vendor.id)] == [url.id] and tab.model.rowCount() == 1
    window.registry["undo"].trigger()
    assert ws.evidence.list(vendor.id) == [] and tab.model.rowCount() == 0
    window.registry["redo"].trigger()
    window.registry["redo"].trigger()
    assert {e.id for e in ws.evidence.list(vendor.id)} == {url.id, note.id}
    assert [h.action for h in ws.history(vendor.id) if h.entity == "evidence"].count("create") >= 2


def test_empty_url_or_note_is_refused_with_a_message_and_nothing_saved(window) -> None:
    tab, vendor, _ = _evidence_tab(window)
    assert tab.add_url({"url": "   "}) is None
    assert tab.add_note({"note": ""}) is None
    assert window.session.ws.evidence.list(vendor.id) == []
    errors = window.session.messages.errors
    assert any("URL is needed" in e for e in errors) and any("note is empty" in e for e in errors)


def test_url_opens_only_on_explicit_open_and_only_for_web_addresses(window, qtbot) -> None:
    tab, _vendor, opened = _evidence_tab(window)
    web = tab.add_url({"url": "https://acme.example/model-card"})
    assert opened == []
    assert tab.open_button.isEnabled()
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl("https://acme.example/model-card")]
    tab.add_url({"url": "file:///etc/passwd"})
    tab.open_current()
    assert len(opened) == 1 and "only web addresses" in window.session.messages.errors[-1]
    note = tab.add_note({"note": "Asked twice; same answer"})
    assert note is not None and web is not None
    tab.open_current()
    assert len(opened) == 1  # a note is shown in the app, not handed to the desktop
    assert window.session.messages.shown[-1] == ("info", "Asked twice; same answer", "Asked twice; same answer")


def test_dialogs_need_text_before_add(qtbot) -> None:
    dlg = UrlEvidenceDialog()
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dlg.url, "https://acme.example")
    assert ok.isEnabled() and dlg.values() == {"url": "https://acme.example", "title": ""}
    note = NoteEvidenceDialog()
    qtbot.addWidget(note)
    ok = note.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    note.note.setPlainText("  Seen in the data room  ")
    note.title.setText("Data room")
    assert ok.isEnabled() and note.values() == {"note": "Seen in the data room", "title": "Data room"}


def test_add_url_button_asks_through_the_dialog(window, qtbot) -> None:
    tab, vendor, opened = _evidence_tab(window)

    def fill() -> None:
        # Polled until the modal dialog is up (a busy machine may take a while to show it); any other
        # modal is rejected so the test fails instead of hanging.
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            return
        timer.stop()
        if isinstance(dlg, UrlEvidenceDialog):
            dlg.url.setText("https://acme.example/sub-processors")
            dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        else:
            dlg.reject()  # type: ignore[attr-defined]

    timer = QTimer(tab)
    timer.setInterval(20)
    timer.timeout.connect(fill)
    timer.start()
    qtbot.mouseClick(tab.url_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert [e.url for e in window.session.ws.evidence.list(vendor.id)] == ["https://acme.example/sub-processors"]
    assert opened == []
