"""The comparison page: vendors side by side under a weight profile, how solid the ranking is, the decision."""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent, QUndoCommand, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ...domain.analysis import Comparison, whole_percents
from ...domain.models import Decision, WeightProfile
from ...domain.public_record import PublicRecord
from ...domain.rubric import Rubric
from ...domain.rules import NO_CONDITIONS
from ...domain.signals import Signals
from ...domain.text import plural
from ...domain.verdict import Verdict, VerdictKind
from ...errors import UserError
from ...services.comparison import ComparisonService, cost_chart
from ...services.public_record import public_records
from ...services.signals import signals_of
from ...services.workspace import Change, ServiceError, Workspace
from ..colours import mute
from ..dialogs.stale_edit_dialog import APPLY
from ..messages import Messages
from ..models.comparison_model import COST_COLUMN, PUBLIC_COLUMN, RANK_SCORE_COLUMN, MatrixModel, RankingModel
from ..session import Session, own_session
from ..tasks import reading
from ..widgets.charts import BarRow, ClaimBars, RadarGrid, RadarSeries
from ..widgets.cost_chart import CostScoreChartView
from ..widgets.signals_box import SignalsPanel

#: Weight edits wait this long for the next keystroke before the ranking is recomputed.
DEBOUNCE_MS = 150
#: Ranking columns: the vendor, the decision and the status with the knock-out reasons (the last one).
VENDOR_COL, DECISION_COL, STATUS_COL = 1, 9, 11
#: Rank stable, Scored, Spread: hidden while every vendor has the same value.
SAME_FOR_ALL_HIDES = (6, 7, 8)
#: A vendor name wraps beyond about this many characters; a ranking row shows at most this many lines.
NAME_CHARS, MAX_ROW_LINES = 24, 3
#: The status column (the knock-out reasons) keeps at least this many characters, or a fifth of the table.
STATUS_MIN_CHARS = 20
#: When the shown columns leave the status less than that, these give up width first (they wrap), in turn,
#: down to their title, their longest word or this text: the public record, the decision, the vendor name,
#: the cost ('Go with conditions (3 conditions)' in three lines, an amount on one).
SHRINKS_FIRST = (PUBLIC_COLUMN, DECISION_COL, VENDOR_COL, COST_COLUMN)
SHRINK_MIN_TEXT = {VENDOR_COL: "Brightwave", DECISION_COL: "(12 conditions)", COST_COLUMN: "999,999.00",
                   PUBLIC_COLUMN: "FMTI 35/100"}
#: A recount running longer than this says so beside the profile (the ranking shown is then the last one).
BUSY_NOTE_MS = 250
#: Column widths of the ranking are measured on the this many longest texts of each column.
SIZE_SAMPLE_TEXTS = 8
_REFRESH_ON = ("vendor", "scorecard", "score", "claim", "agreed_score", "weight_profile", "bundle", "workspace",
               "context")


