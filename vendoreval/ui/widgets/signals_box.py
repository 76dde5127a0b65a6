"""The AI-washing signals (domain.signals) on screen: a box on the vendor page, a panel under Compare's ranking."""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget
from shiboken6 import isValid

from ...domain.text import plural
from ...services.workspace import Change, NotFound
from ..tasks import reading

if TYPE_CHECKING:  # the rules behind the signals are imported when first counted, after the launch's first paint
    from ...domain.signals import Gap, Signals, VendorSignals
    from ..session import Session

log = logging.getLogger(__name__)

TITLE = "AI-washing signals"
#: Changes arrive in bursts (an import, a paste of scores): the box recounts once they pause this long.
REFRESH_DELAY_MS = 250


def gap_words(gaps: tuple[Gap, ...]) -> str:
    """'GDPR 73 → 20 (53) · Viability 47 → 10 (37)': claimed → on evidence (gap), as printed."""
    return " · ".join(f"{g.title} {g.claimed} → {g.evidence} ({g.points})"
                      + (" ⚠ contradicted" if g.contradicted else "") for g in gaps)


def vendor_lines(s: VendorSignals) -> list[str]:
    """The vendor box's lines in plain words (the box shows them with a little emphasis)."""
    lines = [s.rank_sentence or s.same_rank_sentence]
    if s.area_gaps:
        lines.append("Largest gaps by area (claimed → on evidence): " + gap_words(s.area_gaps))
    if s.criterion_gaps:
        lines.append("By criterion: " + gap_words(s.criterion_gaps))
    lines += [f"⚠ {c.sentence}" for c in s.claims]
    return [line for line in lines if line]


def comparison_lines(signals: Signals) -> tuple[list[str], list[str]]:
    """Compare's panel: the vendors whose face-value and evidence ranks differ, and the claim signals."""
    return ([v.rank_sentence for v in signals.moved],
            [f"⚠ {v.name}: {c.sentence}" for v, c in signals.claim_signals])


def _html(lines: list[str], first_bold: bool = False) -> str:
    out = []
    for i, line in enumerate(lines):
        text = html.escape(line)
        if line.startswith("⚠"):
            text = f"<span style='color:#a11d1d'>{text}</span>"
        elif i == 0 and first_bold:
            text = f"<b>{text}</b>"
        out.append(text)
    return "<br>".join(out)


class SignalsBox(QFrame):
    """One vendor's signals among every vendor not archived, under the balanced weights; hidden when unscored.

    It recounts when the workspace changes (any vendor's scores move the ranks), after a pause, and only
    while shown.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.vendor_id: str | None = None
        self.signals: VendorSignals | None = None
        self.lines: list[str] = []
        #: Every vendor's signals as last counted (the same for whichever vendor is shown), until a change.
        self._all: Signals | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(TITLE)
        self.title = QLabel(f"<b>{TITLE}</b>", self)
        self.body = QLabel("", self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAccessibleName(TITLE)
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        small = self.note.font()
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        self.note.setFont(small)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        layout.addWidget(self.note)
        self._stale = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh_now)
        session.changed.connect(self._on_change)
        self.setVisible(False)

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show one vendor's signals (None: none)."""
        self.vendor_id = vendor_id
        self.refresh_now()

    def _on_change(self, _change: Change) -> None:
        self._all = None
        if self.vendor_id is None:
            return
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        """Recount if the workspace changed while hidden."""
        super().showEvent(event)
        if self._stale:
            self.refresh_now()

    def refresh_now(self) -> None:
        """Recount the signals now (through the session's runner, reading as background work does)."""
        self._timer.stop()
        self._stale = False
        vid = self.vendor_id
        if self.session.closed:  # the window is closing: its workspace is gone
            return
        if vid is None:
            self.show_signals(None, 0)
            return
        if self._all is not None and self._all.of(vid) is not None:  # nothing changed since: no recount
            self.show_signals(self._all.of(vid), len(self._all.vendors))
            return
        if not self.session.painted:  # at launch: counted once the window has painted (seconds on 200 vendors)
            self.session.after_paint(self.refresh_now)
            return
        from ...services.signals import workspace_signals  # here, on the UI thread, not by the worker

        ws, runner = self.session.ws, self.session.runner

        def work() -> Signals | None:
            with reading(ws, runner) as source:
                try:
                    return workspace_signals(source, vid)
                except NotFound:
                    return None

        def done(result: Signals | None) -> None:
            if not isValid(self) or self.vendor_id != vid:
                return
            self._all = result
            self.show_signals(result.of(vid) if result else None, len(result.vendors) if result else 0)

        def failed(exc: BaseException) -> None:
            # a side box: a damaged or vanished database is reported by the pages that own the data
            log.warning("counting the AI-washing signals failed: %s", exc)
            if isValid(self):
                self.show_signals(None, 0)

        runner.run(work, done, failed, key=f"signals-{id(self)}", dialog=False,
                   label="Counting the AI-washing signals")

    def show_signals(self, signals: VendorSignals | None, compared: int) -> None:
        """Fill the box (hidden when the vendor has no score: there is no rank to compare)."""
        self.signals = signals
        self.lines = vendor_lines(signals) if signals is not None and signals.face_rank is not None else []
        self.setVisible(bool(self.lines))
        self.body.setText(_html(self.lines, first_bold=bool(signals and signals.rank_differs)))
        self.note.setText(f"Among {plural(compared, 'vendor')} under the balanced weights. Face value: ranked by the "
                          "claimed score, as if every claim were true; on evidence: by the evidence-weighted score. "
                          "Gaps in points out of 100." if self.lines else "")


