"""A row of buttons that wraps onto a second line when the pane is too narrow, instead of clipping their text."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapped to the width; the items of the right group end at the right edge.

    Every item keeps its size hint (a button never gets narrower than its text), so a narrow pane gets more
    lines, not clipped labels; the height follows the width (``heightForWidth``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None  # index of the first item of the right group
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def add_right(self, widget: QWidget) -> None:
        """Add a widget to the right group (destructive buttons go there)."""
        if self._right_from is None:
            self._right_from = len(self._items)
        self.addWidget(widget)

    # --- QLayout ------------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        """Append an item (``addWidget`` comes here)."""
        self._items.append(item)

    def count(self) -> int:
        """Number of items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        """The item at ``index`` (None past the end)."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        """Remove and return the item at ``index``."""
        if not 0 <= index < len(self._items):
            return None
        if self._right_from is not None and index < self._right_from:
            self._right_from -= 1
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:
        """It does not ask for more space than its lines."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        """The height depends on the width (more lines when narrower)."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the rows need at ``width``."""
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        """Place the items in lines within ``rect``."""
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self._gap() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """The widest item, alone on its line."""
        m = self.contentsMargins()
        width = max((i.sizeHint().width() for i in self._shown()), default=0)
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    # --- placing ------------------------------------------------------------------------------

    def _gap(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        return parent.style().pixelMetric(parent.style().PixelMetric.PM_LayoutHorizontalSpacing) \
            if parent is not None else 6

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        """Lay the items out in ``rect`` (or only measure); returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._gap()
        split = len(self._items) if self._right_from is None else self._right_from
        left = [i for i in self._items[:split] if not i.isEmpty()]
        right = [i for i in self._items[split:] if not i.isEmpty()]
        lines: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in left:
            w = item.sizeHint().width()
            if lines[-1] and x + w > area.width():
                lines.append([])
                x = 0
            lines[-1].append(item)
            x += w + gap
        right_width = sum(i.sizeHint().width() for i in right) + gap * max(0, len(right) - 1)
        right_line = len(lines) - 1
        if right and lines[-1] and x + right_width > area.width():
            lines.append([])  # the right group goes on a line of its own, still at the right edge
            right_line += 1
        y = area.y()
        for n, line in enumerate(lines):
            row = line + right if n == right_line else line
            if not row:
                continue
            height = max(i.sizeHint().height() for i in row)
            if apply:
                x = area.x()
                for item in line:
                    item.setGeometry(QRect(QPoint(x, y), QSize(item.sizeHint().width(), height)))
                    x += item.sizeHint().width() + gap
                if n == right_line:
                    x = max(x, area.x() + area.width() - right_width)
                    for item in right:
                        item.setGeometry(QRect(QPoint(x, y), QSize(item.sizeHint().width(), height)))
                        x += item.sizeHint().width() + gap
            y += height + gap
        return max(0, y - gap - area.y()) + m.top() + m.bottom()


def wrapping_button_row(left: list[QWidget], right: list[QWidget]) -> FlowLayout:
    """A row of buttons that wraps when narrow: ``left`` at the start, ``right`` at the end of the last line."""
    row = FlowLayout()
    for w in left:
        row.addWidget(w)
    for w in right:
        row.add_right(w)
    return row
