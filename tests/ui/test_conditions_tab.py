"""The Conditions tab on the vendor page: the numbered table, add/edit/move/remove, proposals with accept, edit
and drop, the keyboard, and undo."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from vendoreval.domain.models import Answer


def _tab(window, name: str = "Brightwave"):  # type: ignore[no-untyped-def]
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": name})
    tab = vendors.detail.conditions
    vendors.detail.tabs.setCurrentWidget(tab)
    return tab, vendor


def _shown(tab) -> list[list[str]]:  # type: ignore[no-untyped-def]
    m = tab.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_the_tab_sits_on_the_vendor_page_with_its_columns(window) -> None:  # type: ignore[no-untyped-def]
    tab, _ = _tab(window)
    detail = window.page("vendors").detail
    assert detail.tabs.tabText(detail.tabs.indexOf(tab)) == "Co&nditions"
    assert [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Number", "Condition", "Current → Target\n→ Walk-away", "Owner"]
    assert "none" in tab.proposals_heading.text()
    assert not tab.edit_button.isEnabled() and tab.add_button.isEnabled()


def test_add_edit_move_remove_and_undo(window) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws, undo = window.session.ws, window.session.undo_stack
    tab.add({"text": "Provide a signed DPA", "current": "draft only", "target": "signed", "walk_away": "",
             "owner": "Legal"})
    tab.add({"text": "Cap fees at 12 months", "current": "", "target": "", "walk_away": "", "owner": ""})
    assert _shown(tab) == [["1", "Provide a signed DPA", "draft only → signed → —", "Legal"],
                           ["2", "Cap fees at 12 months", "", ""]]
    tab.table.selectRow(1)
    tab.edit_current({"text": "Cap fees at 12 months", "current": "uncapped", "target": "12 months",
                      "walk_away": "24 months", "owner": "CFO"})
    assert _shown(tab)[1] == ["2", "Cap fees at 12 months", "uncapped → 12 months → 24 months", "CFO"]
    tab.move_current(-1)
    assert [r[1] for r in _shown(tab)] == ["Cap fees at 12 months", "Provide a signed DPA"]
    assert tab.current().text == "Cap fees at 12 months"  # the moved one stays selected
    undo.undo()
    assert [r[1] for r in _shown(tab)] == ["Provide a signed DPA", "Cap fees at 12 months"]
    undo.undo()
    assert _shown(tab)[1] == ["2", "Cap fees at 12 months", "", ""]
    tab.table.selectRow(0)
    tab.remove_current()
    assert _shown(tab) == [["1", "Cap fees at 12 months", "", ""]]
    undo.undo()
    assert [c.text for c in ws.conditions.list(vendor.id)] == ["Provide a signed DPA", "Cap fees at 12 months"]
    assert ws.conditions.get(vendor.id, 1).owner == "Legal"


def test_the_keyboard_moves_removes_and_accepts(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws = window.session.ws
    for text in ("One", "Two"):
        ws.conditions.add(vendor.id, text)
    card = ws.scorecards.create(vendor.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)
    tab.refresh()
    tab.table.setFocus()
    tab.table.selectRow(0)
    qtbot.keyClick(tab.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [c.text for c in ws.conditions.list(vendor.id)] == ["Two", "One"]
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert [c.text for c in ws.conditions.list(vendor.id)] == ["Two"]
    tab.proposals.setFocus()
    tab.proposals.selectRow(0)
    qtbot.keyClick(tab.proposals, Qt.Key.Key_Return)
    assert [(c.number, c.text, c.origin) for c in ws.conditions.list(vendor.id)] == [
        (1, "Two", "manual"), (2, "Provide a signed DPA", "derived:assertion:gdpr/dpa")]


def test_proposals_accept_with_edits_drop_and_undo(window) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws, undo = window.session.ws, window.session.undo_stack
    card = ws.scorecards.create(vendor.id, "gdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)
    ws.scorecards.set_score(card.id, "sub-processors", Answer.NOT_DISCLOSED)
    tab.refresh()
    pm = tab.proposals_model
    assert [pm.index(r, 0).data() for r in range(pm.rowCount())] == [
        "Provide a signed DPA", "List the sub-processors, with notice of and a right to object to changes"]
    assert pm.index(0, 1).data() == ("Data processing agreement (Art. 28) (a knock-out criterion): it rests on a "
                                     "sales assertion only")
    assert "Proposed from the scores and claims (2)" in tab.proposals_heading.text()
    tab.proposals.selectRow(0)
    tab.accept_current(edit=True, values={"text": "Provide a DPA signed by both parties", "owner": "Legal",
                                          "current": "", "target": "", "walk_away": ""})
    assert _shown(tab) == [["1", "Provide a DPA signed by both parties", "", "Legal"]]
    assert pm.rowCount() == 1
    undo.undo()  # the accept: gone, and proposed again (not remembered as dropped)
    assert _shown(tab) == [] and pm.rowCount() == 2
    tab.proposals.selectRow(1)
    tab.drop_current()
    assert [p.key for p in pm.rows()] == ["derived:assertion:gdpr/dpa"]
    undo.undo()
    assert pm.rowCount() == 2
    tab.accept_all()
    assert [r[1] for r in _shown(tab)] == ["Provide a signed DPA",
                                           "List the sub-processors, with notice of and a right to object to changes"]
    assert not tab.accept_all_button.isEnabled()
    undo.undo()
    assert _shown(tab) == [] and pm.rowCount() == 2


def test_a_refused_edit_shows_a_dialog_and_changes_nothing(window) -> None:  # type: ignore[no-untyped-def]
    tab, vendor = _tab(window)
    ws = window.session.ws
    ws.vendors.decide(vendor.id, "go_with_conditions", ["Only one"])
    tab.refresh()
    tab.table.selectRow(0)
    assert tab.remove_current() is None  # the last condition of a go-with-conditions
    kind, _, text = window.session.messages.shown[-1]  # type: ignore[attr-defined]
    assert kind == "error" and "needs at least one condition" in text
    assert [c.text for c in ws.conditions.list(vendor.id)] == ["Only one"]


def test_screenshot(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vendoreval.services.demo import load_sample

    ws = window.session.ws
    load_sample(ws)
    vendors = window.page("vendors")
    vendors.reload()
    bright = ws.vendors.find("Brightwave Insights")
    ws.conditions.accept(bright.id, "derived:contradicted:training-data/own-model", owner="Procurement (A. Berg)",
                         current="Sold as own model", target="Model named in the order form",
                         walk_away="Named before signing")
    ws.conditions.accept(bright.id, "derived:assertion:copyright/ip-indemnity", owner="Legal (J. Okafor)",
                         current="Capped at 12 months' fees", target="Uncapped for IP claims",
                         walk_away="24 months' fees")
    ws.conditions.add(bright.id, "Pilot on our Q3 campaign data before any commitment", owner="Marketing Ops",
                      target="4-week pilot, agreed baseline")
    vendors.list.select(bright.id)
    vendors.detail.set_vendor(bright.id)
    tab = vendors.detail.conditions
    vendors.detail.tabs.setCurrentWidget(tab)
    tab.refresh()
    assert tab.model.rowCount() == 3 and tab.proposals_model.rowCount() > 3
    window.resize(1280, 860)
    out = Path(os.environ.get("VENDOREVAL_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(out / "conditions-tab.png"))
