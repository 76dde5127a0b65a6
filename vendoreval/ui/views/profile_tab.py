"""A vendor's profile: name, product, website, description, decision and conditions, saved as you type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import Decision, Vendor
from ...domain.rules import NO_CONDITIONS, needs_conditions
from ...domain.text import plural
from ...services.workspace import Change, NotFound
from ..session import Session
from ..stale import commit_on_revision, on_stale
from ..widgets.autosave import AutoSave
from ..widgets.conflict_note import ConflictNote, with_note

_PLACEHOLDER = "One condition per line, e.g. “EU data residency in the contract”"
#: What the conditions box says when the chosen decision needs conditions, or takes none (domain.rules).
_PLACEHOLDERS = {
    Decision.GO_WITH_CONDITIONS: "At least one condition, one per line, e.g. “EU data residency in the contract”",
    Decision.GO: "A plain Go takes no conditions: choose “Go with conditions” to add some",
    Decision.NO_GO: "A No-go takes no conditions",
}


class ProfileTab(QWidget):
    """Profile fields; each commits through the services on a pause or focus-out, undoable."""

    FIELDS = ("name", "product", "website", "description")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.vendor_id: str | None = None
        self._revision: int | None = None  # the revision of the vendor the decision and archive button show
        # 'Go with conditions' picked with no condition typed yet: recorded with the first one
        self._pending_decision: Decision | None = None
        self._pending_vendor: str | None = None  # the vendor it was picked for (vendor_id may be the next one)
        self.name = QLineEdit(self)
        self.product = QLineEdit(self)
        self.website = QLineEdit(self)
        self.website.setPlaceholderText("https://…")
        self.description = QPlainTextEdit(self)
        self.description.setTabChangesFocus(True)  # Tab moves on; a tab character is never what is meant
        self.description.setPlaceholderText("What the product does and what you would use it for")
        self.description.setMaximumHeight(140)
        self.decision = QComboBox(self)
        for d in Decision:
            self.decision.addItem(d.label, d)
        self.decision.setToolTip("Where this vendor stands; saved at once")
        #: Beside the decision while "Go with conditions" waits for its first condition (it is not saved yet).
        self.decision_note = QLabel(self)
        self.decision_note.setWordWrap(True)
        self.decision_note.setAccessibleName("Decision not saved yet")
        self.decision_note.hide()
        self.conditions = QPlainTextEdit(self)
        self.conditions.setTabChangesFocus(True)  # Tab moves on; a tab character is never what is meant
        self.conditions.setPlaceholderText(_PLACEHOLDER)
        self.conditions.setToolTip("Conditions to negotiate before signing (one per line); their positions, owners "
                                   "and the conditions proposed from the evidence are on the Conditions tab")
        self.conditions.setMaximumHeight(110)
        self.archive_button = QPushButton("Archive vendor", self)
        self.archive_button.setToolTip("Hide this vendor from the list without deleting anything")
        for w, name in ((self.name, "Vendor name"), (self.product, "Product"), (self.website, "Website"),
                        (self.description, "Description"), (self.decision, "Decision"),
                        (self.conditions, "Conditions"), (self.archive_button, "Archive vendor")):
            w.setAccessibleName(name)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # fields stay together at the top instead of spreading over the tab
        #: Under each text field: the user's own text when its edit was refused as changed elsewhere.
        self.notes: dict[str, ConflictNote] = {}
        for label, key in (("N&ame:", "name"), ("Prod&uct:", "product"), ("&Website:", "website"),
                           ("Desc&ription:", "description"), ("Decisi&on:", "decision"),
                           ("Condi&tions:", "conditions")):
            field = getattr(self, key)
            if key == "decision":
                row = QHBoxLayout()
                row.addWidget(field)
                row.addWidget(self.decision_note, 1)
                form.addRow(label, row)
                buddy = form.labelForField(row)
                if isinstance(buddy, QLabel):
                    buddy.setBuddy(field)
                continue
            box, self.notes[key] = with_note(field, self)
            form.addRow(label, box)
            buddy = form.labelForField(box)
            if isinstance(buddy, QLabel):
                buddy.setBuddy(field)  # Alt+letter goes to the field, not its box
        archive_row = QHBoxLayout()
        archive_row.addWidget(self.archive_button)
        archive_row.addStretch(1)
        form.addRow("", archive_row)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.autosaves: dict[str, AutoSave] = {}
        for key in self.FIELDS:
            a = AutoSave(getattr(self, key), self._committer(key))
            session.register_autosave(a)
            self.autosaves[key] = a
        self.conditions_save = AutoSave(self.conditions, self._commit_conditions)
        session.register_autosave(self.conditions_save)
        self.decision.activated.connect(self._decision_picked)
        self.archive_button.clicked.connect(self._toggle_archive)

    def _committer(self, key: str) -> Callable[[str], bool]:
        def commit(text: str) -> bool:
            vid = self.vendor_id
            if vid is None:
                return True
            try:
                old = getattr(self.ws.vendors.get(vid), key)
            except NotFound:
                return True
            value = text.strip() if key != "description" else text
            fields: dict[str, Any] = {key: value}

            def apply(revision: int | None) -> Vendor:
                return self.ws.vendors.update(vid, expected_revision=revision, **fields)

            return commit_on_revision(self.session, self.autosaves[key], self.notes[key], f"Edit vendor {key}",
                                      text, apply, lambda: self.ws.vendors.update(vid, **{key: old}),
                                      lambda v: str(getattr(v, key)))
        return commit

    def _typed_conditions(self) -> list[str]:
        return [line.strip() for line in self.conditions.toPlainText().splitlines() if line.strip()]

    def _commit_conditions(self, text: str) -> bool:
        vid = self.vendor_id
        if vid is None:
            return True
        v = self.ws.vendors.get(vid)
        old_decision, old = v.decision, list(v.conditions)
        new = [line.strip() for line in text.splitlines() if line.strip()]
        decision = self._pending_decision or Decision(v.decision)
        if self._pending_decision is not None and not new:
            return False  # nothing typed yet: the decision waits for its first condition
        what = f"Decision: {decision.label}" if self._pending_decision else "Edit conditions"

        def apply(revision: int | None) -> Vendor:
            return self.ws.vendors.decide(vid, decision, new, expected_revision=revision)

        done = commit_on_revision(self.session, self.conditions_save, self.notes["conditions"], what, text, apply,
                                  lambda: self.ws.vendors.decide(vid, old_decision, old),
                                  lambda other: "\n".join(other.conditions))
        if done:
            self._pending_decision = None
            self._show_conditions_rule()
        return done

    def _decision_picked(self, index: int) -> None:
        vid = self.vendor_id
        if vid is None:
            return
        new = Decision(self.decision.itemData(index))
        v = self.ws.vendors.get(vid)
        old, old_conditions = Decision(v.decision), list(v.conditions)
        self._pending_decision = None
        if new == old:
            self._show_conditions_rule()
            return
        # the decision is recorded with the conditions on screen, so that the pair is valid (domain.rules)
        conditions = self._typed_conditions()
        if needs_conditions(new) and not conditions:
            self._pending_decision, self._pending_vendor = new, vid
            self._show_conditions_rule()
            self.conditions.setFocus()
            return
        if new in NO_CONDITIONS and conditions:
            n = len(conditions)
            if not self.session.messages.confirm(
                self, f"{new.label} takes no conditions",
                f"A “{new.label}” decision takes no conditions to negotiate. Remove the {plural(n, 'condition')} "
                f"and record “{new.label}”? (Undo brings them back.)",
            ):
                self.refresh()
                return
            conditions = []
        what, undo = f"Decision: {new.label}", lambda: self.ws.vendors.decide(vid, old, old_conditions)

        def retry(revision: int | None) -> Vendor:
            return self.ws.vendors.decide(vid, new, conditions, expected_revision=revision)

        stale = on_stale(self.session, what, _decision_words(new, conditions),
                         lambda other: _decision_words(Decision(other.decision), other.conditions), retry,
                         self.refresh, undo)
        done = self.session.edit(what, lambda: retry(self._revision), undo, lambda: retry(None), stale=stale)
        if done is not None:
            self.conditions_save.set_text("\n".join(done.conditions))
        self.refresh()

    def _show_conditions_rule(self) -> None:
        """The conditions box follows the decision shown: needed for 'Go with conditions', none for Go / No-go."""
        d = Decision(self.decision.currentData())
        # stored conditions a plain go or a no-go still carries (from before the rule) stay editable
        self.conditions.setReadOnly(d in NO_CONDITIONS and not self.conditions.toPlainText().strip())
        self.conditions.setPlaceholderText(_PLACEHOLDERS.get(d, _PLACEHOLDER))
        # Qt repaints an empty box only when its placeholder appears or goes, not when its words change: the
        # old words stayed on screen until the vendor was shown again
        self.conditions.viewport().update()
        pending = self._pending_decision
        self.decision_note.setText(
            f"<i>Not saved yet:</i> “{pending.label}” is saved when the first condition is written below."
            if pending is not None else "")
        self.decision_note.setVisible(pending is not None)

    def _toggle_archive(self) -> None:
        vid = self.vendor_id
        if vid is None:
            return
        new = not self.ws.vendors.get(vid).archived
        what = "Archive vendor" if new else "Unarchive vendor"

        def undo() -> Vendor:
            return self.ws.vendors.set_archived(vid, not new)

        def apply(revision: int | None) -> Vendor:
            return self.ws.vendors.set_archived(vid, new, expected_revision=revision)

        def words(archived: bool) -> str:
            return "archived" if archived else "not archived"

        self.session.edit(what, lambda: apply(self._revision), undo, lambda: apply(None),
                          stale=on_stale(self.session, what, words(new), lambda other: words(other.archived), apply,
                                         self.refresh, undo))

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show a vendor's profile; a "Go with conditions" still waiting for its first condition is said, in the
        status bar, not to have been recorded."""
        if self._pending_decision is not None and vendor_id != self._pending_vendor:
            if self.vendor_id == self._pending_vendor:
                self.conditions_save.flush()  # a condition typed just now records the decision
            self._say_not_recorded()
        self.vendor_id = vendor_id
        self._pending_decision = None
        self.refresh(force=True)

    def _say_not_recorded(self) -> None:
        """The vendor is left with its "Go with conditions" waiting for a condition: say it was not recorded."""
        pending, vid = self._pending_decision, self._pending_vendor
        if pending is None or vid is None:
            return
        try:
            v = self.ws.vendors.get(vid)
        except NotFound:
            return
        self.session.failed.emit(f"{v.name}: “{pending.label}” was not recorded: no condition was written. The "
                                 f"decision stays “{Decision(v.decision).label}”.")

    def refresh(self, force: bool = False) -> None:
        """Show stored values; a field with uncommitted typing keeps the user's words."""
        if self.vendor_id is None:
            for a in [*self.autosaves.values(), self.conditions_save]:
                a.set_text("")
            return
        try:
            v = self.ws.vendors.get(self.vendor_id)
        except NotFound:
            return
        for key, a in self.autosaves.items():
            if force or not a.pending:  # typing in progress keeps its words and the revision it began on
                a.set_text(getattr(v, key), v.revision)
                if force:
                    self.notes[key].clear()
        if force or not self.conditions_save.pending:
            self.conditions_save.set_text("\n".join(v.conditions), v.revision)
            if force:
                self.notes["conditions"].clear()
        self._revision = v.revision
        self.decision.setCurrentIndex(list(Decision).index(self._pending_decision or Decision(v.decision)))
        self._show_conditions_rule()
        self.archive_button.setText("Unarchive vendor" if v.archived else "Archive vendor")

    def on_change(self, change: Change) -> None:
        """Refresh after this vendor changed (undo, another view)."""
        if change.entity in ("vendor", "workspace"):
            self.refresh()


def _decision_words(decision: Decision, conditions: list[str]) -> str:
    """A decision and its conditions in words (the stale-edit dialog shows both sides so)."""
    return decision.label + "".join(f"\n• {c}" for c in conditions)
