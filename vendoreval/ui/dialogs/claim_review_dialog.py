"""The claim finder's review pane: each candidate beside its source text, accepted, edited or rejected by key.

Keyboard-first: A accepts, E edits the words inline (Enter accepts them, Esc leaves the edit), R rejects,
U undoes the decision, N / Down and P / Up move, S picks the status the accepted claim gets (asserted
unless changed), Ctrl+Enter records. Nothing is written here: ``decisions()`` says what the reviewer
decided and the caller records it all in one unit of work (``ClaimFinderService.review``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.claim_finder import Candidate
from ...domain.criteria_search import criterion_label
from ...domain.models import ClaimStatus
from ...domain.rubric import Rubric
from ...services.claim_finder import ClaimFinderService, Found, Reviewed
from ...services.claim_rules import load_finder_rules
from ..colours import text_on
from ..failures import show_failure
from ..session import Session
from ..tasks import Token, reading

#: The sentence under review in its source text.
HIGHLIGHT = QColor("#ffd966")
ACCEPTED = "accepted"
REJECTED = "rejected"
#: The padding of a candidate in the list, in pixels (vertical, horizontal).
_ITEM_PADDING_Y, _ITEM_PADDING_X = 4, 6
#: Passages of context shown on each side of the candidate's when its page or section is long.
CONTEXT_PASSAGES = 12
KEY_HINTS = ("<b>A</b> accept · <b>E</b> edit, then Enter · <b>R</b> reject · <b>U</b> undecide · "
             "<b>N</b>/<b>↓</b> next · <b>P</b>/<b>↑</b> previous · <b>S</b> status (↑↓) · "
             "<b>Ctrl+Enter</b> record")


@dataclass(frozen=True)
class Decisions:
    """What the reviewer decided, by 1-based candidate position (``ClaimFinderService.review``'s arguments)."""

    accepted: list[int]
    texts: dict[int, str]  # edited words, only for the candidates whose words changed
    statuses: dict[int, ClaimStatus]
    rejected: list[int]


def kind_title(kind: str) -> str:
    """'model_ownership' → 'Model ownership'."""
    return kind.replace("_", " ").capitalize().replace("Ai powered", "“AI-powered”").replace("roi", "ROI")


def _number(value: float) -> str:
    """1800000.0 → '1,800,000'; 0.94 → '0.94'."""
    return f"{value:,.0f}" if value == int(value) or abs(value) >= 1000 else f"{value:g}"


def where_words(c: Candidate) -> str:
    """'p. 3', 'slide 2', the heading, or ''."""
    return f"p. {c.page}" if c.page is not None else (c.location or "")


class ClaimReviewDialog(QDialog):
    """The candidates of one document, decided one by one with the keyboard."""

    def __init__(self, found: Found, rubrics: Iterable[Rubric] = (), parent: QWidget | None = None, *,
                 vendor: str = "", kind_titles: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self.found = found
        #: Asked (with the number of decisions) before Cancel or Esc drops them; None: never asked.
        self.confirm_discard: Callable[[int], bool] | None = None
        self.kind_titles = dict(kind_titles or {})
        self.criterion_titles = {f"{r.id}:{c.id}": criterion_label(r, c) for r in rubrics for c in r.criteria}
        n = len(found.candidates)
        self.state: list[str | None] = [None] * n
        self.texts: list[str] = [c.text for c in found.candidates]
        self.statuses: list[ClaimStatus] = [ClaimStatus.ASSERTED] * n
        self.setWindowTitle(f"Find claims in {found.path.name}" + (f" — {vendor}" if vendor else ""))

        self.counter = QLabel(self)
        self.counter.setAccessibleName("Review counts")
        why = "the document's own date" if found.document.date else "the file's date"
        self.dated = QLabel(f"Said on {found.said_on.isoformat()} ({why}; a claim's date can be changed on the "
                            "Claims tab)", self)
        self.dated.setAccessibleName("Date the claims get")
        self.left_out = QLabel(self._left_out_words(), self)
        self.left_out.setAccessibleName("Left out")
        self.left_out.setVisible(bool(self.left_out.text()))
        self.list = QListWidget(self)
        self.list.setAccessibleName("Candidate claims")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setStyleSheet(f"QListWidget::item {{ padding: {_ITEM_PADDING_Y}px {_ITEM_PADDING_X}px; }}")
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # items wrap instead
        # each item's height follows the list's width (``_fit_items``): Qt's own, laid out once, cut a narrower
        # list's items to 'We are fully GDPR …'
        self.list.viewport().installEventFilter(self)
        for i in range(n):
            self.list.addItem(QListWidgetItem())
            self._paint(i)
        self.source_title = QLabel(self)
        self.source_title.setAccessibleName("Where the candidate stands")
        self.source = QTextEdit(self)
        self.source.setReadOnly(True)
        self.source.setAccessibleName("Source text")
        self.source.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName("The claim's words")
        self.edit.setToolTip("Enter accepts these words; Esc leaves them as they were")
        self.edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.edit.hide()
        self.edit.installEventFilter(self)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Criteria and questions")
        self.details.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.details.setOpenLinks(False)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status of the accepted claim")
        self.status.setToolTip("The status the claim gets when it is accepted (S)")
        for s in ClaimStatus:
            self.status.addItem(s.label, s)
        self.status.activated.connect(self._status_chosen)
        self.status.installEventFilter(self)
        self.hints = QLabel(KEY_HINTS, self)
        self.hints.setAccessibleName("Keys")
        self.hints.setWordWrap(True)
        self.accept_button = QPushButton("&Accept", self)
        self.edit_button = QPushButton("&Edit", self)
        self.reject_button = QPushButton("&Reject", self)
        self.finish_button = QPushButton(self)
        self.cancel_button = QPushButton("Cancel", self)
        for b in (self.accept_button, self.edit_button, self.reject_button, self.finish_button, self.cancel_button):
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.accept_button.clicked.connect(lambda: self.decide(ACCEPTED))
        self.edit_button.clicked.connect(lambda: self.start_edit())
        self.reject_button.clicked.connect(lambda: self.decide(REJECTED))
        self.finish_button.clicked.connect(self.finish)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.finish)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.source_title)
        rl.addWidget(self.edit)
        status_row = QHBoxLayout()
        status_label = QLabel("&Status when accepted:", self)
        status_label.setBuddy(self.status)
        status_row.addWidget(status_label)
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        for b in (self.accept_button, self.edit_button, self.reject_button):
            status_row.addWidget(b)
        below = QWidget(self)
        bl = QVBoxLayout(below)
        bl.setContentsMargins(0, 4, 0, 0)
        bl.addLayout(status_row)
        bl.addWidget(self.details, 1)
        sources = QSplitter(Qt.Orientation.Vertical, self)
        sources.addWidget(self.source)
        sources.addWidget(below)
        sources.setChildrenCollapsible(False)
        sources.setSizes([330, 330])
        rl.addWidget(sources, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.list)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([440, 660])
        top = QHBoxLayout()
        top.addWidget(self.counter)
        top.addSpacing(16)
        top.addWidget(self.dated)
        top.addStretch(1)
        top.addWidget(self.left_out)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hints, 1)
        bottom.addWidget(self.finish_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.list.installEventFilter(self)
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.resize(1180, 720)
        self._count()
        if n:
            self.list.setCurrentRow(0)
        else:
            self.source_title.setText("No new candidate claim in this document.")
            for w in (self.accept_button, self.edit_button, self.reject_button, self.status):
                w.setEnabled(False)
        self.list.setFocus()

    # --- what the pane shows -------------------------------------------------------------------------

    def _left_out_words(self) -> str:
        parts = []
        if self.found.rejected_earlier:
            parts.append(f"{self.found.rejected_earlier} rejected earlier not shown")
        if self.found.recorded_already:
            parts.append(f"{self.found.recorded_already} already recorded not shown")
        return " · ".join(parts)

    def _count(self) -> None:
        n = len(self.state)
        accepted, rejected = self.state.count(ACCEPTED), self.state.count(REJECTED)
        self.counter.setText(f"<b>{n} candidate{'s' if n != 1 else ''}</b> · {accepted} accepted · "
                             f"{rejected} rejected")
        self.finish_button.setText(f"Record {accepted} claim{'s' if accepted != 1 else ''}" if accepted or not rejected
                                   else f"Remember {rejected} rejection{'s' if rejected != 1 else ''}")
        self.finish_button.setEnabled(bool(accepted or rejected))

    def _paint(self, i: int) -> None:
        """The list item of candidate ``i``: a mark for the decision, kind · where · figure, the words."""
        c = self.found.candidates[i]
        state = self.state[i]
        mark = {ACCEPTED: "✓", REJECTED: "✗"}.get(state or "", "•")
        meta = [self.kind_titles.get(c.kind) or kind_title(c.kind)]
        if where_words(c):
            meta.append(where_words(c))
        if c.figure is not None:
            meta.append(c.figure.text)
        if state == ACCEPTED and self.statuses[i] != ClaimStatus.ASSERTED:
            meta.append(self.statuses[i].label)
        if state == ACCEPTED and self.texts[i] != c.text:
            meta.append("edited")
        item = self.list.item(i)
        item.setText(f"{mark}  {i + 1}. {' · '.join(meta)}\n{self.texts[i]}")
        item.setToolTip(self.texts[i])
        font = QFont(self.list.font())
        font.setStrikeOut(state == REJECTED)
        item.setFont(font)
        self._fit_item(item)  # edited words may take more lines
        palette = self.list.palette()
        if state == REJECTED:
            item.setForeground(palette.color(palette.ColorGroup.Disabled, palette.ColorRole.Text))
        elif state == ACCEPTED:
            green = QColor("#d9efd9")
            item.setBackground(green)
            item.setForeground(text_on(green))
        if state != ACCEPTED:
            item.setBackground(QColor(0, 0, 0, 0))
        if state is None:
            item.setForeground(palette.color(palette.ColorRole.Text))

    def current_index(self) -> int:
        """The candidate under review (0-based; -1 when there is none)."""
        return self.list.currentRow()

    def _context(self, i: int) -> tuple[str, int, int]:
        """The text shown for candidate ``i`` (its page or section, around it) and where its sentence is."""
        doc = self.found.document
        c = self.found.candidates[i]
        span = self.found.span(i)
        if span is None:
            return c.text, 0, len(c.text)
        here = doc.passages[span.passage]

        def same(k: int) -> bool:
            p = doc.passages[k]
            return p.page == here.page if here.page is not None else p.location == here.location

        lo = span.passage
        while lo > 0 and span.passage - lo < CONTEXT_PASSAGES and same(lo - 1):
            lo -= 1
        hi = span.passage
        while hi + 1 < len(doc.passages) and hi - span.passage < CONTEXT_PASSAGES and same(hi + 1):
            hi += 1
        text, start = "", 0
        for k in range(lo, hi + 1):
            if text:
                text += "\n\n"
            if k == span.passage:
                start = len(text)
            text += doc.passages[k].text
        return text, start + span.start, start + span.end

    def _show_current(self) -> None:
        i = self.current_index()
        if i < 0:
            return
        self.cancel_edit()
        c = self.found.candidates[i]
        where = f"page {c.page}" + (f" of {self.found.document.pages}" if self.found.document.pages else "") \
            if c.page is not None else (c.location or "")
        self.source_title.setText(f"<b>{html.escape(self.found.path.name)}</b>"
                                  + (f", {html.escape(where)}" if where else ""))
        text, a, b = self._context(i)
        self.source.setPlainText(text)
        cursor = QTextCursor(self.source.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(HIGHLIGHT)
        fmt.setForeground(text_on(HIGHLIGHT))
        mark.format = fmt
        mark.cursor = cursor
        self.source.setExtraSelections([mark])
        # scroll the sentence into view: its end first, then its start, so the whole sentence shows
        end = QTextCursor(self.source.document())
        end.setPosition(min(b + 200, len(text)))
        self.source.setTextCursor(end)
        self.source.ensureCursorVisible()
        start = QTextCursor(self.source.document())
        start.setPosition(a)
        self.source.setTextCursor(start)
        self.source.ensureCursorVisible()
        self.status.setCurrentIndex(list(ClaimStatus).index(self.statuses[i]))
        self.details.setHtml(self._details_html(c))

    def highlighted_text(self) -> str:
        """The words highlighted in the source (for tests and screen readers)."""
        marks = self.source.extraSelections()
        return marks[0].cursor.selectedText() if marks else ""

    def _details_html(self, c: Candidate) -> str:
        kind = html.escape(self.kind_titles.get(c.kind) or kind_title(c.kind))
        parts = [f"<p><b>Kind:</b> {kind} <span style='color:gray'>({html.escape(c.kind_why)})</span>"]
        if c.figure is not None:
            unit = f" {c.figure.unit}" if c.figure.unit else ""
            parts.append(f" &nbsp; <b>Figure:</b> {html.escape(c.figure.text)} "
                         f"<span style='color:gray'>(= {_number(c.figure.value)}{html.escape(unit)})</span>")
        parts.append("</p>")
        if c.criteria:
            parts.append("<p style='margin-bottom:2px'><b>Bears on</b></p><ul style='margin-top:0'>")
            for m in c.criteria:
                title = self.criterion_titles.get(m.ref, m.ref)
                parts.append(f"<li>{html.escape(title)} — <span style='color:gray'>{html.escape(m.why)}</span></li>")
            parts.append("</ul>")
        else:
            parts.append("<p><b>Bears on</b> no criterion of the workspace's rubrics.</p>")
        if c.questions:
            parts.append("<p style='margin-bottom:2px'><b>Questions to ask</b></p><ol style='margin-top:0'>")
            parts.extend(f"<li>{html.escape(q)}</li>" for q in c.questions)
            parts.append("</ol>")
        return "".join(parts)

    # --- decisions ------------------------------------------------------------------------------------

    def decide(self, state: str | None, *, advance: bool = True) -> None:
        """Accept or reject the current candidate (None: undecided again), then go to the next one."""
        i = self.current_index()
        if i < 0:
            return
        self.state[i] = state
        self._paint(i)
        self._count()
        if advance and i + 1 < self.list.count():
            self.list.setCurrentRow(i + 1)

    def go(self, step: int) -> None:
        """Go to the next (1) or previous (-1) candidate."""
        i = self.current_index()
        j = max(0, min(self.list.count() - 1, i + step))
        if j != i:
            self.list.setCurrentRow(j)

    def start_edit(self) -> None:
        """Edit the current candidate's words inline; Enter accepts them, Esc leaves them."""
        i = self.current_index()
        if i < 0:
            return
        self.edit.setPlainText(self.texts[i])
        self.edit.show()
        self.edit.setFocus()
        self.edit.moveCursor(QTextCursor.MoveOperation.End)

    def commit_edit(self) -> None:
        """Take the edited words and accept the candidate with them."""
        i = self.current_index()
        words = " ".join(self.edit.toPlainText().split())
        if i < 0 or not words:
            return
        self.texts[i] = words
        self.edit.hide()
        self.list.setFocus()
        self.decide(ACCEPTED)

    def cancel_edit(self) -> None:
        """Leave the edit without taking its words."""
        if self.edit.isVisible():
            self.edit.hide()
            self.list.setFocus()

    def _status_chosen(self, index: int) -> None:
        i = self.current_index()
        if i < 0:
            return
        self.statuses[i] = ClaimStatus(self.status.itemData(index))
        self._paint(i)
        self.list.setFocus()

    def _pick_status(self) -> None:
        """S: the status picker takes the keys (Up/Down choose; Enter or Esc go back to the list)."""
        self.status.setFocus()

    def set_status(self, status: ClaimStatus) -> None:
        """The status the current candidate gets when accepted."""
        self.status.setCurrentIndex(list(ClaimStatus).index(status))
        self._status_chosen(self.status.currentIndex())

    def decisions(self) -> Decisions:
        """What was decided, by 1-based position."""
        accepted = [i + 1 for i, s in enumerate(self.state) if s == ACCEPTED]
        return Decisions(
            accepted=accepted,
            texts={p: self.texts[p - 1] for p in accepted if self.texts[p - 1] != self.found.candidates[p - 1].text},
            statuses={p: self.statuses[p - 1] for p in accepted if self.statuses[p - 1] != ClaimStatus.ASSERTED},
            rejected=[i + 1 for i, s in enumerate(self.state) if s == REJECTED],
        )

    def reject(self) -> None:
        """Cancel (Esc): with decisions made, only once ``confirm_discard`` agrees."""
        decided = self.state.count(ACCEPTED) + self.state.count(REJECTED)
        if decided and self.confirm_discard is not None and not self.confirm_discard(decided):
            return
        super().reject()

    def finish(self) -> None:
        """Close the pane to record what was decided (nothing decided: nothing to record)."""
        if self.state.count(ACCEPTED) or self.state.count(REJECTED):
            self.cancel_edit()
            self.accept()

    # --- keys -----------------------------------------------------------------------------------------

    def _fit_items(self) -> None:
        """Give every item the height its words take wrapped at the list's width (padding included)."""
        for i in range(self.list.count()):
            self._fit_item(self.list.item(i))

    def _fit_item(self, item: QListWidgetItem) -> None:
        width = self.list.viewport().width() - 2 * self.list.spacing() - 2 * _ITEM_PADDING_X - 8
        if width <= 0:
            return
        text = QFontMetrics(item.font()).boundingRect(QRect(0, 0, width, 1_000_000), Qt.TextFlag.TextWordWrap,
                                                      item.text())
        item.setSizeHint(QSize(width, text.height() + 2 * _ITEM_PADDING_Y + 4))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport():
            if event.type() == QEvent.Type.Resize:
                self._fit_items()
            return False
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key, mods = event.key(), event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if watched is self.edit:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain and \
                    not mods & Qt.KeyboardModifier.ShiftModifier:
                self.commit_edit()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel_edit()
                return True
            return False
        if watched is self.status and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.list.setFocus()
            return True
        if watched is self.list and plain:
            action = {Qt.Key.Key_A: lambda: self.decide(ACCEPTED), Qt.Key.Key_R: lambda: self.decide(REJECTED),
                      Qt.Key.Key_U: lambda: self.decide(None, advance=False), Qt.Key.Key_E: self.start_edit,
                      Qt.Key.Key_N: lambda: self.go(1), Qt.Key.Key_P: lambda: self.go(-1),
                      Qt.Key.Key_S: self._pick_status}.get(Qt.Key(key))
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)


# --------------------------------------------------------------------------------------------------
# The flow: read in the background, review, record in one undoable step

Review = Callable[[ClaimReviewDialog], bool]
DOCUMENT_FILTER = ("Vendor documents (*.pdf *.docx *.pptx *.html *.htm *.txt *.md *.eml);;PDF (*.pdf);;"
                   "Word (*.docx);;PowerPoint (*.pptx);;Web pages (*.html *.htm);;Text (*.txt *.md);;"
                   "E-mail (*.eml);;All files (*)")


def find_claims_in_document(session: Session, vendor_id: str, path: Path, *, review: Review | None = None,
                            on_finished: Callable[[Reviewed | None], None] | None = None) -> None:
    """Read ``path`` off the UI thread (progress, Cancel), show the review pane, record what was decided.

    A document that cannot be read (scanned without a text layer, encrypted, damaged, too large) is
    said in a dialog and nothing is written. ``review`` shows the pane and says whether to record
    (default: the dialog, modal). Recording is one unit of work and one undo step; a message says how
    many claims were recorded. ``on_finished`` gets what was recorded (None when nothing was).
    """
    ws, parent = session.ws, session.dialog_parent
    path = Path(path)
    ask = review or (lambda d: d.exec() == QDialog.DialogCode.Accepted)

    def finish(done: Reviewed | None) -> None:
        if on_finished is not None:
            on_finished(done)

    def work(token: Token) -> tuple[Found, list[Rubric], str, dict[str, str]]:
        def progress(done: int, total: int) -> None:
            token.check()
            token.progress(f"Reading {path.name}: {done} of {total}…", done / total if total else None)

        with reading(ws, session.runner) as source:
            found = ClaimFinderService(source).find(vendor_id, path, progress=progress)
            token.check()
            rubrics = source.library.latest_all()
            titles = {k.id: k.title for k in load_finder_rules(rubrics=rubrics).kinds}
            return found, rubrics, source.vendors.get(vendor_id).name, titles

    def failed(exc: BaseException) -> None:
        show_failure(session.messages, parent, f"Find claims in {path.name}", exc)
        finish(None)

    def read(result: tuple[Found, list[Rubric], str, dict[str, str]]) -> None:
        found, rubrics, vendor, titles = result
        if not found.candidates:
            notes = "".join(f"\n\n{n}" for n in found.document.notes)
            left = " ".join(w for w in (
                f"{found.rejected_earlier} rejected earlier and" if found.rejected_earlier else "",
                f"{found.recorded_already} already recorded" if found.recorded_already else "") if w)
            session.messages.info(parent, f"Find claims in {path.name}",
                                  f"{found.sentences} sentences read; no new candidate claim"
                                  + (f" ({left.removesuffix(' and')} not shown)" if left else "") + "." + notes)
            finish(None)
            return
        dialog = ClaimReviewDialog(found, rubrics, parent, vendor=vendor, kind_titles=titles)
        dialog.confirm_discard = lambda n: session.messages.confirm(
            dialog, "Leave the review", f"Drop the {n} decision{'s' if n != 1 else ''} made? Nothing is recorded.",
            cautious=True)
        try:
            go = ask(dialog)
            decided = dialog.decisions()
        finally:
            dialog.deleteLater()
        if not go or not (decided.accepted or decided.rejected):
            finish(None)
            return
        done = record_review(session, vendor_id, found, decided)
        if done is not None:
            n, r = len(done.claims), len(done.rejected)
            session.messages.info(parent, "Claims recorded",
                                  f"Recorded {n} claim{'s' if n != 1 else ''} for {vendor} from {path.name}"
                                  + (f"; {r} rejected candidate{'s' if r != 1 else ''} will not be proposed again"
                                     if r else "") + ". Undo with Ctrl+Z.")
        finish(done)

    def cancelled() -> None:
        session.failed.emit(f"Reading {path.name} cancelled; nothing was recorded.")
        finish(None)

    session.runner.run(work, read, failed, label=f"Reading {path.name}…", parent=parent, on_cancelled=cancelled)


def record_review(session: Session, vendor_id: str, found: Found, decided: Decisions) -> Reviewed | None:
    """Record the review's decisions in one unit of work, as one undo step (None when it failed: a dialog said so)."""
    svc = ClaimFinderService(session.ws)
    holder: list[Reviewed] = []

    def do() -> Reviewed:
        done = svc.review(vendor_id, found, decided.accepted, texts=decided.texts, statuses=decided.statuses,
                          rejected=decided.rejected)
        holder[:] = [done]
        return done

    n = len(decided.accepted)
    what = f"Record {n} claim{'s' if n != 1 else ''} from {found.path.name}" if n else \
        f"Reject {len(decided.rejected)} candidate claim(s) from {found.path.name}"
    return session.edit(what, do, lambda: svc.undo_review(vendor_id, holder[0]),
                        lambda: svc.redo_review(vendor_id, holder[0], found.sha256))
