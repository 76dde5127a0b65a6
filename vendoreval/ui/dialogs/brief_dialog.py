"""File → Export board brief…: ask for title, decision, date and file, then draw the PDF off the UI thread."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from ...reports.brief_data import DEFAULT_TITLE, default_decision
from ...services.brief import BriefRequest, BriefResult, BriefService, write_brief
from ...services.workspace import ServiceError, Workspace
from ..tasks import Runner, ThreadRunner


class BriefDialog(QDialog):
    """Asks what the brief needs: title, the decision asked of the board, its date and where to save it."""

    def __init__(self, n_vendors: int, default_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export board brief")
        self.title = QLineEdit(DEFAULT_TITLE, self)
        self.title.setAccessibleName("Brief title")
        self.decision = QPlainTextEdit(self)
        self.decision.setAccessibleName("Decision asked of the board")
        self.decision.setPlaceholderText(default_decision(n_vendors))
        self.decision.setFixedHeight(70)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setAccessibleName("Brief date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.path = QLineEdit(str(default_path), self)
        self.path.setAccessibleName("PDF file")
        browse = QPushButton("Choose…", self)
        browse.setAccessibleName("Choose PDF file")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Decision asked:", self.decision)
        form.addRow("D&ate:", self.date)
        form.addRow("&Save as:", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save board brief", self.path.text(), "PDF files (*.pdf)")
        if name:
            self.path.setText(name if name.lower().endswith(".pdf") else name + ".pdf")

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            QMessageBox.warning(self, "Export board brief", problem)
            return
        self.accept()

    def problem(self) -> str:
        """Why the entries cannot be used ('' when they can)."""
        text = self.path.text().strip()
        if not text:
            return "Choose where to save the PDF."
        path = Path(text)
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        return ""

    def output_path(self) -> Path:
        """Where to save, with a .pdf suffix."""
        path = Path(self.path.text().strip())
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def request(self, vendor_ids: tuple[str, ...] | None = None, profile: str | None = None) -> BriefRequest:
        """The export request the entries describe."""
        d = self.date.date()
        return BriefRequest(date=dt.date(d.year(), d.month(), d.day()), title=self.title.text().strip(),
                            decision=self.decision.toPlainText().strip(), vendor_ids=vendor_ids, profile=profile)


def start_export(ws: Workspace, request: BriefRequest, out: Path, parent: QWidget | None = None, *,
                 runner: Runner | None = None,
                 on_finished: Callable[[BriefResult | None, str], None] | None = None) -> None:
    """Gather the data now, then draw the PDF in the background; a progress dialog shows after ~0.5 s.

    The workspace is read on the UI thread; only the pure rendering runs in the worker.
    """

    def finished(result: BriefResult | None, message: str) -> None:
        if on_finished is not None:
            on_finished(result, message)
            return
        box = QMessageBox(QMessageBox.Icon.Information if result else QMessageBox.Icon.Warning,
                          "Export board brief", message, parent=parent)
        box.open()

    try:
        data = BriefService(ws).build(request)
    except ServiceError as exc:
        finished(None, f"The brief could not be built: {exc}")
        return
    run = runner or ThreadRunner(parent)

    def done(result: Any) -> None:
        finished(result, f"Saved the board brief ({result.pages} pages) to {result.path}.")

    def failed(exc: BaseException) -> None:
        finished(None, f"The brief could not be saved: {exc}")

    run.run(lambda: write_brief(data, request, out), done, failed, label="Drawing the board brief…",
            parent=parent)


def export_brief(ws: Workspace, parent: QWidget | None = None, *, runner: Runner | None = None,
                 on_finished: Callable[[BriefResult | None, str], None] | None = None) -> bool:
    """Ask for the brief's title, decision, date and file, then export it; False when cancelled."""
    vendors = ws.vendors.list(include_archived=False)
    default = Path.home() / f"board-brief-{dt.date.today().isoformat()}.pdf"
    dialog = BriefDialog(len(vendors), default, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    start_export(ws, dialog.request(), dialog.output_path(), parent, runner=runner, on_finished=on_finished)
    return True
