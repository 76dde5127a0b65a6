"""Tab walks the claim editor and the scorecard editor in reading order, and never types into a text box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def tab_walk(qtbot: Any, start: QWidget, steps: int, *, back: bool = False) -> list[QWidget]:
    """Focus ``start``, press Tab (or Shift+Tab) ``steps`` times; the widgets that had the focus, in order."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(start.hasFocus, timeout=10000)
    seen = [start]
    for _ in range(steps):
        current = QApplication.focusWidget()
        assert current is not None
        if back:
            qtbot.keyClick(current, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(current, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None
        seen.append(focused)
    return seen


def test_claim_editor_tab_order(open_window: Any, data_dir: Any, qtbot: Any) -> None:
    window = open_window(data_dir)
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    text = "We never train on customer data."
    assert claims.add_claim({"text": text, "source": "Whitepaper", "page": "4", "said_on": None, "said_to": ""})
    e = claims.editor
    reading_order = [e.text, e.kind, e.source, e.page, e.said_on, e.said_to, e.criteria_button, e.status,
                     e.status_note]
    assert tab_walk(qtbot, e.text, len(reading_order) - 1) == reading_order
    assert tab_walk(qtbot, e.status_note, len(reading_order) - 1, back=True) == reading_order[::-1]
    assert e.text.toPlainText() == text  # Tab moved on; it typed no tab character into the claim


def test_scorecard_editor_tab_order(open_window: Any, data_dir: Any, qtbot: Any) -> None:
    window = open_window(data_dir)
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    vendors.detail.claims.add_claim({"text": "DPA signed.", "source": "DPA", "page": "", "said_on": None,
                                     "said_to": ""})
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    assert vendors.detail.scorecards.start_scorecard("gdpr") is not None
    editor = window.page("scorecard")
    editor.list.setFocus()
    editor.set_level(3)  # strength and rationale open once the criterion has a score
    # working order: the criteria, the current criterion's fields, and the header's Submit only at the end
    reading_order = [editor.list, editor.strength, editor.rationale, editor.claims, editor.submit_button]
    assert tab_walk(qtbot, editor.list, len(reading_order) - 1) == reading_order
    assert tab_walk(qtbot, editor.submit_button, len(reading_order) - 1, back=True) == reading_order[::-1]
    editor.rationale.setFocus()
    qtbot.keyClicks(editor.rationale, "Signed DPA")
    qtbot.keyClick(editor.rationale, Qt.Key.Key_Tab)
    assert editor.claims.hasFocus() and editor.rationale.toPlainText() == "Signed DPA"


def test_space_on_submit_of_a_half_scored_card_asks_first_and_no_keeps_the_draft(open_window: Any, data_dir: Any,
                                                                                  qtbot: Any) -> None:
    from vendoreval.domain.models import ScorecardStatus
    from vendoreval.ui.messages import RecordingMessages

    messages = RecordingMessages(answer=False)
    window = open_window(data_dir, messages=messages)
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    card = vendors.detail.scorecards.start_scorecard("gdpr")
    editor = window.page("scorecard")
    total = len(editor.model.criteria)
    editor.list.setFocus()
    qtbot.keyClick(editor.list, Qt.Key.Key_3)
    editor.rationale.setFocus()
    qtbot.keyClick(editor.rationale, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert editor.submit_button.hasFocus()
    qtbot.keyClick(editor.submit_button, Qt.Key.Key_Space)
    assert messages.shown[-1] == (
        "confirm-no-default", "Submit an incomplete scorecard?",
        f"Only 1 of {total} criteria are scored; {total - 1} criteria are not scored yet.\n\n"
        "A submitted scorecard is locked (reopening makes a new version). Submit anyway?")
    assert window.session.ws.scorecards.get(card.id).status == ScorecardStatus.DRAFT
    messages.answer = True
    qtbot.keyClick(editor.submit_button, Qt.Key.Key_Space)
    assert window.session.ws.scorecards.get(card.id).status == ScorecardStatus.SUBMITTED
