"""The criteria of a scorecard's rubric with their scoring state, for the scorecard editor's list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...domain.models import Answer, Score
from ...domain.rubric import Criterion, Rubric

Index = QModelIndex | QPersistentModelIndex
CRITERION_ROLE = Qt.ItemDataRole.UserRole + 1


def score_words(score: Score | None) -> str:
    """A score in a few words: 'level 3', 'not disclosed', 'unscored'."""
    if score is None:
        return "unscored"
    if score.answer == Answer.LEVEL:
        return f"level {score.level}"
    return Answer(score.answer).label.lower()


class CriteriaModel(QAbstractListModel):
    """One row per criterion: '✓' when scored, '○' and bold when not."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.criteria: list[Criterion] = []
        self.scores: dict[str, Score] = {}
        self.knockouts: dict[str, str] = {}  # criterion id -> why it knocks the vendor out

    def set_rubric(self, rubric: Rubric | None, scores: dict[str, Score]) -> None:
        """Show a rubric's criteria and the scores given so far."""
        self.beginResetModel()
        self.criteria = list(rubric.criteria) if rubric is not None else []
        self.scores = dict(scores)
        self.knockouts = {}
        self.endResetModel()

    def set_scores(self, scores: dict[str, Score]) -> None:
        """Update the scoring state without resetting the selection."""
        self.scores = dict(scores)
        if self.criteria:
            self.dataChanged.emit(self.index(0), self.index(len(self.criteria) - 1))

    def set_knockouts(self, knockouts: dict[str, str]) -> None:
        """Mark the criteria that knock the vendor out (criterion id -> the reason in words)."""
        if knockouts == self.knockouts:
            return
        self.knockouts = dict(knockouts)
        if self.criteria:
            self.dataChanged.emit(self.index(0), self.index(len(self.criteria) - 1))

    def answered(self) -> int:
        """How many criteria have a score."""
        return sum(1 for c in self.criteria if c.id in self.scores)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of criteria."""
        return 0 if parent.isValid() else len(self.criteria)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Mark, number and title; tooltip with the score; bold when unscored."""
        if not index.isValid() or not 0 <= index.row() < len(self.criteria):
            return None
        crit = self.criteria[index.row()]
        score = self.scores.get(crit.id)
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "✓" if score is not None else "○"
            ko = "  ✖ knock-out" if crit.id in self.knockouts else ""
            return f"{mark}  {index.row() + 1}. {crit.title}{ko}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            ko = ", knocks the vendor out" if crit.id in self.knockouts else ""
            return f"{crit.title}, {score_words(score)}{ko}"
        if role == Qt.ItemDataRole.ToolTipRole:
            ko = f"\nKnocks the vendor out: {self.knockouts[crit.id]}" if crit.id in self.knockouts else ""
            return f"{crit.title}: {score_words(score)}{ko}"
        if role == Qt.ItemDataRole.FontRole and score is None:
            f = QFont()
            f.setBold(True)
            return f
        if role == CRITERION_ROLE:
            return crit
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable, enabled, no children."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
