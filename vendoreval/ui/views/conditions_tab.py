"""The Conditions tab: a vendor's numbered conditions to negotiate (current → target → walk-away, owner) and the
conditions proposed from its declined, asserted or contradicted heavy and knock-out criteria.

Keyboard: in the conditions table Insert adds, Enter or F2 edits, Delete removes, Ctrl+Up / Ctrl+Down move;
in the proposals table Enter accepts, F2 edits and accepts, Delete drops. Every change is undoable (Ctrl+Z).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ...domain.conditions import Proposal
from ...domain.models import MANUAL_ORIGIN, Condition
from ...services.workspace import Change, NotFound
from ..models.rows import Column, RowsModel
from ..session import Session
from ..widgets.flow_layout import wrapping_button_row
from .table_tab import VendorTab, push_button, row_table, selected_row


def positions(c: Condition) -> str:
    """'current → target → walk-away', a dash for a position not given (blank when none is)."""
    parts = [c.current, c.target, c.walk_away]
    return "" if not any(parts) else " → ".join(p or "—" for p in parts)


class ConditionsModel(RowsModel[Condition]):
    """The vendor's conditions in number order."""

    columns = (
        Column("Number", lambda c: str(c.number), align_right=True),
        Column("Condition", lambda c: c.text,
               tooltip=lambda c: "Accepted from a proposal" if c.origin != MANUAL_ORIGIN else "Added by hand"),
        Column("Current → Target\n→ Walk-away", positions,  # two lines: a narrow column keeps the header whole
               header_tip="Where the vendor stands today, what we ask for, and the least we accept"),
        Column("Owner", lambda c: c.owner),
    )


class ProposalsModel(RowsModel[Proposal]):
    """Conditions proposed from the scores and claims, not yet accepted or dropped."""

    columns = (
        Column("Proposed condition", lambda p: p.text, tooltip=lambda p: p.key),
        Column("Why", lambda p: p.why),
    )


