"""The selected vendor: a header and tabs Profile / Context / Claims / Evidence / Scorecards / Conditions / Models /
Commercials / Risks / History."""

from __future__ import annotations

import html

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ...domain.models import Decision
from ...services.workspace import Change, NotFound
from ..session import Session
from ..widgets.signals_box import SignalsBox
from .claims_tab import ClaimsTab
from .commercials_tab import CommercialsTab
from .conditions_tab import ConditionsTab
from .context_tab import ContextTab
from .evidence_tab import EvidenceTab
from .history_tab import HistoryTab
from .models_tab import ModelsTab
from .profile_tab import ProfileTab
from .risks_tab import RisksTab
from .scorecards_tab import ScorecardsTab


class VendorDetailView(QWidget):
    """Everything about one vendor."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.vendor_id: str | None = None
        self.header = QLabel(self)
        self.header.setAccessibleName("Vendor")
        self.header.setWordWrap(True)
        self.signals = SignalsBox(session, self)  # face-value vs evidence rank, gaps, contradicted claims
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Vendor details")
        self.profile = ProfileTab(session, self)
        self.context = ContextTab(session, self)
        self.claims = ClaimsTab(session, self)
        self.evidence = EvidenceTab(session, self)
        self.scorecards = ScorecardsTab(session, self)
        self.conditions = ConditionsTab(session, self)
        self.models = ModelsTab(session, self)
        self.commercials = CommercialsTab(session, self)
        self.risks = RisksTab(session, self)
        self.history = HistoryTab(session, self)
        self.tabs.addTab(self.profile, "&Profile")
        self.tabs.addTab(self.context, "Conte&xt")
        self.tabs.addTab(self.claims, "&Claims")
        self.tabs.addTab(self.evidence, "E&vidence")
        self.tabs.addTab(self.scorecards, "&Scorecards")
        self.tabs.addTab(self.conditions, "Co&nditions")
        self.tabs.addTab(self.models, "&Models")
        self.tabs.addTab(self.commercials, "Comme&rcials")
        self.tabs.addTab(self.risks, "Ris&ks")
        self.tabs.addTab(self.history, "&History")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.signals)
        layout.addWidget(self.tabs, 1)
        self._stale: set[int] = set()  # tabs to reload when they are next shown
        self.tabs.currentChanged.connect(self._tab_shown)
        session.changed.connect(self._on_change)
        self.set_vendor(None)

    def tab_widgets(self) -> list[ProfileTab | ContextTab | ClaimsTab | EvidenceTab | ScorecardsTab | ConditionsTab
                                  | ModelsTab | CommercialsTab | RisksTab | HistoryTab]:
        """The tabs, in order."""
        return [self.profile, self.context, self.claims, self.evidence, self.scorecards, self.conditions, self.models,
                self.commercials, self.risks, self.history]

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
        for i, tab in enumerate(self.tab_widgets()):
            tab.vendor_id = vendor_id
            if (i == current and self.isVisible()) or i == 0:
                tab.set_vendor(vendor_id)
            else:
                self._stale.add(i)
        if not self.isVisible():
            self._stale.add(current)

    def _tab_shown(self, index: int) -> None:
        if index in self._stale:
            self._stale.discard(index)
            tab = self.tab_widgets()[index]
            tab.set_vendor(self.vendor_id)

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
            for i, tab in enumerate(self.tab_widgets()):
                if i == current or i == 0:
                    tab.on_change(change)  # the profile tab always: its fields hold pending typing
                else:
                    self._stale.add(i)
