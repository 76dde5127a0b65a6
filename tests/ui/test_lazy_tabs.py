"""The vendor page builds only its Profile tab at launch; every other tab is built when first shown or used,
and then shows the selected vendor's current data, as if it had been there all along."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from vendoreval.services.workspace import Workspace
from vendoreval.ui.views.claims_tab import ClaimsTab
from vendoreval.ui.views.vendor_detail_view import TABS


def seed(data_dir: Path) -> str:
    ws = Workspace(data_dir, evaluator="ann")
    vendor = ws.vendors.create("Acme AI").id
    ws.claims.add(vendor, "Trained on 2 billion marketing interactions.")
    ws.close()
    return vendor


def click_tab(qtbot: Any, detail: Any, index: int) -> None:
    bar = detail.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())


def test_only_the_profile_tab_is_built_at_launch(open_window: Any, data_dir: Path) -> None:
    seed(data_dir)
    detail = open_window(data_dir).page("vendors").detail
    assert [i for i, _tab in detail.built_tabs()] == [0]
    assert [detail.tabs.tabText(i) for i in range(detail.tabs.count())] == [title for _n, title, _m, _c in TABS]
    assert "Acme AI" in detail.header.text()


def test_a_clicked_tab_is_built_and_shows_the_vendor(open_window: Any, data_dir: Path, qtbot: Any) -> None:
    seed(data_dir)
    detail = open_window(data_dir).page("vendors").detail
    claims_index = [name for name, *_ in TABS].index("claims")
    click_tab(qtbot, detail, claims_index)
    assert detail.tabs.currentIndex() == claims_index
    shown = detail.tabs.currentWidget()
    assert isinstance(shown, ClaimsTab)  # the real tab took the placeholder's place
    assert shown.model.rowCount() == 1
    assert "2 billion" in shown.model.index(0, 0).data()
    assert detail.tabs.tabText(claims_index) == "&Claims"
    assert shown is detail.claims  # the attribute is the same widget: built once


def test_a_tab_built_later_shows_changes_made_before(open_window: Any, data_dir: Path, qtbot: Any) -> None:
    vendor = seed(data_dir)
    window = open_window(data_dir)
    detail = window.page("vendors").detail
    window.page("vendors").detail.session.ws.claims.add(vendor, "Fully GDPR compliant.")  # no tab to hear it
    assert 2 not in dict(detail.built_tabs())
    click_tab(qtbot, detail, 2)
    texts = {detail.claims.model.index(r, 0).data() for r in range(detail.claims.model.rowCount())}
    assert any("GDPR" in t for t in texts) and len(texts) == 2


def test_a_tab_used_before_it_is_shown_keeps_the_current_tab(open_window: Any, data_dir: Path) -> None:
    vendor = seed(data_dir)
    detail = open_window(data_dir).page("vendors").detail
    before = detail.tabs.currentWidget()
    assert isinstance(before, QWidget) and before is detail.profile
    assert detail.claims.vendor_id == vendor  # built for the selected vendor, not shown
    assert detail.tabs.currentWidget() is detail.profile


def test_reopening_on_a_tab_builds_only_that_tab(open_window: Any, data_dir: Path) -> None:
    seed(data_dir)
    first = open_window(data_dir)
    first.page("vendors").detail.tabs.setCurrentIndex(4)
    first.close()
    detail = open_window(data_dir).page("vendors").detail
    assert [i for i, _tab in detail.built_tabs()] == [0, 4]
    assert detail.tabs.currentIndex() == 4
    assert detail.tabs.currentWidget() is dict(detail.built_tabs())[4]
