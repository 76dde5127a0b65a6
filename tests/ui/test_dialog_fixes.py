"""What a tester found in the dialogs: a refused new vendor keeps its typing, plain words for field errors, the
status bar forgets an old refusal after a save, no libpyside warning when the launch heap freezes."""

from __future__ import annotations

import warnings

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from vendoreval.domain.models import Decision
from vendoreval.domain.rules import check_decision
from vendoreval.services.workspace import Workspace
from vendoreval.ui.dialogs.vendor_dialog import NewVendorDialog
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.session import Session
from vendoreval.ui.tasks import ThreadRunner


def _on_dialog(step, tries: int = 500, kind: type = NewVendorDialog) -> None:  # type: ignore[no-untyped-def]
    """Run ``step(dialog)`` once a modal dialog of ``kind`` is open (bounded polling)."""
    def run() -> None:
        nonlocal tries
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            tries -= 1
            if tries > 0:
                QTimer.singleShot(20, run)
            return
        step(dialog)
    QTimer.singleShot(0, run)


def test_a_taken_name_or_a_bad_website_keeps_the_new_vendor_dialog_open_with_all_typed(
        open_window, data_dir, qtbot) -> None:
    Workspace(data_dir).vendors.create("Lumen Copy")
    messages = RecordingMessages()
    window = open_window(data_dir, messages)
    seen: list[tuple[str, ...]] = []

    def type_all(d: NewVendorDialog) -> None:
        qtbot.keyClicks(d.name, "lumen copy ")
        qtbot.keyClicks(d.product, "Copywriter")
        qtbot.keyClicks(d.website, "https://lumen2.example")
        qtbot.keyClick(d.website, Qt.Key.Key_Return)
        # refused: still open, everything as typed, the name focused and selected to be retyped
        seen.append((str(d.isVisible()), d.name.text(), d.product.text(), d.website.text(),
                     str(d.focusWidget() is d.name), d.name.selectedText()))
        qtbot.keyClicks(d.name, "Lumen Two")  # replaces the selected name
        d.website.selectAll()
        qtbot.keyClicks(d.website, "not a url")
        qtbot.keyClick(d.website, Qt.Key.Key_Return)
        seen.append((str(d.isVisible()), d.name.text(), d.website.text(), str(d.focusWidget() is d.website),
                     d.website.selectedText()))
        qtbot.keyClicks(d.website, "lumen2.example")
        qtbot.keyClick(d.website, Qt.Key.Key_Return)

    _on_dialog(type_all)
    qtbot.keyClick(window, QKeySequence(QKeySequence.StandardKey.New)[0].key(),
                   QKeySequence(QKeySequence.StandardKey.New)[0].keyboardModifiers())
    assert seen[0] == ("True", "lumen copy ", "Copywriter", "https://lumen2.example", "True", "lumen copy ")
    assert seen[1] == ("True", "Lumen Two", "not a url", "True", "not a url")
    errors = [text for kind, _title, text in messages.shown if kind == "error"]
    assert errors[0] == "A vendor named 'lumen copy' already exists."
    assert errors[1].startswith("Website: 'not a url' is not a web address")
    created = window.session.ws.vendors.find("Lumen Two")
    assert (created.product, created.website) == ("Copywriter", "lumen2.example")


def test_field_errors_read_in_the_users_words_and_a_later_save_clears_the_status_bar(window) -> None:
    messages = window.session.messages
    session = window.session

    def refuse() -> None:
        check_decision(Decision.NO_GO, ["Audit rights"])

    assert session.edit("Record decision", refuse, lambda: None) is None
    kind, _title, text = messages.shown[-1]
    assert kind == "error" and text.startswith("Conditions: A 'No-go' decision takes no conditions")
    assert "field conditions" not in text
    bar = window.statusBar().currentMessage()
    assert bar.startswith("Conditions: A 'No-go'") and window.saved_label.text() == "Last change NOT saved"
    window.page("vendors").new_vendor({"name": "Saved fine"})
    assert window.statusBar().currentMessage() == ""
    assert window.saved_label.text().startswith("All changes saved")


def test_the_launch_heap_freeze_disconnects_only_what_it_connected(data_dir, qtbot, capfd, monkeypatch) -> None:
    from vendoreval.ui import heap
    from vendoreval.ui import session as session_module

    monkeypatch.setattr(heap, "_frozen", False)
    monkeypatch.setattr(session_module, "SETTLE_AT_MOST_MS", 50)
    monkeypatch.setattr(session_module, "freeze_launch_heap", lambda: True)
    runner = ThreadRunner()
    session = Session(Workspace(data_dir), messages=RecordingMessages(), runner=runner)
    monkeypatch.setattr(runner, "working", lambda: True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        session._freeze_when_settled()
        runner.idle.emit()  # the launch work ended: disconnected here
        qtbot.wait(150)  # then the time limit fires: nothing left to disconnect
    assert not [w for w in caught if "disconnect" in str(w.message)]
    assert "Failed to disconnect" not in capfd.readouterr().err
    session.close()


def test_r_appends_to_the_rationale_with_a_space_not_glued_on(window, qtbot) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    assert vendors.detail.scorecards.start_scorecard("copyright") is not None
    editor = window.page("scorecard")
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_2)
    qtbot.keyClick(editor.list, Qt.Key.Key_R)
    qtbot.keyClicks(editor.rationale, "documents reviewed.")
    qtbot.keyClick(editor.rationale, Qt.Key.Key_Escape)
    qtbot.keyClick(editor.list, Qt.Key.Key_R)
    qtbot.keyClick(editor.rationale, Qt.Key.Key_Escape)  # R and away again: nothing added
    assert editor.rationale.toPlainText() == "documents reviewed."
    qtbot.keyClick(editor.list, Qt.Key.Key_R)
    qtbot.keyClicks(editor.rationale, "Sales demo showed it")
    assert editor.rationale.toPlainText() == "documents reviewed. Sales demo showed it"
    editor.rationale.setPlainText("ends in a line\n")
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_R)
    qtbot.keyClicks(editor.rationale, "Next")
    assert editor.rationale.toPlainText() == "ends in a line\nNext"


