"""Asks for a new vendor's name and product."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from .form import line_field, ok_cancel

#: What ``NewVendorDialog`` asks before it closes: the field to fix and why (None: the vendor may be created).
Check = Callable[[dict[str, str]], "tuple[str, str] | None"]


class NewVendorDialog(QDialog):
    """Name (required), product and website of a vendor to create.

    With ``check`` and ``report``, Create asks ``check`` first; a refusal is shown with ``report(text)`` and the
    dialog stays open with everything typed, the field to fix focused and selected.
    """

    def __init__(self, parent: QWidget | None = None, *, check: Check | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New vendor")
        self._check, self._report = check, report
        self.name = line_field(self, "Vendor name", "Company name, e.g. Acme AI")
        self.product = line_field(self, "Product", "Product under evaluation")
        self.website = line_field(self, "Website", "https://…")
        self.buttons = ok_cancel(self, "Create", on_ok=self._create, required=self.name)
        form = QFormLayout(self)
        form.addRow("&Name:", self.name)
        form.addRow("&Product:", self.product)
        form.addRow("&Website:", self.website)
        form.addRow(self.buttons)
        self.resize(420, self.sizeHint().height())

    def values(self) -> dict[str, str]:
        """The entered fields."""
        return {"name": self.name.text().strip(), "product": self.product.text().strip(),
                "website": self.website.text().strip()}

    def field(self, key: str) -> QLineEdit:
        """The line field of ``key`` ('name', 'product', 'website'); the name for any other key."""
        return {"product": self.product, "website": self.website}.get(key, self.name)

    def fix(self, key: str | None) -> None:
        """Put the cursor in the field to fix (the name when not known), its text selected."""
        target = self.field(key or "name")
        target.setFocus()
        target.selectAll()

    def _create(self) -> None:
        problem = self._check(self.values()) if self._check is not None else None
        if problem is None:
            self.accept()
            return
        key, text = problem
        if self._report is not None:
            self._report(text)
        self.fix(key)
