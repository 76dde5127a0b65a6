"""The page registry: pages of the main window, including ones other modules provide when present."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

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
             "Vendors side by side", optional=True, takes_session=False),
    PageSpec("consensus", "Consensus", "vendoreval.ui.views.consensus_view:ConsensusView",
             "Where evaluators disagree, and the agreed scores", optional=True, takes_session=False),
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


def build_pages(session: Any, parent: QWidget) -> list[tuple[PageSpec, QWidget]]:
    """Instantiate every available page; an optional page whose module is missing is skipped."""
    out = []
    for spec in PAGES:
        cls = load_class(spec.target)
        if cls is None:
            if not spec.optional:
                raise ImportError(f"page {spec.key}: {spec.target} is missing")
            continue
        try:
            widget = cls(session, parent) if spec.takes_session else cls(session.ws, parent)
        except Exception:
            if not spec.optional:
                raise
            log.exception("page %s could not be built", spec.key)
            continue
        out.append((spec, widget))
    return out
