"""The selected vendor: a header and tabs Profile / Context / Claims / Evidence / Scorecards / Conditions / Models /
Commercials / Risks / History."""

from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from ...domain.models import Decision
from ...services.workspace import Change, NotFound
from ..session import Session
from ..widgets.signals_box import SignalsBox
from .profile_tab import ProfileTab

if TYPE_CHECKING:
    from .claims_tab import ClaimsTab
    from .commercials_tab import CommercialsTab
    from .conditions_tab import ConditionsTab
    from .context_tab import ContextTab
    from .evidence_tab import EvidenceTab
    from .history_tab import HistoryTab
    from .models_tab import ModelsTab
    from .risks_tab import RisksTab
    from .scorecards_tab import ScorecardsTab

#: The tabs in order: attribute, title, module (in this package) and class. Only Profile is built with the page;
#: each other tab is built the first time it is shown or used (a launch opens on one tab: building ten tabs and
#: importing their modules was a sixth of the launch).
TABS: list[tuple[str, str, str, str]] = [
    ("profile", "&Profile", "profile_tab", "ProfileTab"),
    ("context", "Conte&xt", "context_tab", "ContextTab"),
    ("claims", "&Claims", "claims_tab", "ClaimsTab"),
    ("evidence", "Evi&dence", "evidence_tab", "EvidenceTab"),
    ("scorecards", "&Scorecards", "scorecards_tab", "ScorecardsTab"),
    ("conditions", "Co&nditions", "conditions_tab", "ConditionsTab"),
    ("models", "&Models", "models_tab", "ModelsTab"),
    ("commercials", "Commercia&ls", "commercials_tab", "CommercialsTab"),
    ("risks", "Ris&ks", "risks_tab", "RisksTab"),
    ("history", "Histor&y", "history_tab", "HistoryTab"),
]
TAB_INDEX = {name: i for i, (name, *_rest) in enumerate(TABS)}

T = TypeVar("T")


class _Tab(Generic[T]):
    """A tab of the page as an attribute (``detail.claims``): built the first time it is asked for."""

    def __init__(self, name: str) -> None:
        self.index = TAB_INDEX[name]

    def __get__(self, page: VendorDetailView, owner: type | None = None) -> T:
        return cast(T, page.tab(self.index))


class _Tabs(QTabWidget):
    """A tab widget whose height for a width is the shown tab's: Qt takes the tallest of every tab built, so a
    Claims tab opened once gave the Evidence tab a scroll bar at 1280×800."""

    def heightForWidth(self, width: int) -> int:
        """The tab bar and the shown tab at ``width`` (its minimum when it has no height for width)."""
        page = self.currentWidget()
        if page is None:
            return super().heightForWidth(width)
        frame = self.tabBar().sizeHint().height() + 2 * self.style().pixelMetric(
            self.style().PixelMetric.PM_DefaultFrameWidth) + 4  # the bar, the pane's frame and its margin
        sides = self.width() - page.width() if page.width() > 0 else 8  # the pane's frame left and right
        inner = page.heightForWidth(width - sides) if page.hasHeightForWidth() else -1
        return max(inner, page.minimumSizeHint().height()) + frame


