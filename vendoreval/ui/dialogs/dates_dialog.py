"""The dates that make a document age: when it was issued and until when it is valid."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from .form import line_field, ok_cancel


class EvidenceDatesDialog(QDialog):
    """Effective date and valid-until, each optional, typed as YYYY-MM-DD."""

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
        form = QFormLayout()
        form.addRow("&Issued on:", self.effective)
        form.addRow("&Valid until:", self.until)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, "Save"))
        self.resize(440, self.sizeHint().height())

    def values(self) -> tuple[str, str]:
        """What was typed (checked by the service)."""
        return self.effective.text().strip(), self.until.text().strip()


def _escape(text: str) -> str:
    import html

    return html.escape(text)
