"""A claim's criteria ticked on the scores they bear on: my drafts written, submitted and colleagues' cards only
suggested, explicit unlinks kept, deletion and undo, one transaction; a contradicted claim counts unticked."""

from __future__ import annotations

import pytest

from tests.factories import criterion, rubric
from vendoreval.domain.models import Answer, ClaimStatus, EvidenceStrength
from vendoreval.errors import UserError
from vendoreval.services import Workspace

OTHER_KEY = "ab" * 32


@pytest.fixture
def cards(ws: Workspace):  # type: ignore[no-untyped-def]
    """Acme scored on rubric r: ann's submitted card (1.0), ann's draft (1.1), bob's draft (1.1), and a draft
    named 'ann' but owned by another key (1.1, as a bundle would bring it). Criteria a and b scored everywhere."""
    ws.library.remember(rubric("r", [criterion("a"), criterion("b")], version="1.0"))
    ws.library.remember(rubric("r", [criterion("a"), criterion("b")], version="1.1"))
    v = ws.vendors.create("Acme AI")
    submitted = ws.scorecards.create(v.id, "r", "1.0")
    mine = ws.scorecards.create(v.id, "r", "1.1")
    bob = ws.scorecards.create(v.id, "r", "1.1", evaluator="bob")
    foreign = ws.scorecards.create(v.id, "r", "1.1", evaluator="carl")
    for card in (submitted, mine, bob, foreign):
        for cid in ("a", "b"):
            ws.scorecards.set_score(card.id, cid, level=4, strength=EvidenceStrength.OWN_TEST)
    ws.scorecards.submit(submitted.id)
    # a scorecard with our name on it but another key as owner is not ours
    stored = ws.scorecards.get(foreign.id)
    with ws.unit_of_work():
        ws.store.save_scorecard_header(stored.model_copy(update={"evaluator": "ann", "owner_key": OTHER_KEY}))
    return ws, v, {"submitted": submitted.id, "mine": mine.id, "bob": bob.id, "foreign": foreign.id}


def links(ws: Workspace, card_id: str) -> dict[str, list[str]]:
    return {cid: s.claim_ids for cid, s in ws.scorecards.get(card_id).scores.items()}


