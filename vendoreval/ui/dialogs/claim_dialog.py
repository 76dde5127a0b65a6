"""Records a new claim in one dialog: the vendor's words, where and when, its status and the criteria it bears on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.models import ClaimStatus, SourceKind
from ...domain.rubric import Rubric
from ..widgets.criteria_chooser import CriteriaChooser
from .form import line_field, ok_cancel, text_field

SOURCE_LABELS = {
    SourceKind.DOCUMENT: "Document",
    SourceKind.URL: "Web page",
    SourceKind.MEETING: "Meeting or call",
    SourceKind.EMAIL: "E-mail",
    SourceKind.QUESTIONNAIRE: "Vendor questionnaire",
    SourceKind.OTHER: "Other",
}


def parse_date(text: str) -> dt.date | None:
    """A YYYY-MM-DD date, None for empty text; ValueError with a readable message otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.") from None


def source_kind_combo(parent: QWidget) -> QComboBox:
    """A combo box of source kinds."""
    combo = QComboBox(parent)
    for kind, label in SOURCE_LABELS.items():
        combo.addItem(label, kind)
    combo.setAccessibleName("Source kind")
    combo.setToolTip("Where the vendor said it")
    return combo


def status_combo(parent: QWidget, current: ClaimStatus = ClaimStatus.ASSERTED) -> QComboBox:
    """A combo box of claim statuses, ``current`` chosen."""
    combo = QComboBox(parent)
    for s in ClaimStatus:
        combo.addItem(s.label, s)
    combo.setCurrentIndex(list(ClaimStatus).index(ClaimStatus(current)))
    combo.setAccessibleName("Claim status")
    combo.setToolTip("Asserted → Documented → Contractually committed → Independently verified; "
                     "or Contradicted / Declined to answer")
    return combo


class ClaimDialog(QDialog):
    """The words (required; a paste from a PDF has its line breaks joined), source kind, source, page, date,
    said to, status with its note, and the criteria ticked: everything a claim needs, in one dialog."""

    def __init__(self, rubrics: Sequence[Rubric] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a claim")
        self.text = text_field(self, "The vendor's words", "Paste exactly what the vendor said or wrote "
                               "(line breaks a PDF leaves are joined)", join_pasted=True)
        self.text.setMinimumHeight(110)
        self.text.setMaximumHeight(180)
        self.kind = source_kind_combo(self)
        self.source = line_field(self, "Source", "Document title, URL or meeting")
        self.page = line_field(self, "Page", "Page or section")
        self.said_on = line_field(self, "Date said", "YYYY-MM-DD")
        self.said_to = line_field(self, "Said to", "Who heard or received it")
        self.status = status_combo(self)
        self.status_note = text_field(self, "Status note", "Why this status: e.g. “Clause 7.2 of the signed DPA”")
        self.status_note.setMaximumHeight(60)
        self.criteria = CriteriaChooser(rubrics, (), self)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.buttons = ok_cancel(self, "Record claim", on_ok=self._accept)
        self.again = False  # "Record and add another" was chosen
        #: Asked before Cancel, Escape or closing throws typed words away (True: throw them away); None: not asked
        self.confirm_discard: Callable[[], bool] | None = None
        self.next_button = self.buttons.addButton("Record and add ne&xt", QDialogButtonBox.ButtonRole.ActionRole)
        self.next_button.setToolTip("Record this claim and start the next one from the same source (Alt+X)")
        self.next_button.clicked.connect(self._accept_and_again)
        form = QFormLayout()
        form.addRow("Vendor's &words:", self.text)
        form.addRow("Source &kind:", self.kind)
        form.addRow("&Source:", self.source)
        page_row = QHBoxLayout()
        page_row.addWidget(self.page, 1)
        date_label = QLabel("&Date:", self)
        date_label.setBuddy(self.said_on)
        page_row.addWidget(date_label)
        page_row.addWidget(self.said_on, 1)
        page_label = QLabel("&Page:", self)
        page_label.setBuddy(self.page)
        form.addRow(page_label, page_row)
        form.addRow("Said &to:", self.said_to)
        form.addRow("St&atus:", self.status)
        form.addRow("&Note:", self.status_note)
        box = QGroupBox("&Criteria it bears on", self)
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.criteria)
        box.setFocusProxy(self.criteria.filter)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addWidget(box, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # Tab walks the fields as they read, left column then the criteria, then the buttons: each button, not
        # the button box (a box in the chain sent Tab past Record claim straight to Cancel)
        self.record_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record_button.setToolTip("Record this claim (Ctrl+Enter, from any field)")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        chain = (self.text, self.kind, self.source, self.page, self.said_on, self.said_to, self.status,
                 self.status_note, self.criteria.filter, self.criteria.tree, self.criteria.ticked,
                 self.record_button, self.next_button, cancel)
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        # Ctrl+Enter records from anywhere, the multi-line words and note included (Enter there is a new line)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self._accept)
        self.text.setFocus()
        self.text.textChanged.connect(lambda: self.error.setText("") if self.text.toPlainText().strip() else None)
        self.resize(1040, 560)

    def set_source(self, values: dict[str, Any]) -> None:
        """Start from a previous claim's source kind, source, page, date and recipient (the next claim of a
        document); the words, status and criteria start empty."""
        if "source_kind" in values:
            self.kind.setCurrentIndex(max(0, self.kind.findData(values["source_kind"])))
        for key in ("source", "page", "said_to"):
            if values.get(key):
                getattr(self, key).setText(values[key])
        if values.get("said_on"):
            self.said_on.setText(values["said_on"].isoformat())

    def typed(self) -> bool:
        """True when the user typed something of a claim (its words, a status note or a criterion ticked)."""
        return bool(self.text.toPlainText().strip() or self.status_note.toPlainText().strip()
                    or self.criteria.chosen())

    def reject(self) -> None:
        """Cancel, Escape or the window's close: typed words go only once the user said so."""
        if self.typed() and self.confirm_discard is not None and not self.confirm_discard():
            self.text.setFocus()
            return
        super().reject()

    def _accept_and_again(self) -> None:
        self.again = True
        self._accept()
        if not self.result():
            self.again = False

    def _accept(self) -> None:
        try:
            self.values()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def values(self) -> dict[str, Any]:
        """The claim's fields (ValueError when the text is empty or the date unreadable)."""
        text = self.text.toPlainText()
        if not text.strip():
            raise ValueError("Paste the vendor's words first.")
        return {"text": text, "source_kind": self.kind.currentData(), "source": self.source.text().strip(),
                "page": self.page.text().strip(), "said_on": parse_date(self.said_on.text()),
                "said_to": self.said_to.text().strip(), "status": ClaimStatus(self.status.currentData()),
                "status_note": self.status_note.toPlainText().strip(), "criteria": self.criteria.chosen()}
