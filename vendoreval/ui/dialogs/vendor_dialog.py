"""Asks for a new vendor's name and product."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget


class NewVendorDialog(QDialog):
    """Name (required), product and website of a vendor to create."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New vendor")
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Vendor name")
        self.name.setPlaceholderText("Company name, e.g. Acme AI")
        self.product = QLineEdit(self)
        self.product.setAccessibleName("Product")
        self.product.setPlaceholderText("Product under evaluation")
        self.website = QLineEdit(self)
        self.website.setAccessibleName("Website")
        self.website.setPlaceholderText("https://…")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        form = QFormLayout(self)
        form.addRow("&Name:", self.name)
        form.addRow("&Product:", self.product)
        form.addRow("&Website:", self.website)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.textChanged.connect(self._enable)
        self._enable()
        self.resize(420, self.sizeHint().height())

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name.text().strip()))

    def values(self) -> dict[str, str]:
        """The entered fields."""
        return {"name": self.name.text().strip(), "product": self.product.text().strip(),
                "website": self.website.text().strip()}
