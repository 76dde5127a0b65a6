"""The dates that make a document age: when it was issued and until when it is valid."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from .form import line_field, ok_cancel


class EvidenceDatesDialog(QDialog):
    """Effective date and valid-until, each optional, typed as YYYY-MM-DD.

    Dates it cannot accept (not a date, issued in the future, valid until before issued on) are said in
    place with the dialog open and the words kept, in the fields' own names (a tester's valid-until before
    the issue date closed the dialog and lost both dates).
    """

    def __init__(self, title: str, effective_on: dt.date | None, valid_until: dt.date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evidence dates")
        self.effective = line_field(self, "Issued on", "YYYY-MM-DD: when the document was issued")
        self.until = line_field(self, "Valid until", "YYYY-MM-DD, optional: a certificate's or report's end")
        self.effective.setText(effective_on.isoformat() if effective_on else "")
        self.until.setText(valid_until.isoformat() if valid_until else "")
        label = QLabel(f"<b>{_escape(title)}</b><br>Evidence goes stale past its valid-until date, or when it "
                       "was issued longer ago than the vendor's reassessment cadence. Leave a field empty for "
                       "no date.", self)
        label.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        form = QFormLayout()
        form.addRow("&Issued on:", self.effective)
        form.addRow("&Valid until:", self.until)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "Save", on_ok=self._check))
        for field in (self.effective, self.until):
            field.textChanged.connect(lambda: self.error.setText(""))
        self.resize(440, self.sizeHint().height())

    def values(self) -> tuple[str, str]:
        """What was typed (checked by the service)."""
        return self.effective.text().strip(), self.until.text().strip()

    def _check(self) -> None:
        """Save when both dates can be recorded; else say why beside them, the words kept, the dialog open."""
        from ...domain.ageing import DateRuleError, check_evidence_dates, parse_date
        from ...services.ageing import today

        effective, until = self.values()
        wrong = self.effective  # the field the problem is in: the focus goes back to it
        try:
            issued_on = parse_date(effective, "Issued on") if effective else None
            wrong = self.until
            valid_until = parse_date(until, "Valid until") if until else None
            wrong = self.effective if issued_on is not None and issued_on > today() else self.until
            check_evidence_dates(issued_on, valid_until, today(), effective="“Issued on” date",
                                 until="“Valid until”")
        except DateRuleError as exc:
            from ...domain.rules import sentence

            self.error.setText(f"{sentence(str(exc))} Change it, or Cancel to keep the dates as they were.")
            wrong.setFocus()
            wrong.selectAll()
            return
        self.accept()


def _escape(text: str) -> str:
    import html

    return html.escape(text)


class ReviewByDialog(QDialog):
    """The date by which a claim is looked at again; a date it cannot read is said in place, the words kept."""

    def __init__(self, review_by: dt.date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review by")
        self.date = line_field(self, "Review by", "YYYY-MM-DD; empty for no date")
        self.date.setText(review_by.isoformat() if review_by else "")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.chosen: dt.date | None = review_by
        form = QFormLayout()
        form.addRow("&Look at this claim again by:", self.date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, "Save", on_ok=self._check))
        self.date.textChanged.connect(lambda: self.error.setText(""))
        self.resize(420, self.sizeHint().height())

    def _check(self) -> None:
        from ...domain.ageing import DateRuleError, parse_date

        text = self.date.text().strip()
        try:
            self.chosen = parse_date(text, "Review by") if text else None
        except DateRuleError:
            self.error.setText(f"“{text}” is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14.")
            self.date.setFocus()
            self.date.selectAll()
            return
        self.accept()
