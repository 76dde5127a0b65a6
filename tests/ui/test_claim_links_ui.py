"""Claims on the scores they bear on, in the app: linked on my draft with undo, suggested elsewhere, one-click Link."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

CRIT = "training-on-customer-data"
TEXT = "We never use your content to train our models."


def _setup(window: Any) -> tuple[Any, Any, Any, Any]:
    """Acme AI with my gdpr draft (the criterion scored 3) and bob's submitted card (scored 2)."""
    ws = window.session.ws
    vendors = window.page("vendors")
    vendor = vendors.new_vendor({"name": "Acme AI"})
    mine = vendors.detail.scorecards.start_scorecard("gdpr")
    ws.scorecards.set_score(mine.id, CRIT, level=3, rationale="DPA clause 4.2")
    bob = ws.scorecards.create(vendor.id, "gdpr", evaluator="bob")
    ws.scorecards.set_score(bob.id, CRIT, level=2)
    ws.scorecards.submit(bob.id)
    return ws, vendors, mine, bob


def _show(editor: Any, card_id: str) -> None:
    editor.open_card(card_id)
    editor.select_row([c.id for c in editor.model.criteria].index(CRIT))


def test_a_claim_is_linked_on_my_draft_and_undo_of_its_criteria_restores_the_link(window: Any) -> None:
    ws, vendors, mine, bob = _setup(window)
    claims = vendors.detail.claims
    vendors.detail.tabs.setCurrentWidget(claims)
    claim = claims.add_claim({"text": TEXT, "source": "Deck", "page": "3", "said_on": None, "said_to": "",
                              "criteria": [f"gdpr:{CRIT}"]})
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == [claim.id]
    assert ws.scorecards.get(bob.id).scores[CRIT].claim_ids == []  # submitted, a colleague's: not written
    claims.link_criteria([])  # the criterion removed from the claim: unlinked
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == []
    window.session.undo_stack.undo()
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == [claim.id]
    claims.delete_current()
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == []
    window.session.undo_stack.undo()
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == [claim.id]


def test_a_submitted_card_shows_the_claim_as_a_suggestion_and_a_draft_links_it_in_one_click(
        window: Any, qtbot: Any, tmp_path: Path) -> None:
    ws, vendors, mine, bob = _setup(window)
    claim = ws.claims.add(vendors.detail.vendor_id, TEXT, criteria=[f"gdpr:{CRIT}"])
    editor = window.page("scorecard")
    window.show_page("scorecard")
    _show(editor, bob.id)
    assert not editor.suggested.isHidden() and editor.link_suggested.isHidden()  # submitted: shown, no Link
    assert editor.suggested.text() == f"<small>Suggested claims: “{TEXT}” (asserted)</small>"
    _show(editor, mine.id)
    assert editor.suggested.isHidden()  # linked already on my draft
    item = next(editor.claims.item(i) for i in range(editor.claims.count())
                if editor.claims.item(i).data(Qt.ItemDataRole.UserRole) == claim.id)
    item.setCheckState(Qt.CheckState.Unchecked)  # the evaluator unlinks it here
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == []
    assert not editor.suggested.isHidden() and not editor.link_suggested.isHidden()
    out = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    window.resize(1280, 860)
    qtbot.wait(50)  # the level buttons of the criterion are shown by the event loop
    editor.findChild(QScrollArea).ensureWidgetVisible(editor.link_suggested)
    qtbot.wait(20)
    assert window.grab().save(str(out / "scorecard-suggested-claims.png"))
    editor.link_suggested.click()
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == [claim.id]
    assert editor.suggested.isHidden()
    window.session.undo_stack.undo()
    assert ws.scorecards.get(mine.id).scores[CRIT].claim_ids == []
