"""The verdict: who is recommended and in which words, the risks, the conditions (domain/verdict.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tests import factories
from vendoreval.domain.models import Claim, ClaimStatus, Decision, EvidenceStrength, Scorecard, Vendor
from vendoreval.domain.rubric import Rubric
from vendoreval.domain.scoring import overall_score, rank, score_rubric
from vendoreval.domain.verdict import (
    MAX_CONDITIONS,
    MAX_RISKS,
    AreaFacts,
    RankedVendor,
    Verdict,
    VerdictKind,
    decide_verdict,
    legal_duties,
)

DATE = dt.date(2026, 11, 27)
_GO = (Decision.GO, Decision.GO_WITH_CONDITIONS)


def privacy(version: str = "1.0") -> Rubric:
    return factories.rubric("gdpr", [
        factories.criterion("dpa", 1.0, knockout_below=2, knockout_reason="No DPA",
                            duty_applies_from="2018-05-25", sources=["GDPR Art. 28(3)"]),
        factories.criterion("summary", 1.0, duty_applies_from="2027-08-02", sources=["AI Act Art. 53"]),
    ], area="Privacy", version=version)


def vendor(name: str, dpa: int, summary: int, strength: EvidenceStrength = EvidenceStrength.OWN_TEST, *,
           decision: Decision = Decision.NOT_STARTED, conditions: tuple[str, ...] = (),
           claims: tuple[Claim, ...] = (), rubric: Rubric | None = None) -> tuple[Vendor, AreaFacts]:
    r = rubric or privacy()
    v = Vendor(id=name.lower(), name=name, decision=decision, conditions=list(conditions))
    scores = {"dpa": factories.lvl("dpa", dpa, strength), "summary": factories.lvl("summary", summary, strength)}
    card = Scorecard(vendor_id=v.id, rubric_id=r.id, rubric_version=r.version, rubric_hash=r.content_hash,
                     evaluator="ann", scores=scores)
    return v, AreaFacts(r, 1.0, score_rubric(r, scores, {c.id: c for c in claims}), (card,))


def ranked(*entries: tuple[Vendor, AreaFacts], claims: dict[str, tuple[Claim, ...]] | None = None,
           stability: float = 1.0) -> list[RankedVendor]:
    """The vendors in the order the scoring rules rank them (knocked out last)."""
    overall = {v.id: overall_score([a.score], {a.rubric.id: 1.0}) for v, a in entries}
    by_name = {v.name: (v, a) for v, a in entries}
    order = rank((v.name, overall[v.id].evidence_weighted, overall[v.id].knocked_out) for v, _ in entries)
    out = []
    for r in order:
        v, a = by_name[r.name]
        o = overall[v.id]
        out.append(RankedVendor(v, r.rank, o.evidence_weighted, o.knocked_out, o, (a,),
                                (claims or {}).get(v.id, ()), stability))
    return out


def test_first_ranked_vendor_that_passes_is_recommended_with_conditions_from_weak_evidence() -> None:
    rows = ranked(vendor("Knocked", 1, 4), vendor("Acme", 4, 2, EvidenceStrength.ASSERTION),
                  vendor("Beta", 2, 2, EvidenceStrength.DOCUMENTATION))
    assert [r.vendor.name for r in rows] == ["Beta", "Acme", "Knocked"]
    v = decide_verdict(rows, DATE)
    assert (v.kind, v.vendor, v.recorded) == (VerdictKind.RECOMMEND_WITH_CONDITIONS, "Beta", False)
    assert v.text == "Beta, the first-ranked vendor that passes every knock-out criterion (no decision recorded yet)."
    assert v.conditions == ("Commit in the contract: DPA (now resting on public documentation).",
                            "Commit in the contract: SUMMARY (now resting on public documentation).")
    assert v.headline == "Recommended: Beta — with 2 conditions from the evidence"
    assert v.risks == ("Beta's evidence-weighted score is 25.0 points below what it claims: much of its score "
                       "rests on its own assertions.",
                       "A legal duty applies from 2027-08-02: SUMMARY (AI Act Art. 53).")
    assert v.main_risk == v.risks[0]
    assert v.lead == "The lead of Beta over Acme is 6.2 points."


def test_a_recorded_go_wins_over_the_ranking_and_its_conditions_lead() -> None:
    rows = ranked(vendor("Acme", 4, 4), vendor("Beta", 3, 3, EvidenceStrength.DOCUMENTATION,
                                                decision=Decision.GO_WITH_CONDITIONS, conditions=("Audit rights",)))
    v = decide_verdict(rows, DATE)
    assert (v.vendor, v.recorded, v.recorded_conditions) == ("Beta", True, ("Audit rights",))
    assert v.text == "Go with conditions: Beta (recorded decision)."
    # the recorded conditions are the list (the brief numbers them); the evidence's proposals are counted apart
    assert v.conditions == ("Audit rights",)
    assert v.headline == "Recommended: Beta — with 1 recorded condition"
    plain = decide_verdict(ranked(vendor("Acme", 4, 4, decision=Decision.GO), vendor("Beta", 3, 3)), DATE)
    assert (plain.kind, plain.text, plain.headline) == (VerdictKind.RECOMMEND, "Go: Acme (recorded decision).",
                                                         "Recommended: Acme")


def test_a_go_that_fails_a_knockout_is_not_recommended_and_is_the_first_risk() -> None:
    rows = ranked(vendor("Acme", 4, 4), vendor("Beta", 1, 4, decision=Decision.GO))
    v = decide_verdict(rows, DATE)
    assert (v.kind, v.vendor, v.headline) == (VerdictKind.NO_RECOMMENDATION, None, "No recommendation")
    assert v.text == "No recommendation: the recorded go decision on Beta fails a knock-out criterion."
    assert v.risks[0] == ("Beta is decided go but fails a knock-out criterion: No DPA (DPA: level 1, minimum 2).")
    assert v.conditions == ()
    # another go that passes is recommended, with the overruled one still named as a risk
    rows = ranked(vendor("Acme", 4, 4, decision=Decision.GO), vendor("Beta", 1, 4, decision=Decision.GO))
    v = decide_verdict(rows, DATE)
    assert (v.vendor, v.recorded) == ("Acme", True)
    assert v.risks[0].startswith("Beta is decided go but fails a knock-out criterion")


def unscored(name: str, decision: Decision = Decision.NOT_STARTED) -> RankedVendor:
    """A vendor nobody has scored: no scorecard, no overall."""
    return RankedVendor(Vendor(id=name.lower(), name=name, decision=decision), 0, None, False, overall_score([], {}))


def test_a_go_on_a_vendor_nobody_scored_recommends_nobody_and_is_named_as_a_risk() -> None:
    """A tester recorded Go for a vendor with no scorecard: Compare and the board's draft resolution named it."""
    knocked = ranked(vendor("Acme", 1, 4))
    rows = [*knocked, unscored("Lumière Labs", Decision.GO), unscored("Northwind")]
    v = decide_verdict(rows, DATE)
    assert (v.kind, v.vendor, v.recorded, v.headline) == (VerdictKind.NO_RECOMMENDATION, None, False,
                                                          "No recommendation")
    assert v.text == "No recommendation: the recorded go decision on Lumière Labs rests on no scores."
    assert "Lumière Labs is decided go but has no scores: none of its claims has been checked against a rubric." in (
        v.risks)
    assert any("Score it first" in r for r in v.reasons)
    # with conditions too; and beside a go that fails a knock-out, both are said
    both = decide_verdict([*ranked(vendor("Acme", 1, 4, decision=Decision.GO)),
                           unscored("Lumière Labs", Decision.GO_WITH_CONDITIONS)], DATE)
    assert both.text == ("No recommendation: the recorded go decision on Acme fails a knock-out criterion; "
                         "the recorded go decision on Lumière Labs rests on no scores.")
    # a scored go is still recommended; the unscored go stays a risk
    scored = decide_verdict([*ranked(vendor("Beta", 3, 3, decision=Decision.GO)),
                             unscored("Lumière Labs", Decision.GO)], DATE)
    assert (scored.vendor, scored.recorded) == ("Beta", True)
    assert any(r.startswith("Lumière Labs is decided go but has no scores") for r in scored.risks)
    # without any go, an unscored vendor is never the fallback either (as before)
    fallback = decide_verdict([unscored("Northwind"), *ranked(vendor("Beta", 3, 3))], DATE)
    assert fallback.vendor == "Beta"


