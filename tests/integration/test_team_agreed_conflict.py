"""Two evaluators change one agreed score (QA: Bob recorded 3 for a criterion, root changed that agreed
score to 1 and synced; Bob pressed Sync now, was told "Nothing new to import" and kept 3, root kept 1, and
neither was warned). The ownership rule keeps Bob's record Bob's (docs/bundles.md, "Who may change
what"); what must change is that both sides SAY the team disagrees, at every sync and on the Consensus
page, until the owner records the agreed score again — and then everyone holds the same one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_team import RUBRIC, Team, score
from vendoreval.services import Workspace
from vendoreval.services.consensus import ConsensusService
from vendoreval.services.team import TeamService


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    t = Team(tmp_path)
    yield t
    t.close()


def vendor_id(ws: Workspace) -> str:
    v = ws.store.vendor_by_name("Acme AI")
    assert v is not None
    return v.id


def agreed_level(ws: Workspace) -> int | None:
    [a] = [a for a in ws.store.agreed_scores(vendor_id(ws)) if a.criterion_id == "dpa"]
    return a.level


def dpa_row_disagreement(ws: Workspace) -> tuple[str, ...]:
    c = ConsensusService(ws).for_vendor(vendor_id(ws), RUBRIC.id)
    [row] = [r for r in c.rows if r.criterion.id == "dpa"]
    return row.team_disagreement


def bob_and_root(team: Team) -> tuple[Workspace, TeamService, Workspace, TeamService]:
    """Bob (ws2) and root (ws), trusting each other; Bob's agreed score for privacy/dpa (3) is at both."""
    bob, tb = team.member("Bob", folder="ws2")
    root, tr = team.member("root", folder="ws")
    score(bob, "Acme AI", {"lawful_basis": 4, "dpa": 3})
    score(root, "Acme AI", {"lawful_basis": 3, "dpa": 1})
    tb.sync()
    tr.sync()
    tb.trust("root")
    tr.trust("Bob")
    ConsensusService(bob).agree(vendor_id(bob), RUBRIC.id, "dpa", level=3, rationale="Bob: the DPA is signed")
    tb.sync()
    tr.sync()
    assert agreed_level(root) == 3 and dpa_row_disagreement(root) == () and dpa_row_disagreement(bob) == ()
    return bob, tb, root, tr


def test_an_agreed_score_changed_by_a_colleague_is_not_dropped_silently(team: Team, cli) -> None:  # type: ignore[no-untyped-def]
    bob, tb, root, tr = bob_and_root(team)

    # root changes Bob's agreed score (revision 2 of Bob's record) and syncs: root is told at once.
    ConsensusService(root).agree(vendor_id(root), RUBRIC.id, "dpa", level=1, rationale="root: the DPA is a draft")
    report = tr.sync()
    assert report.published
    [line] = report.disagreements
    assert "only Bob's key changes it" in line and "level 1" in line
    assert dpa_row_disagreement(root) == (line,)

    # Bob presses Sync now: root's change is not taken (the record is Bob's), and Bob is told so.
    report = tb.sync()
    assert agreed_level(bob) == 3 and agreed_level(root) == 1
    text = "\n".join(report.lines())
    assert "Nothing new: this workspace already has everything" not in text
    [line] = report.disagreements
    assert "changed by root to level 1, not taken: yours (level 3) is kept" in line
    assert "resolve it on the Consensus page" in line
    assert "The team disagrees on 1 agreed score" in text
    assert dpa_row_disagreement(bob) == (line,)
    shown = cli("consensus", "show", "Acme AI", data=bob.data_dir)
    assert shown.code == 0, shown.err
    assert "TEAM DISAGREES" in shown.out and f"The team disagrees on the agreed score of dpa: {line}" in shown.out
    shown = cli("consensus", "show", "Acme AI", "--json", data=root.data_dir)
    [criteria] = [c["criteria"] for c in json.loads(shown.out)]
    assert [c["team_disagreement"] for c in criteria if c["criterion"] == "dpa"] == [list(dpa_row_disagreement(root))]
    assert "only Bob's key changes it" in dpa_row_disagreement(root)[0]

    # Sync now again: still said, never "Nothing new to import" alone.
    report = tb.sync()
    assert report.disagreements == [line] and "Nothing new to import, but:" in report.lines()

    # Bob settles on root's level: every member holds the same agreed score, and nobody is warned any more.
    ConsensusService(bob).agree(vendor_id(bob), RUBRIC.id, "dpa", level=1, rationale="Agreed with root: draft DPA")
    assert tb.sync().disagreements == []
    assert tr.sync().disagreements == []
    assert tb.sync().disagreements == []
    assert agreed_level(bob) == agreed_level(root) == 1
    assert dpa_row_disagreement(bob) == dpa_row_disagreement(root) == ()
