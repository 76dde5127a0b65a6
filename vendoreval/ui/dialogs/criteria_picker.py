"""Picks the rubric criteria a claim bears on, from the rubric library."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...domain.models import CriterionRef
from ...domain.rubric import Rubric


class CriteriaPicker(QDialog):
    """A checkable tree: rubric → criteria, with a filter box."""

    def __init__(self, rubrics: list[Rubric], chosen: list[CriterionRef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link criteria")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter criteria")
        self.filter.setAccessibleName("Filter criteria")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Criterion", "Question"])
        self.tree.setAccessibleName("Criteria")
        wanted = {str(r) for r in chosen}
        self.items: dict[str, QTreeWidgetItem] = {}
        for rubric in rubrics:
            top = QTreeWidgetItem(self.tree, [rubric.title, rubric.description[:100]])
            top.setFlags(top.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            for c in rubric.criteria:
                key = f"{rubric.id}:{c.id}"
                item = QTreeWidgetItem(top, [c.title, c.question])
                item.setToolTip(1, c.question)
                item.setCheckState(0, Qt.CheckState.Checked if key in wanted else Qt.CheckState.Unchecked)
                item.setData(0, Qt.ItemDataRole.UserRole, key)
                self.items[key] = item
            top.setExpanded(any(k.startswith(rubric.id + ":") for k in wanted))
        self.tree.setColumnWidth(0, 260)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._filter)
        self.resize(720, 480)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            any_shown = False
            for j in range(top.childCount()):
                item = top.child(j)
                assert item is not None
                show = not needle or needle in (item.text(0) + " " + item.text(1)).casefold()
                item.setHidden(not show)
                any_shown |= show
            top.setHidden(not any_shown)
            top.setExpanded(bool(needle) and any_shown)

    def set_checked(self, keys: list[str]) -> None:
        """Check exactly these 'rubric:criterion' keys."""
        for key, item in self.items.items():
            item.setCheckState(0, Qt.CheckState.Checked if key in keys else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        """The checked criteria as 'rubric:criterion'."""
        return [k for k, item in self.items.items() if item.checkState(0) == Qt.CheckState.Checked]
