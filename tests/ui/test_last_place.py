"""The app reopens where the user was: the same page, vendor and vendor tab, per workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vendoreval.services.workspace import Workspace
from vendoreval.ui.messages import RecordingMessages


def current_page(window: Any) -> str:
    return str(window.page_specs[window.sidebar.currentRow()].key)


def three_vendors(data_dir: Path) -> list[str]:
    seed = Workspace(data_dir, evaluator="ann")
    ids = [seed.vendors.create(name).id for name in ("Acme AI", "Beta Labs", "Gamma Gen")]
    seed.close()
    return ids


def leave_on_gamma(window: Any, gamma: str) -> None:
    vendors = window.page("vendors")
    assert vendors.list.current_id() != gamma  # the list opens on its first vendor
    assert vendors.list.select(gamma)
    vendors.detail.tabs.setCurrentWidget(vendors.detail.claims)
    window.show_page("rubrics")
    window.close()


def test_reopens_on_the_last_vendor_page_and_tab(open_window: Any, data_dir: Path) -> None:
    acme, _beta, gamma = three_vendors(data_dir)
    first = open_window(data_dir)
    assert current_page(first) == "vendors" and first.page("vendors").list.current_id() == acme
    leave_on_gamma(first, gamma)

    again = open_window(data_dir)
    vendors = again.page("vendors")
    assert vendors.list.current_id() == gamma
    assert vendors.detail.vendor_id == gamma and "Gamma Gen" in vendors.detail.header.text()
    assert vendors.detail.tabs.currentWidget() is vendors.detail.claims
    assert current_page(again) == "rubrics"
    assert again.stack.currentWidget() is again.lazy_pages["rubrics"]


def test_a_deleted_vendor_falls_back_to_the_first(open_window: Any, data_dir: Path) -> None:
    acme, _beta, gamma = three_vendors(data_dir)
    leave_on_gamma(open_window(data_dir), gamma)
    other = Workspace(data_dir, evaluator="bob")
    other.vendors.delete(gamma)
    other.close()

    messages = RecordingMessages()
    again = open_window(data_dir, messages)
    assert again.page("vendors").list.current_id() == acme  # silently: no message about the missing vendor
    assert messages.shown == []
    assert current_page(again) == "rubrics"


def test_each_workspace_keeps_its_own_place(open_window: Any, data_dir: Path, tmp_path: Path) -> None:
    _acme, _beta, gamma = three_vendors(data_dir)
    leave_on_gamma(open_window(data_dir), gamma)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fresh = open_window(elsewhere)
    assert current_page(fresh) == "vendors"
    fresh.close()
    assert current_page(open_window(data_dir)) == "rubrics"


def test_reopens_the_consensus_page_on_the_vendor_it_showed(open_window: Any, data_dir: Path) -> None:
    from tests.integration.test_bundle_roundtrip import add_rubric, score_card

    seed = Workspace(data_dir, evaluator="ann")
    add_rubric(seed)
    ids = [seed.vendors.create(name).id for name in ("Acme AI", "Beta Labs", "Gamma Gen")]
    for vendor_id in ids:
        score_card(seed, vendor_id, {"lawful_basis": 4, "dpa": 2, "retention": 1, "transfers": 3})
    seed.close()
    first = open_window(data_dir)
    first.show_page("consensus")
    consensus = first.page("consensus")
    assert consensus.vendor.currentData() == ids[0]  # it opens on the first vendor
    consensus.select(ids[2])
    first.close()

    again = open_window(data_dir)
    assert current_page(again) == "consensus"
    assert again.page("consensus").vendor.currentData() == ids[2]


def test_reopens_the_scorecard_page_on_the_scorecard_it_showed(open_window: Any, data_dir: Path) -> None:
    """The Scorecard page said 'No scorecard open' after a restart; it reopens the one the user had open,
    and opens empty, without a message, when that scorecard is gone."""
    from tests.integration.test_bundle_roundtrip import add_rubric, score_card

    seed = Workspace(data_dir, evaluator="ann")
    add_rubric(seed)
    ids = [seed.vendors.create(name).id for name in ("Acme AI", "Beta Labs")]
    cards = [score_card(seed, vendor_id, {"lawful_basis": 4, "dpa": 2}) for vendor_id in ids]
    seed.close()
    first = open_window(data_dir)
    first.show_page("scorecard")
    assert first.page("scorecard").open_card(cards[1])
    first.close()

    again = open_window(data_dir)
    assert current_page(again) == "scorecard"
    assert again.page("scorecard").card is not None and again.page("scorecard").card.id == cards[1]
    again.close()
    other = Workspace(data_dir, evaluator="bob")
    other.vendors.delete(ids[1])
    other.close()
    messages = RecordingMessages()
    third = open_window(data_dir, messages)
    assert current_page(third) == "scorecard" and third.page("scorecard").card is None
    assert messages.shown == []


def test_the_last_scorecard_is_shown_when_the_scorecard_page_is_first_visited(open_window: Any, data_dir: Path,
                                                                             qtbot: Any) -> None:
    """A tester restarted on a vendor's Claims tab, pressed Ctrl+2 and found 'No scorecard open' over a greyed,
    empty form. The page now shows the scorecard it showed last; asked for another, it shows that one; with
    none at all it shows only how to open one."""
    from tests.integration.test_bundle_roundtrip import add_rubric, score_card

    seed = Workspace(data_dir, evaluator="ann")
    add_rubric(seed)
    ids = [seed.vendors.create(name).id for name in ("Acme AI", "Beta Labs")]
    cards = [score_card(seed, vendor_id, {"lawful_basis": 4, "dpa": 2}) for vendor_id in ids]
    seed.close()
    first = open_window(data_dir)
    assert first.page("scorecard").open_card(cards[1])
    assert not first.page("scorecard").split.isHidden()
    first.show_page("vendors")
    first.close()

    again = open_window(data_dir)
    assert current_page(again) == "vendors" and again.lazy_pages["scorecard"].page is None  # not built at launch
    again.show_page("scorecard")
    editor = again.page("scorecard")
    qtbot.waitUntil(lambda: editor.card is not None, timeout=2000)
    assert editor.card.id == cards[1] and not editor.split.isHidden()
    again.close()

    third = open_window(data_dir)
    third.show_scorecard(cards[0])  # asked for from a vendor's Scorecards tab: that one, not the last one
    qtbot.wait(50)
    assert third.page("scorecard").card.id == cards[0]
    third.close()


def test_with_no_scorecard_open_the_page_shows_how_to_open_one_and_no_empty_form(window: Any) -> None:
    window.show_page("scorecard")
    editor = window.page("scorecard")
    assert editor.card is None
    assert "No scorecard open" in editor.title.text() and "Scorecards tab" in editor.title.text()
    assert editor.split.isHidden()
