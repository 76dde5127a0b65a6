"""Edits the selected claim in place: words, source, criteria links, status and its note, saved as you type."""

from __future__ import annotations

import html
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ...domain.criteria_search import criterion_label
from ...domain.models import Claim, ClaimStatus, CriterionRef
from ...errors import UserError
from ...services.workspace import NotFound
from ..dialogs.claim_dialog import parse_date, source_kind_combo, status_combo
from ..session import Session
from ..stale import commit_on_revision, on_stale
from .autosave import AutoSave
from .conflict_note import ConflictNote, with_note
from .pasted_text_edit import PastedTextEdit


class ClaimEditor(QWidget):
    """The fields of one claim; each text field commits on a pause or focus-out (one audit entry each)."""

    link_criteria_requested = Signal()

    TEXT_FIELDS = ("text", "source", "page", "said_on", "said_to")

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.claim_id: str | None = None
        self.revision: int | None = None
        self.text = PastedTextEdit(self)  # a paste from a PDF arrives with its line breaks joined
        self.text.setMaximumHeight(110)
        self.kind = source_kind_combo(self)
        self.source = QLineEdit(self)
        self.source.setPlaceholderText("Document title, URL or meeting")
        self.page = QLineEdit(self)
        self.page.setPlaceholderText("Page or section")
        self.said_on = QLineEdit(self)
        self.said_on.setPlaceholderText("YYYY-MM-DD")
        self.said_on.setToolTip("The date the vendor said or published it (YYYY-MM-DD)")
        self.said_to = QLineEdit(self)
        self.said_to.setPlaceholderText("Who heard or received it")
        self.criteria = QLabel(self)
        self.criteria.setWordWrap(True)
        # never squeezed below its text: the words box above gives up height first
        self.criteria.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.criteria_button = QPushButton("Link criteria…", self)
        self.criteria_button.setToolTip("Choose the rubric criteria this claim bears on")
        # the status is chosen here, with its note: no second dialog
        self.status = status_combo(self)
        self.status_note = QLineEdit(self)
        self.status_note.setPlaceholderText("Why this status: e.g. “Clause 7.2 of the signed DPA”")
        for w, name in ((self.text, "Claim text"), (self.source, "Source"), (self.page, "Page"),
                        (self.said_on, "Date said"), (self.said_to, "Said to"), (self.criteria, "Linked criteria"),
                        (self.status_note, "Status note")):
            w.setAccessibleName(name)
        source_row = QHBoxLayout()
        source_row.addWidget(self.kind)
        source_row.addWidget(self.source, 1)
        source_row.addWidget(QLabel("page", self))
        source_row.addWidget(self.page)
        when_row = QHBoxLayout()
        when_row.addWidget(self.said_on)
        when_row.addWidget(QLabel("to", self))
        when_row.addWidget(self.said_to, 1)
        crit_box = QWidget(self)  # a widget, not a bare layout: the form then gives the wrapped titles their height
        crit_row = QHBoxLayout(crit_box)
        crit_row.setContentsMargins(0, 0, 0, 0)
        crit_row.addWidget(self.criteria, 1)
        crit_row.addWidget(self.criteria_button)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_note, 1)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        text_box, text_note = with_note(self.text, self)
        form.addRow("&Words:", text_box)
        buddy = form.labelForField(text_box)
        if isinstance(buddy, QLabel):
            buddy.setBuddy(self.text)
        form.addRow("Source:", source_row)
        source_note = ConflictNote(self)  # one note for the source row's fields, one for the date row's
        form.addRow("", source_note)
        form.addRow("Said on:", when_row)
        when_note = ConflictNote(self)
        form.addRow("", when_note)
        #: Under the fields: the user's own text when an edit was refused as changed elsewhere.
        self.notes: dict[str, ConflictNote] = {"text": text_note, "source": source_note, "page": source_note,
                                               "said_on": when_note, "said_to": when_note}
        form.addRow("Criteria:", crit_box)
        form.addRow("Status:", status_row)
        # Tab leaves the claim text (a tab character in a verbatim claim is never wanted) and then walks the
        # fields in reading order, left to right and top to bottom.
        self.text.setTabChangesFocus(True)
        chain = (self.text, self.kind, self.source, self.page, self.said_on, self.said_to, self.criteria_button,
                 self.status, self.status_note)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self.autosaves: dict[str, AutoSave] = {}
        for key in self.TEXT_FIELDS:
            a = AutoSave(getattr(self, key), self._committer(key))
            session.register_autosave(a)
            self.autosaves[key] = a
        self.note_save = AutoSave(self.status_note, self._commit_note)
        session.register_autosave(self.note_save)
        self.kind.activated.connect(self._kind_picked)
        self.status.activated.connect(self._status_picked)
        self.criteria_button.clicked.connect(self.link_criteria_requested)
        self.set_claim(None)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Ask for the height the rows need at this width: the claims tab's splitter knows nothing of wrapped
        lines, and squeezed the criteria titles (and the rows under them) over each other in a narrow window."""
        super().resizeEvent(event)
        layout = self.layout()
        need = layout.heightForWidth(self.width()) if layout is not None else -1
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)

    def _committer(self, key: str) -> Callable[[str], bool]:
        def commit(text: str) -> bool:
            cid = self.claim_id
            if cid is None:
                return True
            try:
                old_claim = self.ws.claims.get(cid)
            except NotFound:
                return True
            value: object = text
            if key == "said_on":
                try:
                    value = parse_date(text)
                except ValueError as exc:
                    self.autosaves[key].refuse()  # said once: not again at every click until the date is changed
                    self.session.report("Edit claim date", UserError(str(exc), field="said on"))
                    return False
            elif key != "text":
                value = text.strip()
            old = getattr(old_claim, key)
            fields: dict[str, Any] = {key: value}

            def apply(revision: int | None) -> Claim:
                return self.ws.claims.update(cid, expected_revision=revision, **fields)

            return commit_on_revision(self.session, self.autosaves[key], self.notes[key],
                                      f"Edit claim {key.replace('_', ' ')}", text, apply,
                                      lambda: self.ws.claims.update(cid, **{key: old}),
                                      lambda claim: _shown(claim)[key])
        return commit

    def _kind_picked(self, index: int) -> None:
        cid = self.claim_id
        if cid is None:
            return
        new, old = self.kind.itemData(index), self.ws.claims.get(cid).source_kind
        if new == old:
            return
        what = "Edit claim source kind"

        def apply(revision: int | None) -> Claim:
            return self.ws.claims.update(cid, source_kind=new, expected_revision=revision)

        def undo() -> Claim:
            return self.ws.claims.update(cid, source_kind=old)

        def reload() -> None:
            try:
                self.set_claim(self.ws.claims.get(cid), force=False)
            except NotFound:
                self.set_claim(None)

        self.session.edit(what, lambda: apply(self.revision), undo, lambda: apply(None),
                          stale=on_stale(self.session, what, str(new), lambda c: str(c.source_kind), apply, reload,
                                         undo))

    def _criterion_title(self, ref: CriterionRef) -> str:
        """'Rubric title › Criterion title' of a link (its id when the rubric no longer has it)."""
        rubric = self.ws.library.latest(ref.rubric_id)
        if rubric is not None and ref.criterion_id in rubric.criterion_ids():
            return criterion_label(rubric, rubric.criterion(ref.criterion_id))
        return str(ref)

    def _set_status(self, status: ClaimStatus, note: str) -> bool:
        """Move the claim's status and note (one undoable edit); True when saved."""
        cid = self.claim_id
        if cid is None:
            return True
        try:
            old = self.ws.claims.get(cid)
        except NotFound:
            return True
        if (ClaimStatus(old.status), old.status_note) == (status, note):
            return True
        old_status, old_note = old.status, old.status_note
        # the undo label names what changed: a note edited under the same status is not a status move
        what = "Claim status note" if ClaimStatus(old_status) == status else f"Claim status: {status.label}"
        done = self.session.edit(what, lambda: self.ws.claims.set_status(cid, status, note),
                                 lambda: self.ws.claims.set_status(cid, old_status, old_note))
        return done is not None

    def _status_picked(self, index: int) -> None:
        self.note_save.flush()  # a note typed for the old status is saved with it first
        self._set_status(ClaimStatus(self.status.itemData(index)), self.status_note.text().strip())

    def _commit_note(self, text: str) -> bool:
        cid = self.claim_id
        if cid is None:
            return True
        try:
            current = ClaimStatus(self.ws.claims.get(cid).status)
        except NotFound:
            return True
        return self._set_status(current, text.strip())

    def set_claim(self, claim: Claim | None, force: bool = True) -> None:
        """Show a claim (None: disable the editor)."""
        if claim is None or claim.id != self.claim_id:
            force = True
        self.claim_id = claim.id if claim is not None else None
        #: The revision of the claim the kind, criteria and status show (what their edits are made on).
        self.revision = claim.revision if claim is not None else None
        self.setEnabled(claim is not None)
        values = _shown(claim)
        for key, a in self.autosaves.items():
            if force or not a.pending:  # typing in progress keeps its words and the revision it began on
                a.set_text(values[key], self.revision)
        if force:
            for held in self.notes.values():
                held.clear()
        if force or not self.note_save.pending:
            self.note_save.set_text(claim.status_note if claim else "", self.revision)
        if claim is None:
            self.criteria.setText("")
            self.status.setCurrentIndex(0)
            return
        self.kind.setCurrentIndex(max(0, self.kind.findData(claim.source_kind)))
        self.criteria.setText(html.escape("; ".join(self._criterion_title(r) for r in claim.criteria))
                              or "<i>none linked yet</i>")
        self.status.setCurrentIndex(list(ClaimStatus).index(ClaimStatus(claim.status)))


def _shown(claim: Claim | None) -> dict[str, str]:
    """The text fields' texts of a claim (empty without one)."""
    return {
        "text": claim.text if claim else "",
        "source": claim.source if claim else "",
        "page": claim.page if claim else "",
        "said_on": claim.said_on.isoformat() if claim and claim.said_on else "",
        "said_to": claim.said_to if claim else "",
    }
