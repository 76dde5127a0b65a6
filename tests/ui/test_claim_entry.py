"""Entering a claim without friction, driven by keys: one dialog for words, source, status and criteria;
Tab in reading order; a PDF paste joined; the criteria picker searched by title first, ticks kept in view."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from tests.factories import criterion, rubric
from tests.ui.test_tab_order import tab_walk
from vendoreval.domain.models import ClaimStatus, SourceKind
from vendoreval.ui.dialogs.claim_dialog import ClaimDialog
from vendoreval.ui.dialogs.criteria_picker import CriteriaPicker


def gdpr() -> Any:
    return rubric("gdpr", [
        {**criterion("dpa"), "title": "Data processing agreement", "question": "Will you sign our DPA?"},
        {**criterion("subs"), "title": "Sub-processors", "question": "Which processors does the agreement name?"},
        {**criterion("transfer"), "title": "International transfers", "question": "Where is data processed?"},
    ])


def training() -> Any:
    return rubric("training", [
        {**criterion("tokens"), "title": "Training data size", "question": "How many tokens?"},
        {**criterion("licence"), "title": "Licensed data", "question": "Which training data is under agreement?"},
    ])


def shown_dialog(qtbot: Any, dialog: QDialog) -> None:
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=10000)


def test_the_claim_dialog_takes_status_and_criteria_and_walks_them_by_tab(qtbot: Any) -> None:
    dialog = ClaimDialog([gdpr(), training()])
    shown_dialog(qtbot, dialog)
    d, c = dialog, dialog.criteria
    cancel = d.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    # the buttons too, each in turn: Tab went from the ticked list to Cancel, past Record claim (a tester)
    order = [d.text, d.kind, d.source, d.page, d.said_on, d.said_to, d.status, d.status_note, c.filter, c.tree,
             c.ticked, d.record_button, d.next_button, cancel]
    assert d.record_button.text() == "Record claim" and d.next_button.text() == "Record and add ne&xt"
    assert tab_walk(qtbot, d.text, len(order) - 1) == order
    assert tab_walk(qtbot, cancel, len(order) - 1, back=True) == order[::-1]

    # everything typed in the one dialog, by keys
    d.text.setFocus()
    qtbot.keyClicks(d.text, "We never train on customer data.")
    qtbot.keyClick(d.text, Qt.Key.Key_Tab)
    qtbot.keyClick(d.kind, Qt.Key.Key_Down)  # Document → Web page
    qtbot.keyClick(d.kind, Qt.Key.Key_Tab)
    qtbot.keyClicks(d.source, "Trust centre")
    qtbot.keyClick(d.source, Qt.Key.Key_Tab)
    qtbot.keyClicks(d.page, "FAQ 3")
    qtbot.keyClick(d.page, Qt.Key.Key_Tab)
    qtbot.keyClicks(d.said_on, "2026-03-14")
    qtbot.keyClick(d.said_on, Qt.Key.Key_Tab)
    qtbot.keyClick(d.said_to, Qt.Key.Key_Tab)
    assert d.status.hasFocus()
    for _ in range(4):  # Asserted → ... → Contradicted
        qtbot.keyClick(d.status, Qt.Key.Key_Down)
    qtbot.keyClick(d.status, Qt.Key.Key_Tab)
    qtbot.keyClicks(d.status_note, "Their model card says otherwise")
    qtbot.keyClick(d.status_note, Qt.Key.Key_Tab)
    assert c.filter.hasFocus()
    qtbot.keyClicks(c.filter, "agreement")
    qtbot.keyClick(c.filter, Qt.Key.Key_Return)  # goes to the list; never records the claim from the search box
    assert d.isVisible() and c.tree.hasFocus()
    qtbot.keyClick(c.tree, Qt.Key.Key_Space)  # the first match: "Data processing agreement"
    qtbot.keyClick(c.tree, Qt.Key.Key_Down)
    qtbot.keyClick(c.tree, Qt.Key.Key_Down)  # the question match "Licensed data" (after "Sub-processors")
    qtbot.keyClick(c.tree, Qt.Key.Key_Space)
    assert d.values() == {
        "text": "We never train on customer data.", "source_kind": SourceKind.URL, "source": "Trust centre",
        "page": "FAQ 3", "said_on": __import__("datetime").date(2026, 3, 14), "said_to": "",
        "status": ClaimStatus.CONTRADICTED, "status_note": "Their model card says otherwise",
        "criteria": ["gdpr:dpa", "training:licence"]}
    assert [c.ticked.item(i).text() for i in range(c.ticked.count())] == [
        "Rubric gdpr › Data processing agreement", "Rubric training › Licensed data"]


def test_a_claim_pasted_from_a_pdf_arrives_joined(qtbot: Any) -> None:
    dialog = ClaimDialog([gdpr()])
    shown_dialog(qtbot, dialog)
    QApplication.clipboard().setText("Trained on 40 bil-\nlion tokens of licensed mar-\nketing\ncopy.\n\n"
                                     "Hosted in the EU.\n")
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Deck: ")
    qtbot.keyClick(dialog.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert dialog.text.toPlainText() == ("Deck: Trained on 40 billion tokens of licensed marketing copy.\n\n"
                                         "Hosted in the EU.")


def test_the_dialog_refuses_empty_words_and_a_bad_date_in_place(qtbot: Any) -> None:
    dialog = ClaimDialog([gdpr()])
    shown_dialog(qtbot, dialog)
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and dialog.error.text() == "Paste the vendor's words first."
    dialog.text.setPlainText("98 % accurate")
    dialog.said_on.setText("14/03/2026")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "is not a date" in dialog.error.text()


def test_picker_searches_titles_before_questions_and_keeps_ticks_in_view(qtbot: Any) -> None:
    picker = CriteriaPicker([gdpr(), training()], ["training:tokens"])
    shown_dialog(qtbot, picker)
    chooser = picker.chooser
    assert chooser.visible_titles() == ["Data processing agreement", "Sub-processors", "International transfers",
                                        "Training data size", "Licensed data"]
    picker.filter.setFocus()
    qtbot.keyClicks(picker.filter, "agreement")
    # the title match first, then the question matches in rubric order
    assert chooser.visible_titles() == ["Data processing agreement", "Sub-processors", "Licensed data"]
    # the ticked criterion is no match, yet stays in view, by its title
    assert [chooser.ticked.item(i).text() for i in range(chooser.ticked.count())] == [
        "Rubric training › Training data size"]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    qtbot.keyClick(picker.tree, Qt.Key.Key_Space)
    assert picker.chosen() == ["training:tokens", "gdpr:dpa"]
    assert chooser.ticked_label.text() == "&Ticked: 2 criteria"
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "nothing like it")
    assert chooser.visible_titles() == []
    assert picker.tree.topLevelItem(0).text(0) == "No criterion matches “nothing like it”"
    # unticking in the ticked list unlinks it, and the list shows it again, ticked off
    chooser.ticked.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert picker.chosen() == ["gdpr:dpa"]
    picker.filter.clear()
    tokens = next(picker.tree.topLevelItem(1).child(i) for i in range(2)
                  if picker.tree.topLevelItem(1).child(i).text(0) == "Training data size")
    assert tokens.checkState(0) == Qt.CheckState.Unchecked


def test_recorded_claim_keeps_status_and_criteria_in_one_undoable_step(window: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    claim = claims.add_claim({"text": "Own model, trained from scratch.", "source": "Deck", "page": "7",
                              "said_on": None, "said_to": "", "status": ClaimStatus.DECLINED,
                              "status_note": "Would not name the model",
                              "criteria": ["gdpr:training-on-customer-data"]})
    assert claim is not None
    stored = window.session.ws.claims.get(claim.id)
    assert (stored.status, stored.status_note, [str(r) for r in stored.criteria]) == (
        ClaimStatus.DECLINED, "Would not name the model", ["gdpr:training-on-customer-data"])
    assert claims.editor.criteria.text() == "GDPR and data protection › Training on our data"
    window.session.undo_stack.undo()
    assert window.session.ws.claims.list() == []


def test_the_claim_editor_moves_the_status_and_its_note_in_place(window: Any, qtbot: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    claim = claims.add_claim({"text": "98 % accurate.", "source": "Deck", "page": "", "said_on": None,
                              "said_to": ""})
    e = claims.editor
    assert e.status.currentText() == "Asserted" and e.status_note.text() == ""
    ws = window.session.ws
    e.status_note.setFocus()
    qtbot.keyClicks(e.status_note, "Test set not disclosed")
    qtbot.keyClick(e.status_note, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # focus-out saves it
    assert e.status.hasFocus()
    assert (ws.claims.get(claim.id).status, ws.claims.get(claim.id).status_note) == (
        ClaimStatus.ASSERTED, "Test set not disclosed")
    e.status.setCurrentIndex(list(ClaimStatus).index(ClaimStatus.DECLINED))
    e.status.activated.emit(list(ClaimStatus).index(ClaimStatus.DECLINED))
    stored = ws.claims.get(claim.id)
    assert (stored.status, stored.status_note) == (ClaimStatus.DECLINED, "Test set not disclosed")
    assert window.session.undo_stack.undoText() == "Claim status: Declined to answer"
    window.session.undo_stack.undo()
    assert ws.claims.get(claim.id).status == ClaimStatus.ASSERTED
    assert e.status.currentText() == "Asserted"


def test_a_pdf_paste_into_the_claim_editor_is_saved_joined(window: Any, qtbot: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    claim = claims.add_claim({"text": "x", "source": "", "page": "", "said_on": None, "said_to": ""})
    e = claims.editor
    e.text.setFocus()
    e.text.selectAll()
    QApplication.clipboard().setText("Replaces 80 % of your copy-\nwriting team\nin weeks.")
    qtbot.keyClick(e.text, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    e.autosaves["text"].flush()
    assert window.session.ws.claims.get(claim.id).text == "Replaces 80 % of your copywriting team in weeks."


def test_record_and_add_another_keeps_the_source_for_the_next_claim(window: Any, qtbot: Any,
                                                                   monkeypatch: Any) -> None:
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    typed = iter(["Trained on 40 billion tokens.", "98 % accurate.", None])
    starts: list[tuple[str, str, str, str]] = []

    def fill(dialog: ClaimDialog) -> QDialog.DialogCode:
        starts.append((dialog.source.text(), dialog.page.text(), dialog.said_on.text(), dialog.text.toPlainText()))
        words = next(typed)
        if words is None:
            return QDialog.DialogCode.Rejected
        if not dialog.source.text():
            dialog.source.setText("Product deck")
            dialog.page.setText("12")
            dialog.said_on.setText("2026-03-14")
        dialog.text.setPlainText(words)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow, timeout=10000)
        dialog.text.setFocus()
        qtbot.keyClick(dialog.text, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # record and add next
        qtbot.waitUntil(lambda: bool(dialog.result()), timeout=5000)  # a mnemonic clicks after a short animation
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(ClaimDialog, "exec", fill)
    last = claims.add_claim()
    assert starts == [("", "", "", ""), ("Product deck", "12", "2026-03-14", ""), ("Product deck", "12",
                                                                                   "2026-03-14", "")]
    stored = window.session.ws.claims.list(vendor.id)
    assert sorted((c.text, c.source, c.page, str(c.said_on)) for c in stored) == [
        ("98 % accurate.", "Product deck", "12", "2026-03-14"),
        ("Trained on 40 billion tokens.", "Product deck", "12", "2026-03-14")]
    assert last is not None and last.text == "98 % accurate."


def test_a_refused_date_is_said_once_not_at_every_click(window: Any, qtbot: Any) -> None:
    """'31/02/2026' in Said on: one message, the words kept in the field; clicking elsewhere does not bring
    the message back (it came at every click, on other vendors too); corrected words are saved."""
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    claim = claims.add_claim({"text": "98 % accurate.", "source": "Deck", "page": "", "said_on": None, "said_to": ""})
    assert claim is not None and claims.editor.claim_id == claim.id
    editor = claims.editor
    errors = lambda: [m for m in window.messages.shown if m[0] == "error"]  # noqa: E731
    editor.said_on.setText("31/02/2026")
    editor.autosaves["said_on"].flush()  # what Tab or a click elsewhere does
    assert len(errors()) == 1 and "is not a date" in errors()[0][2]
    assert editor.said_on.text() == "31/02/2026" and editor.autosaves["said_on"].pending
    for _ in range(3):
        editor.autosaves["said_on"].flush()
    assert len(errors()) == 1
    editor.said_on.setText("2026-02-28")
    editor.autosaves["said_on"].flush()
    assert len(errors()) == 1
    assert str(window.session.ws.claims.get(claim.id).said_on) == "2026-02-28"
    editor.said_on.setText("31/02/2026")  # the same wrong words again, after a change: said again
    editor.autosaves["said_on"].flush()
    assert len(errors()) == 2


def test_a_long_stored_value_shows_its_start(window: Any, qtbot: Any) -> None:
    """A source longer than its field showed its end ('cme & Co Marketing'); it shows its start."""
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    long_source = "Acme & Co Marketing whitepaper, annual report and investor deck, 2026 edition, appendix B"
    claim = claims.add_claim({"text": "98 % accurate.", "source": long_source, "page": "", "said_on": None,
                              "said_to": ""})
    assert claim is not None
    claims.editor.set_claim(window.session.ws.claims.get(claim.id))
    assert claims.editor.source.text() == long_source and claims.editor.source.cursorPosition() == 0


def test_escape_in_add_claim_asks_before_the_typed_words_go(window: Any, qtbot: Any) -> None:
    """Escape threw the typed words away without a word (a tester lost a claim so); now it asks, and 'no'
    keeps the dialog and the words. Empty, it closes at once; the 'paste the words' note goes once typed."""
    from PySide6.QtCore import QTimer

    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    seen: list[tuple[bool, str]] = []

    def escape_twice() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ClaimDialog)
        dialog.buttons.accepted.emit()  # nothing typed: told in place
        assert dialog.error.text() == "Paste the vendor's words first."
        qtbot.keyClicks(dialog.text, "Our AI writes 10x faster")
        assert dialog.error.text() == ""
        window.messages.answer = False  # "keep typing"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen.append((dialog.isVisible(), dialog.text.toPlainText()))
        window.messages.answer = True  # "throw them away"
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen.append((dialog.isVisible(), dialog.text.toPlainText()))

    QTimer.singleShot(0, escape_twice)
    assert claims.add_claim() is None
    assert seen == [(True, "Our AI writes 10x faster"), (False, "Our AI writes 10x faster")]
    asked = [m for m in window.messages.shown if m[1] == "Discard the claim"]
    assert len(asked) == 2 and asked[0][0] == "confirm-no-default"
    assert window.session.ws.claims.list() == []

    def escape_empty() -> None:
        dialog = QApplication.activeModalWidget()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, escape_empty)
    assert claims.add_claim() is None
    assert len([m for m in window.messages.shown if m[1] == "Discard the claim"]) == 2  # nothing typed: not asked


@pytest.mark.parametrize(("where", "key"), [
    ("text", Qt.Key.Key_Return), ("text", Qt.Key.Key_Enter), ("status_note", Qt.Key.Key_Return),
    ("source", Qt.Key.Key_Enter), ("filter", Qt.Key.Key_Return), ("tree", Qt.Key.Key_Return)])
def test_ctrl_enter_records_the_claim_from_any_field(qtbot: Any, where: str, key: Qt.Key) -> None:
    """Ctrl+Enter did nothing (a tester); now it records from every field, the multi-line ones included."""
    dialog = ClaimDialog([gdpr()])
    shown_dialog(qtbot, dialog)
    widget = {"filter": dialog.criteria.filter, "tree": dialog.criteria.tree}.get(where) or getattr(dialog, where)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)  # nothing typed yet: said, dialog open
    assert dialog.isVisible() and dialog.error.text() == "Paste the vendor's words first."
    dialog.text.setPlainText("We never train on customer data.")
    widget.setFocus()
    qtbot.keyClick(widget, key, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted and not dialog.again
    assert dialog.values()["text"] == "We never train on customer data."  # no new line added to the words