def test_a_claim_with_a_criterion_is_linked_on_my_draft_and_suggested_elsewhere(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    before = {name: ws.scorecards.get(cid) for name, cid in ids.items()}
    claim = ws.claims.add(v.id, "98 % accurate on any content", criteria=["r:a"])
    assert links(ws, ids["mine"]) == {"a": [claim.id], "b": []}
    for name in ("submitted", "bob", "foreign"):  # never written: same scores, same revisions
        after = ws.scorecards.get(ids[name])
        assert after.scores == before[name].scores and after.revision == before[name].revision, name
        assert [c.id for c in ws.claims.suggested(ids[name], "a")] == [claim.id], name
        assert ws.claims.suggested(ids[name], "b") == [], name
    assert ws.claims.suggested(ids["mine"], "a") == []  # linked, so not a suggestion
    entry = next(e for e in ws.history(v.id) if e.entity == "score" and e.entity_id == f"{ids['mine']}:a")
    assert entry.summary == "A: claim linked (from the claim's criteria)" and entry.new == claim.id


def test_a_criteria_change_moves_the_link_and_removing_it_unlinks(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    claim = ws.claims.add(v.id, "Runs on our own model", criteria=["r:a"])
    ws.claims.update(claim.id, criteria=["r:b"])
    assert links(ws, ids["mine"]) == {"a": [], "b": [claim.id]}
    ws.claims.update(claim.id, criteria=[])
    assert links(ws, ids["mine"]) == {"a": [], "b": []}
    assert links(ws, ids["bob"]) == {"a": [], "b": []}


def test_an_explicit_unlink_survives_unrelated_edits_of_the_claim(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    claim = ws.claims.add(v.id, "Trained on 40 billion tokens", criteria=["r:a"])
    ws.scorecards.set_score(ids["mine"], "a", Answer.LEVEL, level=4, claim_ids=[])  # the evaluator unlinks it
    ws.claims.update(claim.id, text="Trained on 40 billion licensed tokens", source="Deck")
    ws.claims.set_status(claim.id, ClaimStatus.DOCUMENTED, "data sheet")
    ws.claims.update(claim.id, criteria=["r:a", "r:b"])  # another criterion added: only that one is linked
    assert links(ws, ids["mine"]) == {"a": [], "b": [claim.id]}
    assert [c.id for c in ws.claims.suggested(ids["mine"], "a")] == [claim.id]


def test_a_new_score_on_my_draft_starts_with_the_claims_on_its_criterion(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    ws.scorecards.set_score(ids["mine"], "a", None)
    ws.scorecards.set_score(ids["bob"], "a", None)
    claim = ws.claims.add(v.id, "SOC 2 Type II certified", criteria=["r:a"])
    assert "a" not in ws.scorecards.get(ids["mine"]).scores  # no score row is made for an unscored criterion
    ws.scorecards.set_score(ids["mine"], "a", level=2)
    ws.scorecards.set_score(ids["bob"], "a", level=2)
    assert links(ws, ids["mine"])["a"] == [claim.id]
    assert links(ws, ids["bob"])["a"] == []  # a colleague's card is not filled in for them


def test_deleting_a_claim_unlinks_it_and_undo_puts_the_links_back(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    claim = ws.claims.add(v.id, "No human in the loop", criteria=["r:a"])
    ws.scorecards.set_score(ids["mine"], "b", level=4, claim_ids=[claim.id])  # ticked by hand on b as well
    taken = ws.claims.linked_scores(claim.id)
    assert sorted(taken) == [(ids["mine"], "a"), (ids["mine"], "b")]
    ws.claims.delete(claim.id)
    assert links(ws, ids["mine"]) == {"a": [], "b": []}
    ws.claims.restore(claim, taken)
    assert links(ws, ids["mine"]) == {"a": [claim.id], "b": [claim.id]}
    ws.claims.delete(claim.id)
    ws.claims.restore(claim)  # without the links taken: by its criteria, as when it was recorded
    assert links(ws, ids["mine"]) == {"a": [claim.id], "b": []}


def test_undoing_a_criteria_change_restores_the_links(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    claim = ws.claims.add(v.id, "Own model", criteria=["r:a"])
    ws.claims.update(claim.id, criteria=["r:b"])
    ws.claims.update(claim.id, criteria=["r:a"])  # what the undo of the claims tab does
    assert links(ws, ids["mine"]) == {"a": [claim.id], "b": []}


@pytest.mark.parametrize("where", ["second score", "audit"])
def test_the_claim_and_its_links_are_one_transaction(cards, monkeypatch, where) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    before = ws.scorecards.get(ids["mine"])
    writes: list[object] = []
    real = ws.store.save_score

    def save_score(card_id, score) -> None:  # type: ignore[no-untyped-def]
        writes.append(score)
        if len(writes) == 2:
            raise UserError("disk full")
        real(card_id, score)

    def disk_full(entries) -> None:  # type: ignore[no-untyped-def]
        raise UserError("disk full")

    if where == "audit":
        monkeypatch.setattr(ws.store, "add_audit_entries", disk_full)
    else:
        monkeypatch.setattr(ws.store, "save_score", save_score)
    with pytest.raises(UserError, match="disk full"):
        ws.claims.add(v.id, "Best in class", criteria=["r:a", "r:b"])
    monkeypatch.undo()
    assert ws.claims.list(v.id) == []
    after = ws.scorecards.get(ids["mine"])
    assert after.scores == before.scores and after.revision == before.revision
    if where == "second score":
        assert len(writes) == 2  # the first score was written, then rolled back with the claim


def test_a_contradicted_claim_on_the_criterion_counts_without_a_tick(cards) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    card = ws.scorecards.get(ids["submitted"])
    score = ws.totals.scorecard_score(card)
    assert (score.claimed, score.evidence_weighted) == (100.0, 100.0)
    claim = ws.claims.add(v.id, "All data stays in the EU", criteria=["r:a"])
    assert ws.totals.scorecard_score(card).evidence_weighted == 100.0  # asserted: not ticked, no effect
    ws.claims.set_status(claim.id, ClaimStatus.CONTRADICTED, "logs show US processing")
    card = ws.scorecards.get(ids["submitted"])
    assert claim.id not in card.scores["a"].claim_ids
    score = ws.totals.scorecard_score(card)
    assert (score.claimed, score.evidence_weighted) == (100.0, 50.0)
    assert next(r for r in score.criteria if r.criterion_id == "a").contradicted


def test_claims_imported_from_csv_are_linked_on_my_draft(cards, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws, v, ids = cards
    path = tmp_path / "claims.csv"
    path.write_text("vendor,text,criteria\r\nAcme AI,Own model from scratch,r:b\r\nAcme AI,Fast,\r\n",
                    encoding="utf-8")
    from vendoreval.services.exchange import ExchangeService

    ExchangeService(ws).import_file(path)
    claim = next(c for c in ws.claims.list(v.id) if c.text == "Own model from scratch")
    assert links(ws, ids["mine"]) == {"a": [], "b": [claim.id]}
    assert links(ws, ids["bob"]) == {"a": [], "b": []}
