"""The Consensus page says, in colour and words, that the team disagrees on an agreed score a colleague
changed and the ownership rule kept apart (the QA case of tests/integration/test_team_agreed_conflict.py)."""

from __future__ import annotations

from pathlib import Path

from tests.integration.test_team import RUBRIC, Team
from tests.integration.test_team_agreed_conflict import bob_and_root, vendor_id
from vendoreval.services.consensus import ConsensusService
from vendoreval.ui.messages import RecordingMessages
from vendoreval.ui.views.consensus_view import FLAG_BG, TEAM_DISAGREES, ConsensusView


def test_the_consensus_page_shows_that_the_team_disagrees(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    team = Team(tmp_path)
    try:
        bob, tb, root, tr = bob_and_root(team)
        ConsensusService(root).agree(vendor_id(root), RUBRIC.id, "dpa", level=1, rationale="root: a draft DPA")
        tr.sync()
        tb.sync()
        for ws in (bob, root):
            view = ConsensusView(ws, messages=RecordingMessages())
            qtbot.addWidget(view)
            view.show()
            rows = {view.table.item(r, 0).text(): r for r in range(view.table.rowCount())}
            agreed = view.table.item(rows["DPA"], view.table.columnCount() - 1)
            assert TEAM_DISAGREES in agreed.text() and agreed.background().color() == FLAG_BG
            assert "Consensus page" in agreed.toolTip() or "only Bob's key" in agreed.toolTip()
            assert "the team disagrees on 1 agreed score" in view.figures.text()
            view.table.selectRow(rows["DPA"])
            assert TEAM_DISAGREES in view.criterion_label.text()
            assert TEAM_DISAGREES not in view.table.item(rows["LAWFUL_BASIS"], view.table.columnCount() - 1).text()
    finally:
        team.close()
