"""The vendor page in a small window (800×600) and a usual one: nothing squashed, overlapped or clipped.

A tester on a real X server saw, at 800×600, Commercials' form rows overlap a few pixels high, Claims' editor
rows overlap, the Conditions and Risks tables shrink to their header, the signals' red line cut in half and
buttons read "ms in a doc"; at 1000×700 the sidebar read "Scorecar"; at 1280×800 the Evidence table's title
column was 25 px wide and the dates set with "Dates…" were nowhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QWidget,
)

from vendoreval.services.workspace import Workspace

TABS = ("claims", "commercials", "conditions", "risks", "evidence")
CHECKED = (QLabel, QLineEdit, QPushButton, QComboBox)


@pytest.fixture
def vendor_page(open_window: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The sample workspace's Brightwave Insights (it has AI-washing signals) on the vendor page."""
    from vendoreval.paths import rubrics_dir
    from vendoreval.services.ageing import AgeingService
    from vendoreval.services.demo import load_sample

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", rubrics_dir)
    seed = Workspace(data_dir, evaluator="ann")
    load_sample(seed)
    vendor = seed.vendors.find("Brightwave Insights")
    first = seed.evidence.list(vendor.id)[0]
    AgeingService(seed).set_evidence_dates(first.id, dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    seed.close()
    window = open_window(data_dir)
    vendors = window.page("vendors")
    window.show_page("vendors")
    vendors.list.select(vendor.id)
    vendors.detail.set_vendor(vendor.id)
    vendors.detail.signals.refresh_now()
    return window, vendors.detail


def _shown(root: QWidget) -> list[QWidget]:
    """The labels, fields and buttons ``root`` shows, not those inside a table or a combo box."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CHECKED) or not w.isVisibleTo(root) or w.width() <= 0:
            continue
        parent = w.parentWidget()
        inner = False
        while parent is not None and parent is not root:
            if isinstance(parent, QAbstractItemView | QComboBox):
                inner = True
                break
            parent = parent.parentWidget()
        if not inner:
            out.append(w)
    return out


def _rect(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, w.rect().topLeft()), w.size())


def _problems(root: QWidget) -> list[str]:
    """What is squashed, clipped or overlapping in ``root``."""
    problems = []
    widgets = _shown(root)
    for w in widgets:
        name = f"{type(w).__name__} {w.accessibleName() or getattr(w, 'text', lambda: '')()!r}"[:80]
        need = w.minimumSizeHint().height()
        if isinstance(w, QLabel) and w.wordWrap() and w.text():
            need = max(need, w.heightForWidth(w.width()))
        if w.height() < need:
            problems.append(f"{name}: {w.height()} px high, needs {need}")
        if isinstance(w, QPushButton) and w.width() < w.sizeHint().width():
            problems.append(f"{name}: {w.width()} px wide, its text needs {w.sizeHint().width()}")
    for i, a in enumerate(widgets):
        for b in widgets[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if _rect(a, root).intersects(_rect(b, root)):
                problems.append(f"{type(a).__name__} {a.accessibleName()!r} overlaps "
                                f"{type(b).__name__} {b.accessibleName()!r}")
    for table in root.findChildren(QTableView):
        if table.isVisibleTo(root):
            header = table.horizontalHeader().height()
            rows = table.verticalHeader().defaultSectionSize()
            if table.viewport().height() < 2 * rows or table.height() < header + 3 * rows:
                problems.append(f"table {table.accessibleName()!r}: {table.height()} px high")
    return problems


def _settle(qtbot: Any) -> None:
    qtbot.wait(30)  # laid out


def test_vendor_tabs_at_800x600_keep_natural_heights(vendor_page: Any, qtbot: Any) -> None:
    """Every tab's rows, labels, buttons and tables keep their size; the page scrolls instead, never sideways."""
    window, detail = vendor_page
    window.resize(800, 600)
    assert (window.width(), window.height()) == (800, 600)
    found = {}
    for name in TABS:
        detail.tabs.setCurrentWidget(getattr(detail, name))
        _settle(qtbot)
        found[name] = _problems(getattr(detail, name))
        for area in detail.findChildren(QScrollArea):  # the page scrolls down, never sideways
            if area.isVisible() and area.horizontalScrollBar().maximum() > 0:
                found[name].append("the page scrolls sideways")
    found["signals"] = _problems(detail.signals)
    assert found == {name: [] for name in (*TABS, "signals")}


def test_window_minimum_size(vendor_page: Any) -> None:
    """The window keeps a sensible minimum; the pages scroll below their natural size."""
    window, _detail = vendor_page
    assert (window.minimumWidth(), window.minimumHeight()) == (800, 560)


def test_sidebar_shows_whole_titles_at_1000x700(vendor_page: Any, qtbot: Any) -> None:
    """The page list is as wide as its longest title ("Consensus"), with no scroll bar."""
    window, _detail = vendor_page
    window.resize(1000, 700)
    _settle(qtbot)
    bar = window.sidebar
    assert not bar.horizontalScrollBar().isVisible()
    for i in range(bar.count()):
        item = bar.item(i)
        assert bar.visualItemRect(item).width() >= bar.fontMetrics().horizontalAdvance(item.text()) + 20, item.text()


def test_evidence_table_at_1280x800(vendor_page: Any, qtbot: Any) -> None:
    """The title is readable, every column fits without a scroll bar, and the dates show as 'Valid'."""
    from vendoreval.ui.models.evidence_model import EvidenceModel as M

    window, detail = vendor_page
    window.resize(1280, 800)
    tab = detail.evidence
    detail.tabs.setCurrentWidget(tab)
    _settle(qtbot)
    table, model = tab.table, tab.model
    assert table.columnWidth(M.TITLE) >= 120
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(M.ADDED) + header.sectionSize(M.ADDED) <= table.viewport().width()
    assert model.headerData(M.VALID, header.orientation()) == "Valid"
    shown = [model.index(r, M.VALID).data() for r in range(model.rowCount())]
    assert "2026-06-01 → 2027-06-01" in shown
    assert detail.scroller.verticalScrollBar().maximum() == 0  # a usual window does not scroll the page
