"""The pages of the main window, in sidebar order, each built the first time it is shown.

A page's module is imported when the page is built, so launching the app imports and builds only the
first page; the imports are ordinary ones, so the pages are type-checked as their real classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from .session import Session
    from .views.compare_view import CompareView
    from .views.consensus_view import ConsensusView
    from .views.rubric_browser_view import RubricBrowserView
    from .views.scorecard_editor_view import ScorecardEditorView
    from .views.vendors_view import VendorsView

P = TypeVar("P", bound=QWidget)


@dataclass(frozen=True)
class PageSpec(Generic[P]):
    """A page: id, title in the sidebar, tooltip, and how to build its widget."""

    key: str
    title: str
    tip: str
    make: Callable[[Session, QWidget], P]


def _vendors(session: Session, parent: QWidget) -> VendorsView:
    from .views.vendors_view import VendorsView

    return VendorsView(session, parent)


def _scorecard(session: Session, parent: QWidget) -> ScorecardEditorView:
    from .views.scorecard_editor_view import ScorecardEditorView

    return ScorecardEditorView(session, parent)


def _compare(session: Session, parent: QWidget) -> CompareView:
    from .views.compare_view import CompareView

    return CompareView(session, parent)


def _consensus(session: Session, parent: QWidget) -> ConsensusView:
    from .views.consensus_view import ConsensusView

    return ConsensusView(session, parent)


def _rubrics(session: Session, parent: QWidget) -> RubricBrowserView:
    from .views.rubric_browser_view import RubricBrowserView

    return RubricBrowserView(session, parent)


VENDORS = PageSpec("vendors", "Vendors", "The vendors, their claims, evidence, scorecards and history", _vendors)
SCORECARD = PageSpec("scorecard", "Scorecard", "Score one vendor against one rubric, by mouse or keyboard",
                     _scorecard)
COMPARE = PageSpec("compare", "Compare", "Vendors side by side", _compare)
CONSENSUS = PageSpec("consensus", "Consensus", "Where evaluators disagree, and the agreed scores", _consensus)
RUBRICS = PageSpec("rubrics", "Rubrics", "Every rubric the app knows: criteria, levels, sources, duty dates",
                   _rubrics)

#: The sidebar, in order (Ctrl+1 ... Ctrl+5).
PAGES: tuple[PageSpec[Any], ...] = (VENDORS, SCORECARD, COMPARE, CONSENSUS, RUBRICS)


class LazyPage(QWidget, Generic[P]):
    """Stands in for a page until it is first shown, so launching the app builds only the first page."""

    def __init__(self, spec: PageSpec[P], session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec, self.session = spec, session
        self.page: P | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> P:
        """The real page, created the first time."""
        if self.page is None:
            self.page = self.spec.make(self.session, self)
            self._layout.addWidget(self.page)
            self.page.show()  # the layout would only show it on the next event-loop turn
        return self.page

    def showEvent(self, event: QShowEvent) -> None:
        """Build the page the first time it is shown."""
        self.build()
        super().showEvent(event)
