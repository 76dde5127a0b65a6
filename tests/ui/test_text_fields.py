"""Multi-line fields behave as form fields: Tab moves on, and typing after a stored text goes after it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from vendoreval.ui.dialogs.form import text_field
from vendoreval.ui.widgets.autosave import AutoSave


def test_tab_leaves_a_multi_line_field_without_typing_a_tab(qtbot: Any) -> None:
    form = QWidget()
    layout = QVBoxLayout(form)
    words = text_field(form, "Vendor's words", "What the vendor said")
    after = QLineEdit(form)
    layout.addWidget(words)
    layout.addWidget(after)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow, timeout=5000)
    words.setFocus()
    qtbot.waitUntil(words.hasFocus, timeout=5000)
    qtbot.keyClicks(words, "Fully GDPR compliant")
    qtbot.keyClick(words, Qt.Key.Key_Tab)
    assert after.hasFocus()
    assert words.toPlainText() == "Fully GDPR compliant"


def test_typing_after_a_stored_rationale_goes_at_its_end(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    field = text_field(parent, "Rationale", "")
    saver = AutoSave(field, lambda _text: True)
    saver.set_text("Crawler name not given.")
    qtbot.keyClicks(field, " Claims to honour robots.txt.")
    assert field.toPlainText() == "Crawler name not given. Claims to honour robots.txt."