class _WrappedLabel(QLabel):
    """A word-wrapped rich-text label that remembers its height for each width until its text or font changes.

    QLabel lays its whole text out again for every heightForWidth() call, and the layouts above Compare's
    panel ask it a dozen times per new comparison at four or five widths: with 200 vendors (some 200
    lines) that was 60-80 ms of the UI thread per weight change. The answer is QLabel's own, kept.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._heights: dict[int, int] = {}
        self._measured: tuple[str, QFont] | None = None

    def heightForWidth(self, width: int) -> int:
        """QLabel's height at ``width``, measured once per text, font and width."""
        key = (self.text(), self.font())
        if self._measured != key:
            self._measured, self._heights = key, {}
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height


#: Compare's panel shows at most this many rank moves and this many claim signals; "Show all" lists the rest.
#: On 200 vendors there are some 200 lines: all of them on the page pushed the ranking off the screen (the
#: window grew to 3,000 px) and laying them out took 60-80 ms of the UI thread per weight change.
PANEL_LINES = 3


def _more(moved: int, claims: int) -> str:
    parts = []
    if moved:
        parts.append(f"{plural(moved, 'more vendor')} {'ranks' if moved == 1 else 'rank'} otherwise on evidence")
    if claims:
        parts.append(plural(claims, 'more claim warning'))
    return "… and " + "; ".join(parts) + "."


class SignalsPanel(QFrame):
    """Compare's line under the ranking: who would rank otherwise at face value, and contradicted claims.

    ``lines`` holds every signal; the panel shows the first few of each kind (the ranking's top first) and
    "Show all" opens the whole list.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[str] = []
        self.shown: list[str] = []
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(TITLE)
        self.label = _WrappedLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByMouse
                                           | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.label.setAccessibleName(TITLE)
        self.label.linkActivated.connect(lambda _link: self.show_all())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label)
        self.dialog: QDialog | None = None
        self.browser: QTextBrowser | None = None
        self.setVisible(False)

    def show_signals(self, signals: Signals | None) -> None:
        """Fill the panel (hidden when there is nothing to say)."""
        moved, claims = comparison_lines(signals) if signals is not None else ([], [])
        self.lines = moved + claims
        self.setVisible(bool(self.lines))
        # a "… and 1 more" line would take the line the one more needs: it is shown instead
        keep_moved = len(moved) if len(moved) <= PANEL_LINES + 1 else PANEL_LINES
        keep_claims = len(claims) if len(claims) <= PANEL_LINES + 1 else PANEL_LINES
        self.shown = moved[:keep_moved] + claims[:keep_claims]
        more_moved, more_claims = len(moved) - keep_moved, len(claims) - keep_claims
        body = _html(self.shown)
        if more_moved or more_claims:
            body += (f"<br>{html.escape(_more(more_moved, more_claims))} "
                     f"<a href='all'>Show all {len(self.lines)}…</a>")
        single = len(self.shown) == 1 and not (more_moved or more_claims)
        self.label.setText(f"<b>{TITLE}:</b> {body}" if single else f"<b>{TITLE}</b><br>{body}")
        if signals is not None:
            tips = [f"{v.name}: " + "; ".join(g.text() for g in v.area_gaps) for v in signals.vendors if v.area_gaps]
            shown_tips = tips[:20] + ([f"… and {len(tips) - 20} more"] if len(tips) > 20 else [])
            self.setToolTip("Largest gaps by area (claimed, on evidence):\n" + "\n".join(shown_tips)
                            if tips else "")
        if self.dialog is not None and self.dialog.isVisible():
            self._fill_dialog()

    def show_all(self) -> None:
        """Every signal in a window of its own, scrolling, to read or copy."""
        if self.dialog is None:
            self.dialog = QDialog(self)
            self.dialog.setWindowTitle(TITLE)
            self.dialog.resize(760, 520)
            self.browser = QTextBrowser(self.dialog)
            self.browser.setAccessibleName(TITLE)
            self.browser.setOpenLinks(False)
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self.dialog)
            buttons.rejected.connect(self.dialog.reject)
            layout = QVBoxLayout(self.dialog)
            layout.addWidget(self.browser)
            layout.addWidget(buttons)
        self._fill_dialog()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _fill_dialog(self) -> None:
        if self.browser is None:
            return
        self.browser.setHtml(f"<p><b>{plural(len(self.lines), 'signal')}</b> under the current weights.</p>"
                             + "".join(f"<p>{_html([line])}</p>" for line in self.lines))
