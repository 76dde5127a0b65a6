"""The scorecard editor: one rubric at a time, criteria list with progress, scoring by mouse or keyboard."""

from __future__ import annotations

import html
from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.claim_links import suggested_claims
from ...domain.context import applicability
from ...domain.figures import FigureError, display_figure, parse_figure
from ...domain.models import Answer, Claim, ClaimStatus, EvidenceStrength, Score, Scorecard, ScorecardStatus
from ...domain.public_record import PublicRecord
from ...domain.rubric import Criterion, Rubric, ScaleKind, see_also_text
from ...domain.rules import level_problem
from ...domain.text import plural
from ...errors import UserError
from ...services.ageing import AgeingService
from ...services.public_record import public_records
from ...services.scorecards import describe_score
from ...services.workspace import Change, NotFound, StaleEdit
from ..colours import mute
from ..models.criteria_model import CriteriaModel
from ..models.rows import fmt_score
from ..session import Session
from ..stale import commit_on_revision, on_stale
from ..widgets.autosave import AutoSave
from ..widgets.clickable_label import ClickableLabel
from ..widgets.conflict_note import ConflictNote

#: Keys that pick a non-answer while the criteria list has focus.
NON_ANSWER_KEYS = {Qt.Key.Key_N: Answer.NOT_DISCLOSED, Qt.Key.Key_X: Answer.DISCLOSED_NO,
                   Qt.Key.Key_A: Answer.NOT_APPLICABLE}
KEY_HELP = [
    ("0 – 9", "pick that level for the current criterion"),
    ("N", "not disclosed"),
    ("X", "disclosed: no"),
    ("A", "not applicable"),
    ("Delete", "clear the current criterion's score"),
    ("J, Alt+Down or Ctrl+]", "next criterion"),
    ("K, Alt+Up or Ctrl+[", "previous criterion"),
    ("Ctrl+Shift+U", "next unscored criterion"),
    ("R", "write the rationale (Esc returns to the list)"),
]


