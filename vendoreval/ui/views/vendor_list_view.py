"""The vendor list: search (vendors, and the claims of every vendor), filter by decision, sort by name or score."""

from __future__ import annotations

import time
from itertools import pairwise

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.claim_search import ClaimHit
from ...domain.models import ClaimStatus, Decision
from ...domain.text import page_label, plural
from ..models.vendor_list_model import VendorListModel, VendorRow

#: Claims listed under the vendors while searching (a search that finds more asks for more words).
MAX_CLAIM_HITS = 200
SORTS = [("Name", 0, Qt.SortOrder.AscendingOrder), ("Overall score (evidence)", 3, Qt.SortOrder.DescendingOrder),
         ("Overall score (claimed)", 4, Qt.SortOrder.DescendingOrder), ("Decision", 2, Qt.SortOrder.AscendingOrder)]


class VendorListView(QWidget):
    """Search box, decision filter, sort choice and the table of vendors."""

    selected = Signal(object)  # vendor id or None
    claim_chosen = Signal(str, str)  # vendor id, claim id: a claim picked from the search results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = VendorListModel(self)  # filters and sorts itself: no proxy model (see its docstring)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search vendors and claims")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search vendors and claims")
        self.search.setToolTip("Find vendors by name, product or description, and the claims of every vendor by "
                               "text, source or status (Ctrl+F)")
        self.decision = QComboBox(self)
        self.decision.setAccessibleName("Filter by decision")
        self.decision.setToolTip("Show only vendors with this decision")
        self.decision.addItem("All decisions", None)
        for d in Decision:
            self.decision.addItem(d.label, d)
        self.sort = QComboBox(self)
        self.sort.setAccessibleName("Sort vendors")
        self.sort.setToolTip("Sort the list")
        for text, _col, _order in SORTS:
            self.sort.addItem(f"Sort: {text}")
        for combo in (self.decision, self.sort):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.archived = QCheckBox("Archived", self)
        self.archived.setToolTip("Also show archived vendors")
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of vendors shown")
        self.claims_label = QLabel(self)
        self.claims_label.setAccessibleName("Claims found")
        self.claim_hits = QListWidget(self)
        self.claim_hits.setAccessibleName("Claims matching the search")
        self.claim_hits.setToolTip("Claims of every vendor whose text, source or status holds the words; "
                                   "Enter or a double-click opens the claim")
        self.claim_hits.setWordWrap(True)
        self.claim_hits.setMaximumHeight(200)
        self.claim_hits.setAlternatingRowColors(True)
        self.claims_label.setBuddy(self.claim_hits)
        self.claims_label.hide()
        self.claim_hits.hide()
        self._last_opened: tuple[tuple[str, ...], float] | None = None  # the claim a click opened, and when
        self.claim_hits.itemActivated.connect(self._claim_activated)  # Return, or a double click
        self.claim_hits.itemClicked.connect(self._claim_activated)  # one click opens it too, as a search result does

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Vendors")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # arrows move between vendors; Tab moves on to the claims found
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)  # size columns from the first rows, not all 200
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, self.model.columnCount()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionHidden(1, True)  # product shows in the detail; keeps the list narrow
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.archived)  # beside the search, not the two lists: an 800 px window keeps the vendor page
        row2 = QHBoxLayout()          # its room without cutting the lists' words
        row2.addWidget(self.decision, 1)
        row2.addWidget(self.sort, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(row2)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.claims_label)
        layout.addWidget(self.claim_hits)

        # Tab: the search, its filters, the vendors, then the claims found
        for first, second in pairwise((self.search, self.decision, self.sort, self.archived, self.table,
                                       self.claim_hits)):
            QWidget.setTabOrder(first, second)
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)  # Escape clears a search; in an empty box it goes on as before
        self.decision.currentIndexChanged.connect(self._refilter)
        self.archived.toggled.connect(self._refilter)
        self.sort.currentIndexChanged.connect(self._resort)
        self._quiet = False  # set_rows: the selection moves through "none" while the rows are replaced
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and self.search.text():
            event.accept()  # a ShortcutOverride accepted keeps Escape from any shortcut: it comes as a key press
            if event.type() == QEvent.Type.KeyPress:
                self.search.clear()
            return True
        return super().eventFilter(watched, event)

    def set_rows(self, rows: list[VendorRow], keep: str | None = None) -> None:
        """Show vendors, keeping ``keep`` (a vendor id) selected when it is still there.

        ``selected`` is emitted only when the selection ends up on another vendor: a refresh (another
        writer's change, a re-count) that keeps the vendor leaves the detail pane and its typing alone.
        """
        before = self.current_id()
        self._quiet = True
        try:
            self.model.set_rows(rows)
            self._update_count()
            if keep is not None:
                self.select(keep)
        finally:
            self._quiet = False
        after = self.current_id()
        if after != before:
            self.selected.emit(after)

    def show_claim_hits(self, hits: list[ClaimHit] | None) -> None:
        """Show the claims matching the search (None: no search, the list is hidden); their vendors stay listed."""
        self.model.set_claim_matches(frozenset(h.claim.vendor_id for h in hits or []))
        self._update_count()
        self.claim_hits.clear()
        shown = hits is not None
        self.claims_label.setVisible(shown)
        self.claim_hits.setVisible(shown)
        if hits is None:
            return
        words = self.search.text().strip()
        self.claims_label.setText(f"&Claims matching “{words}”: {len(hits)}" if hits else
                                  f"No claim matches “{words}”")
        for h in hits[:MAX_CLAIM_HITS]:
            c = h.claim
            text = " ".join(c.text.split())
            source = c.source + (f", {page_label(c.page)}" if c.page.strip() else "")
            item = QListWidgetItem(f"{h.vendor} · {ClaimStatus(c.status).label} · “{text[:160]}”"
                                   + (f" — {source}" if source else ""))
            item.setToolTip(c.text)
            item.setData(Qt.ItemDataRole.UserRole, (c.vendor_id, c.id))
            self.claim_hits.addItem(item)
        if len(hits) > MAX_CLAIM_HITS:
            more = QListWidgetItem(f"… and {len(hits) - MAX_CLAIM_HITS} more: add words to narrow the search")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.claim_hits.addItem(more)

    def _claim_activated(self, item: QListWidgetItem) -> None:
        found = item.data(Qt.ItemDataRole.UserRole)
        if not found:
            return
        # a double click is a click, then an activation (on some styles one click is both): open it once
        now = time.monotonic()
        if self._last_opened is not None and self._last_opened[0] == tuple(found) \
                and now - self._last_opened[1] < QApplication.doubleClickInterval() / 1000:
            return
        self._last_opened = (tuple(found), now)
        self.claim_chosen.emit(*found)

    def _refilter(self) -> None:
        current = self.current_id()
        self.model.set_filter(self.search.text(), self.decision.currentData(), self.archived.isChecked())
        self._update_count()
        if current is not None and not self.select(current) and self.model.rowCount():
            self.table.selectRow(0)  # the vendor shown is filtered out: show the first one listed, not a hidden one

    def _resort(self, i: int) -> None:
        _text, col, order = SORTS[i]
        self.table.sortByColumn(col, order)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self.count.setText(f"{shown} of {plural(total, 'vendor')}" if shown != total else plural(total, "vendor"))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet:
            self.selected.emit(self._id_at(current))

    def _id_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())
        return row.vendor.id if row is not None else None

    def current_id(self) -> str | None:
        """The selected vendor's id."""
        return self._id_at(self.table.currentIndex())

    def select(self, vendor_id: str) -> bool:
        """Select a vendor; False when it is not listed or a filter hides it."""
        row = self.model.row_of(vendor_id)
        if row < 0:
            return False
        idx = self.model.index(row, 0)
        self.table.setCurrentIndex(idx)
        self.table.scrollTo(idx)
        return True