class VendorDetailView(QWidget):
    """Everything about one vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.vendor_id: str | None = None
        # The header, the signals and the tabs scroll together: a small window (800×600) keeps every form row,
        # wrapped line and table at its natural height instead of squashing them over each other.
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroller)
        self.header = QLabel(content)
        self.header.setAccessibleName("Vendor")
        self.header.setWordWrap(True)
        self.signals = SignalsBox(session, content)  # face-value vs evidence rank, gaps, contradicted claims
        self.tabs = _Tabs(content)
        self.tabs.setAccessibleName("Vendor details")
        self._built: dict[int, Any] = {0: ProfileTab(session, self)}
        for i, (_name, title, _module, _cls) in enumerate(TABS):
            self.tabs.addTab(self._built[0] if i == 0 else QWidget(self.tabs), title)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.signals)
        layout.addWidget(self.tabs, 1)
        self.scroller.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)
        self._stale: set[int] = set()  # tabs to reload when they are next shown
        self.tabs.currentChanged.connect(self._tab_shown)
        session.changed.connect(self._on_change)
        self.set_vendor(None)

    def tab(self, index: int) -> Any:
        """The tab at ``index``, built now if it has not been yet (it then loads when shown, as a stale tab)."""
        tab = self._built.get(index)
        if tab is None:
            _name, title, module, cls = TABS[index]
            tab = getattr(importlib.import_module(f"{__package__}.{module}"), cls)(self.session, self)
            tab.vendor_id = self.vendor_id
            self._built[index] = tab
            self._stale.add(index)
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)  # the same tab stays current: nothing for listeners to hear
            try:
                placeholder = self.tabs.widget(index)
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, tab, title)
                self.tabs.setCurrentIndex(current)
            finally:
                self.tabs.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            if index == current and self.isVisible():
                self._tab_shown(index)
        return tab

    def built_tabs(self) -> list[tuple[int, Any]]:
        """The tabs built so far, with their index."""
        return sorted(self._built.items())

    def refill_rubrics(self) -> None:
        """Re-list the library's rubrics in the Scorecards tab (after an import), if that tab is built."""
        scorecards = self._built.get(TAB_INDEX["scorecards"])
        if scorecards is not None:
            scorecards.fill_rubrics()

    profile: _Tab[ProfileTab] = _Tab("profile")
    context: _Tab[ContextTab] = _Tab("context")
    claims: _Tab[ClaimsTab] = _Tab("claims")
    evidence: _Tab[EvidenceTab] = _Tab("evidence")
    scorecards: _Tab[ScorecardsTab] = _Tab("scorecards")
    conditions: _Tab[ConditionsTab] = _Tab("conditions")
    models: _Tab[ModelsTab] = _Tab("models")
    commercials: _Tab[CommercialsTab] = _Tab("commercials")
    risks: _Tab[RisksTab] = _Tab("risks")
    history: _Tab[HistoryTab] = _Tab("history")

    def set_vendor(self, vendor_id: str | None) -> None:
        """Show one vendor (None: nothing selected)."""
        if vendor_id != self.vendor_id:
            self.session.flush()  # commit typing for the previous vendor first
        self.vendor_id = vendor_id
        self.tabs.setEnabled(vendor_id is not None)
        self._update_header()
        self.signals.set_vendor(vendor_id)
        # only the visible tab loads now; the others when they are opened (keeps vendor clicks fast)
        current = self.tabs.currentIndex()
        if self.isVisible():
            self.tab(current)  # build the shown tab if it is not yet
        for i, tab in self.built_tabs():
            tab.vendor_id = vendor_id
            if (i == current and self.isVisible()) or i == 0:
                tab.set_vendor(vendor_id)
            else:
                self._stale.add(i)
        if not self.isVisible():
            self._stale.add(current)

    def _tab_shown(self, index: int) -> None:
        if index < 0:
            return
        tab = self.tab(index)
        self._size_to(index)
        if index in self._stale:
            self._stale.discard(index)
            tab.set_vendor(self.vendor_id)

    def _size_to(self, index: int) -> None:
        """The tabs ask for the room of the shown tab only: a tall form on a tab not shown must not give the
        Evidence tab a scroll bar (a tab widget otherwise takes the largest minimum of all its tabs)."""
        shown, ignored = QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored
        for i in range(self.tabs.count()):
            page = self.tabs.widget(i)
            if page is None:
                continue
            policy = page.sizePolicy()
            want = shown if i == index else ignored
            if policy.horizontalPolicy() != want or policy.verticalPolicy() != want:
                page.setSizePolicy(want, want)
        self.tabs.updateGeometry()

    def showEvent(self, event: QShowEvent) -> None:
        """Load the visible tab if it went stale while the page was hidden."""
        super().showEvent(event)
        self._tab_shown(self.tabs.currentIndex())

    def _update_header(self) -> None:
        if self.vendor_id is None:
            self.header.setText("<h2>No vendor selected</h2>")
            return
        try:
            v = self.session.ws.vendors.get(self.vendor_id)
        except NotFound:
            self.header.setText("<h2>Vendor deleted</h2>")
            return
        product = f" — {html.escape(v.product)}" if v.product else ""
        archived = " <i>(archived)</i>" if v.archived else ""
        self.header.setText(f"<h2>{html.escape(v.name)}{product}{archived}</h2>"
                            f"<p>Decision: <b>{Decision(v.decision).label}</b></p>")

    def _on_change(self, change: Change) -> None:
        # "workspace": an import, or another writer (window, command line): anything may have changed
        if self.vendor_id is not None and (change.vendor_id == self.vendor_id or change.entity == "workspace"):
            if change.entity in ("vendor", "workspace"):
                try:
                    self.session.ws.vendors.get(self.vendor_id)
                except NotFound:
                    self.set_vendor(None)
                    return
            self._update_header()
            current = self.tabs.currentIndex() if self.isVisible() else -1
            for i, tab in self.built_tabs():
                if i == current or i == 0:
                    tab.on_change(change)  # the profile tab always: its fields hold pending typing
                else:
                    self._stale.add(i)
