"""File → Import…: a claims or scores file (CSV or XLSX) previewed row by row with its problems per line;
nothing is written until the user confirms, and then all of it in one unit of work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...exchange.detect import ImportFormat
from ...files import display_name
from ...services.exchange import ExchangeService, ImportPreview, ImportResult
from ...services.workspace import Workspace
from ..colours import text_on
from ..failures import show_failure
from ..messages import Messages
from ..tasks import Runner, SyncRunner, Token, announce_outside_change, reading, writing

IMPORT_FILTER = "Claims or scores (*.csv *.xlsx);;CSV files (*.csv);;Excel workbooks (*.xlsx);;All files (*)"
#: Rows shown in the preview table (the problems are all listed whatever the size).
MAX_SHOWN = 2000
PROBLEM = QColor("#f6d5d5")


class ImportPreviewDialog(QDialog):
    """The file's rows (line, cells, problems), what an import would change, Import / Cancel."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        what = "claims" if preview.format.is_claims else "scores"
        self.setWindowTitle(f"Import {what} from {display_name(preview.source)}")
        self.summary = QLabel(f"<b>{preview.summary()}</b>", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the import would do")
        lines = sorted({line for line, _ in preview.rows} | {line for line, _c, _w in preview.problems})
        cells = dict(preview.rows)
        shown = lines[:MAX_SHOWN]
        self.table = QTableWidget(len(shown), len(preview.columns) + 2, self)
        self.table.setAccessibleName("Rows of the file")
        self.table.setHorizontalHeaderLabels(["Line", "Problems", *preview.columns])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        ink = text_on(PROBLEM)
        for r, line in enumerate(shown):
            problems = preview.problems_at(line)
            row = cells.get(line, {})
            values = [str(line), "; ".join(problems), *(row.get(c, "") for c in preview.columns)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(" ".join(value.split())[:200])
                item.setToolTip(value)
                if problems:
                    item.setBackground(PROBLEM)
                    item.setForeground(ink)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.resizeColumnsToContents()
        header.resizeSection(1, min(header.sectionSize(1), 360) if preview.problems else 70)
        for c in range(2, len(preview.columns) + 2):
            header.resizeSection(c, min(header.sectionSize(c), 240))
        header.setStretchLastSection(True)
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Problems")
        self.problems.setWordWrap(True)
        self.problems.addItems([f"Line {line}" + (f", {col}" if col else "") + f": {why}"
                                for line, col, why in preview.problems])
        self.problems.setMaximumHeight(110)
        self.problems.setVisible(bool(preview.problems))
        self.problems.currentRowChanged.connect(lambda i: self._show_line(preview.problems[i][0], shown))
        more = f"Showing the first {MAX_SHOWN} of {len(lines)} lines." if len(lines) > MAX_SHOWN else ""
        self.more = QLabel(more, self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(f"Import {what}")
        self.import_button.setEnabled(preview.ok)
        self.import_button.setToolTip("Everything in one step; nothing is written before" if preview.ok else
                                      "Fix the lines marked in red first; nothing will be imported")
        if not preview.ok:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        if more:
            layout.addWidget(self.more)
        layout.addWidget(self.buttons)
        self.resize(980, 520)

    def _show_line(self, line: int, shown: list[int]) -> None:
        """Select the table row of a line picked in the problems list."""
        if line in shown:
            row = shown.index(line)
            self.table.selectRow(row)
            self.table.scrollTo(self.table.model().index(row, 0))


def import_file(ws: Workspace, parent: QWidget | None = None, *, messages: Messages | None = None,
                path: Path | None = None, runner: Runner | None = None,
                confirm: Callable[[ImportPreviewDialog], bool] | None = None,
                on_finished: Callable[[ImportResult | None], None] | None = None) -> ImportResult | None:
    """File → Import…: pick a claims or scores file, preview it, import it on confirmation.

    Reading and checking the file, and the import, run off the UI thread. ``confirm`` shows the preview
    (default: the dialog, modal). Returns the result when the runner finished at once (synchronous runner),
    else None; ``on_finished`` gets it either way (None when nothing was imported).
    """
    messages = messages or Messages()
    run: Runner = runner or SyncRunner()
    if path is None:
        name, _ = QFileDialog.getOpenFileName(parent, "Import claims or scores", str(Path.home()), IMPORT_FILTER)
        if not name:
            return None
        path = Path(name)
    chosen = path
    outcome: list[ImportResult | None] = []
    ask = confirm or (lambda d: d.exec() == QDialog.DialogCode.Accepted)
    previewed_format: list[ImportFormat] = []  # what the preview recognised: the import reads it the same way

    def finish(result: ImportResult | None) -> None:
        outcome.append(result)
        if on_finished is not None:
            on_finished(result)

    def read(token: Token) -> ImportPreview:  # a token: the progress has a Cancel (a big file takes seconds)
        with reading(ws, run) as source:
            return ExchangeService(source).preview_import(chosen, check=token.check)

    def write() -> ImportResult:
        with writing(ws, run) as target:
            return ExchangeService(target).import_file(chosen, previewed_format[0])

    def imported(result: ImportResult) -> None:
        announce_outside_change(ws, run, result.source)
        messages.info(parent, "Imported", result.summary())
        finish(result)

    def failed(exc: BaseException) -> None:
        show_failure(messages, parent, "Nothing imported", exc)
        finish(None)

    def previewed(preview: ImportPreview) -> None:
        dialog = ImportPreviewDialog(preview, parent)
        if not ask(dialog) or not preview.ok:
            finish(None)
            return
        previewed_format[:] = [preview.format]
        run.run(write, imported, failed, label=f"Importing {chosen.name}…", parent=parent)

    run.run(read, previewed, failed, label=f"Reading {chosen.name}…", parent=parent,
            on_cancelled=lambda: finish(None))
    return outcome[0] if outcome else None