class ConditionsTab(VendorTab):
    """Conditions to negotiate with the vendor, and the proposed ones."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = ConditionsModel(self)
        self.table = row_table(self, self.model, "Conditions to negotiate", stretch=1, min_rows=3)
        self.proposals_model = ProposalsModel(self)
        self.proposals = row_table(self, self.proposals_model, "Proposed conditions", stretch=1, min_rows=3)
        # the condition and its positions share the width (and wrap), as do a proposal and its reason
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.proposals.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for t in (self.table, self.proposals):
            t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = push_button(self, "Add…", "Add condition", "Add a condition to negotiate (Insert)")
        self.edit_button = push_button(self, "Edit…", "Edit condition",
                                       "Edit the selected condition: text, positions, owner (Enter or F2)")
        self.up_button = push_button(self, "Move up", "Move condition up", "Move the condition up (Ctrl+Up)")
        self.down_button = push_button(self, "Move down", "Move condition down", "Move the condition down (Ctrl+Down)")
        self.remove_button = push_button(self, "Remove", "Remove condition",
                                         "Remove the selected condition; the ones after it move up (Delete)")
        self.accept_button = push_button(self, "Accept", "Accept proposal",
                                         "Add the selected proposal as the next condition (Enter)")
        self.accept_edit_button = push_button(self, "Edit and accept…", "Edit and accept proposal",
                                              "Change the proposal's words, positions or owner, then accept it (F2)")
        self.accept_all_button = push_button(self, "Accept all", "Accept all proposals",
                                             "Add every proposal as a condition, in the order shown")
        self.drop_button = push_button(self, "Drop", "Drop proposal",
                                       "Drop the selected proposal: it is not proposed again (Delete)")
        self.heading = QLabel("<b>Conditions to negotiate</b>", self)
        self.proposals_heading = QLabel(self)
        self.proposals_heading.setWordWrap(True)
        self.proposals_heading.setAccessibleName("Proposed conditions")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(wrapping_button_row([self.add_button, self.edit_button, self.up_button, self.down_button],
                                             [self.remove_button]))
        layout.addWidget(self.table, 2)
        layout.addSpacing(6)
        layout.addWidget(self.proposals_heading)
        layout.addLayout(wrapping_button_row([self.accept_button, self.accept_edit_button, self.accept_all_button],
                                             [self.drop_button]))
        layout.addWidget(self.proposals, 3)
        self.add_button.clicked.connect(lambda: self.add())
        self.edit_button.clicked.connect(lambda: self.edit_current())
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.accept_button.clicked.connect(lambda: self.accept_current())
        self.accept_edit_button.clicked.connect(lambda: self.accept_current(edit=True))
        self.accept_all_button.clicked.connect(lambda: self.accept_all())
        self.drop_button.clicked.connect(lambda: self.drop_current())
        self._keys(self.table, {"Insert": lambda: self.add(), "Return": self.edit_current,
                                "Enter": self.edit_current, "F2": self.edit_current, "Delete": self.remove_current,
                                "Ctrl+Up": lambda: self.move_current(-1), "Ctrl+Down": lambda: self.move_current(1)})
        self._keys(self.proposals, {"Return": self.accept_current, "Enter": self.accept_current,
                                    "F2": lambda: self.accept_current(edit=True), "Delete": self.drop_current})
        self.table.doubleClicked.connect(lambda *_: self.edit_current())
        self.proposals.doubleClicked.connect(lambda *_: self.accept_current(edit=True))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.proposals.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self._enable()

    def _keys(self, table: QTableView, keys: dict[str, Callable[[], Any]]) -> None:
        for seq, action in keys.items():
            shortcut = QShortcut(QKeySequence(seq), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda a=action: a())

    # --- showing -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the conditions and the proposals."""
        keep, keep_key = self.current(), self.current_proposal()
        conditions: list[Condition] = []
        proposals: list[Proposal] = []
        if self.vendor_id is not None:
            try:
                conditions = self.ws.conditions.list(self.vendor_id)
                proposals = self.ws.conditions.propose(self.vendor_id)
            except NotFound:
                pass
        self.model.set_rows(conditions)
        self.proposals_model.set_rows(proposals)
        self._select(self.table, [c.id for c in conditions], keep.id if keep else None)
        self._select(self.proposals, [p.key for p in proposals], keep_key.key if keep_key else None)
        if proposals:
            self.proposals_heading.setText(f"<b>Proposed from the scores and claims ({len(proposals)})</b> — "
                                           "accept, edit or drop each one")
        else:
            self.proposals_heading.setText("<b>Proposed from the scores and claims:</b> none. A declined, asserted "
                                           "or contradicted heavy criterion (weight 2 or more) or knock-out "
                                           "criterion proposes a condition here.")
        self._enable()

    @staticmethod
    def _select(table: QTableView, keys: list[str], keep: str | None) -> None:
        if not keys:
            return
        table.selectRow(keys.index(keep) if keep in keys else 0)

    def _enable(self) -> None:
        writable = self.vendor_id is not None and self.ws.read_only_reason is None
        row = self.current()
        n = self.model.rowCount()
        self.add_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.remove_button.setEnabled(writable and row is not None)
        self.up_button.setEnabled(writable and row is not None and row.number > 1)
        self.down_button.setEnabled(writable and row is not None and row.number < n)
        has_proposal = self.current_proposal() is not None
        for b in (self.accept_button, self.accept_edit_button, self.drop_button):
            b.setEnabled(writable and has_proposal)
        self.accept_all_button.setEnabled(writable and self.proposals_model.rowCount() > 0)

    def on_change(self, change: Change) -> None:
        """Reload after anything of the vendor changed (its scores and claims change the proposals)."""
        self.refresh()

    def current(self) -> Condition | None:
        """The selected condition."""
        return selected_row(self.table, self.model)

    def current_proposal(self) -> Proposal | None:
        """The selected proposal."""
        return selected_row(self.proposals, self.proposals_model)

    def _number_of(self, condition_id: str) -> int:
        """The number a condition has now (it moves when others are removed or moved)."""
        assert self.vendor_id is not None
        for c in self.ws.conditions.list(self.vendor_id):
            if c.id == condition_id:
                return c.number
        raise NotFound("That condition was removed meanwhile.")

    def _ask(self, title: str, ok_text: str, values: dict[str, str] | None = None,
             why: str = "") -> dict[str, str] | None:
        from ..dialogs.condition_dialog import ConditionDialog

        dialog = ConditionDialog(self, title=title, ok_text=ok_text, values=values, why=why)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    # --- conditions ----------------------------------------------------------------------------------

    def add(self, values: dict[str, str] | None = None) -> Condition | None:
        """Add a condition (asking for it when ``values`` is None); undoable."""
        if self.vendor_id is None:
            return None
        values = values if values is not None else self._ask("Add condition", "Add")
        if values is None:
            return None
        vendor_id, fields = self.vendor_id, dict[str, Any](values)
        text = str(fields.pop("text", ""))
        holder: list[Condition] = []

        def do() -> Condition:
            holder[:] = [self.ws.conditions.add(vendor_id, text, **fields)]
            return holder[0]

        return self.session.edit("Add condition", do,
                                 lambda: self.ws.conditions.remove(vendor_id, self._number_of(holder[0].id)),
                                 lambda: self.ws.conditions.restore(holder[0]))

    def edit_current(self, values: dict[str, str] | None = None) -> Condition | None:
        """Edit the selected condition (asking when ``values`` is None); undoable."""
        c = self.current()
        if c is None or self.vendor_id is None:
            return None
        old = {"text": c.text, "current": c.current, "target": c.target, "walk_away": c.walk_away, "owner": c.owner}
        values = values if values is not None else self._ask(f"Edit condition {c.number}", "Save", old)
        if values is None:
            return None
        changes: dict[str, Any] = {k: v for k, v in values.items() if v.strip() != old[k]}
        if not changes:
            return c
        vendor_id = self.vendor_id
        before: dict[str, Any] = {k: old[k] for k in changes}
        return self.session.edit(
            f"Edit condition {c.number}",
            lambda: self.ws.conditions.set(vendor_id, c.number, expected_revision=c.revision, **changes),
            lambda: self.ws.conditions.set(vendor_id, self._number_of(c.id), **before),
            lambda: self.ws.conditions.set(vendor_id, self._number_of(c.id), **changes))

    def move_current(self, step: int) -> Condition | None:
        """Move the selected condition up (-1) or down (+1); undoable."""
        c = self.current()
        if c is None or self.vendor_id is None or not 1 <= c.number + step <= self.model.rowCount():
            return None
        vendor_id, to = self.vendor_id, c.number + step
        done = self.session.edit(
            "Move condition",
            lambda: self.ws.conditions.set(vendor_id, c.number, new_number=to),
            lambda: self.ws.conditions.set(vendor_id, self._number_of(c.id), new_number=c.number),
            lambda: self.ws.conditions.set(vendor_id, self._number_of(c.id), new_number=to))
        if done is not None:
            self.table.selectRow(to - 1)
        return done

    def remove_current(self) -> Condition | None:
        """Remove the selected condition; undoable."""
        c = self.current()
        if c is None or self.vendor_id is None:
            return None
        vendor_id = self.vendor_id
        return self.session.edit(f"Remove condition {c.number}",
                                 lambda: self.ws.conditions.remove(vendor_id, self._number_of(c.id)),
                                 lambda: self.ws.conditions.restore(c))

    # --- proposals -----------------------------------------------------------------------------------

    def accept_current(self, edit: bool = False, values: dict[str, str] | None = None) -> Condition | None:
        """Accept the selected proposal (with ``edit``, asking for changes first, or taking ``values``); undoable."""
        p = self.current_proposal()
        if p is None or self.vendor_id is None:
            return None
        if edit and values is None:
            values = self._ask("Edit and accept the proposed condition", "Accept", {"text": p.text}, p.why)
            if values is None:
                return None
        vendor_id, edits = self.vendor_id, dict[str, Any](values or {})
        holder: list[Condition] = []

        def do() -> Condition:
            holder[:] = [self.ws.conditions.accept(vendor_id, p.key, **edits)]
            return holder[0]

        return self.session.edit("Accept proposed condition", do,
                                 lambda: self.ws.conditions.remove(vendor_id, self._number_of(holder[0].id),
                                                                   remember_drop=False),
                                 lambda: self.ws.conditions.restore(holder[0]))

    def accept_all(self) -> list[Condition] | None:
        """Accept every proposal as it is; one undoable step."""
        if self.vendor_id is None or not self.proposals_model.rowCount():
            return None
        vendor_id = self.vendor_id
        holder: list[Condition] = []

        def do() -> list[Condition]:
            holder[:] = self.ws.conditions.accept_all(vendor_id)
            return holder

        def undo() -> None:
            with self.ws.unit_of_work():
                for c in reversed(holder):
                    self.ws.conditions.remove(vendor_id, self._number_of(c.id), remember_drop=False)

        def redo() -> None:
            with self.ws.unit_of_work():
                for c in holder:
                    self.ws.conditions.restore(c)

        return self.session.edit("Accept all proposed conditions", do, undo, redo)

    def drop_current(self) -> Proposal | None:
        """Drop the selected proposal (not proposed again); undoable."""
        p = self.current_proposal()
        if p is None or self.vendor_id is None:
            return None
        vendor_id = self.vendor_id
        return self.session.edit("Drop proposed condition", lambda: self.ws.conditions.drop(vendor_id, p.key),
                                 lambda: self.ws.conditions.undrop(vendor_id, p.key),
                                 lambda: self.ws.conditions.drop(vendor_id, p.key))
