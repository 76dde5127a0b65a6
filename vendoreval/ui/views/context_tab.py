"""A vendor's engagement context: the questions asked once before scoring, and what the answers rule out.

Single answers are combo boxes from the vocabulary's CHOICES; list answers (what the product generates,
the markets) are check lists with a "None" entry; nothing ticked is "not answered". Every change is saved
at once through the services, and can be undone.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain.context import (
    CHOICES,
    LIST_KEYS,
    QUESTIONS,
    ContextValue,
    EngagementContext,
    answer_phrase,
    market_name,
    market_values,
)
from ...services.workspace import Change, NotFound
from ..session import Session
from .table_tab import VendorTab

#: Form labels with mnemonics (the questions themselves are the tooltips and the accessible descriptions).
_LABELS = {
    "gpai-model": "&General-purpose AI model:",
    "personal-data": "Pers&onal data:",
    "generates": "Gene&rates:",
    "annex-iii": "&Annex III use:",
    "markets": "Marke&ts:",
    "crawls-or-fine-tunes": "Cra&wls or fine-tunes:",
}
_NOT_ANSWERED = "Not answered (every criterion applies)"
_OUTPUT_NAMES = {"text": "Text", "image": "Images", "audio": "Audio", "video": "Video"}
_NONE = "none"


#: Short words for the single answers in the combo boxes (the tooltip has the clause the reasons use).
_SHORT = {
    ("gpai-model", "none"): "No general-purpose AI model",
    ("gpai-model", "third-party"): "A third party's model",
    ("gpai-model", "own"): "The vendor's own model",
    ("personal-data", "none"): "No personal data for us",
    ("personal-data", "processor"): "Yes: the vendor is our processor",
    ("personal-data", "controller"): "Yes: the vendor is an independent controller",
    ("personal-data", "joint-controller"): "Yes: the vendor is a joint controller with us",
    ("annex-iii", "yes"): "Yes: an Annex III (high-risk) use",
    ("annex-iii", "no"): "No Annex III use",
    ("crawls-or-fine-tunes", "yes"): "Yes: crawls the web or fine-tunes",
    ("crawls-or-fine-tunes", "no"): "Neither",
}


def _choice_text(key: str, value: str) -> str:
    """A single answer in a few words for a combo box (the reasons' clause, capitalised, if it has none)."""
    phrase = _SHORT.get((key, value)) or answer_phrase(key, value)
    return phrase[0].upper() + phrase[1:]


class ContextTab(VendorTab):
    """The engagement-context form of one vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._loading = False
        self.combos: dict[str, QComboBox] = {}
        self.lists: dict[str, QListWidget] = {}
        intro = QLabel(
            "Asked once, before scoring. A criterion the law reaches only in other set-ups is shown as "
            "<i>not applicable</i> with the reason, drops out of the score and never knocks the vendor out. "
            "A question left unanswered applies every criterion.", self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, question in QUESTIONS.items():
            widget: QWidget
            if key in LIST_KEYS:
                widget = self._check_list(key)
            else:
                combo = QComboBox(self)
                # the long answers must not widen the form past the tab: the popup shows them whole
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(24)
                combo.addItem(_NOT_ANSWERED, None)
                for value in CHOICES[key]:
                    combo.addItem(_choice_text(key, value), value)
                    phrase = answer_phrase(key, value)
                    combo.setItemData(combo.count() - 1, f"{phrase[0].upper()}{phrase[1:]} ({key} = {value})",
                                      Qt.ItemDataRole.ToolTipRole)
                combo.currentIndexChanged.connect(lambda _i, k=key: self._combo_changed(k))
                self.combos[key] = widget = combo
            widget.setToolTip(question)
            widget.setAccessibleName(_LABELS[key].replace("&", "").rstrip(":"))
            widget.setAccessibleDescription(question)
            label = QLabel(_LABELS[key], self)
            label.setBuddy(widget)
            label.setToolTip(question)
            form.addRow(label, widget)
        self.effect = QLabel(self)
        self.effect.setWordWrap(True)
        self.effect.setTextFormat(Qt.TextFormat.RichText)
        self.effect.setAccessibleName("Criteria not applicable")
        self.effect.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget(self)
        inner = QVBoxLayout(body)
        inner.addWidget(intro)
        inner.addLayout(form)
        inner.addWidget(self.effect)
        inner.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the text wraps instead
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _check_list(self, key: str) -> QListWidget:
        """A check list of the values of a list question, led by 'None'."""
        box = QListWidget(self)
        box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        values = market_values() if key == "markets" else list(CHOICES[key])
        names = {v: (market_name(v) if key == "markets" else _OUTPUT_NAMES[v]) for v in values}
        none_text = "None: used in no market" if key == "markets" else "None: it generates no content"
        for value, text in [(_NONE, none_text), *names.items()]:
            item = QListWidgetItem(text if key != "markets" or value in (_NONE, "eu", "uk")
                                   else f"{text} — {value}", box)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
        rows = min(box.count(), 8 if key == "markets" else box.count())
        box.setFixedHeight(rows * box.sizeHintForRow(0) + 2 * box.frameWidth() + 4)
        box.itemChanged.connect(lambda item, k=key: self._item_changed(k, item))
        self.lists[key] = box
        return box

    # --- showing ------------------------------------------------------------------------------------

    def context(self) -> EngagementContext:
        """The shown vendor's stored answers (nothing answered when no vendor is shown)."""
        if self.vendor_id is None:
            return EngagementContext()
        try:
            return self.ws.contexts.get(self.vendor_id)
        except NotFound:
            return EngagementContext()

    def refresh(self) -> None:
        """Show the vendor's answers and the criteria they rule out."""
        context = self.context()
        writable = self.vendor_id is not None and self.ws.read_only_reason is None
        self._loading = True
        try:
            for key, combo in self.combos.items():
                value = context.get(key)
                combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
                combo.setEnabled(writable)
            for key, box in self.lists.items():
                value = context.get(key)
                chosen = set() if value is None else (set(value) if value else {_NONE})
                for i in range(box.count()):
                    item = box.item(i)
                    item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen
                                       else Qt.CheckState.Unchecked)
                box.setEnabled(writable)
        finally:
            self._loading = False
        self._show_effect(context)

    def _show_effect(self, context: EngagementContext) -> None:
        if self.vendor_id is None:
            self.effect.setText("")
            return
        ruled_out = self.ws.contexts.ruled_out(context)
        if not ruled_out:
            self.effect.setText("<p><b>Every criterion applies</b> with these answers.</p>")
            return
        items = "".join(
            f"<li><b>{html.escape(r.area)} › {html.escape(c.title)}</b> — {html.escape(reason)}</li>"
            for r, c, reason in ruled_out)
        n = len(ruled_out)
        self.effect.setText(f"<p><b>Not applicable with these answers ({n} criteri{'on' if n == 1 else 'a'}):"
                            f"</b></p><ul style='margin-left:-20px'>{items}</ul>")

    def on_change(self, change: Change) -> None:
        """Reload after this vendor's context (or the vendor) changed."""
        if change.entity in ("context", "vendor"):
            self.refresh()

    # --- editing ------------------------------------------------------------------------------------

    def _combo_changed(self, key: str) -> None:
        if self._loading:
            return
        self.answer(key, self.combos[key].currentData())

    def _item_changed(self, key: str, item: QListWidgetItem) -> None:
        if self._loading:
            return
        box = self.lists[key]
        value = item.data(Qt.ItemDataRole.UserRole)
        self._loading = True
        try:  # 'None' and the values exclude each other
            if item.checkState() == Qt.CheckState.Checked:
                for i in range(box.count()):
                    other = box.item(i)
                    other_value = other.data(Qt.ItemDataRole.UserRole)
                    if other is not item and (value == _NONE or other_value == _NONE):
                        other.setCheckState(Qt.CheckState.Unchecked)
        finally:
            self._loading = False
        checked = [box.item(i).data(Qt.ItemDataRole.UserRole) for i in range(box.count())
                   if box.item(i).checkState() == Qt.CheckState.Checked]
        answer: ContextValue | None = None if not checked else () if checked == [_NONE] else tuple(checked)
        self.answer(key, answer)

    def answer(self, key: str, value: ContextValue | None) -> EngagementContext | None:
        """Record one answer (None: not answered) for the shown vendor; undoable. The form follows the store."""
        if self.vendor_id is None:
            return None
        vendor_id = self.vendor_id
        before = self.context()
        if before.get(key) == value:
            return before
        result = self.session.edit(
            f"Engagement context: {key}",
            lambda: self.ws.contexts.set(vendor_id, {key: value}),
            lambda: self.ws.contexts.replace(vendor_id, before),
        )
        if result is None:  # refused (a dialog said why): show what is stored
            self.refresh()
        return result
