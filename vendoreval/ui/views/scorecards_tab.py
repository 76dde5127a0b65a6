"""A vendor's scorecards: start one against a rubric, open it in the editor, delete it."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from ...domain.models import Scorecard
from ...services.workspace import Change
from ..models.scorecards_model import ScorecardRow, ScorecardsModel
from ..session import Session
from .table_tab import VendorTab, button_row, push_button, row_table, selected_row


class ScorecardsTab(VendorTab):
    """Scorecards of the selected vendor with their scores."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.model = ScorecardsModel(self)
        self.table = row_table(self, self.model, "Scorecards")
        self.rubric = QComboBox(self)
        self.rubric.setAccessibleName("Rubric for a new scorecard")
        self.rubric.setToolTip("The rubric to score this vendor against")
        self.rubric.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rubric.setMinimumContentsLength(16)  # long rubric titles must not widen the window
        self.new_button = push_button(self, "Start scorecard", "Start scorecard",
                                      "Start (or continue) your scorecard for this vendor on the chosen rubric")
        self.open_button = push_button(self, "Open in editor", "Open in editor",
                                       "Score the selected scorecard (double-click works too)")
        self.delete_button = push_button(self, "Delete", "Delete scorecard",
                                         "Delete the selected scorecard (undo with Ctrl+Z)")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        row = button_row([self.new_button, self.open_button], [self.delete_button])
        row.insertWidget(0, self.rubric, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.new_button.clicked.connect(lambda: self.start_scorecard())
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.table.doubleClicked.connect(lambda *_: self.open_current())
        # The rubric list is filled when the tab is first shown: the app's first paint (this tab is hidden
        # then) does not wait for the rubric library to parse its files.
        self._rubrics_filled = False

    def showEvent(self, event: QShowEvent) -> None:
        """Fill the rubric list on first showing."""
        if not self._rubrics_filled:
            self.fill_rubrics()
        super().showEvent(event)

    def fill_rubrics(self) -> None:
        """List the newest version of each rubric in the library."""
        self._rubrics_filled = True
        self.rubric.clear()
        for r in self.ws.library.latest_all():
            self.rubric.addItem(f"{r.title} ({r.version})", r.id)
        self.new_button.setEnabled(self.rubric.count() > 0)

    def refresh(self) -> None:
        """Reload scorecards and their scores."""
        rows = []
        if self.vendor_id:
            for t in self.ws.totals.scorecard_totals(vendor_id=self.vendor_id):
                rows.append(ScorecardRow(t.card, t.rubric.title, t.score.answered, t.score.total,
                                         t.score.claimed, t.score.evidence_weighted))
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(rows))
        self.delete_button.setEnabled(bool(rows))
        self.summary.setText("" if rows else "No scorecards yet: choose a rubric and press “Start scorecard”.")

    def on_change(self, change: Change) -> None:
        """Reload after scores, scorecards or claims changed."""
        if change.entity in ("score", "scorecard", "claim", "workspace", "context"):
            self.refresh()

    def current(self) -> Scorecard | None:
        """The selected scorecard."""
        row = selected_row(self.table, self.model)
        return row.card if row is not None else None

    def start_scorecard(self, rubric_id: str | None = None) -> Scorecard | None:
        """Create (or find) this evaluator's draft on a rubric and open it in the editor."""
        vid = self.vendor_id
        if not self._rubrics_filled:
            self.fill_rubrics()
        rid = rubric_id or self.rubric.currentData()
        if vid is None or rid is None:
            return None
        existing = {c.id for c in self.ws.scorecards.list(vid, rid)}
        holder: list[Scorecard] = []

        def do() -> Scorecard:
            holder[:] = [self.ws.scorecards.create(vid, rid)]
            return holder[0]

        def undo() -> None:
            if holder[0].id not in existing:
                self.ws.scorecards.delete(holder[0].id)

        card = self.session.edit("Start scorecard", do, undo)
        if card is not None:
            self.session.open_scorecard.emit(card.id)
        return card

    def open_current(self) -> None:
        """Show the selected scorecard in the editor."""
        card = self.current()
        if card is not None:
            self.session.open_scorecard.emit(card.id)

    def delete_current(self) -> None:
        """Delete the selected scorecard after asking; undoable."""
        card = self.current()
        if card is None:
            return
        if not self.session.messages.confirm(self, "Delete scorecard",
                                             f"Delete the {card.rubric_id} scorecard by {card.evaluator}?"):
            return
        cid = card.id
        full = self.ws.scorecards.get(cid)
        self.session.edit("Delete scorecard", lambda: self.ws.scorecards.delete(cid),
                          lambda: self.ws.scorecards.restore(full))
