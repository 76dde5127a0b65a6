"""Add or edit a condition to negotiate: the condition, the vendor's current position, our target, the
walk-away point and who owns it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from .form import line_field, ok_cancel


class ConditionDialog(QDialog):
    """The fields of one condition (Enter in any field saves, as in the other small dialogs)."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "Add condition", ok_text: str = "Add",
                 values: dict[str, str] | None = None, why: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = line_field(self, "Condition", "What we ask for, e.g. Provide a signed DPA")
        self.current = line_field(self, "Current position", "Where the vendor stands today, e.g. draft DPA only")
        self.target = line_field(self, "Target", "What we ask for, e.g. signed DPA before the pilot")
        self.walk_away = line_field(self, "Walk-away", "The least we accept, e.g. signed before go-live")
        self.owner = line_field(self, "Owner", "Who negotiates it, e.g. Legal")
        for key, value in (values or {}).items():
            getattr(self, key).setText(value)
        form = QFormLayout()
        form.addRow("&Condition:", self.text)
        form.addRow("C&urrent position:", self.current)
        form.addRow("&Target:", self.target)
        form.addRow("&Walk-away:", self.walk_away)
        form.addRow("&Owner:", self.owner)
        layout = QVBoxLayout(self)
        if why:
            hint = QLabel(f"Proposed because {why}", self)
            hint.setWordWrap(True)
            hint.setAccessibleName("Why it is proposed")
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, ok_text, required=self.text))
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict[str, str]:
        """What was typed, by field (text, current, target, walk_away, owner)."""
        return {"text": self.text.text(), "current": self.current.text(), "target": self.target.text(),
                "walk_away": self.walk_away.text(), "owner": self.owner.text()}
