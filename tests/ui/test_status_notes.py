"""A note in the status bar ("Undone: …") survives the pointer passing over a toolbar button."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QStatusTipEvent
from PySide6.QtWidgets import QApplication


def _hover(window: Any, key: str) -> None:
    """What Qt does as the pointer enters a toolbar button and leaves it: the action's tip, then an empty one."""
    window.registry[key].showStatusText(window)
    assert window.statusBar().currentMessage() == window.registry[key].statusTip()
    QApplication.sendEvent(window, QStatusTipEvent(""))


def test_an_undo_note_comes_back_when_the_pointer_leaves_the_toolbar(window: Any, qtbot: Any) -> None:
    vendors = window.page("vendors")
    vendors.new_vendor({"name": "Acme AI"})
    window.registry["undo"].trigger()
    note = "Undone: Create vendor Acme AI"
    assert window.statusBar().currentMessage() == note
    _hover(window, "redo")
    assert window.statusBar().currentMessage() == note  # it was cleared by the tip's end before
    assert window.notes.current() == note


def test_a_note_still_ends_at_its_time_and_a_cleared_one_stays_cleared(window: Any, qtbot: Any) -> None:
    window.notes.show("Saved the ranking to ranking.csv", 150)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=2000)
    qtbot.wait(100)
    assert window.statusBar().currentMessage() == ""
    _hover(window, "undo")
    assert window.statusBar().currentMessage() == ""  # an ended note does not come back
    window.notes.show("Refused: the level is beyond the scale", 10_000)
    window.notes.clear()
    _hover(window, "undo")
    assert window.statusBar().currentMessage() == ""
