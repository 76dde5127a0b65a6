"""The app's search (Ctrl+F) finds the claims of every vendor, keeps their vendors listed, and opens a claim."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from vendoreval.domain.models import ClaimStatus


def test_typing_in_the_search_lists_matching_claims_of_every_vendor_and_opens_one(window: Any, qtbot: Any) -> None:
    vendors = window.page("vendors")
    ws = window.session.ws
    acme = vendors.new_vendor({"name": "Acme AI"})
    lumen = vendors.new_vendor({"name": "Lumen Copy"})
    vendors.new_vendor({"name": "Quiet Co"})
    ws.claims.add(acme.id, "Trained on 40 billion tokens.", source="Deck", page="12")
    own = ws.claims.add(lumen.id, "Our own model,\ntrained from scratch.", source="Webinar",
                        status=ClaimStatus.CONTRADICTED)
    ws.claims.add(lumen.id, "GDPR compliant.", source="Sales call")
    window.registry["find"].trigger()
    search = vendors.list.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "trained")
    hits = vendors.list.claim_hits
    assert vendors.list.claims_label.text() == "&Claims matching “trained”: 2"
    assert [hits.item(i).text() for i in range(hits.count())] == [
        "Acme AI · Asserted · “Trained on 40 billion tokens.” — Deck, p. 12",
        "Lumen Copy · Contradicted · “Our own model, trained from scratch.” — Webinar"]
    # the vendors of the claims found stay listed, though their names do not hold the word
    model = vendors.list.model
    assert sorted(model.index(r, 0).data() for r in range(model.rowCount())) == ["Acme AI", "Lumen Copy"]
    assert vendors.list.count.text() == "2 of 3 vendors"
    search.clear()
    qtbot.keyClicks(search, "contradicted")
    assert [hits.item(i).text() for i in range(hits.count())] == [
        "Lumen Copy · Contradicted · “Our own model, trained from scratch.” — Webinar"]
    from tests.ui.test_tab_order import tab_walk

    order = [search, vendors.list.decision, vendors.list.sort, vendors.list.archived, vendors.list.table, hits]
    assert tab_walk(qtbot, search, len(order) - 1) == order
    hits.setCurrentRow(0)
    qtbot.keyClick(hits, Qt.Key.Key_Return)
    assert vendors.list.current_id() == lumen.id
    assert vendors.detail.tabs.currentWidget() is vendors.detail.claims
    assert vendors.detail.claims.current().id == own.id
    # one click on a result opens it too (under X a user clicked and nothing happened)
    search.clear()
    qtbot.keyClicks(search, "trained")
    first = hits.item(0)
    qtbot.mouseClick(hits.viewport(), Qt.MouseButton.LeftButton, pos=hits.visualItemRect(first).center())
    assert vendors.list.current_id() == acme.id
    assert vendors.detail.claims.current().text == "Trained on 40 billion tokens."
    search.clear()
    qtbot.keyClicks(search, "contradicted")
    # a claim recorded while searching shows at once; an empty search hides the list
    ws.claims.add(acme.id, "Never contradicted by an audit.", status=ClaimStatus.VERIFIED)
    assert hits.count() == 2
    search.clear()
    assert hits.isHidden() and vendors.list.claims_label.isHidden()
    qtbot.keyClicks(search, "blockchain")
    assert vendors.list.claims_label.text() == "No claim matches “blockchain”" and hits.count() == 0


def test_a_double_click_on_a_result_opens_the_claim_once(window: Any, qtbot: Any) -> None:
    """A double click is a click and then an activation: the claim is opened (vendor selected, tab loaded) once."""
    vendors = window.page("vendors")
    acme = vendors.new_vendor({"name": "Acme AI"})
    window.session.ws.claims.add(acme.id, "Trained on 40 billion tokens.")
    opened: list[tuple[str, str]] = []
    vendors.list.claim_chosen.connect(lambda vendor, claim: opened.append((vendor, claim)))
    qtbot.keyClicks(vendors.list.search, "trained")
    hits = vendors.list.claim_hits
    spot = hits.visualItemRect(hits.item(0)).center()
    qtbot.mouseClick(hits.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(hits.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert len(opened) == 1 and opened[0][0] == acme.id
    qtbot.wait(QApplication.doubleClickInterval() + 100)
    qtbot.keyClick(hits, Qt.Key.Key_Return)  # later, on purpose: opened again
    assert len(opened) == 2
