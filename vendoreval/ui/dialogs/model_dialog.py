"""Record a model a vendor's product is built on: provider, model, version, own or third-party, a note."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from .form import line_field, ok_cancel


class ModelDialog(QDialog):
    """Provider, model and version of one model behind the product."""

    def __init__(self, parent: QWidget | None = None, *, vendor_name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Add model")
        self.provider = line_field(self, "Provider", "Who develops the model, e.g. OpenAI, Mistral AI")
        self.model = line_field(self, "Model", "The model's name, e.g. GPT-4o")
        self.version = line_field(self, "Version", "Optional, e.g. 2024-08-06")
        self.own = QCheckBox(f"{vendor_name or 'The vendor'}'s own model", self)
        self.own.setAccessibleName("Own model")
        # one line, so Enter adds the model as in every other field (found in use: Enter added a line break)
        self.note = line_field(self, "Where this comes from", "e.g. sub-processor list, November 2026")
        hint = QLabel("A third-party provider shows its public FMTI baseline; a claim of an own model "
                      "while only third-party models are recorded is flagged.", self)
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Provider:", self.provider)
        form.addRow("&Model:", self.model)
        form.addRow("&Version:", self.version)
        form.addRow("", self.own)
        form.addRow("&Source:", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        buttons = ok_cancel(self, "Add", required=self.model)
        self.provider.textChanged.connect(lambda: self._enable(buttons))
        self.model.textChanged.connect(lambda: self._enable(buttons))
        self._enable(buttons)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def _enable(self, buttons: object) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        assert isinstance(buttons, QDialogButtonBox)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.provider.text().strip() and self.model.text().strip()))

    def values(self) -> dict[str, object]:
        """What was typed."""
        return {"provider": self.provider.text(), "model": self.model.text(), "version": self.version.text(),
                "own": self.own.isChecked(), "note": self.note.text()}
