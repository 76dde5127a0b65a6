"""Use cases end to end over a real temporary workspace: vendors, claims, evidence, scorecards, audit."""

from __future__ import annotations

import os

import pytest

from tests.factories import criterion, levels, rubric
from vendoreval.domain.models import Answer, ClaimStatus, Decision, EvidenceStrength, ScorecardStatus
from vendoreval.errors import UserError
from vendoreval.services import Locked, NotFound, ServiceError, Workspace
from vendoreval.store import blobs


@pytest.fixture
def gdpr():
    return rubric("tgdpr", [
        criterion("dpa", weight=3, knockout_below=1, knockout_reason="No DPA"),
        criterion("training", weight=1, disclosed_no=4),
        {"id": "tokens", "title": "Tokens", "question": "How many tokens?", "weight": 1,
         "scale": {"kind": "numeric", "unit": "tokens", "thresholds": [1e9, 1e13], "levels": levels(3)}},
    ], version="1.0")


@pytest.fixture
def setup(ws, gdpr):
    ws.library.remember(gdpr)
    v = ws.vendors.create("Acme AI", product="CopyBot")
    return ws, v


def test_vendor_lifecycle_and_audit(setup):
    ws, v = setup
    ws.vendors.update(v.id, product="CopyBot Pro", description="Writes ads")
    ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["DPA forbids training on our data"])
    got = ws.vendors.get(v.id)
    assert got.product == "CopyBot Pro" and got.decision == Decision.GO_WITH_CONDITIONS
    assert got.conditions == ["DPA forbids training on our data"]
    entries = ws.history(v.id)
    fields = [e.field for e in entries]
    assert "decision" in fields and "conditions" in fields and "product" in fields
    dec = next(e for e in entries if e.field == "decision")
    assert (dec.old, dec.new, dec.actor) == ("Not started", "Go with conditions", "ann")
    ws.vendors.set_archived(v.id, True)
    assert ws.vendors.list(include_archived=False) == []
    with pytest.raises(ServiceError, match="not a decision"):
        ws.vendors.decide(v.id, "maybe")


@pytest.mark.parametrize("conditions", [None, [], [""], ["  "]])
def test_go_with_conditions_without_a_condition_is_refused_and_nothing_stored(setup, conditions):
    ws, v = setup
    with pytest.raises(UserError, match="needs at least one condition") as exc:
        ws.vendors.decide(v.id, "go_with_conditions", conditions)
    assert exc.value.field == "conditions"
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (Decision.NOT_STARTED, [])
    assert [e for e in ws.history(v.id) if e.action == "decide"] == []


@pytest.mark.parametrize("decision", [Decision.GO, Decision.NO_GO])
def test_conditions_on_a_plain_go_or_a_no_go_are_refused(setup, decision):
    ws, v = setup
    with pytest.raises(UserError, match="takes no conditions") as exc:
        ws.vendors.decide(v.id, decision, ["Audit rights"])
    assert exc.value.field == "conditions"
    assert ws.vendors.get(v.id).decision == Decision.NOT_STARTED
    # a vendor that has conditions keeps them unless told otherwise: moving it to a plain go is refused
    ws.vendors.decide(v.id, Decision.GO_WITH_CONDITIONS, ["Audit rights"])
    with pytest.raises(UserError, match="takes no conditions"):
        ws.vendors.decide(v.id, decision)
    assert ws.vendors.get(v.id).decision == Decision.GO_WITH_CONDITIONS
    ws.vendors.decide(v.id, decision, [])
    got = ws.vendors.get(v.id)
    assert (got.decision, got.conditions) == (decision, [])


