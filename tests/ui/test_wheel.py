"""Scrolling a form with the mouse wheel never changes the combo box or spin box under the pointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from vendoreval.domain.models import EvidenceStrength
from vendoreval.ui.widgets.wheel_guard import enclosing_scroll_area


def wheel(widget: QWidget, notches: int, at: QPoint | None = None) -> None:
    """Turn the wheel over ``widget`` (its middle, or ``at``; negative notches: towards the user, scroll down).

    The event goes to the window, as the windowing system sends it, and Qt finds the widget under the pointer.
    """
    window = widget.window()
    middle = at if at is not None else QPoint(widget.width() // 2, widget.height() // 2)
    event = QWheelEvent(QPointF(widget.mapTo(window, middle)), QPointF(widget.mapToGlobal(middle)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(window.windowHandle(), event)


def scored_editor(open_window: Any, data_dir: Path) -> tuple[Any, Any]:
    window = open_window(data_dir)
    window.resize(1100, 560)  # short enough that the current criterion's fields scroll
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    vendors.detail.tabs.setCurrentWidget(vendors.detail.scorecards)
    card = vendors.detail.scorecards.start_scorecard("gdpr")
    assert card is not None
    editor = window.page("scorecard")
    editor.list.setFocus()
    editor.set_level(3)  # the evidence strength opens once the criterion has a score
    return window, editor


def test_wheel_over_unfocused_strength_scrolls_the_form(open_window: Any, data_dir: Path, qtbot: Any) -> None:
    window, editor = scored_editor(open_window, data_dir)
    combo = editor.strength
    area = enclosing_scroll_area(combo)
    assert isinstance(area, QAbstractScrollArea)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
    assert combo.isEnabled() and combo.currentIndex() == 0 and not combo.hasFocus()
    crit = editor.current_criterion()
    area.ensureWidgetVisible(combo)  # the pointer must be over the combo box, inside the visible form
    before = bar.value()
    notches = -1 if before < bar.maximum() else 1  # scroll towards whichever end the form can still move to
    wheel(combo, notches)
    assert combo.currentIndex() == 0, "the wheel changed the evidence strength of an unfocused combo box"
    assert not combo.hasFocus()  # nor did it take the focus
    assert bar.value() != before, "the form did not scroll"
    card = window.session.ws.scorecards.get(editor.card.id)
    assert card.scores[crit.id].strength is None

    # once the user clicks or tabs into it, the wheel picks a strength as Qt users expect
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(combo.hasFocus, timeout=5000)
    wheel(combo, -1)
    assert combo.currentIndex() == 1
    card = window.session.ws.scorecards.get(editor.card.id)
    assert card.scores[crit.id].strength == combo.currentData() == next(iter(EvidenceStrength))


def test_wheel_over_unfocused_weight_leaves_it(open_window: Any, data_dir: Path, qtbot: Any) -> None:
    window = open_window(data_dir)
    window.page("vendors").new_vendor({"name": "Acme AI"})
    window.show_page("compare")
    compare = window.page("compare")
    rid = next(iter(compare._rubric_items))
    spin = compare.rubric_spin(rid)
    before = spin.value()
    assert not spin.hasFocus()
    # over the arrows: Qt hands a test's (not the system's) event over the text field to the field alone
    arrows = QPoint(spin.width() - 4, spin.height() // 2)
    qtbot.waitUntil(lambda: spin.window().childAt(spin.mapTo(spin.window(), arrows)) is spin, timeout=5000)
    wheel(spin, 1, arrows)
    assert spin.value() == before and compare.edited_label.text() == ""
    spin.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(spin.hasFocus, timeout=5000)
    wheel(spin, 1, arrows)
    assert spin.value() == before + spin.singleStep()
    # the edit counts: the ranking is recomputed under the edited weights
    qtbot.waitUntil(lambda: compare.comparison is not None
                    and compare.comparison.profile_name.endswith("(edited)"), timeout=5000)
