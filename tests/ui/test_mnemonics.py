"""On the vendor page every Alt+letter does one thing: the menu bar's letters, the vendor tabs' letters and the
Profile form's letters are all different, so Alt+D opens Evidence and Alt+H the Help menu (they once clashed
with the Vendor and Help menus, which won, and the Evidence and History tabs could not be reached by key)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QMenu, QPushButton

from vendoreval.services.workspace import Workspace


def mnemonic(text: str) -> str | None:
    m = re.search(r"&([^&])", text.replace("&&", ""))
    return m.group(1).lower() if m else None


def vendor_page(open_window: Any, data_dir: Path) -> tuple[Any, Any]:
    seed = Workspace(data_dir, evaluator="ann")
    seed.vendors.create("Acme AI")
    seed.close()
    window = open_window(data_dir)
    return window, window.page("vendors").detail


def test_menu_tab_and_profile_letters_are_distinct(open_window: Any, data_dir: Path) -> None:
    window, detail = vendor_page(open_window, data_dir)
    menus = [a.text() for a in window.menuBar().actions()]
    tabs = [detail.tabs.tabText(i) for i in range(detail.tabs.count())]
    form = detail.profile.findChild(QFormLayout)
    labels = [w.text() for w in detail.profile.findChildren(QLabel) if w.buddy() is not None]
    assert form is not None and len(labels) >= 6
    letters = [mnemonic(t) for t in menus + tabs + labels]
    assert None not in letters
    clashes = {x for x in letters if letters.count(x) > 1}
    assert not clashes, f"Alt+{sorted(clashes)} means two things on the vendor page: {menus + tabs + labels}"


@pytest.mark.parametrize("name", ["evidence", "history", "commercials", "conditions", "claims"])
def test_alt_letter_opens_the_tab(open_window: Any, data_dir: Path, qtbot: Any, name: str) -> None:
    window, detail = vendor_page(open_window, data_dir)
    from vendoreval.ui.views.vendor_detail_view import TAB_INDEX

    index = TAB_INDEX[name]
    letter = mnemonic(detail.tabs.tabText(index))
    assert letter is not None
    detail.profile.setFocus()
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: detail.tabs.currentIndex() == index, timeout=3000)
    assert not isinstance(QApplication.activePopupWidget(), QMenu)  # no menu opened instead


def test_no_tab_s_field_letter_is_a_menu_s_and_only_commercials_shares_some(open_window: Any, data_dir: Path) -> None:
    """A field's Alt letter that is also a menu's is unreachable (the menu wins under X11). On the Commercials
    tab three letters are shared with other tabs (every letter of Notice, Product category and Use case is
    taken): Alt+letter goes to one and, pressed again, to the other, as Qt does for any shared letter."""
    from vendoreval.ui.views.vendor_detail_view import TABS

    window, detail = vendor_page(open_window, data_dir)
    menus = {mnemonic(a.text()) for a in window.menuBar().actions()}
    tabs = {mnemonic(detail.tabs.tabText(i)) for i in range(detail.tabs.count())}
    shared: dict[str, set[str]] = {}
    for i, (name, *_rest) in enumerate(TABS):
        detail.tabs.setCurrentIndex(i)
        page = detail.tabs.widget(i)
        letters = [mnemonic(w.text()) for w in page.findChildren(QLabel) if w.buddy() is not None and w.isVisible()]
        letters += [mnemonic(b.text()) for b in page.findChildren(QPushButton) if b.isVisible()]
        mine = [x for x in letters if x]
        assert not set(mine) & menus, f"{name}: {sorted(set(mine) & menus)} are menu letters"
        assert len(mine) == len(set(mine)), f"{name}: a letter twice on one tab: {mine}"
        if set(mine) & tabs:
            shared[name] = set(mine) & tabs
    assert shared == {"commercials": {"n", "c", "s"}}


def test_every_page_s_letters_are_its_own(open_window: Any, data_dir: Path) -> None:
    """On each page (as it opens), no Alt letter of a field, button, box or tab is a menu's, and none is used
    twice: Compare's &Vendors and C&harts were the Vendor and Help menus' (unreachable under X11), its &Ranking
    and &Record decision shared R, and Consensus's &Vendor was the Vendor menu's."""
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QTabWidget

    from vendoreval.services.demo import load_sample

    seed = Workspace(data_dir, evaluator="ann")
    load_sample(seed)
    seed.close()
    window = open_window(data_dir)
    menus = {mnemonic(a.text()) for a in window.menuBar().actions()}
    for spec in window.page_specs:
        window.show_page(spec.key)
        page = window.stack.currentWidget()
        texts = [w.title() for w in page.findChildren(QGroupBox) if w.isVisible()]
        texts += [w.text() for w in page.findChildren(QAbstractButton) if w.isVisible()]
        texts += [w.text() for w in page.findChildren(QLabel) if w.isVisible() and w.buddy() is not None]
        texts += [t.tabText(i) for t in page.findChildren(QTabWidget) if t.isVisible() for i in range(t.count())]
        letters = [x for x in map(mnemonic, texts) if x]
        assert not set(letters) & menus, f"{spec.key}: {[t for t in texts if mnemonic(t) in menus]}"
        assert len(letters) == len(set(letters)), f"{spec.key}: {sorted(t for t in texts if mnemonic(t))}"