def test_delete_vendor_and_restore_everything(setup, tmp_path):
    ws, v = setup
    c = ws.claims.add(v.id, "Trained on 2 billion marketing interactions", criteria=["tgdpr:dpa"])
    f = tmp_path / "dpa.pdf"
    f.write_bytes(b"%PDF-1.4 fake")
    ws.evidence.add_file(v.id, f, claim_ids=[c.id])
    card = ws.scorecards.create(v.id, "tgdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3, claim_ids=[c.id])
    before = ws.store.counts()
    snap = ws.vendors.delete(v.id)
    assert ws.store.counts()["claims"] == 0 and ws.store.counts()["scores"] == 0
    ws.vendors.restore(snap)
    after = ws.store.counts()
    assert {k: after[k] for k in ("vendors", "claims", "evidence", "scorecards", "scores")} == {
        k: before[k] for k in ("vendors", "claims", "evidence", "scorecards", "scores")}
    assert ws.scorecards.get(card.id).scores["dpa"].level == 3


def test_claim_status_moves_and_links_are_checked(setup):
    ws, v = setup
    c = ws.claims.add(v.id, "Fully GDPR compliant", source_kind="url", source="https://acme.example/trust",
                      said_on="2026-03-01", criteria=["tgdpr:dpa"])
    assert c.said_on.isoformat() == "2026-03-01"
    ws.claims.set_status(c.id, ClaimStatus.DOCUMENTED, "Trust centre page")
    ws.claims.set_status(c.id, "contradicted", "DPA draft allows training")
    assert ws.claims.get(c.id).status == ClaimStatus.CONTRADICTED
    statuses = [(e.old, e.new) for e in ws.history(v.id) if e.field == "status"]
    assert statuses == [("Documented", "Contradicted"), ("Asserted", "Documented")]
    with pytest.raises(ServiceError, match="no criterion 'nope'"):
        ws.claims.add(v.id, "x", criteria=["tgdpr:nope"])
    with pytest.raises(ServiceError, match="Unknown rubric"):
        ws.claims.add(v.id, "x", criteria=["zzz:dpa"])
    with pytest.raises(ServiceError, match="not of the form"):
        ws.claims.add(v.id, "x", criteria=["nocolon"])
    with pytest.raises(ServiceError, match="Invalid claim"):
        ws.claims.add(v.id, "   ")


def test_evidence_file_stored_by_hash_and_read_only_copy(setup, tmp_path):
    ws, v = setup
    f = tmp_path / "Security whitepaper.pdf"
    f.write_bytes(b"content" * 100)
    e = ws.evidence.add_file(v.id, f)
    assert ws.store.blobs.has(e.sha256)
    assert ws.store.blobs.verify(e.sha256)
    copy = ws.evidence.read_only_copy(e.id, tmp_path / "open")
    assert copy.name == "Security whitepaper.pdf"
    assert copy.read_bytes() == f.read_bytes()
    assert not os.access(copy, os.W_OK) or os.geteuid() == 0
    assert not (copy.stat().st_mode & 0o222)


def test_evidence_bad_paths_write_nothing(setup, tmp_path, monkeypatch):
    ws, v = setup
    before = ws.store.counts()
    with pytest.raises(ServiceError, match="no such file"):
        ws.evidence.add_file(v.id, tmp_path / "missing.pdf")
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2048)
    monkeypatch.setattr(ws.store.blobs, "max_bytes", 1024)
    with pytest.raises(ServiceError, match="may be at most"):
        ws.evidence.add_file(v.id, big)
    assert ws.store.counts() == before
    assert blobs.MAX_EVIDENCE_BYTES == 100 * 1024 * 1024


def test_scorecard_scoring_submit_reopen(setup):
    ws, v = setup
    c = ws.claims.add(v.id, "We sign a DPA", criteria=["tgdpr:dpa"])
    ws.claims.set_status(c.id, ClaimStatus.COMMITTED)
    card = ws.scorecards.create(v.id, "tgdpr")
    assert card.rubric_version == "1.0" and len(card.rubric_hash) == 64 and card.evaluator == "ann"
    assert ws.scorecards.create(v.id, "tgdpr").id == card.id  # same evaluator + version: same card
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=4, claim_ids=[c.id], rationale="Signed DPA")
    ws.scorecards.set_score(card.id, "training", Answer.DISCLOSED_NO)
    ws.scorecards.set_score(card.id, "tokens", figure=2e12)
    got = ws.scorecards.get(card.id)
    assert got.scores["tokens"].level == 1 and got.scores["tokens"].figure == 2e12
    total = ws.totals.scorecard_score(got)
    # claimed = (3*1 + 1*1 + 1*0.5)/5 = 90 ; evidence = (3*0.75 + 1*0.25 + 0.5*0.25)/5 = 52.5
    assert total.claimed == pytest.approx(90.0)
    assert total.evidence_weighted == pytest.approx(52.5)
    with pytest.raises(ServiceError, match="out of range"):
        ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=7)
    ws.scorecards.submit(card.id)
    with pytest.raises(Locked):
        ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=1)
    reopened = ws.scorecards.reopen(card.id)
    assert reopened.status == ScorecardStatus.DRAFT and reopened.version == 2
    actions = [e.action for e in ws.history(v.id)]
    assert "submit" in actions and "reopen" in actions
    score_entries = [e for e in ws.history(v.id) if e.action == "score"]
    assert len(score_entries) == 3  # one per committed change, none for the refused edits


def test_a_reopened_scorecard_still_counts_in_the_totals_and_its_knock_out_shows(setup):
    """Two evaluators submitted; one reopens hers and scores the knock-out criterion 0. The vendor's totals
    (the comparison, the brief) show the knock-out at once: her scores were dropped until she submitted again
    (the totals rose instead, as if she had never scored)."""
    ws, v = setup
    cards = {}
    for who, level in (("ann", 4), ("bob", 3)):
        card = ws.scorecards.create(v.id, "tgdpr", evaluator=who)
        ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=level)
        ws.scorecards.set_score(card.id, "training", Answer.LEVEL, level=2)
        ws.scorecards.submit(card.id)
        cards[who] = card.id
    (before,) = ws.totals.vendor_totals()
    assert not before.overall.knocked_out
    ws.scorecards.reopen(cards["ann"])
    ws.scorecards.set_score(cards["ann"], "dpa", Answer.LEVEL, level=0)
    (after,) = ws.totals.vendor_totals()
    assert {c.evaluator for c in after.rubrics["tgdpr"].scorecards} == {"ann", "bob"}
    assert after.overall.knocked_out
    assert after.rubrics["tgdpr"].scores["dpa"].level == 0  # the lower median of 0 and 3
    # a first draft of a third evaluator still waits for its submit
    third = ws.scorecards.create(v.id, "tgdpr", evaluator="cy")
    ws.scorecards.set_score(third.id, "dpa", Answer.LEVEL, level=4)
    (again,) = ws.totals.vendor_totals()
    assert {c.evaluator for c in again.rubrics["tgdpr"].scorecards} == {"ann", "bob"}


