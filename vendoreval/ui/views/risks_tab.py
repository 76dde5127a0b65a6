"""A vendor's risks: the derived register rows for this vendor, with the owner, mitigation and residual risk
editable in the table (each edit one transaction through the services, undoable).

The rows are derived (domain/risks.py): a risk whose cause goes disappears, and what was written on it
comes back with the cause. The cause of the selected row is shown under the table.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget
from shiboken6 import isValid

from ...domain.risks import Risk
from ...services.workspace import Change
from ..session import Session
from ..tasks import reading
from .table_tab import VendorTab, keep_rows_visible

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Kind", "Criterion", "Impact", "Likelihood", "Owner", "Mitigation", "Residual")
#: The headers as shown: the two ratings in narrow columns.
_SHOWN_HEADERS = ("Kind", "Criterion", "Impact", "Likeli-\nhood", "Owner", "Mitigation", "Residual")
#: Short names of the kinds for the narrow first column (the tooltip and the line below have the cause).
SHORT_KIND = {
    "knockout": "Knock-out failed",
    "low_score_heavy": "Low score, heavy criterion",
    "assertion_decisive": "Decisive, weak evidence",
    "contradicted_claim": "Contradicted claim",
    "low_agreement": "Evaluators disagree",
    "lock_in": "Lock-in and exit",
    "stale": "Due for review",
    "do_nothing": "Doing nothing",
}
#: The columns a user writes in, and the note field each one sets.
EDITABLE = {4: "owner", 5: "mitigation", 6: "residual"}


class RisksModel(QAbstractTableModel):
    """The risks of one vendor; owner, mitigation and residual are edited in place."""

    def __init__(self, tab: RisksTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.risks: list[Risk] = []

    def set_risks(self, risks: list[Risk]) -> None:
        """Replace the rows: in place when they are the same risks (the selection stays), else reset."""
        if risks and [r.key for r in risks] == [r.key for r in self.risks]:
            self.risks = list(risks)
            self.dataChanged.emit(self.index(0, 0), self.index(len(risks) - 1, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self.risks = list(risks)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows (none under a parent)."""
        return 0 if parent.isValid() else len(self.risks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns (none under a parent)."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return _SHOWN_HEADERS[section]
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section in EDITABLE:
                return "Double-click (or F2) to write; saved when you leave the cell"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Owner, mitigation and residual are editable (unless the workspace is read-only)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in EDITABLE and self.tab.ws.read_only_reason is None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text and tooltips of a risk."""
        if not index.isValid() or not 0 <= index.row() < len(self.risks):
            return None
        r, col = self.risks[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.AccessibleTextRole):
            kind = SHORT_KIND.get(r.kind, r.title) if role == Qt.ItemDataRole.DisplayRole else r.title
            return (kind, r.criterion_title or r.criterion or "—", str(r.impact), str(r.likelihood), r.owner,
                    r.mitigation, r.residual)[col]
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell cut short, then what it stands for
            if col == 1 and r.criterion:
                return f"{r.criterion_title} ({r.criterion})" if r.criterion_title else r.criterion
            if col in EDITABLE and getattr(r, EDITABLE[col]):
                return getattr(r, EDITABLE[col])
            if col in (2, 3):
                return ("rated by a user" if r.rated else "the default for this kind of risk") + \
                    f"; impact × likelihood = {r.score}"
            return r.cause
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Save an owner, mitigation or residual typed in a cell (one transaction, undoable)."""
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE or not index.isValid():
            return False
        risk = self.risks[index.row()]
        saved = self.tab.write(risk, EDITABLE[index.column()], str(value))
        if saved is None:
            return False
        self.risks[index.row()] = saved  # the note's new revision, before the deferred reload
        self.tab.drop_pending()  # derived before this write: the reload the write starts replaces it
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(HEADERS) - 1))
        return True


