"""The page registry: pages of the main window, including ones other modules provide when present."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    """A page: id, title in the sidebar, and the widget class as 'module:Class'."""

    key: str
    title: str
    target: str
    tip: str = ""
    optional: bool = False  # built by another module that may not be installed yet
    takes_session: bool = True  # False: the class takes (workspace, parent)


PAGES = [
    PageSpec("vendors", "Vendors", "vendoreval.ui.views.vendors_view:VendorsView",
             "The vendors, their claims, evidence, scorecards and history"),
    PageSpec("scorecard", "Scorecard", "vendoreval.ui.views.scorecard_editor_view:ScorecardEditorView",
             "Score one vendor against one rubric, by mouse or keyboard"),
    PageSpec("compare", "Compare", "vendoreval.ui.views.compare_view:CompareView",
             "Vendors side by side", optional=True),
    PageSpec("consensus", "Consensus", "vendoreval.ui.views.consensus_view:ConsensusView",
             "Where evaluators disagree, and the agreed scores", optional=True),
    PageSpec("rubrics", "Rubrics", "vendoreval.ui.views.rubric_browser_view:RubricBrowserView",
             "Every rubric the app knows: criteria, levels, sources, duty dates"),
]


def load_class(target: str) -> Callable[..., Any] | None:
    """The class named by 'module:Class', or None when the module is not there (yet)."""
    module_name, _, name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, name, None)


def available_pages() -> list[PageSpec]:
    """The pages whose modules are present (optional ones are checked without importing them)."""
    out = []
    for spec in PAGES:
        module = spec.target.partition(":")[0]
        try:
            present = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            present = False
        if not present:
            if not spec.optional:
                raise ImportError(f"page {spec.key}: {spec.target} is missing")
            continue
        out.append(spec)
    return out


class LazyPage(QWidget):
    """Stands in for a page until it is first shown, so launching the app builds only the first page."""

    def __init__(self, spec: PageSpec, session: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec, self.session = spec, session
        self.page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def build(self) -> QWidget | None:
        """Create the real page (once); None if an optional page fails to build."""
        if self.page is None:
            try:
                cls = load_class(self.spec.target)
                if cls is None:
                    raise ImportError(f"{self.spec.target} is missing")
                self.page = cls(self.session, self) if self.spec.takes_session else cls(self.session.ws, self)
            except Exception:
                if not self.spec.optional:
                    raise
                log.exception("page %s could not be built", self.spec.key)
                label = QLabel(f"The {self.spec.title} page could not be opened; see the log file.", self)
                self._layout.addWidget(label)
                return None
            self._layout.addWidget(self.page)
            self.page.show()  # the layout would only show it on the next event-loop turn
        return self.page

    def showEvent(self, event: QShowEvent) -> None:
        """Build the page the first time it is shown."""
        self.build()
        super().showEvent(event)
