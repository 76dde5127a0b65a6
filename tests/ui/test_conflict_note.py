"""The note under a field whose edit was refused as stale: empty and cheap until needed, then Apply / Discard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vendoreval.ui.widgets.conflict_note import with_note


def test_a_note_holds_the_text_until_applied_or_discarded(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    box, note = with_note(QLineEdit(), parent)
    QVBoxLayout(parent).addWidget(box)
    parent.show()
    assert not note.isVisible()
    assert note.findChildren(QPushButton) == [] and note.styleSheet() == ""  # nothing built while hidden
    applied: list[str] = []
    note.hold("Liability cap <b>€2m</b>\nper year", applied.append)
    assert note.isVisible() and note.mine == "Liability cap <b>€2m</b>\nper year"
    label = note.findChild(QLabel)
    assert label is not None
    assert "Not saved" in label.text() and "&lt;b&gt;€2m&lt;/b&gt;<br>per year" in label.text()  # escaped
    assert "#conflict_note" in note.styleSheet()
    discard = next(b for b in note.findChildren(QPushButton) if b.text() == "Discard")
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not note.isVisible() and note.mine is None and applied == []
    note.hold("Second try", applied.append)
    assert len(note.findChildren(QPushButton)) == 2  # built once
    qtbot.mouseClick(note.apply_button, Qt.MouseButton.LeftButton)
    assert applied == ["Second try"] and not note.isVisible()