def test_a_no_go_leader_is_passed_over() -> None:
    rows = ranked(vendor("Acme", 4, 4, decision=Decision.NO_GO), vendor("Beta", 3, 3), vendor("Gamma", 0, 4))
    v = decide_verdict(rows, DATE)
    assert v.vendor == "Beta" and not v.recorded
    assert v.text == ("Beta, the first-ranked vendor that passes every knock-out criterion and is not decided "
                      "no-go (no go decision recorded yet).")
    assert "Ranked higher but decided no-go: Acme." in v.reasons
    nobody = decide_verdict(ranked(vendor("Acme", 4, 4, decision=Decision.NO_GO), vendor("Gamma", 0, 4)), DATE)
    assert nobody.vendor is None
    assert nobody.text == "No recommendation: every vendor that passes the knock-out criteria is decided no-go."


def test_nobody_passes_the_knockouts() -> None:
    v = decide_verdict(ranked(vendor("Acme", 0, 4)), DATE)
    assert v.vendor is None and v.kind == VerdictKind.NO_RECOMMENDATION
    assert v.text == ("No recommendation: no vendor with a score passes every knock-out criterion "
                      "(no decision recorded yet).")
    assert v.risks[0] == "No vendor passes every knock-out criterion."
    assert decide_verdict([], DATE) == Verdict(VerdictKind.NO_RECOMMENDATION, None, None, False, v.text)