def _on_brief(step, tries: int = 500) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.ui.dialogs.brief_dialog import BriefDialog

    _on_dialog(step, tries, BriefDialog)


def test_the_brief_remembers_what_was_typed_per_workspace_and_names_the_profile_it_uses(
        open_window, data_dir, tmp_path, qtbot) -> None:
    from vendoreval.ui.dialogs.brief_dialog import BriefDialog

    window = open_window(data_dir)
    window.page("vendors").new_vendor({"name": "Acme AI"})
    typed = {"title": "Q4 copywriting tool", "owner": "Dana Reyes", "owner_role": "CMO", "paper": "BP-2026-41",
             "meeting_date": "2026-12-10", "agenda_item": "7", "author": "Ann Lee"}
    seen: list[dict[str, str]] = []

    def fill_and_export(d: BriefDialog) -> None:
        seen.append({key: getattr(d, key).text() for key in typed})
        for key, text in typed.items():
            getattr(d, key).clear()
            qtbot.keyClicks(getattr(d, key), text)
        qtbot.keyClicks(d.decision, "Approve Acme AI.")
        d.path.setText(str(tmp_path / "brief.pdf"))
        d.grab().save("/tmp/h-dialogs-2a.png")
        d.reject()  # cancelled: what was typed is kept all the same

    _on_brief(fill_and_export)
    window.commands.export_brief()
    assert seen[0]["title"] != typed["title"] and seen[0]["owner"] == ""  # the defaults, the first time

    # the Compare page holds weights edited and not saved: the dialog says the brief does not use them
    window.show_page("compare")
    compare = window.page("compare")
    spin = compare.rubric_spin(sorted(compare._rubric_spins)[0])
    spin.setValue(spin.value() + 1)
    assert compare.weights_edited
    notes: list[tuple[bool, str, str]] = []

    def check_again(d: BriefDialog) -> None:
        seen.append({key: getattr(d, key).text() for key in typed})
        notes.append((d.profile_note.isVisible(), d.profile_note.text(), d.decision.toPlainText()))
        d.grab().save("/tmp/h-dialogs-2b.png")
        d.reject()

    _on_brief(check_again)
    window.commands.export_brief()
    assert seen[1] == typed
    visible, note, decision = notes[0]
    assert visible and "'balanced'" in note and "not in it" in note and "Compare" in note
    assert decision == "Approve Acme AI."

    # another workspace starts from the defaults
    other = tmp_path / "other"
    other.mkdir()
    window2 = open_window(other)
    _on_brief(lambda d: (seen.append({key: getattr(d, key).text() for key in typed}), d.reject()))
    window2.commands.export_brief()
    assert seen[2]["owner"] == ""


def _short_scorecard_window(window, qtbot):  # type: ignore[no-untyped-def]
    """A vendor's new Copyright scorecard open in a 480 px high window (its criterion pane scrolls)."""
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    assert vendors.detail.scorecards.start_scorecard("copyright") is not None
    window.resize(1100, 480)
    window.show()
    qtbot.waitExposed(window)
    return window.page("scorecard")


def test_r_brings_the_rationale_into_view(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """In a short window the rationale box is below the fold; R put the cursor there out of sight (a tester
    typed blind): R scrolls the criterion's pane to it."""
    editor = _short_scorecard_window(window, qtbot)
    bar = editor.detail_scroll.verticalScrollBar()
    bar.setValue(0)
    assert bar.maximum() > 0  # the pane does scroll at this height
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_2)  # a level first: the rationale is for it
    bar.setValue(0)
    qtbot.keyClick(editor.list, Qt.Key.Key_R)
    assert editor.rationale.hasFocus()
    top = editor.rationale.mapTo(editor.detail_scroll.widget(), editor.rationale.rect().topLeft()).y()
    assert bar.value() <= top <= bar.value() + editor.detail_scroll.viewport().height()


def test_the_next_criterion_starts_at_its_title_and_letters_never_switch_pages(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """J/K kept the detail pane scrolled mid-way (the next criterion's title out of view); after a submit the
    focus fell to the page list, whose type-ahead turned the words typed for the locked rationale into a
    jump to the Compare page."""
    editor = _short_scorecard_window(window, qtbot)
    bar = editor.detail_scroll.verticalScrollBar()
    editor.list.setFocus()
    bar.setValue(bar.maximum())
    qtbot.keyClick(editor.list, Qt.Key.Key_J)
    assert bar.value() == 0
    page = window.stack.currentWidget()
    window.sidebar.setFocus()
    qtbot.keyClicks(window.sidebar, "compare can I edit")
    assert window.stack.currentWidget() is page  # letters in the page list pick no page


def test_a_digit_beyond_the_scale_is_said(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """9 on a 0–4 scale did nothing and said nothing (a tester): it says why, and nothing is scored."""
    editor = _short_scorecard_window(window, qtbot)
    said: list[str] = []
    window.session.said.connect(said.append)
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_9)
    assert len(said) == 1 and "level 9 is out of range 0..4" in said[0] and "nothing was scored" in said[0]
    assert editor.card is not None and window.session.ws.scorecards.get(editor.card.id).scores == {}
    assert window.statusBar().currentMessage() == said[0]
