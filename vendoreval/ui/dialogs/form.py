"""Builders shared by the small form dialogs: named text fields with a hint, and the OK / Cancel buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QPlainTextEdit, QWidget

from ..widgets.pasted_text_edit import PastedTextEdit


def line_field(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    """A one-line field with the name screen readers announce and a grey hint while empty."""
    field = QLineEdit(parent)
    field.setAccessibleName(name)
    field.setPlaceholderText(placeholder)
    return field


def text_field(parent: QWidget, name: str, placeholder: str, *, join_pasted: bool = False) -> QPlainTextEdit:
    """A multi-line field with the name screen readers announce and a grey hint while empty.

    With ``join_pasted`` (a vendor's words), text pasted from a PDF has its hard line breaks joined.
    """
    field = PastedTextEdit(parent) if join_pasted else QPlainTextEdit(parent)
    field.setAccessibleName(name)
    field.setPlaceholderText(placeholder)
    field.setTabChangesFocus(True)  # Tab moves to the next field, as in every other field of the form
    return field


def ok_cancel(dialog: QDialog, ok_text: str, *, on_ok: Callable[[], None] | None = None,
              required: QLineEdit | QPlainTextEdit | None = None) -> QDialogButtonBox:
    """OK (labelled ``ok_text``, runs ``on_ok``, by default accept) and Cancel (rejects) for ``dialog``.

    With ``required``, OK is enabled only while that field holds more than spaces.
    """
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    if required is not None:
        field = required

        def enable() -> None:
            text = field.text() if isinstance(field, QLineEdit) else field.toPlainText()
            ok.setEnabled(bool(text.strip()))

        field.textChanged.connect(enable)
        enable()
    return buttons
