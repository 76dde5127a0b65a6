"""The rubric browser: every shipped and user-added rubric with criteria, levels, sources and duty dates."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from ...domain.context import applies_when_text
from ...domain.rubric import Rubric, RubricError, see_also_text
from ...domain.text import plural
from ...errors import UserError
from ...services.library import LibraryEntry
from ..models.rubric_list_model import RubricListModel
from ..session import Session
from .table_tab import button_row, push_button, row_table, selected_row


def rubric_html(rubric: Rubric, find: Callable[[str], Rubric | None] = lambda _id: None) -> str:
    """A rubric as HTML: description, attribution, review date, each criterion with question, guidance, levels
    (with worked examples), crosswalk and see-also (titles looked up with ``find``), then duties and change log."""
    e = html.escape
    parts = [f"<h2>{e(rubric.title)} <small>version {e(rubric.version)}</small></h2>",
             f"<p><b>Area:</b> {e(rubric.area)} · <b>weight</b> {rubric.weight:g} · "
             f"{plural(len(rubric.criteria), 'criterion')} · "
             f"<small>id {e(rubric.id)}, hash {rubric.content_hash[:12]}</small></p>"]
    if rubric.description:
        parts.append(f"<p>{e(rubric.description)}</p>")
    if rubric.attribution or rubric.license:
        parts.append(f"<p><i>{e(rubric.attribution or '')} {e(rubric.license or '')}</i></p>")
    if rubric.law_reviewed_on:
        parts.append(f"<p><b>Law reviewed on {rubric.law_reviewed_on.isoformat()}</b></p>")
    for i, c in enumerate(rubric.criteria, 1):
        parts.append(f"<h3>{i}. {e(c.title)}</h3>")
        parts.append(f"<p><b>Question:</b> {e(c.question)}</p>")
        if c.guidance:
            parts.append(f"<p><b>Guidance:</b> {e(c.guidance)}</p>")
        meta = [f"weight {c.weight:g}", f"scale {c.scale.kind}"]
        if c.scale.unit:
            meta.append(f"unit {e(c.scale.unit)}")
        if c.knockout_below is not None:
            meta.append(f"knock-out below level {c.knockout_below}"
                        + (f" ({e(c.knockout_reason)})" if c.knockout_reason else ""))
        if c.duty_applies_from:
            meta.append(f"<b>legal duty applies from {c.duty_applies_from.isoformat()}</b>")
        parts.append(f"<p><small>{' · '.join(meta)}</small></p>")
        rows = "".join(
            f"<tr><td valign='top'><b>{lv.level}</b></td><td valign='top'><b>{e(lv.label)}</b></td>"
            f"<td>{e(lv.description)}"
            + (f" <small>(from {c.scale.thresholds[lv.level - 1]:g})</small>"
               if c.scale.thresholds and lv.level > 0 else "")
            + (f"<br><small><i>Example: {e(lv.example)}</i></small>" if lv.example else "")
            + "</td></tr>"
            for lv in c.scale.levels)
        parts.append(f"<table cellspacing='0' cellpadding='3'>{rows}</table>")
        if c.sources:
            parts.append("<p><small><b>Sources:</b> " + e("; ".join(c.sources)) + "</small></p>")
        if c.crosswalk:
            parts.append("<p><small><b>Crosswalk:</b> " + e(c.crosswalk_text()) + "</small></p>")
        if c.see_also:
            parts.append("<p><small><b>" + e(see_also_text(c, find)).replace(":", ":</b>", 1) + "</small></p>")
        if c.applies_when:
            parts.append("<p><small><b>Engagement context:</b> " + e(applies_when_text(c.applies_when))
                         + "; otherwise not applicable</small></p>")
    if rubric.duties:
        parts.append("<h3>Duties tracked</h3><ul>" + "".join(
            f"<li>{d.applies_from.isoformat()} — {e(d.duty)} <small>({e(d.source)})</small></li>"
            for d in rubric.duties) + "</ul>")
    if rubric.changelog:
        parts.append("<h3>Change log</h3>")
        for entry in rubric.changelog:
            parts.append(f"<p><b>{e(entry.version)}</b> — {entry.date.isoformat()}</p><ul>"
                         + "".join(f"<li>{e(ch)}</li>" for ch in entry.changes) + "</ul>")
            if entry.sources:
                parts.append("<p><small><b>Sources:</b> " + e("; ".join(entry.sources)) + "</small></p>")
    return "\n".join(parts)


class RubricBrowserView(QWidget):
    """Rubric versions on the left, the chosen one in full on the right; 'Add rubric file…'."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ws = session.ws
        self.model = RubricListModel(self)
        self.table = row_table(self, self.model, "Rubrics")
        self.add_button = push_button(self, "Add rubric file…", "Add rubric file",
                                      "Check a rubric TOML file and add it to your library (errors are listed)")
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Rubric files with problems")
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("Rubric details")
        self.text.setOpenExternalLinks(False)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(button_row([self.add_button], []))
        ll.addWidget(self.table, 1)
        ll.addWidget(self.problems)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.text)
        split.setSizes([420, 820])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(split)
        self.add_button.clicked.connect(lambda: self.add_file())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show())
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Reload the library entries; ``select`` is a content hash to show."""
        entries = self.ws.library.entries()
        self.model.set_rows(entries)
        row = next((i for i, e in enumerate(entries) if e.rubric.content_hash == select), 0)
        if entries:
            self.table.selectRow(row)
        if self.ws.library.problems:
            self.problems.setText("<b>Rubric files that could not be read:</b><br>" + "<br>".join(
                html.escape(str(p)) for p in self.ws.library.problems))
        else:
            self.problems.setText("")
        self._show()

    def current(self) -> LibraryEntry | None:
        """The selected rubric version."""
        return selected_row(self.table, self.model)

    def _show(self) -> None:
        entry = self.current()
        self.text.setHtml(rubric_html(entry.rubric, self.ws.library.latest) if entry else
                          "<p>No rubrics found. Add a rubric file with “Add rubric file…”.</p>")
        self.text.verticalScrollBar().setValue(0)  # another rubric starts at its title (a tester saw it cut off)

    def add_file(self, path: Path | None = None) -> Rubric | None:
        """Validate a rubric file and add it to the user library; shows every problem if it is invalid."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Add rubric file", "", "Rubric files (*.toml);;All files (*)")
            if not name:
                return None
            path = Path(name)
        try:
            rubric = self.ws.library.add_file(path)
        except RubricError as exc:
            problems = "\n".join(f"• {p}" for p in exc.problems)
            self.session.messages.error(self, "Rubric file not added",
                                        f"{exc.path} is not a valid rubric:\n\n{problems}\n\n"
                                        "The file was NOT added to your library.")
            return None
        except OSError as exc:
            self.session.report("Add rubric file", UserError(f"{path}: {exc.strerror or exc}", file=str(path)))
            return None
        self.refresh(select=rubric.content_hash)
        self.session.messages.info(self, "Rubric added",
                                   f"{rubric.title} {rubric.version} "
                                   f"({plural(len(rubric.criteria), 'criterion')}) was added.")
        return rubric