def test_risks_of_the_recommended_vendor_most_serious_first_and_capped() -> None:
    contradicted = Claim(id="c1", vendor_id="acme", text="No training on your data", status=ClaimStatus.CONTRADICTED)
    declined = Claim(id="c2", vendor_id="acme", text="Model size?", status=ClaimStatus.DECLINED)
    rows = ranked(vendor("Acme", 4, 4, EvidenceStrength.ASSERTION), claims={"acme": (contradicted, declined)},
                  stability=0.5)
    v = decide_verdict(rows, DATE)
    assert v.risks == (
        "1 of Acme's claims is contradicted by the evidence.",
        "Acme's evidence-weighted score is 75.0 points below what it claims: much of its score rests on its "
        "own assertions.",
        "Acme declined to answer 1 question.",
        "The ranking is fragile: the leader keeps first place in only 50% of random weightings.",
        "A legal duty applies from 2027-08-02: SUMMARY (AI Act Art. 53).",
    )
    # the legal duty is in force a year later: no longer a risk to come
    assert not any("legal duty" in r for r in decide_verdict(rows, dt.date(2027, 9, 1)).risks)


def test_the_lead_is_over_the_next_vendor_that_passes_the_knockouts() -> None:
    # Knocked scores more than Acme but ranks after it: a "lead" over it would be negative
    rows = ranked(vendor("Acme", 2, 2), vendor("Knocked", 1, 4), vendor("Beta", 2, 1))
    assert [r.vendor.name for r in rows] == ["Acme", "Beta", "Knocked"]
    assert decide_verdict(rows, DATE).lead == "The lead of Acme over Beta is 12.5 points."
    assert decide_verdict(ranked(vendor("Acme", 2, 2), vendor("Knocked", 1, 4)), DATE).lead == ""


def test_legal_duties_of_two_versions_of_a_rubric_are_listed_once() -> None:
    in_force, to_come = legal_duties([privacy("1.0"), privacy("1.1")], DATE)
    assert [(d.criterion, d.applies_from) for d in in_force] == [("DPA", "2018-05-25")]
    assert [(d.criterion, d.applies_from) for d in to_come] == [("SUMMARY", "2027-08-02")]


# --- properties ---------------------------------------------------------------------------------

levels = st.integers(0, 4)
conditions = st.lists(st.sampled_from(["Audit rights", "Exit plan", "Cap liability"]), min_size=1, max_size=3,
                      unique=True)


@st.composite
def vendors(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(0, 6))
    out = []
    for i in range(n):
        decision = draw(st.sampled_from(list(Decision)))
        conds = tuple(draw(conditions)) if decision == Decision.GO_WITH_CONDITIONS else ()
        out.append(vendor(f"V{i}", draw(levels), draw(levels), draw(st.sampled_from(list(EvidenceStrength))),
                          decision=decision, conditions=conds))
    return ranked(*out, stability=draw(st.floats(0, 1)))


@given(vendors())
def test_never_recommends_a_knocked_out_or_no_go_vendor_and_follows_the_ranking(rows: list[RankedVendor]) -> None:
    v = decide_verdict(rows, DATE)
    pick = next((r for r in rows if r.vendor.id == v.vendor_id), None)
    assert (pick is None) == (v.vendor is None) == (v.kind == VerdictKind.NO_RECOMMENDATION)
    go = [r for r in rows if r.vendor.decision in _GO and not r.knocked_out]
    open_ = [r for r in rows if not r.knocked_out and r.score is not None and r.vendor.decision != Decision.NO_GO]
    if pick is not None:
        assert not pick.knocked_out and pick.vendor.decision != Decision.NO_GO
        # ranking-consistent: a recorded go, the best-ranked one; else the best-ranked vendor still open
        expected = go[0] if go else open_[0]
        assert pick is expected and v.recorded == bool(go)
        assert not any(r.rank < pick.rank for r in (go if go else open_))
        assert v.conditions[:len(pick.vendor.conditions)] == tuple(pick.vendor.conditions)[:MAX_CONDITIONS]
        assert (v.kind == VerdictKind.RECOMMEND_WITH_CONDITIONS) == bool(v.conditions)
        assert v.headline.startswith(f"Recommended: {pick.vendor.name}")
    else:
        blocked = [r for r in rows if r.vendor.decision in _GO and r.knocked_out]
        assert not go and (blocked or not open_)
        assert v.conditions == () and v.text.startswith("No recommendation")
    assert len(v.risks) <= MAX_RISKS and len(v.conditions) <= MAX_CONDITIONS
    assert decide_verdict(rows, DATE) == v  # pure