class _WeightStep(QUndoCommand):
    """A weight changed on the page: undo puts the old value back. Weights are not saved (a profile is),
    so this step touches no database; consecutive changes of one weight (a drag) merge into one step."""

    ID = 0x5747  # "WG": steps of this kind may merge

    def __init__(self, view: CompareView, key: str, old: float, new: float) -> None:
        super().__init__()
        self._view = weakref.ref(view)
        self.key, self.old, self.new = key, old, new
        self._title = view.weight_title(key)
        self._first = True
        self._name()

    def _name(self) -> None:
        self.setText(f"weight of {self._title}: {self.new:g}")

    def id(self) -> int:
        """Steps of this kind merge when they change the same weight."""
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Absorb the next change of the same weight (the old value stays this step's)."""
        if not isinstance(other, _WeightStep) or other.key != self.key:
            return False
        self.new = other.new
        self._name()
        return True

    def _apply(self, value: float) -> None:
        view = self._view()
        if view is not None and isValid(view):
            view.set_weight(self.key, value)

    def redo(self) -> None:
        """Set the new weight again (not the first time: the user just set it)."""
        if self._first:
            self._first = False
            return
        self._apply(self.new)

    def undo(self) -> None:
        """Put the old weight back."""
        self._apply(self.old)


class _WeightSpin(QDoubleSpinBox):
    """A weight box that keeps what the user typed until Enter or leaving it, and says when it refuses it.

    A plain QDoubleSpinBox drops the keystrokes it cannot take ('-5abc' shows '-') and then puts the old
    weight back without a word: a tester took that for a weight set. Here the typed words stay in sight,
    and when they are not a weight from 0 to 100 ``refused`` is emitted (the page says so beside the
    weights) and the weight shown is the stored one again, unchanged.
    """

    refused = Signal(str)  # the words typed, refused as a weight

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setKeyboardTracking(False)  # '250' on its way is not 2, then 25: the weight is set at Enter or on leaving
        self.editingFinished.connect(self._finished)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Never drop a keystroke: what cannot be a weight is kept as typed, and refused at the end."""
        result = super().validate(text, pos)
        if result[0] == QValidator.State.Invalid:
            return (QValidator.State.Intermediate, text, pos)
        return result

    def fixup(self, text: str) -> str:
        """Enter on words that are not a weight: refused (Qt then shows the stored weight again)."""
        self._refuse(text)
        return text

    def _finished(self) -> None:
        # leaving the box (Tab, a click elsewhere) with words that are not a weight: Qt keeps them shown
        text = self.lineEdit().text()
        if super().validate(text, len(text))[0] != QValidator.State.Acceptable:
            self._refuse(text)
            self.lineEdit().setText(self.textFromValue(self.value()))

    def _refuse(self, text: str) -> None:
        if text.strip() and text != self.textFromValue(self.value()):
            self.refused.emit(text)


class CompareView(QWidget):
    """Pick vendors and rubrics, edit weights, and see ranking, matrix, charts and sensitivity update live."""

    def __init__(self, session: Session | Workspace, parent: QWidget | None = None,
                 messages: Messages | None = None,
                 ask_path: Callable[[str, str], str | None] | None = None) -> None:
        super().__init__(parent)
        self.session = session = own_session(session, messages, self)
        self.ws = ws = session.ws
        self.service = ComparisonService(ws)
        self.messages = messages or session.messages
        self._ask_path = ask_path or self._file_dialog
        self.comparison: Comparison | None = None
        #: True while a recount runs in the background (the ranking shown is the previous one).
        self.refreshing = False
        self._refresh_key = f"compare-{id(self)}"
        self._filling = False
        #: The vendor, decision and conditions the decision box was filled with (to notice a decision made
        #: elsewhere since: it is shown beside the user's instead of recorded over).
        self._decision_shown: tuple[str, Decision, list[str]] | None = None
        self._stale = False
        self._edited = False
        self._profile_weights: dict[str, float] = {}  # the chosen profile's weight per spin key
        self._shown_weights: dict[str, float] = {}  # what each spin box shows (its value before an edit)
        self._replaying = False  # an undo or redo is setting a weight: no new undo step
        self._rubrics: dict[str, Rubric] = {}
        self._rubric_items: dict[str, QTreeWidgetItem] = {}
        self._rubric_spins: dict[str, QDoubleSpinBox] = {}
        self._criterion_spins: dict[str, QDoubleSpinBox] = {}  # "rubric:criterion" -> spin box
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)

        # --- top bar: profile, save, exports
        self.profile = QComboBox(self)
        self.profile.setAccessibleName("Weight profile")
        self.profile.setMinimumContentsLength(18)
        self.edited_label = QLabel("", self)
        self.busy_label = QLabel("Updating the ranking…", self)
        self.busy_label.setAccessibleName("Ranking being updated")
        mute(self.busy_label)
        self.busy_label.setVisible(False)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_NOTE_MS)
        self._busy_timer.timeout.connect(lambda: self.busy_label.setVisible(self.refreshing))
        self.save_button = QPushButton("Save weights as…", self)
        self.csv_button = QPushButton("Export CSV…", self)
        self.xlsx_button = QPushButton("Export XLSX…", self)
        top = QHBoxLayout()
        label = QLabel("Weight &profile:", self)
        label.setBuddy(self.profile)
        top.addWidget(label)
        top.addWidget(self.profile)
        top.addWidget(self.edited_label)
        top.addWidget(self.save_button)
        top.addStretch(1)
        top.addWidget(self.busy_label)  # right of the stretch: showing it moves no button
        top.addWidget(self.csv_button)
        top.addWidget(self.xlsx_button)

        # --- left: vendors and weights
        self.vendors = QListWidget(self)
        self.vendors.setAccessibleName("Vendors to compare")
        self.vendors.setToolTip("Tick the vendors to compare (archived vendors are listed unticked).")
        self.weights = QTreeWidget(self)
        self.weights.setAccessibleName("Rubrics and weights")
        self.weights.setColumnCount(3)
        self.weights.setHeaderLabels(["Rubric / criterion", "Weight", "Share"])
        self.weights.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.weights.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self.weights.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.weights.header().setStretchLastSection(False)
        self.weights.setColumnWidth(1, 78)
        self.weights.setToolTip("Tick the rubrics that count. Rubric weights set each area's share of the "
                                "total; criterion weights set their share within the rubric.")
        vbox = QGroupBox("Ve&ndors", self)
        QVBoxLayout(vbox).addWidget(self.vendors)
        wbox = QGroupBox("Rubrics and &weights", self)
        wlayout = QVBoxLayout(wbox)
        wlayout.addWidget(self.weights)
        # a weight typed that is not one is said here (and on its box), not silently put back
        self.weight_note = QLabel("", self)
        self.weight_note.setWordWrap(True)
        self.weight_note.setAccessibleName("Weight refused")
        self.weight_note.setVisible(False)
        self._refused_spin: QDoubleSpinBox | None = None
        wlayout.addWidget(self.weight_note)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(vbox, 1)
        left_layout.addWidget(wbox, 2)

        # --- right: ranking (+ sensitivity + decision), matrix, charts
        self.ranking_model = RankingModel(self)
        self.ranking = QTableView(self)
        self.ranking.setModel(self.ranking_model)
        self.ranking.setAccessibleName("Ranking")
        self.ranking.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ranking.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ranking.verticalHeader().setVisible(False)
        self.ranking.setAlternatingRowColors(True)
        # the last column (status, with the knock-out reasons) takes the spare width; the others fit their text,
        # but a long vendor name or decision wraps instead of pushing the reasons out of sight
        self.ranking.horizontalHeader().setStretchLastSection(True)
        self.ranking.setWordWrap(True)
        self.ranking.setTextElideMode(Qt.TextElideMode.ElideRight)
        # any column sorts (a header click; numbers by value, blanks last); the rank stays the evidence rank
        # no arrow until the user sorts (the ranking's own order; the arrow's room would cost the status column)
        self.ranking.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.ranking.setSortingEnabled(True)
        self.ranking.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._fit_ranking())
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(0)
        self._fit_rows_timer.timeout.connect(self._fit_ranking_rows)
        self.ranking.horizontalHeader().sectionResized.connect(
            lambda col, _old, _new: col == STATUS_COL and self._fit_rows_timer.start())
        # the columns share the table's width: refitted when it changes (a window resized, the splitter moved)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_ranking)
        self._fit_width = -1
        self.ranking.viewport().installEventFilter(self)
        self.sentences = QLabel("", self)
        self.sentences.setWordWrap(True)
        self.sentences.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.sentences.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentences.setAccessibleName("How solid the ranking is")
        sbox = QGroupBox("How solid is the ranking?", self)
        QVBoxLayout(sbox).addWidget(self.sentences)

        self.decision = QComboBox(self)
        self.decision.setAccessibleName("Decision")
        for d in Decision:
            self.decision.addItem(d.label, d.value)
        self.conditions = QPlainTextEdit(self)
        self.conditions.setTabChangesFocus(True)  # Tab moves on; a tab character is never what is meant
        self.conditions.setAccessibleName("Conditions to negotiate, one per line")
        self.conditions.setPlaceholderText("One condition per line, e.g.\nDPA forbids training on our data\n"
                                           "Uncapped IP indemnity")
        self.conditions.setFixedHeight(72)
        self.record_button = QPushButton("Rec&ord decision", self)
        self.decision_box = QGroupBox("Decision", self)
        form = QFormLayout(self.decision_box)
        form.addRow("&Decision:", self.decision)
        form.addRow("&Conditions:", self.conditions)
        form.addRow("", self.record_button)
        self.decision_box.setEnabled(False)

        bottom = QHBoxLayout()
        bottom.addWidget(sbox, 3)
        bottom.addWidget(self.decision_box, 2)
        ranking_page = QWidget(self)
        rl = QVBoxLayout(ranking_page)
        rl.addWidget(self.ranking, 1)
        self.signals_panel = SignalsPanel(self)  # who would rank otherwise at face value; contradicted claims
        rl.addWidget(self.signals_panel)
        rl.addLayout(bottom)

        self.matrix_model = MatrixModel(self)
        self.matrix = QTableView(self)
        self.matrix.setModel(self.matrix_model)
        self.matrix.setAccessibleName("Criteria by vendor")
        self.matrix.setWordWrap(True)
        self.matrix.verticalHeader().setVisible(False)
        self.matrix.horizontalHeader().setDefaultSectionSize(130)
        self.matrix.setStyleSheet("QTableView::item { padding: 2px 4px; }")
        # every row two lines high: measuring each row's text costs too much with many vendors
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.matrix.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 6)
        self.matrix.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matrix_legend = QLabel(
            "Each cell: level out of the top level · evidence strength, then the claim status. "
            "Colour follows the level (red = low … green = high); grey = not disclosed / disclosed: no / "
            "not applicable / not scored; ✖ = knock-out; ⚠ = contradicted or declined; "
            "⚑ spread N = evaluators' levels differ by N (2 or more). Hover a cell for the details.",
            self)
        self.matrix_legend.setWordWrap(True)
        matrix_page = QWidget(self)
        ml = QVBoxLayout(matrix_page)
        ml.addWidget(self.matrix_legend)
        ml.addWidget(self.matrix, 1)

        self.bars = ClaimBars(self)
        self.radars = RadarGrid(self)
        charts_page = QWidget(self)
        cl = QVBoxLayout(charts_page)
        bars_box = QGroupBox("Claim credibility: claimed vs evidence-weighted overall", self)
        QVBoxLayout(bars_box).addWidget(self.bars)
        cl.addWidget(bars_box)
        cl.addWidget(self.radars, 1)

        self.tabs = QTabWidget(self)
        # evidence-weighted score against total cost, per currency (domain.cost_chart, as the brief draws it)
        self.cost_chart = CostScoreChartView(self)
        self.tabs.addTab(ranking_page, "&Ranking")
        self.tabs.addTab(matrix_page, "&Matrix")
        self.tabs.addTab(charts_page, "Char&ts")
        self.tabs.addTab(self.cost_chart, "Cost v&s score")
        self.charts_page = charts_page
        self._measured_font: QFont | None = None
        self._widths: dict[tuple[str, bool], int] = {}  # text widths in the ranking's font
        self._heights: dict[tuple[str, int], int] = {}  # wrapped status heights at a column width
        self._charts_stale = False  # the charts are drawn when their tab is shown (200 radars cost)
        self.tabs.currentChanged.connect(lambda *_: self._fill_charts_if_shown())
        self.empty = QLabel("", self)
        self.empty.setWordWrap(True)
        self.empty.setVisible(False)
        # the verdict the board brief gives for what is on screen (domain.verdict, via the comparison service)
        self.verdict = QLabel("", self)
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict.setMargin(6)
        self.verdict.setAccessibleName("Verdict")
        self.verdict.setVisible(False)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.empty)
        right_layout.addWidget(self.verdict)
        right_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 950])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self.profile.currentIndexChanged.connect(lambda *_: self._profile_chosen())
        self.vendors.itemChanged.connect(lambda *_: self._schedule())
        self.weights.itemChanged.connect(self._rubric_toggled)
        self.save_button.clicked.connect(self._ask_save_profile)
        self.csv_button.clicked.connect(lambda: self._ask_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self._ask_export("xlsx"))
        self.record_button.clicked.connect(self._record_clicked)
        self.ranking.selectionModel().selectionChanged.connect(lambda *_: self._show_decision())
        listener, ws_ = self._on_change, self.ws
        ws_.subscribe(listener)
        # Stop listening when the widget goes, or a later change would call into a deleted widget.
        self.destroyed.connect(lambda *_: ws_.unsubscribe(listener))
        # Nothing is computed until the page is first shown: the app starts faster with many vendors.
        self._stale = True

    # --- filling the controls ------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read vendors, rubrics and profiles (keeping the user's picks) and recompute.

        Which rubrics have scores (they are ticked by default) takes totalling every vendor: that is
        found in the background, then the rubric list is filled and the comparison recomputed.
        """
        self._filling = True
        try:
            self._fill_profiles()
            self._fill_vendors()
        finally:
            self._filling = False
        self._stale = False
        ws, runner = self.ws, self.session.runner

        def work() -> set[str]:
            with reading(ws, runner) as source:
                return set(ComparisonService(source).scored_rubric_ids())

        self.refreshing = True
        self._busy_timer.start()
        runner.run(work, self._scored_known, self._compare_failed, key=f"{self._refresh_key}-rubrics",
                   dialog=False, label="Finding the scored rubrics")

    def _scored_known(self, scored: set[str]) -> None:
        if not isValid(self):
            return
        self._filling = True
        try:
            self._fill_rubrics(scored)
        finally:
            self._filling = False
        self.refresh_now()

    def _fill_profiles(self) -> None:
        current = self.profile.currentText() or "balanced"
        self.profile.clear()
        for p in self.ws.profiles.list():
            self.profile.addItem(p.name + ("" if p.builtin else " (mine)"), p.name)
        i = self.profile.findData(current)
        self.profile.setCurrentIndex(max(i, 0))

    def _fill_vendors(self) -> None:
        previous = {self.vendors.item(i).data(Qt.ItemDataRole.UserRole): self.vendors.item(i).checkState()
                    for i in range(self.vendors.count())}
        self.vendors.clear()
        for v in self.ws.vendors.list(include_archived=True):
            item = QListWidgetItem(v.name + (" (archived)" if v.archived else ""))
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            default = Qt.CheckState.Unchecked if v.archived else Qt.CheckState.Checked
            item.setCheckState(previous.get(v.id, default))
            self.vendors.addItem(item)

    def _fill_rubrics(self, scored: set[str]) -> None:
        was_checked = {rid: it.checkState(0) for rid, it in self._rubric_items.items()}
        weights_before = self._current_weights() if self._edited else None
        self.weights.clear()
        self._rubric_items.clear()
        self._rubric_spins.clear()
        self._criterion_spins.clear()
        self._rubrics = {r.id: r for r in self.ws.library.latest_all()}
        for rid in sorted(self._rubrics, key=lambda r: (r not in scored, r)):
            rubric = self._rubrics[rid]
            item = QTreeWidgetItem([rubric.area, "", ""])
            item.setToolTip(0, f"{rubric.title} ({rubric.id} {rubric.version})")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, was_checked.get(rid, Qt.CheckState.Checked if rid in scored
                                                  else Qt.CheckState.Unchecked))
            item.setData(0, Qt.ItemDataRole.UserRole, rid)
            self.weights.addTopLevelItem(item)
            self._rubric_items[rid] = item
            self._rubric_spins[rid] = self._spin(item, f"Weight of {rubric.title}", rid)
            for c in rubric.criteria:
                child = QTreeWidgetItem([c.title, "", ""])
                child.setToolTip(0, c.question)
                item.addChild(child)
                self._criterion_spins[f"{rid}:{c.id}"] = self._spin(child, f"Weight of {c.title}", f"{rid}:{c.id}")
        self._load_weights(self._selected_profile(), weights_before)

    def _spin(self, item: QTreeWidgetItem, name: str, key: str) -> QDoubleSpinBox:
        spin = _WeightSpin(self.weights)
        spin.setRange(0.0, 100.0)
        spin.setDecimals(1)
        spin.setSingleStep(0.5)
        spin.setAccessibleName(name)
        spin.setFrame(False)
        spin.valueChanged.connect(lambda value, k=key: self._weight_edited(k, value))
        spin.refused.connect(lambda text, k=key, box=spin: self._weight_refused(k, box, text))
        self.weights.setItemWidget(item, 1, spin)
        return spin

    def _selected_profile(self) -> WeightProfile:
        name = self.profile.currentData()
        try:
            return self.ws.profiles.get(name)
        except ServiceError:
            return self.ws.profiles.get(None)

    def _load_weights(self, profile: WeightProfile,
                      keep: tuple[dict[str, float], dict[str, float]] | None = None) -> None:
        """Put a profile's weights (or the user's unsaved edits) into the spin boxes."""
        was = self._filling
        self._filling = True
        self._profile_weights = {}
        try:
            for rid, spin in self._rubric_spins.items():
                rubric = self._rubrics[rid]
                w = self._profile_weights[rid] = profile.rubric_weights.get(rid, rubric.weight)
                if keep is not None and rid in keep[0]:
                    w = keep[0][rid]
                spin.setValue(w)
            for key, spin in self._criterion_spins.items():
                rid, _, cid = key.partition(":")
                default = self._rubrics[rid].criterion(cid).weight
                w = self._profile_weights[key] = profile.criterion_weights.get(key, default)
                if keep is not None and key in keep[1]:
                    w = keep[1][key]
                spin.setValue(w)
        finally:
            self._filling = was
        self._shown_weights = {**{rid: s.value() for rid, s in self._rubric_spins.items()},
                               **{key: s.value() for key, s in self._criterion_spins.items()}}
        if keep is None:
            self._set_edited(False)

    def _current_weights(self) -> tuple[dict[str, float], dict[str, float]]:
        rubric_w = {rid: spin.value() for rid, spin in self._rubric_spins.items()}
        crit_w = {}
        for key, spin in self._criterion_spins.items():
            rid, _, cid = key.partition(":")
            if abs(spin.value() - self._rubrics[rid].criterion(cid).weight) > 1e-9:
                crit_w[key] = spin.value()
        return rubric_w, crit_w

    def current_profile(self) -> WeightProfile:
        """The weights on screen as a profile (named after the chosen one, '(edited)' when changed)."""
        base = self._selected_profile()
        rubric_w, crit_w = self._current_weights()
        name = base.name + (" (edited)" if self._edited else "")
        return WeightProfile(name=name[:100], description=base.description, rubric_weights=rubric_w,
                             criterion_weights=crit_w)

    @property
    def weights_edited(self) -> bool:
        """True while the weights on screen differ from the chosen profile's and are not saved as a profile."""
        return self._edited

    def _set_edited(self, edited: bool) -> None:
        self._edited = edited
        self.edited_label.setText("<i>weights edited, not saved</i>" if edited else "")

    # --- reacting -------------------------------------------------------------------------------

    def _profile_chosen(self) -> None:
        if self._filling:
            return
        self._load_weights(self._selected_profile())
        self.refresh_now()

    def _weight_edited(self, key: str, value: float) -> None:
        if self._filling:
            return
        old = self._shown_weights.get(key, value)
        self._shown_weights[key] = value
        if abs(old - value) > 1e-9:
            self._clear_weight_note()  # a weight taken: an earlier refusal is no longer the news
        if not self._replaying and abs(old - value) > 1e-9:
            # an undo step of its own (not saved: the weights are saved as a profile); a drag merges into one
            self.session.undo_stack.push(_WeightStep(self, key, old, value))
        self._set_edited(any(abs(v - self._profile_weights.get(k, v)) > 1e-9 for k, v in self._shown_weights.items()))
        self._schedule()

    def _weight_refused(self, key: str, spin: QDoubleSpinBox, text: str) -> None:
        """Words typed in a weight box that are not a weight: said under the weights and on the box; nothing
        changes (the box shows the stored weight again)."""
        lo, hi = spin.minimum(), spin.maximum()
        note = (f"⚠ “{text.strip()}” is not a weight for {self.weight_title(key)}: type a number from {lo:g} to "
                f"{hi:g}. The weight stays {spin.value():g}.")
        self.weight_note.setText(note)
        self.weight_note.setVisible(True)
        spin.setToolTip(note)
        self._refused_spin = spin

    def _clear_weight_note(self) -> None:
        if self._refused_spin is not None and isValid(self._refused_spin):
            self._refused_spin.setToolTip("")
        self._refused_spin = None
        self.weight_note.clear()
        self.weight_note.setVisible(False)

    def set_weight(self, key: str, value: float) -> None:
        """Put a weight back (``rubric`` or ``rubric:criterion``) as undo and redo do; recounts like an edit."""
        spin = self._rubric_spins.get(key) or self._criterion_spins.get(key)
        if spin is None:  # the rubric is no longer listed
            return
        self._replaying = True
        try:
            spin.setValue(value)
        finally:
            self._replaying = False

    def weight_title(self, key: str) -> str:
        """What a weight is called in an undo step: the rubric's area, or the criterion's title."""
        rid, _, cid = key.partition(":")
        rubric = self._rubrics.get(rid)
        if rubric is None:
            return key
        if not cid:
            return rubric.area
        try:
            return rubric.criterion(cid).title
        except KeyError:
            return key

    def _rubric_toggled(self, item: QTreeWidgetItem, column: int) -> None:
        if not self._filling and item.parent() is None and column == 0:
            self._schedule()

    def _schedule(self) -> None:
        if not self._filling:
            self._timer.start()

    def _on_change(self, change: Change) -> None:
        if change.entity not in _REFRESH_ON:
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        """Re-read on show when something changed while the page was hidden."""
        super().showEvent(event)
        if self._stale:
            self.reload()

    # --- the picks ------------------------------------------------------------------------------

    def selected_vendor_ids(self) -> list[str]:
        """Ids of the ticked vendors."""
        return [self.vendors.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.vendors.count())
                if self.vendors.item(i).checkState() == Qt.CheckState.Checked]

    def selected_rubric_ids(self) -> list[str]:
        """Ids of the ticked rubrics."""
        return [rid for rid, it in self._rubric_items.items() if it.checkState(0) == Qt.CheckState.Checked]

    def set_vendors(self, names: list[str]) -> None:
        """Tick exactly these vendors (by name) and recompute."""
        wanted = {n.casefold() for n in names}
        self._filling = True
        try:
            for i in range(self.vendors.count()):
                item = self.vendors.item(i)
                name = item.text().removesuffix(" (archived)").casefold()
                item.setCheckState(Qt.CheckState.Checked if name in wanted else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self.refresh_now()

    def rubric_spin(self, rubric_id: str) -> QDoubleSpinBox:
        """The weight box of a rubric."""
        return self._rubric_spins[rubric_id]

    def criterion_spin(self, rubric_id: str, criterion_id: str) -> QDoubleSpinBox:
        """The weight box of a criterion."""
        return self._criterion_spins[f"{rubric_id}:{criterion_id}"]

    # --- computing and showing ------------------------------------------------------------------

    def refresh_now(self) -> None:
        """Recompute the comparison with the current picks and weights, off the UI thread, and show it.

        With many vendors the 1,000 random weightings take a noticeable time: the work runs in the
        background and a newer request (the next weight while one is dragged) supersedes the one
        running, so only the comparison for the latest weights reaches the screen.
        """
        self._timer.stop()
        vendor_ids, rubric_ids, profile = self.selected_vendor_ids(), self.selected_rubric_ids(), self.current_profile()
        ws, runner = self.ws, self.session.runner

        def work() -> tuple[Comparison, dict[str, PublicRecord], Signals]:
            with reading(ws, runner) as source:
                comparison = ComparisonService(source).compare(vendor_ids, rubric_ids, profile)
                return (comparison, public_records(source, [r.vendor_id for r in comparison.ranking]),
                        signals_of(source, comparison))

        self.refreshing = True
        self._busy_timer.start()
        runner.run(work, self._compared, self._compare_failed, key=self._refresh_key, dialog=False,
                   label="Comparing the vendors")

    def _compared(self, result: tuple[Comparison, dict[str, PublicRecord], Signals]) -> None:
        if not isValid(self):
            return
        self._not_refreshing()
        selected = self.current_vendor_id()
        comparison, public, signals = result
        self.show_comparison(comparison, public, signals)
        if selected:
            self.select_vendor(selected)
        self._show_decision()  # the selection may be the same row, with another decision (after an undo)

    def _compare_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._not_refreshing()
        if not isinstance(exc, UserError):
            self.session.show_failure("Comparing the vendors", exc)
            return
        self.messages.error(self, "Cannot compare", str(exc))

    def _not_refreshing(self) -> None:
        self.refreshing = False
        self._busy_timer.stop()
        self.busy_label.setVisible(False)

    def show_comparison(self, c: Comparison, public: dict[str, PublicRecord] | None = None,
                        signals: Signals | None = None) -> None:
        """Fill the ranking, matrix, charts and sentences from a comparison (and the vendors' public record and
        AI-washing signals; counted here when not given)."""
        self.comparison = c
        self.ranking_model.set_comparison(c, public)
        self.signals_panel.show_signals(signals if signals is not None else signals_of(self.ws, c))
        # the public-record column only when some vendor has something on record (a column of dashes is noise)
        self.ranking.setColumnHidden(PUBLIC_COLUMN, not any(p.cell() != "—" for p in (public or {}).values()))
        self.matrix_model.set_comparison(c)
        # the total cost beside the score once any compared vendor has one (a column of dashes says nothing)
        self.ranking.setColumnHidden(COST_COLUMN, not any(t is not None for t in c.total_costs.values()))
        # a column that says the same for every vendor (all 100 % stable, all fully scored, spread 1 everywhere)
        # tells the reader nothing and costs the status column its room: shown again once the rows differ
        for col in SAME_FOR_ALL_HIDES:
            texts = {self.ranking_model.cell_text(r, col) for r in c.ranking}
            self.ranking.setColumnHidden(col, len(c.ranking) > 1 and len(texts) == 1)
        self._fit_ranking()
        self.matrix.setColumnWidth(0, 230)
        self.matrix.setColumnWidth(1, 54)
        n = len(c.ranking)
        if n:
            room = self.matrix.viewport().width() - 230 - 54 - 4
            width = max(120, min(200, room // n))
            for col in range(2, 2 + n):
                self.matrix.setColumnWidth(col, width)
        percents = whole_percents(c.shares)  # they add up to 100 %, as the reader adds them
        for rid, item in self._rubric_items.items():
            share = percents.get(rid)
            item.setText(2, "" if share is None else f"{share} %")
        if not c.ranking:
            self.empty.setText("No vendors to compare: tick vendors on the left, or add and score vendors first.")
        elif not c.rubric_ids:
            self.empty.setText("No rubric is ticked: tick the rubrics that should count.")
        self.empty.setVisible(not c.ranking or not c.rubric_ids)
        self._show_verdict(c.verdict if c.ranking and c.rubric_ids else None)
        lines = list(c.stability_sentences)
        if c.ranking and c.rubric_ids:
            lines.append(f"Rank stability: share of {c.samples:,} random weightings (each rubric weight ×0.75–1.25)"
                         " under which a vendor keeps its place.")
        self.sentences.setText("\n".join(lines))
        self.cost_chart.set_chart(cost_chart(c))
        self._charts_stale = True
        self._fill_charts_if_shown()
        self.csv_button.setEnabled(bool(c.ranking))
        self.xlsx_button.setEnabled(bool(c.ranking))

    def _fill_charts_if_shown(self) -> None:
        """Draw the radars and bars for the comparison shown, if their tab is in front and they are stale."""
        c = self.comparison
        if c is None or not self._charts_stale or self.tabs.currentWidget() is not self.charts_page:
            return
        self._charts_stale = False
        axes = [c.rubric_titles.get(r, r) for r in c.rubric_ids]
        self.radars.set_data(axes, [
            RadarSeries(
                r.name,
                [rs.evidence_weighted if (rs := r.rubric_scores.get(rid)) else None for rid in c.rubric_ids],
                [rs.claimed if (rs := r.rubric_scores.get(rid)) else None for rid in c.rubric_ids],
                r.knocked_out,
                f"#{r.rank} · score {'—' if r.overall is None else f'{r.overall:.1f}'}",
            ) for r in c.ranking
        ])
        self.bars.set_data([BarRow(r.name, r.claimed, r.evidence_weighted, r.knocked_out) for r in c.ranking])

    def _fit_ranking(self) -> None:
        """Size every column but the status (stretched) to its text, and each row to its wrapped lines.

        The vendor name and the decision wrap beyond a cap, so the status with the knock-out reasons stays
        in sight; a row shows at most MAX_ROW_LINES lines (the tooltip has the rest). The table never
        scrolls sideways. Measured here with the font on the longest texts, not with
        resizeColumnToContents()/resizeRowsToContents(): those ask the model for ~10 roles of every cell,
        half a second with 200 vendors, and this runs after every weight change.
        """
        rows = self.comparison.ranking if self.comparison else []
        model, table = self.ranking_model, self.ranking
        status = model.columnCount() - 1
        font = table.font()
        if self._measured_font != font:  # measurements are kept per text: a drag re-ranks the same texts
            self._measured_font, self._widths, self._heights = QFont(font), {}, {}
        metrics = table.fontMetrics()
        bold = QFont(font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        pad_x = self._pad_x()
        caps = {VENDOR_COL: NAME_CHARS * metrics.averageCharWidth() + pad_x,
                # the longest decision label on one line; '(3 conditions)' wraps below it
                DECISION_COL: max(metrics.horizontalAdvance(d.label) for d in Decision) + pad_x,
                # "FMTI 35/100" on a line; more wraps below it (the tooltip has the sentences)
                PUBLIC_COLUMN: metrics.horizontalAdvance("FMTI 100/100 ·") + pad_x,
                # "EUR 139,000.00" wraps after the currency: the status keeps its room at 1280 px
                COST_COLUMN: metrics.horizontalAdvance("9,999,999.00") + pad_x}
        header = table.horizontalHeader()
        # a title's room without the sort arrow (Qt adds the arrow's to every section); the sorted column keeps it
        header.setSortIndicatorShown(False)
        titles = [header.sectionSizeFromContents(col).width() for col in range(status)]
        header.setSortIndicatorShown(True)
        arrow = header.sortIndicatorSection()
        if 0 <= arrow < status:
            titles[arrow] = header.sectionSizeFromContents(arrow).width()
        samples: dict[int, list[str]] = {}
        natural: dict[int, int] = {}  # each shown column at its text's width (one line)
        widths: dict[int, int] = {}  # ... at most its cap (a long name or decision wraps)
        for col in range(status):
            if table.isColumnHidden(col):
                continue
            texts = samples[col] = sorted({model.cell_text(r, col) for r in rows}, key=len,
                                          reverse=True)[:SIZE_SAMPLE_TEXTS]
            bold_col = col == RANK_SCORE_COLUMN
            m = bold_metrics if bold_col else metrics
            natural[col] = max([titles[col], *(self._width(m, t, bold_col) + pad_x for t in texts)])
            widths[col] = min(natural[col], caps.get(col, natural[col]))
        # the status keeps room to read its reasons: with every column shown (6+ vendors: rank stable, scored,
        # spread; costs; public record) the wrapping columns give up width, down to their title, before the
        # status does, and the table never scrolls sideways; with room to spare a vendor name is shown whole
        room = table.viewport().width() - max(STATUS_MIN_CHARS * metrics.averageCharWidth(),
                                              table.viewport().width() // 5)
        if table.isVisible() and room > 0:
            spare = room - sum(widths.values())
            if spare > 0 and VENDOR_COL in widths:  # up to half as wide again as its cap; longer ones wrap
                whole = min(natural[VENDOR_COL], caps[VENDOR_COL] * 3 // 2)
                widths[VENDOR_COL] += max(0, min(spare, whole - widths[VENDOR_COL]))
            for col in SHRINKS_FIRST:  # each down to its longest word: the text wraps, no word is cut
                over = sum(widths.values()) - room
                if over <= 0:
                    break
                if col in widths:
                    words = {w for t in samples[col] for w in t.split()}
                    least = max([titles[col], self._width(metrics, SHRINK_MIN_TEXT.get(col, ""), False) + pad_x,
                                 *(self._width(metrics, w, False) + pad_x for w in words)])
                    widths[col] = max(min(least, widths[col]), widths[col] - over)
        for col, width in widths.items():
            table.setColumnWidth(col, width)
        self._fit_ranking_rows()
        self._fit_rows_timer.stop()  # the widths above resized the stretched status column: rows are fitted already

    def _pad_x(self) -> int:
        """The width a cell takes beyond its text: the style's text margins either side, the grid line and a
        little slack. A fixed 14 px was too little for some styles: 'Brightwave Insights' then measured as
        fitting on one line, and was drawn cut ('Brightwave I…') in a column made for it."""
        margin = self.ranking.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.ranking) + 1
        return max(14, 2 * margin + 6)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refit the ranking's columns when its width changes."""
        if (event.type() == QEvent.Type.Resize and watched is self.ranking.viewport()
                and self.ranking.viewport().width() != self._fit_width):
            self._fit_width = self.ranking.viewport().width()
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def _fit_ranking_rows(self) -> None:
        """Rows as high as their wrapped vendor, decision and status text, at most MAX_ROW_LINES lines."""
        rows = self.ranking_model.rows
        model, table = self.ranking_model, self.ranking
        status = model.columnCount() - 1
        metrics = table.fontMetrics()
        pad_x, pad_y = self._pad_x(), 6
        vertical = table.verticalHeader()
        one_line = metrics.height() + pad_y
        cap = MAX_ROW_LINES * metrics.lineSpacing() + pad_y + 2
        vertical.setDefaultSectionSize(one_line)
        flags = int(Qt.TextFlag.TextWordWrap)
        for row, r in enumerate(rows):
            height = one_line
            for col in (VENDOR_COL, DECISION_COL, COST_COLUMN, PUBLIC_COLUMN, status):
                text = model.cell_text(r, col)
                width = max(40, table.columnWidth(col) - pad_x)
                if self._width(metrics, text, False) <= width:
                    continue
                wrapped = self._heights.get((text, width))
                if wrapped is None:
                    wrapped = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text).height() + pad_y
                    self._heights[(text, width)] = wrapped
                height = max(height, wrapped)
            if vertical.sectionSize(row) != min(height, cap):
                vertical.resizeSection(row, min(height, cap))

    def _width(self, metrics: QFontMetrics, text: str, bold: bool) -> int:
        key = (text, bold)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = metrics.horizontalAdvance(text)
        return width

    def _show_verdict(self, v: Verdict | None) -> None:
        """The recommendation in the brief's words, with the main risk; every condition and risk on hover."""
        self.verdict.setVisible(v is not None)
        if v is None:
            self.verdict.clear()
            self.verdict.setToolTip("")
            return
        mark = "✖" if v.kind == VerdictKind.NO_RECOMMENDATION else "✔"
        if v.text.startswith(v.headline):  # "No recommendation: …" says it once
            lines = [f"{mark} <b>{html.escape(v.headline)}</b>{html.escape(v.text[len(v.headline):])}"]
        else:
            lines = [f"{mark} <b>{html.escape(v.headline)}</b>", html.escape(v.text)]
        if v.main_risk:
            more = len(v.risks) - 1
            lines.append(f"<b>Main risk:</b> {html.escape(v.main_risk)}"
                         + (f" <i>(+{more} more: hover for all)</i>" if more else ""))
        self.verdict.setText("<br>".join(lines))
        parts = [f"<p><b>{html.escape(v.kind.label)}</b> — as the board brief says it.</p>"]
        for title, items in (("Why", v.reasons), ("Conditions to negotiate", v.conditions), ("Top risks", v.risks)):
            if items:
                parts.append(f"<p><b>{title}</b></p><ul>" + "".join(f"<li>{html.escape(t)}</li>" for t in items)
                             + "</ul>")
        self.verdict.setToolTip("<qt>" + "".join(parts) + "</qt>")

    def ranked_names(self) -> list[str]:
        """Vendor names best first, as shown."""
        return [r.name for r in self.comparison.ranking] if self.comparison else []

    # --- decision -------------------------------------------------------------------------------

    def current_vendor_id(self) -> str | None:
        """The vendor selected in the ranking."""
        rows = self.ranking.selectionModel().selectedRows()
        if not rows:
            return None
        r = self.ranking_model.row_at(rows[0].row())
        return r.vendor_id if r else None

    def select_vendor(self, vendor_id: str) -> None:
        """Select a vendor's row in the ranking."""
        if self.comparison is None:
            return
        for i, r in enumerate(self.ranking_model.rows):  # as shown: the user may have sorted by a column
            if r.vendor_id == vendor_id:
                self.ranking.selectionModel().select(
                    self.ranking_model.index(i, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                return

    def _show_decision(self) -> None:
        vid = self.current_vendor_id()
        if vid is None or self.comparison is None:
            self.decision_box.setEnabled(False)
            self.decision_box.setTitle("Decision")
            return
        row = self.comparison.row(vid)
        self.decision_box.setEnabled(True)
        self.decision_box.setTitle(f"Decision on {row.name}")
        self.decision.setCurrentIndex(max(0, self.decision.findData(row.decision)))
        self.conditions.setPlainText("\n".join(row.conditions))
        self._decision_shown = (vid, Decision(row.decision), list(row.conditions))

    def _record_clicked(self) -> None:
        vid = self.current_vendor_id()
        if vid is None:
            return
        conditions = [c.strip() for c in self.conditions.toPlainText().splitlines() if c.strip()]
        decision = Decision(self.decision.currentData())
        if decision in NO_CONDITIONS and conditions:
            # a Go or No-go takes no conditions (domain.rules): ask, as the vendor's Profile tab does, instead of
            # refusing until the user deletes them by hand; no: nothing recorded, the words stay in the box
            n = len(conditions)
            if not self.messages.confirm(
                self, f"{decision.label} takes no conditions",
                f"A “{decision.label}” decision takes no conditions to negotiate. Remove the "
                f"{plural(n, 'condition')} and record “{decision.label}”? (Undo puts the decision back as it was.)",
            ):
                self.session.failed.emit(f"“{decision.label}” was not recorded: the conditions are kept.")
                return
            conditions = []
        self.record_decision(vid, decision, conditions)

    def record_decision(self, vendor_id: str, decision: Decision | str, conditions: list[str]) -> bool:
        """Record a decision with its conditions (audit-logged, undoable); False when refused."""
        try:
            before = self.ws.vendors.get(vendor_id)
        except UserError as exc:
            self.messages.error(self, "Decision not recorded", str(exc))
            return False
        old_decision, old_conditions = before.decision, list(before.conditions)
        shown = self._decision_shown
        if shown is not None and shown[0] == vendor_id and shown[1:] != (Decision(old_decision), old_conditions):
            # decided elsewhere (another window, the command line) since the box was filled: never silently over it
            theirs, mine = _decision_words(old_decision, old_conditions), _decision_words(decision, conditions)
            text = (f"The decision on {before.name} was changed elsewhere (in another window, on the command line "
                    "or by an import) since this page showed it, so yours was not recorded over it.")
            if theirs != mine and self.messages.stale_edit(self, "Record decision", text, theirs, mine) != APPLY:
                self._decision_shown = (vendor_id, Decision(old_decision), old_conditions)
                self.decision.setCurrentIndex(max(0, self.decision.findData(Decision(old_decision).value)))
                self.conditions.setPlainText("\n".join(old_conditions))
                return False
        ws, revision = self.ws, before.revision
        done = self.session.edit(f"Decision on {before.name}: {Decision(decision).label}",
                                 lambda: ws.vendors.decide(vendor_id, decision, conditions,
                                                           expected_revision=revision),
                                 lambda: ws.vendors.decide(vendor_id, old_decision, old_conditions),
                                 lambda: ws.vendors.decide(vendor_id, decision, conditions))
        if done is not None:
            self._decision_shown = (vendor_id, Decision(done.decision), list(done.conditions))
        return done is not None

    # --- profiles and exports -------------------------------------------------------------------

    def _ask_save_profile(self) -> None:
        name, ok = QInputDialog.getText(self, "Save weights", "Name of the weight profile:")
        if ok and name.strip():
            self.save_profile(name.strip())

    def save_profile(self, name: str) -> WeightProfile | None:
        """Save the weights on screen as a user profile and switch to it (undoable)."""
        rubric_w, crit_w = self._current_weights()
        try:
            profile = WeightProfile(name=name, rubric_weights=rubric_w, criterion_weights=crit_w,
                                    description="Saved from the comparison page.")
        except ValueError as exc:  # pydantic: e.g. an over-long name
            self.messages.error(self, "Profile not saved", str(exc))
            return None
        ws = self.ws
        previous = next((p for p in ws.profiles.list() if p.name == profile.name and not p.builtin), None)

        def undo() -> None:
            if previous is not None:
                ws.profiles.save(previous)
            else:
                ws.profiles.delete(profile.name)

        saved = self.session.edit(f"Save weight profile {name}", lambda: ws.profiles.save(profile), undo)
        if saved is None:
            return None
        self._filling = True
        try:
            self._fill_profiles()
            self.profile.setCurrentIndex(max(0, self.profile.findData(saved.name)))
        finally:
            self._filling = False
        self._set_edited(False)
        self.refresh_now()
        return saved

    def _file_dialog(self, kind: str, suggested: str) -> str | None:
        filters = {"csv": "CSV files (*.csv)", "xlsx": "Excel workbooks (*.xlsx)"}
        name, _ = QFileDialog.getSaveFileName(self, f"Export comparison as {kind.upper()}", suggested, filters[kind])
        return name or None

    def _ask_export(self, kind: str) -> None:
        path = self._ask_path(kind, str(Path.home() / f"vendor-comparison.{kind}"))
        if path:
            if not path.lower().endswith(f".{kind}"):
                path += f".{kind}"
            self.export_to(Path(path), kind)

    def export_to(self, path: Path, kind: str | None = None,
                  on_done: Callable[[Path], None] | None = None) -> Path | None:
        """Write the comparison on screen to CSV or XLSX off the UI thread; a message when it fails.

        Returns the file written when the runner finished at once (synchronous runner), else None;
        ``on_done`` is called with the file either way.
        """
        if self.comparison is None:
            return None
        comparison, ws, runner = self.comparison, self.ws, self.session.runner
        written: list[Path] = []

        def work() -> Path:
            with reading(ws, runner) as source:
                return ComparisonService(source).export(comparison, path, kind)

        def done(out: Path) -> None:
            written.append(out)
            self.session.said.emit(f"Comparison saved to {out}")  # it said nothing when it was done
            if on_done is not None:
                on_done(out)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, UserError):
                self.session.show_failure("Exporting the comparison", exc)
                return
            self.messages.error(self, "Export failed", str(exc))

        runner.run(work, done, failed, label=f"Exporting the comparison to {Path(path).name}…", parent=self)
        return written[0] if written else None


def _decision_words(decision: Decision | str, conditions: list[str]) -> str:
    """A decision and its conditions in words (both sides of a decision made elsewhere meanwhile)."""
    return Decision(decision).label + "".join(f"\n• {c}" for c in conditions)
