"""Ticks the criteria a claim bears on: search by words, criteria shown by title, the ticked ones kept in view."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.criteria_search import criterion_label, search_criteria
from ...domain.models import CriterionRef
from ...domain.rubric import Criterion, Rubric
from ...domain.text import plural

KEY_ROLE = Qt.ItemDataRole.UserRole


class CriteriaChooser(QWidget):
    """A search box, the criteria (by rubric; a search lists matches in titles first, then in questions),
    and the list of what is ticked, which stays in view whatever the search shows."""

    changed = Signal()

    def __init__(self, rubrics: Sequence[Rubric], chosen: Sequence[CriterionRef | str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rubrics = list(rubrics)
        self._by_key: dict[str, tuple[Rubric, Criterion]] = {
            f"{r.id}:{c.id}": (r, c) for r in self.rubrics for c in r.criteria}
        self._checked: list[str] = [k for k in (str(c) for c in chosen) if k in self._by_key]
        self._unknown = [str(c) for c in chosen if str(c) not in self._by_key]  # kept, never dropped silently
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Search criteria by title or question")
        self.filter.setAccessibleName("Search criteria")
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip("Matches in titles come first, then matches in questions; ↓ or Enter goes to the "
                               "list, Space ticks")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Criterion", "Rubric"])
        self.tree.setAccessibleName("Criteria")
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 300)
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setAccessibleName("Question of the current criterion")
        self.question.setMinimumHeight(self.question.fontMetrics().lineSpacing() * 2)
        self.ticked_label = QLabel(self)
        self.ticked = QListWidget(self)
        self.ticked.setAccessibleName("Ticked criteria")
        self.ticked.setToolTip("The criteria this claim bears on; untick one to remove it")
        self.ticked.setMaximumHeight(96)
        self.ticked_label.setBuddy(self.ticked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.question)
        layout.addWidget(self.ticked_label)
        layout.addWidget(self.ticked)
        QWidget.setTabOrder(self.filter, self.tree)
        QWidget.setTabOrder(self.tree, self.ticked)
        self.filter.textChanged.connect(self._fill_tree)
        self.filter.installEventFilter(self)
        self.tree.itemChanged.connect(self._tree_ticked)
        self.tree.currentItemChanged.connect(self._show_question)
        self.ticked.itemChanged.connect(self._list_toggled)
        self._fill_tree()
        self._fill_ticked()

    # --- showing ----------------------------------------------------------------------------

    def _item(self, parent: QTreeWidget | QTreeWidgetItem, key: str, title: str, rubric: str,
              question: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [title, rubric])
        item.setData(1, KEY_ROLE, question)
        for col in range(2):
            item.setToolTip(col, f"{title} ({rubric})\n{question}")
        item.setData(0, KEY_ROLE, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if key in self._checked else Qt.CheckState.Unchecked)
        return item

    def _fill_tree(self) -> None:
        """Every rubric with its criteria; while searching, the matches alone, titles first."""
        query = self.filter.text().strip()
        self.tree.blockSignals(True)
        self.tree.clear()
        if not query:
            self.tree.setRootIsDecorated(True)
            for rubric in self.rubrics:
                top = QTreeWidgetItem(self.tree, [rubric.title, ""])
                top.setData(1, KEY_ROLE, rubric.description)
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = top.font(0)
                font.setBold(True)
                top.setFont(0, font)
                for c in rubric.criteria:
                    self._item(top, f"{rubric.id}:{c.id}", c.title, rubric.title, c.question)
                top.setExpanded(any(k.startswith(rubric.id + ":") for k in self._checked))
        else:
            self.tree.setRootIsDecorated(False)
            hits = search_criteria(self.rubrics, query)
            for hit in hits:
                self._item(self.tree, hit.key, hit.criterion.title, hit.rubric.title, hit.criterion.question)
            if not hits:
                none = QTreeWidgetItem(self.tree, [f"No criterion matches “{query}”", ""])
                none.setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                self.tree.setCurrentItem(self.tree.topLevelItem(0))  # type: ignore[arg-type]
        self.tree.blockSignals(False)
        self._show_question(self.tree.currentItem())

    def _show_question(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        text = item.data(1, KEY_ROLE) if item is not None else None
        self.question.setText(f"<small>{html.escape(text)}</small>" if isinstance(text, str) and text else "")

    def _fill_ticked(self) -> None:
        self.ticked.blockSignals(True)
        self.ticked.clear()
        for key in [*self._checked, *self._unknown]:
            found = self._by_key.get(key)
            item = QListWidgetItem(criterion_label(*found) if found else f"{key} (not in the installed rubrics)")
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.ticked.addItem(item)
        if not self._checked and not self._unknown:
            empty = QListWidgetItem("None ticked yet")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.ticked.addItem(empty)
        self.ticked.blockSignals(False)
        self._update_label()

    def _update_label(self) -> None:
        n = len(self._checked) + len(self._unknown)
        self.ticked_label.setText(f"&Ticked: {plural(n, 'criterion')}" if n else "&Ticked: none")

    # --- ticking ----------------------------------------------------------------------------

    def _tree_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if column != 0 or not key:
            return
        on = item.checkState(0) == Qt.CheckState.Checked
        if on and key not in self._checked:
            self._checked.append(key)
        elif not on and key in self._checked:
            self._checked.remove(key)
        else:
            return
        self._fill_ticked()
        self.changed.emit()

    def _list_toggled(self, item: QListWidgetItem) -> None:
        """Unticking a row of the ticked list unlinks it (the row stays, unticked, so it can be ticked back)."""
        key = item.data(KEY_ROLE)
        if not key:
            return
        on = item.checkState() == Qt.CheckState.Checked
        if key in self._by_key:
            if on and key not in self._checked:
                self._checked.append(key)
            elif not on and key in self._checked:
                self._checked.remove(key)
            self._set_tree_check(key, on)
        elif on and key not in self._unknown:
            self._unknown.append(key)
        elif not on and key in self._unknown:
            self._unknown.remove(key)
        self._update_label()
        self.changed.emit()

    def _set_tree_check(self, key: str, on: bool) -> None:
        self.tree.blockSignals(True)
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for item in self._tree_items():
            if item.data(0, KEY_ROLE) == key:
                item.setCheckState(0, state)
        self.tree.blockSignals(False)

    def _tree_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            out.append(top)
            out.extend(c for j in range(top.childCount()) if (c := top.child(j)) is not None)
        return out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down or Enter in the search box goes to the list (Enter never closes the dialog from there)."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.tree.setFocus(Qt.FocusReason.TabFocusReason)
            if self.tree.currentItem() is None:
                first = self.tree.topLevelItem(0)
                if first is not None:
                    self.tree.setCurrentItem(first.child(0) or first)
            return True
        return False

    # --- values -----------------------------------------------------------------------------

    def visible_titles(self) -> list[str]:
        """The criterion titles the list shows now, top to bottom (rubric rows left out)."""
        return [item.text(0) for item in self._tree_items() if item.data(0, KEY_ROLE)]

    def set_checked(self, keys: Sequence[str]) -> None:
        """Tick exactly these 'rubric:criterion' keys."""
        self._checked = [k for k in keys if k in self._by_key]
        self._unknown = [k for k in keys if k not in self._by_key]
        self._fill_tree()
        self._fill_ticked()
        self.changed.emit()

    def chosen(self) -> list[str]:
        """The ticked criteria as 'rubric:criterion', in the order they were ticked."""
        return [*self._checked, *self._unknown]
