"""Proposed conditions (domain/conditions.py): which criteria yield which proposal, in which words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.factories import criterion, lvl, non, rubric
from vendoreval.domain.conditions import (
    ConditionWording,
    RubricInput,
    derive_proposals,
    parse_key,
    proposal_key,
    reconcile_texts,
)
from vendoreval.domain.context import EngagementContext
from vendoreval.domain.models import Answer, Claim, ClaimStatus, Condition, CriterionRef, EvidenceStrength
from vendoreval.domain.scoring import score_rubric
from vendoreval.services.conditions import load_wording

WORDING = load_wording()  # the shipped rubrics/data/condition-wording.toml


def _training():
    return rubric("training-data", [
        criterion("own-model", 2.5, title="Own model or wrapper"),
        criterion("source-decomposition", 2.0),
        criterion("light", 1.0),
        criterion("unlisted-heavy", 3.0, title="Heavy thing"),
    ])


def _gdpr():
    return rubric("gdpr", [criterion("dpa", 1.0, knockout_below=2, title="DPA"), criterion("other", 1.0)])


def _claim(cid: str, status: ClaimStatus, *refs: str, text: str = "We use our own model") -> Claim:
    return Claim(id=cid, vendor_id="v", text=text, status=status, criteria=[CriterionRef.parse(r) for r in refs])


def _derive(scores_by_rubric, claims=(), **kw):
    inputs = []
    claim_map = {c.id: c for c in claims}
    for r, scores in scores_by_rubric:
        inputs.append(RubricInput(r, None if scores is None else score_rubric(r, scores, claim_map,
                                                                               criterion_weights=kw.get("cw"))))
    kw.pop("cw", None)
    return derive_proposals("v", inputs, claims, WORDING, **kw)


def test_each_cause_on_heavy_and_knockout_criteria_yields_the_listed_words():
    claims = [_claim("x", ClaimStatus.CONTRADICTED, "training-data:source-decomposition", text="We list every source")]
    t = _training()
    scores = {
        "own-model": lvl("own-model", 3, strength=EvidenceStrength.ASSERTION),  # assertion, weight 2.5
        "source-decomposition": lvl("source-decomposition", 2, strength=None, claims=["x"]),  # contradicted
        "light": lvl("light", 1, strength=EvidenceStrength.ASSERTION),  # weight 1: never proposed
        "unlisted-heavy": non("unlisted-heavy", Answer.NOT_DISCLOSED),  # declined, generic words
    }
    g = _gdpr()
    gdpr_scores = {"dpa": lvl("dpa", 3, strength=EvidenceStrength.ASSERTION),  # knock-out criterion, weight 1
                   "other": lvl("other", 0, strength=EvidenceStrength.ASSERTION)}
    got = _derive([(t, scores), (g, gdpr_scores)], claims)
    assert [(p.key, p.text) for p in got] == [
        ("derived:assertion:gdpr/dpa", "Provide a signed DPA"),  # knock-outs first
        ("derived:declined:training-data/unlisted-heavy", "Answer in writing: Heavy thing"),  # weight 3
        ("derived:assertion:training-data/own-model", "Disclose the model provider"),  # weight 2.5
        ("derived:contradicted:training-data/source-decomposition", "Break down the training data by source"),
    ]
    why = {p.criterion_id: p.why for p in got}
    assert why["dpa"] == "DPA (a knock-out criterion): it rests on a sales assertion only"
    assert why["source-decomposition"] == ("SOURCE-DECOMPOSITION (weight 2): a claim on it is contradicted"
                                           " - “We list every source”")
    assert {p.kind for p in got} == {"assertion", "declined", "contradicted"}


def test_stronger_evidence_gives_no_proposal_and_a_contradiction_picks_its_own_words():
    t = _training()
    claims = [_claim("c", ClaimStatus.CONTRADICTED, "training-data:own-model")]
    scores = {"own-model": lvl("own-model", 3, strength=EvidenceStrength.CONTRACT, claims=["c"]),
              "source-decomposition": lvl("source-decomposition", 4, strength=EvidenceStrength.DOCUMENTATION)}
    got = _derive([(t, scores)], claims)
    assert [(p.key, p.text) for p in got] == [
        ("derived:contradicted:training-data/own-model",
         "Name the third-party model behind the product and correct the sales material"),
    ]


def test_claims_alone_propose_for_unscored_criteria_and_assertions_yield_to_scores():
    t = _training()
    claims = [
        _claim("a", ClaimStatus.ASSERTED, "training-data:own-model"),  # unscored: proposed
        _claim("b", ClaimStatus.ASSERTED, "training-data:source-decomposition"),  # scored as verified: not
        _claim("d", ClaimStatus.DECLINED, "training-data:unlisted-heavy"),  # unscored rubric version
        _claim("e", ClaimStatus.DOCUMENTED, "training-data:light"),
    ]
    scores = {"source-decomposition": lvl("source-decomposition", 4, strength=EvidenceStrength.OWN_TEST)}
    got = _derive([(t, scores)], claims)
    assert [p.key for p in got] == ["derived:declined:training-data/unlisted-heavy",
                                    "derived:assertion:training-data/own-model"]
    # a vendor with no scorecard at all: the claims still propose (every vendor, not only the recommended one)
    got = _derive([(t, None)], claims)
    assert [p.key for p in got] == ["derived:declined:training-data/unlisted-heavy",
                                    "derived:assertion:training-data/own-model",
                                    "derived:assertion:training-data/source-decomposition"]


def test_the_profile_weight_decides_what_is_heavy():
    t = _training()
    scores = {"light": lvl("light", 2, strength=EvidenceStrength.ASSERTION),
              "own-model": lvl("own-model", 2, strength=EvidenceStrength.ASSERTION)}
    got = _derive([(t, scores)], cw={"light": 2.0, "own-model": 1.5})
    assert [p.key for p in got] == ["derived:assertion:training-data/light"]
    assert got[0].text == "Back with documents or a contract clause: LIGHT"
    assert got[0].weight == 2.0
    # unscored, from claims only: the profile's "rubric:criterion" weights count
    claims = [_claim("a", ClaimStatus.ASSERTED, "training-data:light")]
    got = derive_proposals("v", [RubricInput(t, None)], claims, WORDING,
                           criterion_weights={"training-data:light": 2.0})
    assert [p.key for p in got] == ["derived:assertion:training-data/light"]


def test_accepted_and_dropped_proposals_are_not_proposed_again_but_a_worse_cause_is():
    t = _training()
    scores = {"own-model": lvl("own-model", 2, strength=EvidenceStrength.ASSERTION),
              "source-decomposition": non("source-decomposition", Answer.NOT_DISCLOSED)}
    accepted = [Condition(vendor_id="v", number=1, text="Disclose the model provider",
                          origin="derived:contradicted:training-data/own-model")]
    got = _derive([(t, scores)], accepted=accepted, dropped=["derived:declined:training-data/source-decomposition"])
    assert got == []
    claims = [_claim("c", ClaimStatus.CONTRADICTED, "training-data:source-decomposition")]
    got = _derive([(t, scores)], claims, dropped=["derived:declined:training-data/source-decomposition"])
    assert [p.key for p in got] == ["derived:assertion:training-data/own-model",
                                    "derived:contradicted:training-data/source-decomposition"]


def test_not_applicable_criteria_propose_nothing():
    t = _training()
    scores = {"own-model": non("own-model", Answer.NOT_APPLICABLE)}
    assert _derive([(t, scores)], [_claim("a", ClaimStatus.ASSERTED, "training-data:own-model")]) == []
    assert _derive([(t, {})], [], context=EngagementContext()) == []


def test_keys_and_wording_file_rules():
    assert proposal_key("declined", "gdpr", "dpa") == "derived:declined:gdpr/dpa"
    assert parse_key("derived:declined:gdpr/dpa") == ("declined", "gdpr", "dpa")
    assert parse_key("manual") is None and parse_key("derived:odd:gdpr/dpa") is None
    w = ConditionWording.from_data({"criteria": {"r": {"a": {"declined": "Say it"}}}})
    c = _training().criteria[0]
    assert w.text("declined", "r", c.model_copy(update={"id": "a"})) == "Say it"
    assert w.text("assertion", "r", c.model_copy(update={"id": "a"})) == "Back with documents or a contract clause: " \
                                                                           "Own model or wrapper"
    for bad in ({"generic": {"oops": "x"}}, {"criteria": {"r": {"a": 3}}}, {"criteria": {"r": {"a": {"x": "y"}}}}):
        try:
            ConditionWording.from_data(bad)
        except ValueError as exc:
            assert "condition wording" in str(exc)
        else:
            raise AssertionError(bad)


def test_every_shipped_wording_names_a_real_criterion():
    from vendoreval.domain.rubric import load_rubric_file
    from vendoreval.paths import rubrics_dir

    ids = {(r.id, c.id) for r in map(load_rubric_file, sorted(rubrics_dir().glob("*.toml"))) for c in r.criteria}
    assert set(WORDING.criteria) <= ids
    assert ("gdpr", "dpa") in WORDING.criteria and ("copyright", "ip-indemnity") in WORDING.criteria
    assert WORDING.criteria[("copyright", "ip-indemnity")]["any"] == "Raise the indemnity cap above 12 months' fees"


def _records(texts):
    return [Condition(vendor_id="v", number=i, text=t, owner=f"o{i}") for i, t in enumerate(texts, start=1)]


def test_reconcile_keeps_records_whose_text_stays_and_edits_in_place():
    old = _records(["A", "B", "C"])
    new = reconcile_texts("v", old, ["C", "A2", "B"])  # same length: A2 takes over A's record
    assert [(c.number, c.text, c.owner) for c in new] == [(1, "C", "o3"), (2, "A2", "o1"), (3, "B", "o2")]
    assert [c.id for c in new] == [old[2].id, old[0].id, old[1].id]
    fewer = reconcile_texts("v", old, ["Z", " ", "B"])
    assert [(c.number, c.text, c.owner) for c in fewer] == [(1, "Z", ""), (2, "B", "o2")]
    assert fewer[0].id not in {c.id for c in old}


@given(st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), max_size=8),
       st.lists(st.sampled_from(["A", "B", "C", "D", "F"]), max_size=8))
def test_reconcile_reads_back_the_texts_numbered_1_to_n(before, after):
    new = reconcile_texts("v", _records(before), after)
    assert [c.text for c in new] == after
    assert [c.number for c in new] == list(range(1, len(after) + 1))
    assert len({c.id for c in new}) == len(new)


def test_the_decision_rule_counts_condition_records():
    import pytest

    from vendoreval.domain.rules import DecisionError, check_decision

    record = Condition(vendor_id="v", number=1, text="Provide a signed DPA")
    check_decision("go_with_conditions", [record])
    with pytest.raises(DecisionError, match="needs at least one condition"):
        check_decision("go_with_conditions", [])
    with pytest.raises(DecisionError, match=r"takes no conditions \(1 given\)"):
        check_decision("go", [record])
