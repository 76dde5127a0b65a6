"""The risk register on a small built workspace: each derived kind, exact rows, notes that outlive their cause,
and `risks list|set`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from tests.factories import risk_workspace
from vendoreval.domain.models import ClaimStatus, EvidenceStrength
from vendoreval.domain.risks import RiskError
from vendoreval.services.ageing import AgeingService
from vendoreval.services.workspace import StaleEdit


@pytest.fixture(autouse=True)
def _no_shipped_rubrics(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the small core rubric (the shipped library costs half a second per run)."""
    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", lambda: tmp_path_factory.mktemp("shipped"))


def keys(risks: list[Any]) -> list[tuple[str, str, str]]:
    return [(r.kind, r.vendor, r.criterion) for r in risks]


def test_the_register_of_the_built_workspace_exactly(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    ws.commercials.set(ids["Gamma"], {"exit_cost": "0", "notice_months": 0, "currency": "EUR"})
    ws.commercials.set(ids["Acme"], {"exit_cost": "5000", "currency": "EUR", "renewal": "auto"})
    risks = ws.risks.list()
    assert [(r.kind, r.vendor, r.criterion, r.impact, r.likelihood) for r in risks] == [
        ("knockout", "Beta", "core/dpa", 5, 5),
        ("low_score_heavy", "Acme", "core/security", 4, 3),
        # one level up on Acme's security ties Gamma for first; one level up on Beta's DPA lifts the knock-out;
        # one level down on Gamma's security ties Acme (first becomes joint first)
        ("assertion_decisive", "Acme", "core/security", 4, 3),
        ("assertion_decisive", "Beta", "core/dpa", 4, 3),
        ("assertion_decisive", "Gamma", "core/security", 4, 3),
        ("lock_in", "Acme", "", 3, 3),
        ("lock_in", "Beta", "", 3, 3),
        ("do_nothing", "", "", 3, 2),
    ]
    by_key = {(r.kind, r.vendor, r.criterion): r for r in risks}
    assert by_key[("knockout", "Beta", "core/dpa")].cause == \
        "No DPA (level 0 is below the minimum): the vendor is knocked out"
    assert by_key[("low_score_heavy", "Acme", "core/security")].cause == \
        "level 1 of 4 on a criterion of weight 2"
    assert by_key[("assertion_decisive", "Acme", "core/security")].cause == \
        "level 1 has no evidence linked; one level up or down changes the vendor's rank"
    assert by_key[("lock_in", "Acme", "")].cause == "exit cost EUR 5,000; renews automatically"
    assert by_key[("lock_in", "Beta", "")].cause == "no exit terms recorded (exit cost and notice period unknown)"
    assert by_key[("knockout", "Beta", "core/dpa")].criterion_title == "Data processing agreement"
    assert [r.vendor for r in ws.risks.list(ids["Acme"])] == ["Acme", "Acme", "Acme"]


def test_linked_evidence_takes_away_the_decisive_risk(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    card = ws.store.scorecards(vendor_id=ids["Acme"])[0]
    e = ws.evidence.add_note(ids["Acme"], "Pen test report 2026", title="Pen test")
    ws.scorecards.set_score(card.id, "security", level=1, strength=EvidenceStrength.OWN_TEST, evidence_ids=[e.id])
    assert ("assertion_decisive", "Acme", "core/security") not in keys(ws.risks.list())
    assert ("low_score_heavy", "Acme", "core/security") in keys(ws.risks.list())


def test_a_contradicted_claim_is_a_risk_on_its_criterion(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    card = ws.store.scorecards(vendor_id=ids["Gamma"])[0]
    claim = ws.claims.add(ids["Gamma"], "Our outputs are always accurate")
    ws.scorecards.set_score(card.id, "quality", level=2, claim_ids=[claim.id])
    ws.claims.set_status(claim.id, ClaimStatus.CONTRADICTED, "our own test found errors")
    other = ws.claims.add(ids["Gamma"], "We never store prompts")
    ws.claims.set_status(other.id, ClaimStatus.CONTRADICTED, "the DPA says 30 days")
    found = [r for r in ws.risks.list() if r.kind == "contradicted_claim"]
    assert [(r.vendor, r.criterion, r.cause) for r in found] == [
        ("Gamma", "", "1 contradicted claim behind no score: “We never store prompts”"),
        ("Gamma", "core/quality", "the score rests on a contradicted claim: “Our outputs are always accurate”"),
    ]


def test_low_agreement_between_evaluators(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    card = ws.scorecards.create(ids["Acme"], "core", evaluator="bob")
    for cid, level in (("dpa", 4), ("security", 3), ("quality", 2)):  # agrees with ann on 1 of 3
        ws.scorecards.set_score(card.id, cid, level=level, strength=EvidenceStrength.OWN_TEST)
    found = [r for r in ws.risks.list() if r.kind == "low_agreement"]
    assert [(r.vendor, r.cause) for r in found] == [
        ("Acme", "the evaluators gave the same level on 33 % of the 3 criteria two or more of them rated "
                 "(below 70 %)")]
    for cid, level in (("security", 1), ("quality", 4)):  # now all three alike
        ws.scorecards.set_score(card.id, cid, level=level)
    assert not [r for r in ws.risks.list() if r.kind == "low_agreement"]


def test_stale_evidence_and_claims(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    e = ws.evidence.add_note(ids["Beta"], "ISO 27001 certificate", title="ISO 27001")
    ageing = AgeingService(ws)
    ageing.set_evidence_dates(e.id, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    c = ws.claims.add(ids["Beta"], "SOC 2 Type II in progress")
    ageing.set_review_by(c.id, dt.date(2025, 7, 1))
    found = [r for r in ws.risks.list(as_of=dt.date(2025, 7, 10)) if r.kind == "stale"]
    assert len(found) == 1 and found[0].vendor == "Beta"
    assert found[0].cause.startswith("2 items past the review date: ")
    assert "ISO 27001" in found[0].cause and "SOC 2 Type II" in found[0].cause
    assert not [r for r in ws.risks.list(as_of=dt.date(2025, 6, 1)) if r.kind == "stale"]


def test_what_users_write_persists_while_the_cause_does_and_returns_with_it(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    risk = ws.risks.set(ids["Acme"], "low_score_heavy", "core/security", owner="Dana (CISO)",
                        mitigation="Pen test before signing", residual="Medium", impact="5")
    assert (risk.owner, risk.mitigation, risk.residual, risk.impact, risk.likelihood, risk.rated) == \
        ("Dana (CISO)", "Pen test before signing", "Medium", 5, 3, True)
    assert ws.risks.list()[1].key == risk.key  # 5 x 3 = 15: right after the knock-out
    card = ws.store.scorecards(vendor_id=ids["Acme"])[0]
    ws.scorecards.set_score(card.id, "security", level=3)  # the cause goes
    assert ("low_score_heavy", "Acme", "core/security") not in keys(ws.risks.list())
    assert [n.owner for n in ws.risks.notes()] == ["Dana (CISO)"]  # kept, not shown
    ws.scorecards.set_score(card.id, "security", level=0)  # and comes back
    back = next(r for r in ws.risks.list() if r.key == risk.key)
    assert (back.owner, back.mitigation, back.residual, back.impact) == \
        ("Dana (CISO)", "Pen test before signing", "Medium", 5)
    entries = [e for e in ws.history(ids["Acme"]) if e.entity == "risk"]
    assert sorted(e.field for e in entries) == ["impact", "mitigation", "owner", "residual"]


def test_setting_a_risk_that_is_not_listed_or_on_an_old_revision_is_refused(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path)
    with pytest.raises(RiskError):
        ws.risks.set(ids["Gamma"], "knockout", "core/dpa", owner="x")
    with pytest.raises(RiskError):
        ws.risks.set(ids["Beta"], "knockout", "", owner="x")
    with pytest.raises(RiskError):
        ws.risks.set("", "do_nothing", "", likelihood=6)
    first = ws.risks.set("", "do_nothing", "", owner="Board", expected_revision=0)
    ws.risks.set("", "do_nothing", "", mitigation="Keep the pilot running")
    with pytest.raises(StaleEdit):
        ws.risks.set("", "do_nothing", "", owner="CEO", expected_revision=first.revision)
    assert ws.risks.list()[-1].owner == "Board"


def test_cli_risks_list_and_set(cli: Any, data_dir: Path, tmp_path: Path) -> None:
    from vendoreval.services import Workspace

    w = Workspace(data_dir, evaluator="ann")
    risk_workspace(w, tmp_path)
    w.close()
    r = cli("risks", "set", "Beta", "knockout", "--criterion", "core/dpa", "--owner", "Procurement",
            "--mitigation", "Ask for a signed DPA", "--likelihood", "4")
    assert r.code == 0, r.err
    listed = json.loads(cli("risks", "list", "Beta", "--json").out)["risks"]
    assert [(x["kind"], x["criterion"], x["owner"], x["impact"], x["likelihood"]) for x in listed] == [
        ("knockout", "core/dpa", "Procurement", 5, 4), ("assertion_decisive", "core/dpa", "", 4, 3),
        ("lock_in", "", "", 3, 3)]
    assert cli("risks", "set", "-", "do_nothing", "--owner", "Board").code == 0
    assert "Board" in cli("risks", "list", "-").out
    bad = cli("risks", "set", "Beta", "knockout", "--criterion", "core/dpa", "--impact", "0")
    assert bad.code == 2 and bad.err.startswith("vendoreval: --impact:"), bad.err
    assert cli("risks", "set", "Beta", "nonsense", "--owner", "x").err.startswith("vendoreval: KIND:")
    assert cli("risks", "set", "Beta", "knockout", "--owner", "x").code == 2  # no such criterion listed
    assert cli("risks", "set", "Beta", "knockout", "--criterion", "core/dpa").code == 2  # nothing to set
    again = json.loads(cli("risks", "list", "Beta", "--json").out)["risks"]
    assert again == listed


def test_the_sample_workspace_has_commercials_and_owned_risks(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vendoreval.paths import rubrics_dir
    from vendoreval.services import Workspace
    from vendoreval.services.demo import load_sample

    monkeypatch.setattr("vendoreval.services.library.rubrics_dir", rubrics_dir)  # the sample needs the shipped ones
    w = Workspace(data_dir, evaluator="ann")
    try:
        load_sample(w)
        names = {v.id: v.name for v in w.vendors.list()}
        totals = {names[k]: (t.text() if t else None) for k, t in w.commercials.totals(list(names)).items()}
        assert totals == {"Lumen Copy": "EUR 139,000.00", "Brightwave Insights": "EUR 147,000.00",
                          "Pixelmuse Studio": "USD 40,000.00", "Nordlicht Personalisation": "EUR 136,000.00",
                          "Quillstack": "EUR 18,000.00"}
        owned = sorted((r.kind, r.vendor, r.criterion, r.owner) for r in w.risks.list() if r.owner)
        assert owned == [
            ("contradicted_claim", "Brightwave Insights", "training-data/own-model", "Maya Lind (Marketing Ops)"),
            ("do_nothing", "", "", "Head of Marketing"),
            ("knockout", "Nordlicht Personalisation", "gdpr/dpa", "Tom Okafor (Procurement)"),
            ("lock_in", "Lumen Copy", "", "Tom Okafor (Procurement)"),
            ("low_agreement", "Lumen Copy", "", "Maya Lind (Marketing Ops)"),
        ]
    finally:
        w.close()