def test_unchanged_edit_writes_no_audit(setup):
    ws, v = setup
    card = ws.scorecards.create(v.id, "tgdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=2, rationale="x")
    n = ws.store.counts()["audit"]
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=2, rationale="x")
    assert ws.store.counts()["audit"] == n


def test_clear_and_restore_score(setup):
    ws, v = setup
    card = ws.scorecards.create(v.id, "tgdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=2, strength=EvidenceStrength.CONTRACT)
    old = ws.scorecards.get(card.id).scores["dpa"]
    ws.scorecards.set_score(card.id, "dpa", None)
    assert "dpa" not in ws.scorecards.get(card.id).scores
    ws.scorecards.restore_score(card.id, "dpa", old)
    assert ws.scorecards.get(card.id).scores["dpa"].strength == EvidenceStrength.CONTRACT


def test_upgrade_to_new_rubric_version_carries_unchanged(setup, gdpr):
    ws, v = setup
    card = ws.scorecards.create(v.id, "tgdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=3)
    ws.scorecards.set_score(card.id, "training", Answer.NOT_DISCLOSED)
    data = gdpr.model_dump(mode="json")
    data["version"] = "1.1"
    data["criteria"][1]["question"] = "Do you train on customer data, and how can we opt out?"
    from vendoreval.domain.rubric import parse_rubric

    ws.library.remember(parse_rubric(data))
    assert ws.scorecards.newer_rubric(card.id).version == "1.1"
    new = ws.scorecards.upgrade(card.id)
    assert new.rubric_version == "1.1"
    assert set(new.scores) == {"dpa"}
    with pytest.raises(ServiceError, match="already has a scorecard"):
        ws.scorecards.upgrade(card.id)


def test_old_scorecards_survive_rubric_file_changes(data_dir, gdpr):
    ws = Workspace(data_dir, evaluator="ann")
    ws.library.remember(gdpr)
    v = ws.vendors.create("Acme")
    card = ws.scorecards.create(v.id, "tgdpr")
    ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=4)
    ws.close()
    again = Workspace(data_dir)  # the rubric is no longer in any file: the snapshot serves
    got = again.scorecards.get(card.id)
    assert again.scorecards.rubric_of(got).content_hash == gdpr.content_hash
    assert again.totals.scorecard_score(got).claimed == pytest.approx(60.0)
    again.close()


def test_knockout_vendor_ranks_last_in_totals(ws, gdpr):
    ws.library.remember(gdpr)
    a = ws.vendors.create("Alpha")
    b = ws.vendors.create("Beta")
    for vendor, dpa in ((a, 0), (b, 1)):
        card = ws.scorecards.create(vendor.id, "tgdpr")
        ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=dpa, strength="verified_by_us")
        ws.scorecards.set_score(card.id, "training", Answer.LEVEL, level=4, strength="verified_by_us")
    totals = {t.vendor.name: t for t in ws.totals.vendor_totals()}
    assert totals["Alpha"].overall.knocked_out
    assert totals["Alpha"].overall.knockouts[0].reason == "No DPA"
    assert not totals["Beta"].overall.knocked_out


def test_missing_things_are_not_found(ws):
    with pytest.raises(NotFound):
        ws.vendors.get("nope")
    with pytest.raises(NotFound):
        ws.scorecards.get("nope")
    v = ws.vendors.create("Acme")
    with pytest.raises(NotFound, match="No rubric"):
        ws.scorecards.create(v.id, "does-not-exist")


def test_two_evaluators_combined_by_lower_median(ws, gdpr):
    ws.library.remember(gdpr)
    v = ws.vendors.create("Acme")
    for name, lvl in (("ann", 4), ("bob", 1), ("cy", 2)):
        card = ws.scorecards.create(v.id, "tgdpr", evaluator=name)
        ws.scorecards.set_score(card.id, "dpa", Answer.LEVEL, level=lvl, strength="verified_by_us")
        ws.scorecards.submit(card.id)
    t = ws.totals.vendor_totals()[0]
    result = t.rubrics["tgdpr"]
    assert result.scores["dpa"].level == 2
    assert result.agreement.evaluators == ("ann", "bob", "cy")
