"""The consensus page: evaluators' levels side by side per criterion, spread, agreement, agreed scores."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import AgreedScore, Answer, Score
from ...domain.rubric import Criterion
from ...domain.text import plural
from ...services.consensus import Consensus, ConsensusRow, ConsensusService
from ...services.workspace import Change, ServiceError, Workspace
from ..colours import mute, text_on
from ..messages import Messages
from ..session import Session, own_session

FLAG_TEXT = "⚠ Differ by 2+ levels"
FLAG_BG = QColor("#f6d5d1")
FLAG_FG = QColor("#7a1c12")
AGREED_BG = QColor("#dcefdc")
TEAM_DISAGREES = "⚠ the team disagrees"


def answer_text(score: Score | None, criterion: Criterion) -> str:
    """An evaluator's answer as the cell shows it: '3 · Documented', 'Not disclosed', '—'."""
    if score is None:
        return "—"
    if score.answer == Answer.LEVEL and score.level is not None:
        try:
            return f"{score.level} · {criterion.scale.describe(score.level).label}"
        except IndexError:
            return str(score.level)
    return Answer(score.answer).label


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def _alpha(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


#: The changes the page re-reads for ("workspace": an import or another writer's commits).
_REFRESH_ON = ("bundle", "scorecard", "score", "vendor", "agreed_score", "workspace", "context")

#: How much of a criterion's question the editor shows (the whole of it is in the tooltip).
QUESTION_SHOWN = 200
#: The widest an evaluator's column is drawn (pixels); a longer answer ends in "…", whole in its tooltip.
ANSWER_COLUMN_MAX = 130
#: The agreed column's: wide enough for "✔ 3 · L3 · ⚠ the team disagrees".
AGREED_COLUMN_MAX = 200


class ConsensusView(QWidget):
    """Pick a vendor and rubric; see each evaluator's level, the spread, flags and agreement; record agreed scores."""

    def __init__(self, session: Session | Workspace, parent: QWidget | None = None,
                 messages: Messages | None = None) -> None:
        super().__init__(parent)
        self.session = session = own_session(session, messages, self)
        self.ws = ws = session.ws
        self.service = ConsensusService(ws)
        self.messages = messages or session.messages
        self.consensus: Consensus | None = None
        #: What was typed for a criterion and not recorded, kept while another row is looked at (vendor id,
        #: rubric hash, criterion id) -> (answer and level, rationale): clicking another row threw it away
        self._drafts: dict[tuple[str, str, str], tuple[object, str]] = {}
        self._shown: tuple[tuple[str, str, str], object, str] | None = None  # the row in the editor, as filled
        self._filling = False
        self._loaded = False  # nothing is read until the page is shown (or a vendor is selected)

        self.vendor = QComboBox(self)
        self.vendor.setAccessibleName("Vendor")
        self.vendor.setMinimumContentsLength(18)
        self.rubric = QComboBox(self)
        self.rubric.setAccessibleName("Rubric")
        self.rubric.setMinimumContentsLength(28)
        self.rubric.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        top = QHBoxLayout()
        for text, combo in (("Ve&ndor:", self.vendor), ("&Rubric:", self.rubric)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo, 1 if combo is self.rubric else 0)
            top.addSpacing(12)

        self.figures = QLabel(self)
        self.figures.setAccessibleName("Agreement figures")
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.PlainText)  # vendor and evaluator names are text, never markup
        font = self.figures.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.figures.setFont(font)
        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.table = QTableWidget(self)
        self.table.setAccessibleName("Evaluators' scores per criterion")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.viewport().installEventFilter(self)  # the columns are fitted to its width (_fit_columns)

        self.editor_box = QGroupBox("Agreed score", self)
        self.criterion_label = QLabel("Select a criterion above.", self.editor_box)
        self.criterion_label.setWordWrap(True)
        self.criterion_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.level = QComboBox(self.editor_box)
        self.level.setAccessibleName("Agreed level")
        self.rationale = QPlainTextEdit(self.editor_box)
        self.rationale.setTabChangesFocus(True)  # Tab moves on; a tab character is never what is meant
        self.rationale.setAccessibleName("Rationale for the agreed score")
        self.rationale.setPlaceholderText("Why the evaluators settled on this level (required)")
        self.rationale.setFixedHeight(52)
        self.record_button = QPushButton("Record agreed score", self.editor_box)
        self.record_button.setDefault(True)
        self.clear_button = QPushButton("Remove agreed score", self.editor_box)
        form = QFormLayout()
        form.addRow("Criterion:", self.criterion_label)
        form.addRow("Agreed &level:", self.level)
        form.addRow("R&ationale:", self.rationale)
        buttons = QVBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.clear_button)
        box = QHBoxLayout(self.editor_box)
        box.addLayout(form, 1)
        box.addLayout(buttons)
        self.legend = QLabel(
            "Spread = highest minus lowest level. Flagged when evaluators are two or more levels apart. "
            "Non-answers (not disclosed, not applicable) and unscored criteria are left out of the spread and "
            "the agreement figures. An agreed score replaces the evaluators' median in the comparison and the brief.",
            self)
        self.legend.setWordWrap(True)
        mute(self.legend)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figures)
        layout.addWidget(self.legend)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.editor_box)

        self.vendor.currentIndexChanged.connect(lambda *_: self._vendor_changed())
        self.rubric.currentIndexChanged.connect(lambda *_: self._rubric_changed())
        self.table.itemSelectionChanged.connect(self._row_changed)
        self.record_button.clicked.connect(self.record_agreed)
        self.clear_button.clicked.connect(self.clear_agreed)
        listener, ws_ = self._on_change, self.ws
        ws_.subscribe(listener)
        # Stop listening when the widget goes, or a later change would call into a deleted widget.
        self.destroyed.connect(lambda *_: ws_.unsubscribe(listener))
        # No reload here: showEvent reads the workspace when the page first appears, so building the
        # page costs nothing and the data is read once, not twice.
        self._fill()

    # --- data -----------------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if change.entity in _REFRESH_ON and self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        """Re-read on show: imports and edits elsewhere change what there is to compare."""
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        """Refill the vendor list (keeping the selection) and the table.

        Only the selected vendor's scorecards are read: the vendor list needs just which vendors have
        scorecards (one header query), so the cost does not grow with the number of vendors' scores.
        """
        self._loaded = True
        current = self.vendor.currentData()
        scored = self.service.vendors_with_rubrics()
        self._filling = True
        self.vendor.clear()
        for v in self.ws.vendors.list(include_archived=False):
            if v.id in scored:
                self.vendor.addItem(v.name, v.id)
        idx = self.vendor.findData(current)
        self._filling = False
        self.vendor.setCurrentIndex(idx if idx >= 0 else (0 if self.vendor.count() else -1))
        self._vendor_changed()

    def select(self, vendor_id: str, rubric_id: str | None = None) -> None:
        """Show one vendor (and rubric)."""
        if not self._loaded:
            self.reload()
        idx = self.vendor.findData(vendor_id)
        if idx >= 0:
            self.vendor.setCurrentIndex(idx)
        if rubric_id is not None:
            r = self.rubric.findData(rubric_id)
            if r >= 0:
                self.rubric.setCurrentIndex(r)

    def _vendor_changed(self) -> None:
        if self._filling:
            return
        vendor_id = self.vendor.currentData()
        current = self.rubric.currentData()
        self._filling = True
        self.rubric.clear()
        if vendor_id:
            for r in self.service.rubrics_for(vendor_id):
                self.rubric.addItem(f"{r.title} ({r.version})", r.id)
        idx = self.rubric.findData(current)
        self._filling = False
        self.rubric.setCurrentIndex(idx if idx >= 0 else (0 if self.rubric.count() else -1))
        self._rubric_changed()

    def _rubric_changed(self) -> None:
        if self._filling:
            return
        vendor_id, rubric_id = self.vendor.currentData(), self.rubric.currentData()
        self.consensus = None
        if vendor_id and rubric_id:
            try:
                self.consensus = self.service.for_vendor(vendor_id, rubric_id)
            except ServiceError as exc:
                self.messages.error(self, "Consensus", str(exc))
        self._fill()

    # --- presentation ---------------------------------------------------------------------------

    def _fill(self) -> None:
        selected = self.selected_row()
        c = self.consensus
        self.table.clear()
        self.table.setRowCount(0)
        if c is None:
            self.figures.setText("")
            self.empty.setText("No scorecards yet. Score a vendor, or import a colleague's bundle "
                               "(File → Import bundle…), to compare evaluators here.")
            self.empty.show()
            self.table.hide()
            self.editor_box.setEnabled(False)
            return
        self.empty.hide()
        self.table.show()
        self.editor_box.setEnabled(True)
        self.figures.setText(self.figures_text(c))
        headers = ["Criterion", *c.evaluators, "Spread", "Flag", "Agreed"]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(c.rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for r, row in enumerate(c.rows):
            crit = QTableWidgetItem(row.criterion.title)
            crit.setToolTip(f"{row.criterion.id}: {row.criterion.question}")
            crit.setData(Qt.ItemDataRole.UserRole, row.criterion.id)
            self.table.setItem(r, 0, crit)
            for col, evaluator in enumerate(c.evaluators, start=1):
                score = row.answers.get(evaluator)
                text = answer_text(score, row.criterion)
                item = QTableWidgetItem(text)
                # the whole answer too: a narrow column cuts it ('3 · Reasoned fo…')
                item.setToolTip(f"{text}\n{score.rationale}" if score is not None and score.rationale else text)
                self.table.setItem(r, col, item)
            spread = QTableWidgetItem("—" if row.spread is None else str(row.spread))
            spread.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            flag = QTableWidgetItem(FLAG_TEXT if row.flagged else "")
            if row.not_applicable_reason:  # the engagement context rules it out: no spread, never flagged
                flag.setText("N/A")
                flag.setToolTip(f"Engagement context — {row.not_applicable_reason}: not scored, left out of the "
                                "agreement figures.")
                crit.setToolTip(f"{crit.toolTip()}\n\n{row.not_applicable_reason}")
            if row.flagged:
                # Colour AND words: the flag must not rest on colour alone.
                for it in (spread, flag):
                    it.setBackground(QBrush(FLAG_BG))
                    it.setForeground(QBrush(FLAG_FG))
                    it.setFont(bold)
                flag.setToolTip("The evaluators' levels differ by two or more: talk it through and record "
                                "an agreed score.")
            self.table.setItem(r, len(c.evaluators) + 1, spread)
            self.table.setItem(r, len(c.evaluators) + 2, flag)
            agreed = QTableWidgetItem(self.agreed_text(row))
            if row.agreed is not None:
                agreed.setBackground(QBrush(AGREED_BG))
                agreed.setForeground(QBrush(text_on(AGREED_BG)))  # light text of a dark palette would vanish
                agreed.setToolTip(f"{row.agreed.rationale}\n— {row.agreed.agreed_by}, {row.agreed.agreed_at}")
            if row.team_disagreement:  # colour and words, as for the flag
                agreed.setBackground(QBrush(FLAG_BG))
                agreed.setForeground(QBrush(FLAG_FG))
                agreed.setFont(bold)
                agreed.setToolTip("\n\n".join([*row.team_disagreement, agreed.toolTip()]).strip())
            self.table.setItem(r, len(c.evaluators) + 3, agreed)
        self._fit_columns()
        if selected is not None and selected < len(c.rows):
            self.table.selectRow(selected)
        self._row_changed()

    def _fit_columns(self) -> None:
        """Criterion column stretched; each evaluator's and the agreed column as wide as its contents, capped
        only when they would leave the criteria less than a third of the table. Again when the table resizes
        (the page is filled before it is first laid out, when its width is not known yet)."""
        c = self.consensus
        if c is None or self.table.columnCount() < 2:
            return
        headers = self.table.columnCount()
        h = self.table.horizontalHeader()
        h.setTextElideMode(Qt.TextElideMode.ElideRight)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # each evaluator's answers and the agreed score are capped when space is short, so that the criteria
        # keep room: with four evaluators their longest level labels squeezed the Criterion column to 'Rol…'
        capped = {*range(1, len(c.evaluators) + 1), headers - 1}
        wanted = {col: max(self.table.sizeHintForColumn(col), h.sectionSizeFromContents(col).width())
                  for col in range(1, headers)}
        roomy = sum(wanted.values()) <= self.table.viewport().width() * 2 // 3
        for col in range(1, headers):
            if col in capped:
                h.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                cap = AGREED_COLUMN_MAX if col == headers - 1 else ANSWER_COLUMN_MAX
                self.table.setColumnWidth(col, wanted[col] if roomy else min(wanted[col], cap))
                name = self.table.horizontalHeaderItem(col)
                if name is not None:
                    name.setToolTip(name.text())  # a long name ends in "…" in the header
            else:
                h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Fit the columns again when the table's width changes."""
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    @staticmethod
    def figures_text(c: Consensus) -> str:
        """The agreement line above the table."""
        n = len(c.evaluators)
        flagged = len(c.flagged)
        if n < 2:
            return (f"Only one evaluator ({', '.join(c.evaluators) or 'none'}) has scored {c.vendor_name} on this "
                    "rubric: nothing to compare yet.")
        disputed = sum(1 for r in c.rows if r.team_disagreement)
        team = f" · ⚠ the team disagrees on {plural(disputed, 'agreed score')}" if disputed else ""
        return (f"{plural(n, 'evaluator')} · Percent agreement {_pct(c.agreement.percent)} · Krippendorff's α "
                f"(ordinal) {_alpha(c.agreement.alpha)} · {plural(flagged, 'criterion')} two or more levels apart"
                + team)

    @staticmethod
    def agreed_text(row: ConsensusRow) -> str:
        """An agreed score for the table."""
        a = row.agreed
        if a is None:
            return ""
        words = answer_text(Score(criterion_id=a.criterion_id, answer=a.answer, level=a.level), row.criterion)
        return f"✔ {words}" + (f" · {TEAM_DISAGREES}" if row.team_disagreement else "")

    def selected_row(self) -> int | None:
        """Index of the selected criterion row, if any."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else None

    def _keep_draft(self) -> None:
        """Keep what the editor holds for its row when it differs from what the row was filled with."""
        if self._shown is None:
            return
        key, level, text = self._shown
        now = (self.level.currentData(), self.rationale.toPlainText())
        if now != (level, text):
            self._drafts[key] = now
        else:
            self._drafts.pop(key, None)

    def _row_changed(self) -> None:
        self._keep_draft()
        self._shown = None
        c = self.consensus
        idx = self.selected_row()
        self.level.clear()
        if c is None or idx is None:
            self.criterion_label.setText("Select a criterion above.")
            self.record_button.setEnabled(False)
            self.clear_button.setEnabled(False)
            return
        row = c.rows[idx]
        crit = row.criterion
        question = crit.question
        if len(question) > QUESTION_SHOWN:  # a long question pushed the level and rationale out of the box
            question = question[:QUESTION_SHOWN].rsplit(" ", 1)[0] + " …"
        self.criterion_label.setToolTip(crit.question)
        self.criterion_label.setText(f"<b>{html.escape(crit.title)}</b> — {html.escape(question)}"
                                     + "".join(f"<br><b>{TEAM_DISAGREES}:</b> {html.escape(line)}"
                                               for line in row.team_disagreement))
        self.criterion_label.setTextFormat(Qt.TextFormat.RichText)
        # the form gave the label the lines of the row shown before: a longer text was cut at the bottom
        width = self.criterion_label.width()
        if width > 50:
            self.criterion_label.setMinimumHeight(self.criterion_label.heightForWidth(width))
        for lv in row.criterion.scale.levels:
            self.level.addItem(f"{lv.level} · {lv.label}", (Answer.LEVEL.value, lv.level))
        for ans in (Answer.NOT_DISCLOSED, Answer.DISCLOSED_NO, Answer.NOT_APPLICABLE):
            self.level.addItem(ans.label, (ans.value, None))
        current = (row.agreed.answer, row.agreed.level) if row.agreed else (Answer.LEVEL.value, row.median)
        for i in range(self.level.count()):
            ans, lvl = self.level.itemData(i)
            if ans == current[0] and lvl == current[1]:
                self.level.setCurrentIndex(i)
                break
        self.rationale.setPlainText(row.agreed.rationale if row.agreed else "")
        key = (c.vendor_id, c.rubric.content_hash, crit.id)
        self._shown = (key, self.level.currentData(), self.rationale.toPlainText())
        draft = self._drafts.get(key)
        if draft is not None:  # typed here before and not recorded: back as it was typed
            level, text = draft
            at = next((i for i in range(self.level.count()) if self.level.itemData(i) == level), -1)
            if at >= 0:
                self.level.setCurrentIndex(at)
            self.rationale.setPlainText(text)
            self.criterion_label.setText(self.criterion_label.text() + " <i>(not recorded yet)</i>")
        self.record_button.setEnabled(True)
        self.clear_button.setEnabled(row.agreed is not None)

    # --- actions --------------------------------------------------------------------------------

    def record_agreed(self) -> bool:
        """Record the agreed score of the selected criterion; False (with a message) when refused."""
        c = self.consensus
        idx = self.selected_row()
        if c is None or idx is None:
            return False
        row = c.rows[idx]
        answer, level = self.level.currentData()
        rationale = self.rationale.toPlainText()
        vendor_id, rubric_id, criterion_id, old = c.vendor_id, c.rubric.id, row.criterion.id, row.agreed
        service = self.service
        words = self.level.currentText()
        done = self.session.edit(
            f"Agreed score for {row.criterion.title}: {words}",
            lambda: service.agree(vendor_id, rubric_id, criterion_id, answer, level=level, rationale=rationale),
            lambda: _put_back(service, vendor_id, rubric_id, criterion_id, old))
        if done is None:
            return False
        self._drafts.pop((vendor_id, c.rubric.content_hash, criterion_id), None)
        self._shown = None  # recorded: nothing to keep from the editor
        self._rubric_changed()
        self.table.selectRow(idx)
        return True



    def clear_agreed(self) -> None:
        """Remove the agreed score of the selected criterion."""
        c = self.consensus
        idx = self.selected_row()
        if c is None or idx is None:
            return
        row = c.rows[idx]
        vendor_id, rubric_id, criterion_id, old = c.vendor_id, c.rubric.id, row.criterion.id, row.agreed
        service = self.service
        def remove() -> bool:
            service.clear(vendor_id, rubric_id, criterion_id)
            return True

        done = self.session.edit(f"Remove agreed score for {row.criterion.title}", remove,
                                 lambda: _put_back(service, vendor_id, rubric_id, criterion_id, old))
        if done is None:
            return
        self._rubric_changed()
        self.table.selectRow(idx)


def _put_back(service: ConsensusService, vendor_id: str, rubric_id: str, criterion_id: str,
              old: AgreedScore | None) -> None:
    """Undo of an agreed-score edit: the earlier agreed score again, or none."""
    if old is None:
        service.clear(vendor_id, rubric_id, criterion_id)
    else:
        service.agree(vendor_id, rubric_id, criterion_id, old.answer, level=old.level,
                      rationale=old.rationale, strength=old.strength)
