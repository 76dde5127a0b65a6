"""Asks for a new vendor's name and product."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QWidget

from .form import line_field, ok_cancel


class NewVendorDialog(QDialog):
    """Name (required), product and website of a vendor to create."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New vendor")
        self.name = line_field(self, "Vendor name", "Company name, e.g. Acme AI")
        self.product = line_field(self, "Product", "Product under evaluation")
        self.website = line_field(self, "Website", "https://…")
        self.buttons = ok_cancel(self, "Create", required=self.name)
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