class RisksTab(VendorTab):
    """The vendor's rows of the risk register."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        intro = QLabel(
            "Derived from the scores, claims, commercial terms and review dates: a risk disappears when its "
            "cause does, and what you wrote on it returns with the cause. Write the owner, the mitigation and "
            "the residual risk in the table; impact and likelihood run from 1 (low) to 5 (high).", self)
        intro.setWordWrap(True)
        self.model = RisksModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Risks")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        # two lines a row at most: a longer criterion title or note ends in "…" and is whole in its tooltip
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(2 * self.table.fontMetrics().lineSpacing() + 10)
        keep_rows_visible(self.table, 3)  # a small window scrolls the page; the table keeps three rows
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        for col in range(len(HEADERS)):  # criterion, owner and mitigation share the spare width
            mode = QHeaderView.ResizeMode.Stretch if col in (1, 4, 5) else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(col, mode)
        for col, width in ((0, 120), (2, 52), (3, 52), (4, 95), (5, 115), (6, 75)):
            self.table.setColumnWidth(col, width)
        self.cause = QLabel(self)
        self.cause.setWordWrap(True)
        self.cause.setTextFormat(Qt.TextFormat.RichText)
        self.cause.setAccessibleName("Cause of the selected risk")
        self.cause.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.cause)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_cause())
        self._pending: list[Risk] | None = None  # risks that arrived while a cell was being edited
        self.table.itemDelegate().closeEditor.connect(lambda *_: QTimer.singleShot(0, self, self._show_pending))

    def refresh(self) -> None:
        """Derive the vendor's risks again, in the background (the vendor is ranked against every other one:
        a second or more on 200 vendors), and show them when they arrive."""
        vid = self.vendor_id
        if vid is None:
            self._show([])
            return
        if self.session.closed:
            return
        ws, runner = self.ws, self.session.runner

        def work() -> list[Risk]:
            with reading(ws, runner) as source:
                return source.risks.list(vid)

        def done(risks: list[Risk]) -> None:
            if isValid(self) and self.vendor_id == vid:
                self._show(risks)

        def failed(exc: BaseException) -> None:
            if isValid(self) and self.vendor_id == vid:
                self._show([])
                self.session.show_failure("Listing the risks", exc)

        if self.model.risks and self.model.risks[0].vendor_id != vid:
            self._show([])  # another vendor's rows must not stand under this vendor's name meanwhile
        if not self.model.risks:
            self.cause.setText("Deriving the risks…")
        runner.run(work, done, failed, key=f"risks-{id(self)}", dialog=False, label="Deriving the risks")

    def _show(self, risks: list[Risk]) -> None:
        if self.table.state() == QAbstractItemView.State.EditingState:
            # shown once the cell being typed in is closed: new rows would close its editor, and even the same
            # rows would put the stored text back into it (Qt refreshes an open editor on dataChanged)
            self._pending = risks
            return
        self._pending = None
        selected = self._selected()
        self.model.set_risks(risks)
        if selected is not None:
            for row, r in enumerate(risks):
                if r.key == selected.key:
                    self.table.selectRow(row)
        self._show_cause()

    def drop_pending(self) -> None:
        """Forget risks held back for an open cell editor (a save is about to derive them again)."""
        self._pending = None

    def _show_pending(self) -> None:
        if self._pending is not None and isValid(self) and self.table.state() != QAbstractItemView.State.EditingState:
            self._show(self._pending)

    def _selected(self) -> Risk | None:
        idx = self.table.currentIndex()
        return self.model.risks[idx.row()] if idx.isValid() and idx.row() < len(self.model.risks) else None

    def _show_cause(self) -> None:
        r = self._selected()
        if r is None:
            n = len(self.model.risks)
            self.cause.setText("No risks derived for this vendor." if self.vendor_id and not n
                               else "Select a risk to see its cause." if n else "")
            return
        where = f" — {html.escape(r.criterion_title or r.criterion)}" if r.criterion else ""  # the title, not the id
        self.cause.setText(f"<p><b>{html.escape(r.title)}</b>{where}: {html.escape(r.cause)}.</p>")

    def on_change(self, change: Change) -> None:
        """Derive again after anything of this vendor changed (a score, a claim, the terms, a note); after the
        edit that caused it has left the table (a cell's own edit must not reset the model under it)."""
        QTimer.singleShot(0, self, self.refresh)

    def write(self, risk: Risk, field: str, text: str) -> Risk | None:
        """Save one user field of a risk on the note's revision the table showed; undoable."""
        text = text.strip()
        if getattr(risk, field) == text:
            return None
        before = getattr(risk, field)
        kind, vid, criterion = risk.key
        new: dict[str, Any] = {field: text}
        old: dict[str, Any] = {field: before}

        def apply(revision: int | None) -> Risk:
            return self.ws.risks.set(vid, kind, criterion, expected_revision=revision, **new)

        def undo() -> Risk:
            return self.ws.risks.set(vid, kind, criterion, **old)

        result = self.session.edit(f"Risk: {field}", lambda: apply(risk.revision), undo, lambda: apply(None))
        if result is None:
            self.refresh()
        return result
