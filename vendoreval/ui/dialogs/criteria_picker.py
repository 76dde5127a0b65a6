"""Picks the rubric criteria a claim bears on, from the rubric library (a dialog around the criteria chooser)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from ...domain.models import CriterionRef
from ...domain.rubric import Rubric
from ..widgets.criteria_chooser import CriteriaChooser


class CriteriaPicker(QDialog):
    """Search, criteria by title, the ticked ones in view; OK keeps the ticks."""

    def __init__(self, rubrics: list[Rubric], chosen: Sequence[CriterionRef | str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link criteria")
        self.chooser = CriteriaChooser(rubrics, chosen, self)
        self.filter = self.chooser.filter
        self.tree = self.chooser.tree
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chooser, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.resize(760, 520)

    def set_checked(self, keys: list[str]) -> None:
        """Check exactly these 'rubric:criterion' keys."""
        self.chooser.set_checked(keys)

    def chosen(self) -> list[str]:
        """The checked criteria as 'rubric:criterion'."""
        return self.chooser.chosen()
