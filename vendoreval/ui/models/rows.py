"""A read-only table model over a list of rows, described by columns: the base of the app's item models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

#: Role under which every cell returns the row object itself.
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role under which a cell returns a value to sort by.
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


_ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole, ROW_ROLE, SORT_ROLE,
})


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: header, the text shown, and optionally a sort key, tooltip and alignment."""

    header: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None
    tooltip: Callable[[R], str] | None = None
    align_right: bool = False
    header_tip: str = ""


class RowsModel(QAbstractTableModel, Generic[R]):
    """Rows of service results shown in columns; ``set_rows`` replaces them all."""

    columns: Sequence[Column[R]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        """The rows, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        """The row object at a position (None when out of range)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, tooltip, alignment, sort key or the row object of a cell."""
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None  # most roles a view asks for (colours, decoration, size hints) are not ours
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return col.sort(row) if col.sort is not None else col.text(row).casefold()
        if role == ROW_ROLE:
            return row
        return self.extra_data(row, index.column(), role)

    def extra_data(self, row: R, column: int, role: int) -> Any:
        """Hook for subclasses: other roles (fonts, icons)."""
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headers."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].header_tip:
            return self.columns[section].header_tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable and enabled, not editable (edits go through dialogs and the services)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


def fmt_score(value: float | None) -> str:
    """A 0–100 score as text, '—' when there is none."""
    return "—" if value is None else f"{value:.0f}"