class ScorecardEditorView(QWidget):
    """Edits one scorecard; every pick is saved at once through the services and can be undone."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.card: Scorecard | None = None
        self.rubric: Rubric | None = None
        self._showing: str | None = None

        # header
        self.title = QLabel("<h2>No scorecard open</h2>", self)
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Scorecard")
        self.scores_label = QLabel(self)
        self.scores_label.setAccessibleName("Scores")
        self.scores_label.setToolTip("Claimed: levels taken at face value. Evidence-weighted: discounted by "
                                     "how strong the evidence is. Both 0–100, updated as you score.")
        # the public record beside the scores: the FMTI baseline of the models behind the vendor, what is stale
        self.record_label = QLabel(self)
        self.record_label.setWordWrap(True)
        self.record_label.setAccessibleName("Public record")
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._record: PublicRecord | None = None
        self._rechecks: dict[str, list[str]] = {}  # "rubric:criterion" -> reasons, for this scorecard
        self.submit_button = QPushButton("Submit", self)
        self.submit_button.setToolTip("Lock this scorecard as submitted (Ctrl+Return)")
        self.submit_button.setShortcut("Ctrl+Return")
        self.reopen_button = QPushButton("Reopen as new draft", self)
        self.reopen_button.setToolTip("Make a new draft version of this submitted scorecard (recorded in the history)")
        self.upgrade_button = QPushButton(self)
        self.upgrade_button.setToolTip("Start a scorecard on the newer rubric version; levels of unchanged criteria "
                                       "are carried over")
        for b in (self.submit_button, self.reopen_button):
            b.setAccessibleName(b.text())
        header = QHBoxLayout()
        col = QVBoxLayout()
        col.addWidget(self.title)
        col.addWidget(self.scores_label)
        col.addWidget(self.record_label)
        header.addLayout(col, 1)
        header.addWidget(self.upgrade_button)
        header.addWidget(self.reopen_button)
        header.addWidget(self.submit_button)

        # criteria list
        self.model = CriteriaModel(self)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Criteria")
        self.list.setToolTip("Criteria of the rubric; ○ = not scored yet. Keys: 0–9 level, N/X/A non-answers, "
                             "J/K next/previous (see Help → Keyboard shortcuts)")
        self.list.setWordWrap(True)
        self.list.setSpacing(1)
        self.progress = QLabel(self)
        self.progress.setAccessibleName("Progress")
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.list, 1)
        keys = QLabel("Keys: <b>0–9</b> level · <b>N</b> not disclosed · <b>X</b> disclosed: no · "
                      "<b>A</b> not applicable · <b>J</b>/<b>K</b> next/previous · <b>R</b> rationale · "
                      "<b>F1</b> all shortcuts", left)
        keys.setWordWrap(True)
        keys.setAccessibleName("Scoring keys")
        left_layout.addWidget(keys)

        # current criterion
        self.crit_title = QLabel(self)
        self.crit_title.setWordWrap(True)
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance = QLabel(self)
        self.guidance.setWordWrap(True)
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sources = QLabel(self)
        self.sources.setWordWrap(True)
        self.recheck_button = QPushButton("Mark as re-checked", self)
        self.recheck_button.setAccessibleName("Mark as re-checked")
        self.recheck_button.setToolTip("The score still holds after what changed (recorded in the history)")
        self.recheck_button.setVisible(False)
        self.levels_box = QGroupBox("Level", self)
        self.levels_layout = QGridLayout(self.levels_box)
        self.levels_layout.setColumnStretch(1, 1)
        self.levels_layout.setHorizontalSpacing(12)
        self.level_labels: list[ClickableLabel] = []
        self.answers = QButtonGroup(self)
        self.answers.setExclusive(True)
        self.level_buttons: list[QRadioButton] = []
        self.figure = QLineEdit(self)
        self.figure.setAccessibleName("Figure")
        self.figure.setPlaceholderText("Enter the figure (e.g. 40 billion training tokens) to set the level")
        self.non_box = QGroupBox("Or a non-answer", self)
        non_layout = QHBoxLayout(self.non_box)
        self.non_buttons: dict[Answer, QRadioButton] = {}
        for key, ans in ((Qt.Key.Key_N, Answer.NOT_DISCLOSED), (Qt.Key.Key_X, Answer.DISCLOSED_NO),
                         (Qt.Key.Key_A, Answer.NOT_APPLICABLE)):
            radio = QRadioButton(f"{ans.label}  [{QKeySequence(key).toString()}]", self.non_box)
            radio.setAccessibleName(ans.label)
            radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.answers.addButton(radio)
            non_layout.addWidget(radio)
            self.non_buttons[ans] = radio
            radio.clicked.connect(lambda _c=False, a=ans: self.set_answer(a))
        self.non_buttons[Answer.NOT_DISCLOSED].setToolTip("The vendor did not say (counts as 0)")
        self.non_buttons[Answer.DISCLOSED_NO].setToolTip("The vendor said no (counts as the criterion's level "
                                                         "for 'no')")
        self.non_buttons[Answer.NOT_APPLICABLE].setToolTip("Drops out; the other criteria re-normalise")
        non_layout.addStretch(1)
        self.clear_button = QPushButton("Clear", self.non_box)
        self.clear_button.setToolTip("Remove this criterion's score (Delete)")
        self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        non_layout.addWidget(self.clear_button)
        self.strength = QComboBox(self)
        self.strength.setAccessibleName("Evidence strength")
        self.strength.setToolTip("How far this score can be trusted; 'From linked claims' follows the strongest "
                                 "linked claim's status")
        self.strength.addItem("From linked claims", None)
        for s in EvidenceStrength:
            self.strength.addItem(s.label, s)
        self.rationale = QPlainTextEdit(self)
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setPlaceholderText("Why this level: what the evidence shows (saved as you type)")
        self.rationale.setMaximumHeight(76)
        self.claims = QListWidget(self)
        self.claims.setAccessibleName("Linked claims")
        self.claims.setToolTip("Tick the vendor's claims this score rests on")
        self.claims.setMaximumHeight(140)
        self.claims.setWordWrap(True)
        # claims linked to the criterion but not to this score (a submitted or colleague's card is never
        # written; on a draft the evaluator unlinked them): shown, and on a draft linked with one click
        self._vendor_claims: list[Claim] = []
        self.suggested = QLabel(self)
        self.suggested.setWordWrap(True)
        self.suggested.setAccessibleName("Suggested claims")
        self.suggested.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mute(self.suggested)
        self.link_suggested = QPushButton("Link", self)
        self.link_suggested.setAccessibleName("Link suggested claims")
        self.link_suggested.setToolTip("Link the suggested claims to this score")
        suggested_row = QHBoxLayout()
        suggested_row.addWidget(self.suggested, 1)
        suggested_row.addWidget(self.link_suggested, 0, Qt.AlignmentFlag.AlignTop)
        self.lock_note = QLabel(self)
        self.lock_note.setWordWrap(True)
        strength_row = QHBoxLayout()
        strength_row.addWidget(QLabel("Evidence strength:", self))
        strength_row.addWidget(self.strength, 1)
        detail = QWidget(self)
        d = QVBoxLayout(detail)
        d.addWidget(self.crit_title)
        d.addWidget(self.question)
        d.addWidget(self.guidance)
        d.addWidget(self.sources)
        d.addWidget(self.recheck_button, 0, Qt.AlignmentFlag.AlignLeft)
        d.addWidget(self.levels_box)
        d.addWidget(self.figure)
        d.addWidget(self.non_box)
        d.addLayout(strength_row)
        rationale_label = QLabel("&Rationale:", self)
        rationale_label.setBuddy(self.rationale)
        d.addWidget(rationale_label)
        d.addWidget(self.rationale)
        #: The user's own rationale when its edit was refused because the score changed elsewhere.
        self.rationale_note = ConflictNote(self)
        d.addWidget(self.rationale_note)
        d.addWidget(QLabel("Linked claims:", self))
        d.addWidget(self.claims)
        d.addLayout(suggested_row)
        d.addWidget(self.lock_note)
        d.addStretch(1)
        self.detail_scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps instead
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([360, 820])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(split, 1)
        layout.addStretch(0)  # takes the room only while the form is hidden: the header stays at the top
        self.split = split
        split.setVisible(False)  # no scorecard open: the header says how to open one, no empty form under it
        # Tab in working order: the criteria, the current criterion's fields top to bottom (levels and
        # non-answers are typed as keys on the list, so they take no Tab stop), and only then the header's
        # buttons: Tab from the rationale never lands on Submit, where a Space would submit a half-scored card.
        # The rationale passes Tab on instead of typing it, and the scroll area around the fields is no stop of
        # its own: it scrolls to whichever field has the focus.
        self.rationale.setTabChangesFocus(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chain = (self.list, self.figure, self.strength, self.rationale, self.claims, self.link_suggested,
                 self.upgrade_button,
                 self.reopen_button, self.submit_button)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        self.rationale_save = AutoSave(self.rationale, self._commit_rationale)
        session.register_autosave(self.rationale_save)
        self.figure.editingFinished.connect(self._commit_figure)
        self.strength.activated.connect(self._strength_picked)
        self.claims.itemChanged.connect(self._claim_toggled)
        self.link_suggested.clicked.connect(self.link_suggestions)
        self.clear_button.clicked.connect(lambda: self.set_answer(None))
        self.submit_button.clicked.connect(self.submit)
        self.reopen_button.clicked.connect(self.reopen)
        self.upgrade_button.clicked.connect(self.upgrade)
        self.recheck_button.clicked.connect(self.confirm_recheck)
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list.installEventFilter(self)
        self._rationale_appends = False  # R just put the cursor at the end of the rationale
        self.rationale.installEventFilter(self)
        for seq, step in (("Alt+Down", 1), ("Ctrl+]", 1), ("Alt+Up", -1), ("Ctrl+[", -1)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda s=step: self.step(s))
        sc = QShortcut(QKeySequence("Ctrl+Shift+U"), self)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.next_unscored)
        session.changed.connect(self._on_change)
        self._show_criterion(None)
        self._update_header()

    # --- loading ----------------------------------------------------------------------------

    def open_card(self, card_id: str) -> bool:
        """Show a scorecard; False (and a message) when it cannot be found."""
        self.session.flush()
        try:
            card = self.ws.scorecards.get(card_id)
            rubric = self.ws.scorecards.rubric_of(card)
        except NotFound as exc:
            self.session.messages.error(self, "Cannot open scorecard", str(exc))
            return False
        self.card, self.rubric = card, rubric
        self.split.setVisible(True)
        self._load_record()
        self.model.set_rubric(rubric, card.scores)
        first_unscored = next((i for i, c in enumerate(rubric.criteria) if c.id not in card.scores), 0)
        self.select_row(first_unscored)
        self._update_header()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _reload_card(self, claims_changed: bool = False, record: bool = True) -> None:
        """Show the scorecard as stored; ``record``: read the vendor's public record again too (not needed
        after an edit of this scorecard's own scores, which can only clear a mark to re-check)."""
        if self.card is None:
            return
        try:
            self.card = self.ws.scorecards.get(self.card.id)
        except NotFound:
            self.card, self.rubric = None, None
            self.split.setVisible(False)
            self.model.set_rubric(None, {})
            self._show_criterion(None)
            self._update_header()
            return
        if record:
            self._load_record()
        elif self._rechecks:  # a changed or confirmed score may clear a mark; nothing else can change here
            self._load_rechecks()
        self.model.set_scores(self.card.scores)
        self._update_header()
        self._show_criterion(self.current_criterion(), keep_text=True, claims_changed=claims_changed)

    def _load_record(self) -> None:
        """The vendor's public record and this scorecard's scores to re-check (read on open and after changes)."""
        card = self.card
        if card is None:
            self._record, self._rechecks = None, {}
            return
        self._record = public_records(self.ws, [card.vendor_id]).get(card.vendor_id)
        self._load_rechecks()

    def _load_rechecks(self) -> None:
        card = self.card
        if card is None:
            self._rechecks = {}
            return
        rechecks: dict[str, list[str]] = {}
        for r in AgeingService(self.ws).rechecks(card.vendor_id):
            if r.scorecard_id == card.id:
                rechecks.setdefault(r.criterion_id, []).append(r.trigger.reason)
        self._rechecks = rechecks

    def confirm_recheck(self) -> None:
        """The evaluator confirms the current score still holds after what changed."""
        crit, card = self.current_criterion(), self.card
        if crit is None or card is None:
            return
        self.session.attempt(lambda: AgeingService(self.ws).confirm(card.id, crit.id), "Mark as re-checked")

    def _on_change(self, change: Change) -> None:
        if self.card is None:
            return
        if change.entity in ("score", "scorecard") and change.entity_id == self.card.id:
            self._reload_card(record=False)
        elif change.entity in ("claim", "vendor", "context", "evidence") and change.vendor_id == self.card.vendor_id:
            self._reload_card(claims_changed=change.entity == "claim")
        elif change.entity == "workspace":  # an import or another writer: the rationale typed here is kept
            self._reload_card(claims_changed=True)

    # --- header -----------------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        """True when the open scorecard is submitted."""
        return self.card is not None and self.card.status == ScorecardStatus.SUBMITTED

    def _update_header(self) -> None:
        card, rubric = self.card, self.rubric
        if card is None or rubric is None:
            self.title.setText("<h2>No scorecard open</h2><p>Open one from a vendor's Scorecards tab.</p>")
            self.scores_label.setText("")
            self.progress.setText("")
            for b in (self.submit_button, self.reopen_button, self.upgrade_button):
                b.setVisible(False)
            return
        try:
            vendor = self.ws.vendors.get(card.vendor_id).name
        except NotFound:
            vendor = "?"
        status = "Submitted" if card.status == ScorecardStatus.SUBMITTED else "Draft"
        self.title.setText(f"<h2>{html.escape(vendor)} — {html.escape(rubric.title)} {html.escape(rubric.version)}"
                           f"</h2><p>{status} v{card.version} · evaluator {html.escape(card.evaluator)}</p>")
        score = self.ws.totals.scorecard_score(card)
        by = list(dict.fromkeys(k.criterion_title for k in score.knockouts))
        ko = (" · <b>knocked out</b> by " + html.escape("; ".join(by))) if by else ""
        self.model.set_knockouts({k.criterion_id: k.describe() for k in score.knockouts})
        self.scores_label.setText(f"Claimed <b>{fmt_score(score.claimed)}</b> · evidence-weighted "
                                  f"<b>{fmt_score(score.evidence_weighted)}</b>{ko}")
        answered, total = self.model.answered(), len(rubric.criteria)
        self.progress.setText(f"<b>{answered} of {total} scored</b>" + ("" if answered == total else
                                                                        f" · {total - answered} to go"))
        self.submit_button.setVisible(not self.locked)
        self.reopen_button.setVisible(self.locked)
        newer = self.ws.scorecards.newer_rubric(card.id)
        self.upgrade_button.setVisible(newer is not None)
        if newer is not None:
            self.upgrade_button.setText(f"Upgrade to rubric version {newer.version}")
            self.upgrade_button.setAccessibleName(self.upgrade_button.text())
        self.lock_note.setText("This scorecard is submitted and locked. Reopen it to change scores."
                               if self.locked else "")
        self.record_label.setText(self._record_text())

    def _record_text(self) -> str:
        """The header's public-record line: models' FMTI scores, contradictions, stale items, scores to re-check."""
        record, bits = self._record, []
        if record is not None:
            for b in record.baselines:
                bits.append(html.escape(f"Built on {b.model.label}: {b.summary}"))
            bits += [f"<b>⚠ {html.escape(c.sentence)}</b>" for c in record.contradictions]
            if record.stale_count:
                bits.append(f"<b>{record.stale_count} stale</b> claim(s) or evidence (Vendor → Due for review)")
            if record.reassessment_due:
                bits.append("<b>reassessment due</b>")
        if self._rechecks:
            n = len(self._rechecks)
            bits.append(f"<b>↻ {n} score{'s' if n != 1 else ''} to re-check</b>")
        return "<small>" + " · ".join(bits) + "</small>" if bits else ""

    # --- current criterion ------------------------------------------------------------------

    def current_criterion(self) -> Criterion | None:
        """The criterion being scored."""
        idx = self.list.currentIndex()
        if not idx.isValid() or not 0 <= idx.row() < len(self.model.criteria):
            return None
        return self.model.criteria[idx.row()]

    def select_row(self, row: int) -> None:
        """Make criterion ``row`` current."""
        if not 0 <= row < self.model.rowCount():
            return
        self.list.selectionModel().setCurrentIndex(self.model.index(row),
                                                   QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(self.model.index(row))

    def step(self, step: int) -> None:
        """Go to the next (+1) or previous (-1) criterion."""
        idx = self.list.currentIndex()
        self.select_row((idx.row() if idx.isValid() else -1) + step)

    def next_unscored(self) -> None:
        """Go to the next criterion without a score (wrapping around)."""
        n = self.model.rowCount()
        start = self.list.currentIndex().row()
        for k in range(1, n + 1):
            row = (start + k) % n
            if self.model.criteria[row].id not in self.model.scores:
                self.select_row(row)
                return

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.rationale_save.flush()  # the rationale belongs to the criterion we are leaving
        self._show_criterion(self.current_criterion())

    def _detail_text(self, crit: Criterion) -> str:
        """Sources, duty, knock-out, weight, crosswalk, see-also, and whether the vendor's context rules it out."""
        extra = []
        if crit.sources:
            extra.append("Sources: " + html.escape("; ".join(crit.sources)))
        if crit.duty_applies_from:
            extra.append(f"Legal duty applies from {crit.duty_applies_from.isoformat()}")
        if crit.knockout_below is not None:
            extra.append(f"Knock-out below level {crit.knockout_below}"
                         + (f": {html.escape(crit.knockout_reason)}" if crit.knockout_reason else ""))
        extra.append(f"Weight {crit.weight:g}")
        lines = [" · ".join(extra)]
        if crit.crosswalk:
            lines.append("Crosswalk: " + html.escape(crit.crosswalk_text()))
        if crit.see_also:
            lines.append(html.escape(see_also_text(crit, self.ws.library.latest)))
        key = f"{self.rubric.id}:{crit.id}" if self.rubric is not None else crit.id
        for b in self._record.scored if self._record is not None else ():
            indicators = b.relevant.get(key, ())
            if indicators and b.latest is not None:
                shown = "; ".join(f"{html.escape(name)}: {'disclosed' if value else 'not disclosed'}"
                                  for name, value in indicators)
                lines.append(f"Public record — {html.escape(b.latest.developer)} in {html.escape(b.latest.title)} "
                             f"({b.latest.total}/{b.latest.out_of}): {shown}")
        reasons = self._rechecks.get(crit.id) or self._rechecks.get(key)
        if reasons:
            lines.insert(0, "<b>↻ To re-check: " + html.escape("; ".join(dict.fromkeys(reasons))) + "</b>")
        ruled_out = (applicability(crit, self.ws.contexts.get(self.card.vendor_id))
                     if crit.applies_when and self.card is not None else None)
        if ruled_out:  # the vendor's engagement context: whatever is scored here does not count
            lines.insert(0, f"<b>Engagement context — {html.escape(ruled_out)}.</b> Whatever is scored here "
                            "does not count and never knocks out (Context tab of the vendor).")
        return "<small>" + "<br>".join(lines) + "</small>"

    def _show_criterion(self, crit: Criterion | None, keep_text: bool = False, claims_changed: bool = False) -> None:
        same = crit is not None and crit.id == self._showing and self.card is not None
        if same and keep_text:
            assert crit is not None
            # the same criterion after an edit: update the score state, keep the widgets (fast path)
            if claims_changed:
                self._fill_claims(crit, self.card.scores.get(crit.id) if self.card else None)
            self._sync_score(crit, keep_text=True)
            self.sources.setText(self._detail_text(crit))  # the vendor's engagement context may have changed
            self._show_recheck(crit)
            return
        self._showing = crit.id if crit is not None else None
        self.detail_scroll.verticalScrollBar().setValue(0)  # another criterion starts at its title, not mid-way
        for w in [*self.level_buttons, *self.level_labels]:
            if isinstance(w, QRadioButton):
                self.answers.removeButton(w)
            self.levels_layout.removeWidget(w)
            w.hide()
            w.deleteLater()
        self.level_buttons, self.level_labels = [], []
        if crit is None or self.card is None:
            self.crit_title.setText("")
            self.question.setText("")
            self.guidance.setText("")
            self.sources.setText("")
            self.recheck_button.setVisible(False)
            self.rationale_save.set_text("")
            self.claims.clear()
            self.suggested.setVisible(False)
            self.link_suggested.setVisible(False)
            for w in (self.levels_box, self.non_box, self.strength, self.rationale, self.claims, self.figure):
                w.setEnabled(False)
            self.figure.setVisible(False)
            return
        score = self.card.scores.get(crit.id)
        pos = self.model.criteria.index(crit) + 1
        self.crit_title.setText(f"<h3>{pos}. {html.escape(crit.title)}</h3>")
        self.question.setText(f"<b>Ask the vendor:</b> {html.escape(crit.question)}")
        self.guidance.setText(f"<b>Guidance:</b> {html.escape(crit.guidance)}" if crit.guidance else "")
        self.sources.setText(self._detail_text(crit))
        self._show_recheck(crit)
        for row, lv in enumerate(crit.scale.levels):
            b = QRadioButton(f"{lv.level}  {lv.label}", self.levels_box)
            b.setAccessibleName(f"Level {lv.level}: {lv.label}")
            b.setAccessibleDescription(lv.description)
            b.setToolTip(f"Press {lv.level} to pick this level")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            font = b.font()
            font.setBold(True)
            b.setFont(font)
            desc = ClickableLabel(lv.description + (f"\nExample: {lv.example}" if lv.example else ""),
                                  self.levels_box)
            desc.setToolTip(f"Press {lv.level} to pick this level")
            self.answers.addButton(b)
            self.levels_layout.addWidget(b, row, 0, Qt.AlignmentFlag.AlignTop)
            self.levels_layout.addWidget(desc, row, 1)
            self.level_buttons.append(b)
            self.level_labels.append(desc)
            b.clicked.connect(lambda _c=False, n=lv.level: self.set_level(n))
            desc.clicked.connect(lambda n=lv.level: self.set_level(n))
        self.figure.setVisible(crit.scale.kind == ScaleKind.NUMERIC)
        if crit.scale.kind == ScaleKind.NUMERIC:
            unit = f" ({crit.scale.unit})" if crit.scale.unit else ""
            cuts = ", ".join(display_figure(t) for t in crit.scale.thresholds or [])
            self.figure.setToolTip(f"Thresholds{unit}: {cuts}. Write the figure as you read it: "
                                   "40 billion, 40B, 2.3bn, 4e10.")
        self._fill_claims(crit, score)
        self._sync_score(crit, keep_text=False)

    def _show_recheck(self, crit: Criterion) -> None:
        key = f"{self.rubric.id}:{crit.id}" if self.rubric is not None else crit.id
        self.recheck_button.setVisible(bool(self._rechecks.get(crit.id) or self._rechecks.get(key)))

    def _sync_score(self, crit: Criterion, keep_text: bool) -> None:
        """Show the current criterion's score: checked answer, figure, strength, rationale, linked claims."""
        assert self.card is not None
        score = self.card.scores.get(crit.id)
        enabled = not self.locked
        if crit.scale.kind == ScaleKind.NUMERIC:
            self.figure.setText("" if score is None or score.figure is None else display_figure(score.figure))
        self.answers.setExclusive(False)
        for b in [*self.level_buttons, *self.non_buttons.values()]:
            b.setChecked(False)
        self.answers.setExclusive(True)
        if score is not None:
            if score.answer == Answer.LEVEL and score.level is not None and score.level < len(self.level_buttons):
                self.level_buttons[score.level].setChecked(True)
            elif score.answer != Answer.LEVEL:
                self.non_buttons[Answer(score.answer)].setChecked(True)
        self.strength.setCurrentIndex(self.strength.findData(score.strength) if score and score.strength else 0)
        if not (keep_text and self.rationale_save.pending):  # typing keeps its words and the revision it began on
            self.rationale_save.set_text(score.rationale if score else "", score.revision if score else 0)
            if not keep_text:
                self.rationale_note.clear()
        linked = set(score.claim_ids) if score else set()
        self.claims.blockSignals(True)
        for i in range(self.claims.count()):
            item = self.claims.item(i)
            cid = item.data(Qt.ItemDataRole.UserRole)
            if cid:
                item.setCheckState(Qt.CheckState.Checked if cid in linked else Qt.CheckState.Unchecked)
        self.claims.blockSignals(False)
        for w in (self.levels_box, self.non_box, self.strength, self.rationale, self.claims, self.figure):
            w.setEnabled(enabled)
        self.strength.setEnabled(enabled and score is not None)
        self.rationale.setEnabled(enabled and score is not None)
        self.rationale.setPlaceholderText("Why this level: what the evidence shows (saved as you type)"
                                          if score is not None else "Pick a level or a non-answer first")
        self._show_suggestions(crit, score)

    def suggestions(self) -> list[Claim]:
        """The claims linked to the current criterion but not to its score on this scorecard."""
        crit, card = self.current_criterion(), self.card
        if crit is None or card is None:
            return []
        return suggested_claims(self._vendor_claims, card.rubric_id, crit.id, card.scores.get(crit.id))

    def _show_suggestions(self, crit: Criterion, score: Score | None) -> None:
        assert self.card is not None
        claims = suggested_claims(self._vendor_claims, self.card.rubric_id, crit.id, score)
        if claims:
            shown = " · ".join(f"“{html.escape(_short(c.text))}” ({ClaimStatus(c.status).label.lower()})"
                               for c in claims)
            self.suggested.setText(f"<small>Suggested claims: {shown}</small>")
        self.suggested.setVisible(bool(claims))
        self.link_suggested.setVisible(bool(claims) and score is not None and not self.locked)

    def link_suggestions(self) -> bool:
        """Link the suggested claims to the current criterion's score (drafts only); undoable."""
        crit, card = self.current_criterion(), self.card
        score = card.scores.get(crit.id) if card is not None and crit is not None else None
        extra = [c.id for c in self.suggestions()]
        if score is None or not extra:
            return False
        return self._score_edit("Link suggested claims", claim_ids=[*score.claim_ids, *extra])

    def _fill_claims(self, crit: Criterion, score: Score | None) -> None:
        assert self.card is not None and self.rubric is not None
        self.claims.blockSignals(True)
        self.claims.clear()
        linked = set(score.claim_ids) if score else set()
        key = f"{self.rubric.id}:{crit.id}"
        claims = self.ws.claims.list(self.card.vendor_id)
        self._vendor_claims = list(claims)
        # claims linked to this criterion first, then the rest of the vendor's claims
        claims.sort(key=lambda c: (key not in {str(r) for r in c.criteria}, c.created_at))
        for c in claims:
            text = " ".join(c.text.split())
            item = QListWidgetItem(f"{text[:140]}  — {ClaimStatus(c.status).label}")
            item.setToolTip(c.text)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in linked else Qt.CheckState.Unchecked)
            self.claims.addItem(item)
        if not claims:
            item = QListWidgetItem("No claims recorded for this vendor yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.claims.addItem(item)
        self.claims.blockSignals(False)

    # --- scoring ----------------------------------------------------------------------------

    def _score_edit(self, text: str, crit: Criterion | None = None, **kwargs: object) -> bool:
        """Apply one change to the current criterion's score through the services; undoable.

        It is made on the score as shown (its revision): a score changed elsewhere since is not overwritten
        (the newer one is shown beside this change, which one click applies).
        """
        card, crit = self.card, crit or self.current_criterion()
        if card is None or crit is None:
            return False
        if self.locked:
            self.session.messages.error(self, "Scorecard is submitted",
                                        "This scorecard is submitted and locked. Reopen it to change scores.")
            return False
        old = card.scores.get(crit.id)
        cid, crit_id, rubric = card.id, crit.id, self.rubric
        answer = kwargs.pop("answer", old.answer if old else None)
        marker = object()

        def apply(revision: int | None) -> object:
            return self.ws.scorecards.set_score(cid, crit_id, answer, **kwargs,  # type: ignore[arg-type]
                                                expected_revision=revision) or marker

        def undo() -> None:
            self.ws.scorecards.restore_score(cid, crit_id, old)

        def redo() -> object:
            return apply(None)

        what = f"{text} — {crit.title}"
        if "rationale" in kwargs:
            return commit_on_revision(self.session, self.rationale_save, self.rationale_note, what,
                                      str(kwargs["rationale"]), apply, undo,
                                      lambda score: score.rationale if isinstance(score, Score) else "")

        def words(score: Score | None) -> str:
            rationale = f"\nRationale: {score.rationale}" if score is not None and score.rationale else ""
            return describe_score(score, rubric) + rationale

        stale = on_stale(self.session, what, text, words, apply, self._reload_card, undo)
        result = self.session.edit(what, lambda: apply(old.revision if old is not None else 0), undo, redo,
                                   stale=stale)
        return result is not None

    def set_level(self, level: int) -> bool:
        """Score the current criterion at ``level``."""
        crit = self.current_criterion()
        if crit is None:
            return False
        problem = level_problem(crit, level)
        if problem:  # a digit beyond this criterion's scale: said, nothing scored (it did nothing, silently)
            self.session.said.emit(f"{crit.title}: {problem}; nothing was scored.")
            return False
        return self._score_edit(f"Level {level}", answer=Answer.LEVEL, level=level)

    def set_answer(self, answer: Answer | None) -> bool:
        """Give a non-answer (or None to clear the score)."""
        return self._score_edit(answer.label if answer else "Clear score", answer=answer)

    def _commit_figure(self) -> None:
        text = self.figure.text().strip()
        crit = self.current_criterion()
        if not text or crit is None:
            return
        try:
            figure = parse_figure(text, crit.scale.unit)
        except FigureError as exc:
            self.session.report("Enter a figure", UserError(str(exc), field="figure"))
            return
        old = self.card.scores.get(crit.id) if self.card else None
        if old is not None and old.figure == figure:
            self.figure.setText(display_figure(figure))  # "40 bn" reads as the "40 billion" already stored
            return
        self._score_edit("Figure", answer=Answer.LEVEL, figure=figure)

    def _strength_picked(self, index: int) -> None:
        crit = self.current_criterion()
        if crit is None or self.card is None or crit.id not in self.card.scores:
            return
        value = self.strength.itemData(index)
        self._score_edit("Evidence strength", strength=value, keep_strength=value is not None)

    def _commit_rationale(self, text: str) -> bool:
        # the criterion whose rationale the field shows: when the list moves on, the list's current
        # criterion is already the next one while the text still belongs to the one being left
        crit = next((c for c in self.model.criteria if c.id == self._showing), None)
        if self.card is None or crit is None or crit.id not in self.card.scores:
            return True
        return self._score_edit("Rationale", crit, rationale=text)

    def _claim_toggled(self, _item: QListWidgetItem) -> None:
        ids = [self.claims.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.claims.count())
               if self.claims.item(i).checkState() == Qt.CheckState.Checked]
        crit = self.current_criterion()
        if crit is None or self.card is None:
            return
        if crit.id not in self.card.scores:
            self.session.messages.info(self, "Pick a level first",
                                       "Pick a level or a non-answer before linking claims to this score.")
            self._show_criterion(crit)
            return
        self._score_edit("Link claims", claim_ids=ids)

    # --- submit, reopen, upgrade ------------------------------------------------------------

    def submit(self) -> None:
        """Lock the scorecard as submitted (reopening makes a new draft version)."""
        if self.card is None or self.locked:
            return
        self.session.flush()
        cid = self.card.id
        total = len(self.model.criteria)
        unscored = total - self.model.answered()
        left = f"{plural(unscored, 'criterion')} {'is' if unscored == 1 else 'are'} not scored yet"
        # an incomplete scorecard is submitted only on a deliberate Yes: No is the default button, so a stray
        # Space or Enter keeps it a draft
        if unscored and not self.session.messages.confirm(
                self, "Submit an incomplete scorecard?",
                f"Only {self.model.answered()} of {plural(total, 'criterion')} are scored; {left}.\n\n"
                "A submitted scorecard is locked (reopening makes a new version). Submit anyway?", cautious=True):
            return
        rev = self.card.revision
        self.session.attempt(lambda: self.ws.scorecards.submit(cid, expected_revision=rev), "Submit scorecard",
                             stale=self._card_stale("Submit scorecard", "submitted"))
        self._reload_card()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)  # not the sidebar (whose keys would change pages)

    def reopen(self) -> None:
        """Reopen a submitted scorecard as a new draft version."""
        if self.card is None or not self.locked:
            return
        cid, rev = self.card.id, self.card.revision
        self.session.attempt(lambda: self.ws.scorecards.reopen(cid, expected_revision=rev), "Reopen scorecard",
                             stale=self._card_stale("Reopen scorecard", "draft"))
        self._reload_card()
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _card_stale(self, what: str, mine: str) -> Callable[[StaleEdit], object]:
        """A submit or reopen refused because the scorecard changed elsewhere: it is shown as it is now, and
        the user looks at it before submitting (or reopening) again."""
        def handle(exc: StaleEdit) -> None:
            self._reload_card()
            self.session.messages.error(self, f"{what} — changed elsewhere",
                                        f"{exc}\n\nThe scorecard now shows the latest scores; {what.lower()} "
                                        f"again when they are as you want them ({mine}).")
        return handle

    def upgrade(self) -> None:
        """Start a scorecard on the newer rubric version, carrying over unchanged criteria, and open it."""
        if self.card is None:
            return
        self.session.flush()
        cid = self.card.id
        old = self.card
        new = self.session.attempt(lambda: self.ws.scorecards.upgrade(cid), "Upgrade scorecard")
        if new is not None:
            self.open_card(new.id)
            rescore = self.session.attempt(lambda: self.ws.scorecards.to_rescore(old, new), "Upgrade scorecard")
            if rescore is None:
                return
            carried = plural(len(new.scores), "score")
            text = (f"Now on rubric version {new.rubric_version}: {carried} carried over.\n\n"
                    + ("To re-score:\n" + "\n".join(f"• {r.describe()}" for r in rescore) if rescore else
                       "Nothing to re-score: every criterion carried over unchanged."))
            self.session.messages.info(self, "Scorecard upgraded", text)

    # --- keyboard ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Digits, N/X/A, Delete and J/K on the criteria list; Esc from the rationale back to the list."""
        if watched is self.rationale and event.type() == QEvent.Type.FocusOut:
            self._rationale_appends = False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if watched is self.rationale:
            if key == Qt.Key.Key_Escape:
                self.rationale_save.flush()
                self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
            if self._rationale_appends:
                self._rationale_appends = False
                self._separate_appended(event.text(), mods)
            return False
        if watched is not self.list or mods not in (Qt.KeyboardModifier.NoModifier,):
            return False
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.set_level(key - Qt.Key.Key_0)
            return True
        if key in NON_ANSWER_KEYS:
            self.set_answer(NON_ANSWER_KEYS[Qt.Key(key)])
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_answer(None)
            return True
        if key == Qt.Key.Key_J:
            self.step(1)
            return True
        if key == Qt.Key.Key_K:
            self.step(-1)
            return True
        if key == Qt.Key.Key_R and self.rationale.isEnabled():
            self.rationale.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.rationale.moveCursor(QTextCursor.MoveOperation.End)
            self.detail_scroll.ensureWidgetVisible(self.rationale)  # a tester typed below the fold, blind
            self._rationale_appends = True  # the first word typed goes after the text, not glued onto it
            return True
        return False

    def _separate_appended(self, typed: str, mods: Qt.KeyboardModifier) -> None:
        """R put the cursor after the rationale: a first character typed there starts a new sentence with a space
        ("…documents reviewed. Sales demo…"), unless the text is empty or already ends in a space or line break.
        Only on typing: pressing R and leaving changes nothing."""
        km = Qt.KeyboardModifier
        command = km.ControlModifier | km.AltModifier | km.MetaModifier
        if not typed or not typed.isprintable() or typed.isspace() or mods & command:
            return
        cursor = self.rationale.textCursor()
        existing = self.rationale.toPlainText()
        if existing and not existing[-1].isspace() and cursor.atEnd() and not cursor.hasSelection():
            self.rationale.insertPlainText(" ")


def _short(text: str, limit: int = 80) -> str:
    """A claim's words on one line, cut at ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
