"""AI-washing signals (domain.signals): face-value vs evidence rank, largest gaps, ownership/training claims."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import criterion, lvl, rubric
from vendoreval.domain.analysis import Comparison, VendorInput, compare_vendors
from vendoreval.domain.models import Answer, Claim, ClaimStatus, CriterionRef, EvidenceStrength
from vendoreval.domain.scoring import CriterionResult, Knockout, RubricScore, score_rubric
from vendoreval.domain.signals import (
    Gap,
    ai_washing_signals,
    area_gaps,
    claim_signals,
    place,
)
from vendoreval.domain.supply_chain import ModelUse

A, D, V = EvidenceStrength.ASSERTION, EvidenceStrength.DOCUMENTATION, EvidenceStrength.OWN_TEST
R = rubric("r", [criterion("a"), criterion("b", weight=2)])


def _vendor(name: str, a: int, b: int, strength: EvidenceStrength, claims: list[str] | None = None,
            claim_map: dict[str, Claim] | None = None) -> VendorInput:
    scores = {"a": lvl("a", a, strength, claims), "b": lvl("b", b, strength)}
    return VendorInput(name.lower(), name, {"r": score_rubric(R, scores, claim_map or {})})


def _compare(*vendors: VendorInput) -> Comparison:
    return compare_vendors(list(vendors), ["r"], {"r": 1.0}, rubric_titles={"r": "Quality"}, samples=0,
                           criteria=[])


def test_place_words() -> None:
    assert [place(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


def test_face_value_rank_beside_the_evidence_rank() -> None:
    # claimed / evidence-weighted: Gamma 100 / 50, Acme 91.7 / 22.9, Beta 50 / 50, Delta 25 / 25
    c = _compare(_vendor("Acme", 3, 4, A), _vendor("Beta", 2, 2, V), _vendor("Gamma", 4, 4, D),
                 _vendor("Delta", 1, 1, V))
    s = ai_washing_signals(c)
    by = {v.name: v for v in s.vendors}
    assert [(v.name, v.face_rank, v.evidence_rank) for v in s.vendors] == [
        ("Beta", 3, 1), ("Gamma", 1, 1), ("Delta", 4, 3), ("Acme", 2, 4)]
    assert by["Acme"].rank_sentence == "At face value Acme would be 2nd; on evidence it is 4th."
    assert by["Beta"].rank_sentence == "At face value Beta would be 3rd; on evidence it is joint 1st."
    assert by["Delta"].rank_sentence == "At face value Delta would be 4th; on evidence it is 3rd."
    # the same place: nothing said in the rank sentence, and the other sentence says so
    assert by["Gamma"].rank_sentence == ""
    assert by["Gamma"].same_rank_sentence == "Gamma ranks the same on evidence as at face value: joint 1st."
    assert by["Acme"].same_rank_sentence == ""
    assert [v.name for v in s.moved] == ["Beta", "Delta", "Acme"]
    assert s.lines() == [by["Beta"].rank_sentence, by["Delta"].rank_sentence, by["Acme"].rank_sentence]


def test_a_tie_at_face_value_is_joint() -> None:
    c = _compare(_vendor("Acme", 4, 4, A), _vendor("Beta", 4, 4, V), _vendor("Gamma", 3, 3, V))
    by = {v.name: v for v in ai_washing_signals(c).vendors}
    assert by["Acme"].rank_sentence == "At face value Acme would be joint 1st; on evidence it is 3rd."
    assert by["Gamma"].rank_sentence == "At face value Gamma would be 3rd; on evidence it is 2nd."
    assert by["Beta"].rank_sentence == ""


def test_a_knock_out_resting_on_a_contradicted_claim_does_not_hold_at_face_value() -> None:
    r = rubric("r", [criterion("dpa", knockout_below=1, knockout_reason="No DPA"), criterion("b")])
    lie = Claim(id="x", vendor_id="beta", text="We sign your DPA", status=ClaimStatus.CONTRADICTED)
    beta = VendorInput("beta", "Beta", {"r": score_rubric(r, {"dpa": lvl("dpa", 4, V, ["x"]), "b": lvl("b", 4, V)},
                                                          {"x": lie})})
    acme = VendorInput("acme", "Acme", {"r": score_rubric(r, {"dpa": lvl("dpa", 2, V), "b": lvl("b", 2, V)})})
    none = VendorInput("none", "Nodpa", {"r": score_rubric(r, {"dpa": lvl("dpa", 0, V), "b": lvl("b", 4, V)})})
    c = compare_vendors([beta, acme, none], ["r"], {"r": 1.0}, samples=0)
    by = {v.name: v for v in ai_washing_signals(c).vendors}
    assert by["Beta"].rank_sentence == "At face value Beta would be 1st; on evidence it is joint 2nd, knocked out."
    assert not by["Beta"].face_knocked_out and by["Beta"].knocked_out
    # knocked out whatever it claims: level 0 is below the minimum at face value too
    assert by["Nodpa"].face_knocked_out
    assert by["Nodpa"].rank_sentence == ("At face value Nodpa would be 3rd, knocked out; on evidence it is joint 2nd, "
                                         "knocked out.")


def test_gaps_are_the_difference_of_the_printed_numbers() -> None:
    rs = RubricScore("r", "1.0", 12.6, 2.4, 1, 1, ())  # prints 13 and 2: the gap reads 11 (10.2 unrounded)
    rs2 = RubricScore("s", "1.0", 62.5, 37.5, 1, 1, ())  # 62 and 38 (as f"{x:.0f}" prints them): 24
    rs3 = RubricScore("t", "1.0", 40.0, 40.0, 1, 1, ())  # no gap: left out
    c = compare_vendors([VendorInput("v", "Acme", {"r": rs, "s": rs2, "t": rs3})], ["r", "s", "t"],
                        {"r": 1.0, "s": 1.0, "t": 1.0}, rubric_titles={"r": "Data", "s": "Security", "t": "Law"},
                        samples=0)
    gaps = area_gaps(c.ranking[0], c)
    assert gaps == (Gap("s", None, "Security", "Security", 62, 38), Gap("r", None, "Data", "Data", 13, 2))
    assert [g.points for g in gaps] == [24, 11]
    assert gaps[0].text() == "Security: claimed 62, on evidence 38 (gap 24)"


def test_criterion_gaps_largest_first_heavier_on_a_tie() -> None:
    c = compare_vendors([_vendor("Acme", 4, 4, A)], ["r"], {"r": 1.0}, rubric_titles={"r": "Quality"}, samples=0,
                        criteria=[])
    v = ai_washing_signals(c).vendors[0]
    # both criteria: claimed 100, evidence 25; b weighs 2 and comes first
    assert [g.text() for g in v.criterion_gaps] == ["b (Quality): claimed 100, on evidence 25 (gap 75)",
                                                    "a (Quality): claimed 100, on evidence 25 (gap 75)"]
    assert v.area_gaps[0].text() == "Quality: claimed 100, on evidence 25 (gap 75)"


def _claim(cid: str, text: str, status: ClaimStatus, *refs: str) -> Claim:
    return Claim(id=cid, vendor_id="v", text=text, status=status, criteria=[CriterionRef.parse(r) for r in refs])


def test_contradicted_ownership_and_training_data_claims_in_words() -> None:
    claims = [
        _claim("1", "We run on our own proprietary foundation model.", ClaimStatus.CONTRADICTED,
               "training-data:own-model", "viability:model-provider-dependency"),
        _claim("2", "Trained only on licensed stock photography.", ClaimStatus.CONTRADICTED,
               "training-data:licensed-data"),
        _claim("3", "We are ISO 27001 certified.", ClaimStatus.CONTRADICTED, "viability:security-certifications"),
        _claim("4", "Our own model writes the copy.", ClaimStatus.ASSERTED, "capabilities:what-it-does"),
    ]
    assert [s.sentence for s in claim_signals(claims)] == [
        "Sold as its own model; a third-party model is behind it (claim contradicted: “We run on our own "
        "proprietary foundation model.”).",
        "Its training data is not what it is sold as (claim contradicted: “Trained only on licensed stock "
        "photography.”).",
    ]
    gpt = ModelUse("v", "OpenAI", "GPT-4o", "2024-08-06")
    signals = claim_signals(claims, [gpt])
    assert [s.sentence for s in signals] == [
        "Sold as its own model; OpenAI GPT-4o (2024-08-06), a third-party model, is behind it (claim contradicted: "
        "“We run on our own proprietary foundation model.”).",
        "Its training data is not what it is sold as (claim contradicted: “Trained only on licensed stock "
        "photography.”).",
        "Sold as its own model; OpenAI GPT-4o (2024-08-06), a third-party model, is recorded behind it (claim "
        "asserted: “Our own model writes the copy.”).",
    ]
    assert [(s.kind, s.contradicted) for s in signals] == [("ownership", True), ("training_data", True),
                                                          ("ownership", False)]
    # with an own model recorded too, an own-model claim may be true for that part: no recorded-model signal
    assert len(claim_signals(claims, [gpt, ModelUse("v", "Acme", "Muse", own=True)])) == 2


def test_signals_by_vendor_and_a_long_claim_is_cut() -> None:
    long = "Our own model " + "is very good " * 30
    claims = {"acme": [_claim("1", long, ClaimStatus.CONTRADICTED, "training-data:own-model")]}
    c = _compare(_vendor("Acme", 4, 4, V), _vendor("Beta", 1, 1, V))
    s = ai_washing_signals(c, claims)
    acme = s.of("acme")
    assert acme is not None and s.of("nobody") is None
    sentence = acme.claims[0].sentence
    assert sentence.endswith("…”).") and len(sentence) < 260
    assert s.lines() == [f"Acme: {sentence}"]
    assert not s.of("beta").rank_differs  # type: ignore[union-attr]


def _rs(claimed: float, evidence: float, ko_level: int | None) -> RubricScore:
    """A rubric score; with ko_level, a knock-out criterion 'k' (minimum 1) at that claimed level."""
    if ko_level is None:
        return RubricScore("r", "1", claimed, evidence, 1, 1, ())
    cr = CriterionResult("k", 1.0, Answer.LEVEL, ko_level, 4, True, ko_level / 4, 0.0, None, 0.0)
    return RubricScore("r", "1", claimed, evidence, 1, 1, (cr,), (Knockout("r", "k", "K", 0, 1, "no"),))


_vendors = st.lists(
    st.tuples(st.sampled_from([0.0, 10.0, 25.0, 50.0, 75.0, 100.0]), st.floats(0, 1),
              st.one_of(st.none(), st.integers(0, 2))),
    min_size=1, max_size=7,
)


def _competition(ranks: list[int]) -> bool:
    """Ranks as sport gives them: 1, then each next one the previous or its position (1, 1, 3, 4, 4, 6)."""
    s = sorted(ranks)
    return s[0] == 1 and all(s[i] == s[i - 1] or s[i] == i + 1 for i in range(1, len(s)))


@settings(max_examples=150, deadline=None)
@given(_vendors)
def test_ranks_are_permutations_and_the_sentence_says_when_they_differ(
        spec: list[tuple[float, float, int | None]]) -> None:
    inputs = [VendorInput(f"v{i}", f"V{i}", {"r": _rs(c, c * share, ko)}) for i, (c, share, ko) in enumerate(spec)]
    s = ai_washing_signals(compare_vendors(inputs, ["r"], {"r": 1.0}, samples=0))
    face = [v.face_rank for v in s.vendors]
    evidence = [v.evidence_rank for v in s.vendors]
    assert all(f is not None for f in face)
    assert _competition([f for f in face if f is not None]) and _competition(evidence)
    if not any(v.face_tied for v in s.vendors):
        assert sorted(f for f in face if f is not None) == list(range(1, len(spec) + 1))
    if not any(v.evidence_tied for v in s.vendors):
        assert sorted(evidence) == list(range(1, len(spec) + 1))
    for v in s.vendors:
        assert bool(v.rank_sentence) == (v.face_rank != v.evidence_rank)
        assert bool(v.same_rank_sentence) == (v.face_rank == v.evidence_rank)
        assert [g.points for g in v.area_gaps] == sorted((g.points for g in v.area_gaps), reverse=True)
        assert all(g.points == g.claimed - g.evidence > 0 for g in v.area_gaps)
    assert [v.vendor_id for v in s.moved] == [v.vendor_id for v in s.vendors if v.face_rank != v.evidence_rank]
