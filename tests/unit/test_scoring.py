"""Exact tests of every scoring rule in docs/scoring.md."""

from __future__ import annotations

import pytest

from tests.factories import claim, criterion, lvl, non, rubric
from vendoreval.domain.models import Answer, ClaimStatus, EvidenceStrength, Scorecard, ScorecardStatus
from vendoreval.domain.scoring import (
    agreement,
    combine_scorecards,
    criterion_spreads,
    krippendorff_alpha_ordinal,
    lower_median,
    overall_score,
    percent_agreement,
    rank,
    score_rubric,
    scorecards_that_count,
)

A = Answer


def test_weighted_mean_of_level_over_top():
    r = rubric(criteria=[criterion("a", weight=3), criterion("b", weight=1)])
    s = score_rubric(r, {"a": lvl("a", 4), "b": lvl("b", 2)})
    # (3 * 4/4 + 1 * 2/4) / 4 * 100 = 87.5
    assert s.claimed == pytest.approx(87.5)
    assert s.evidence_weighted == pytest.approx(87.5)  # verified by us: discount 1.0
    assert s.scored_share == 1.0


def test_unscored_and_not_disclosed_count_as_lowest_level():
    r = rubric(criteria=[criterion("a"), criterion("b"), criterion("c")])
    s = score_rubric(r, {"a": lvl("a", 4), "b": non("b", A.NOT_DISCLOSED)})
    assert s.claimed == pytest.approx(100 / 3)
    assert s.answered == 2 and s.total == 3
    assert s.scored_share == pytest.approx(2 / 3)


def test_not_applicable_drops_out_and_rest_renormalise():
    r = rubric(criteria=[criterion("a"), criterion("b", weight=5)])
    s = score_rubric(r, {"a": lvl("a", 3), "b": non("b", A.NOT_APPLICABLE)})
    assert s.claimed == pytest.approx(75.0)
    assert s.scored_share == 1.0


def test_all_not_applicable_has_no_score_and_drops_out_of_overall():
    r1 = rubric("one", [criterion("a")])
    r2 = rubric("two", [criterion("a")])
    s1 = score_rubric(r1, {"a": non("a", A.NOT_APPLICABLE)})
    s2 = score_rubric(r2, {"a": lvl("a", 2)})
    assert s1.claimed is None and s1.evidence_weighted is None
    o = overall_score([s1, s2], {"one": 5, "two": 1})
    assert o.claimed == pytest.approx(50.0)
    assert dict(o.rubric_shares) == {"two": 1.0}


def test_disclosed_no_scores_as_the_file_says():
    r = rubric(criteria=[
        criterion("train", disclosed_no=4),  # "do you train on our data?" "no" is the best answer
        criterion("na", disclosed_no="not_applicable"),
        criterion("low"),  # default: lowest level
    ])
    s = score_rubric(r, {"train": non("train", A.DISCLOSED_NO), "na": non("na", A.DISCLOSED_NO),
                         "low": non("low", A.DISCLOSED_NO)})
    # train counts 4/4, na drops out, low counts 0 -> 50
    assert s.claimed == pytest.approx(50.0)


def test_knockout_below_minimum_with_reason():
    r = rubric("gdpr", [criterion("dpa", knockout_below=2, knockout_reason="No DPA"), criterion("b")])
    s = score_rubric(r, {"dpa": lvl("dpa", 1), "b": lvl("b", 4)})
    assert s.knocked_out
    assert s.knockouts[0].reason == "No DPA"
    assert s.knockouts[0].level == 1 and s.knockouts[0].minimum == 2
    assert s.claimed == pytest.approx(62.5)  # keeps its scores
    ok = score_rubric(r, {"dpa": lvl("dpa", 2)})
    assert not ok.knocked_out


def test_not_disclosed_knocks_out_but_unscored_and_na_do_not():
    r = rubric("gdpr", [criterion("dpa", knockout_below=1)])
    assert score_rubric(r, {"dpa": non("dpa", A.NOT_DISCLOSED)}).knocked_out
    assert not score_rubric(r, {}).knocked_out
    assert not score_rubric(r, {"dpa": non("dpa", A.NOT_APPLICABLE)}).knocked_out


@pytest.mark.parametrize(
    ("strength", "discount"),
    [
        (EvidenceStrength.ASSERTION, 0.25),
        (EvidenceStrength.DOCUMENTATION, 0.5),
        (EvidenceStrength.CONTRACT, 0.75),
        (EvidenceStrength.CERTIFICATION, 0.9),
        (EvidenceStrength.OWN_TEST, 1.0),
    ],
)
def test_evidence_discounts(strength, discount):
    r = rubric(criteria=[criterion("a")])
    s = score_rubric(r, {"a": lvl("a", 4, strength)})
    assert s.claimed == pytest.approx(100.0)
    assert s.evidence_weighted == pytest.approx(100.0 * discount)
    assert s.gap == pytest.approx(100.0 * (1 - discount))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ClaimStatus.ASSERTED, 25.0),
        (ClaimStatus.DOCUMENTED, 50.0),
        (ClaimStatus.COMMITTED, 75.0),
        (ClaimStatus.VERIFIED, 90.0),
        (ClaimStatus.CONTRADICTED, 0.0),
        (ClaimStatus.DECLINED, 0.0),
    ],
)
def test_default_strength_follows_linked_claim(status, expected):
    r = rubric(criteria=[criterion("a")])
    c = claim(status)
    s = score_rubric(r, {"a": lvl("a", 4, None, ["c1"])}, {"c1": c})
    assert s.claimed == pytest.approx(100.0)
    assert s.evidence_weighted == pytest.approx(expected)


def test_strongest_claim_wins_and_contradiction_overrides():
    r = rubric(criteria=[criterion("a")])
    claims = {"x": claim(ClaimStatus.ASSERTED, "x"), "y": claim(ClaimStatus.COMMITTED, "y")}
    s = score_rubric(r, {"a": lvl("a", 4, None, ["x", "y"])}, claims)
    assert s.evidence_weighted == pytest.approx(75.0)
    claims["z"] = claim(ClaimStatus.CONTRADICTED, "z")
    s2 = score_rubric(r, {"a": lvl("a", 4, None, ["x", "y", "z"])}, claims)
    assert s2.evidence_weighted == 0.0


def test_verified_claim_evaluator_may_pick_own_test():
    r = rubric(criteria=[criterion("a")])
    claims = {"c1": claim(ClaimStatus.VERIFIED)}
    s = score_rubric(r, {"a": lvl("a", 4, EvidenceStrength.OWN_TEST, ["c1"])}, claims)
    assert s.evidence_weighted == pytest.approx(100.0)


def test_no_claim_and_no_strength_is_a_sales_assertion():
    r = rubric(criteria=[criterion("a")])
    s = score_rubric(r, {"a": lvl("a", 4, None)})
    assert s.evidence_weighted == pytest.approx(25.0)


def test_contradicted_claim_knocks_out_on_knockout_criterion():
    r = rubric(criteria=[criterion("dpa", knockout_below=2)])
    s = score_rubric(r, {"dpa": lvl("dpa", 4, None, ["c1"])}, {"c1": claim(ClaimStatus.CONTRADICTED)})
    assert s.knocked_out and s.knockouts[0].level == 0


def test_overall_weighted_mean_under_profile():
    r1, r2 = rubric("one", [criterion("a")]), rubric("two", [criterion("a")])
    s1 = score_rubric(r1, {"a": lvl("a", 4)})
    s2 = score_rubric(r2, {"a": lvl("a", 0)})
    o = overall_score([s1, s2], {"one": 3, "two": 1})
    assert o.claimed == pytest.approx(75.0)
    assert o.rubric_shares["one"] == pytest.approx(0.75)
    assert overall_score([s1, s2], {}).claimed == pytest.approx(50.0)  # missing weight = 1


def test_criterion_weight_override():
    r = rubric(criteria=[criterion("a", weight=1), criterion("b", weight=1)])
    s = score_rubric(r, {"a": lvl("a", 4), "b": lvl("b", 0)}, criterion_weights={"a": 3})
    assert s.claimed == pytest.approx(75.0)
    s0 = score_rubric(r, {"a": lvl("a", 4), "b": lvl("b", 0)}, criterion_weights={"b": 0})
    assert s0.claimed == pytest.approx(100.0)


def test_lower_median():
    assert lower_median([3]) == 3
    assert lower_median([4, 1]) == 1
    assert lower_median([1, 2, 3, 4]) == 2
    assert lower_median([4, 0, 2]) == 2
    with pytest.raises(ValueError):
        lower_median([])


def _card(evaluator, scores, status=ScorecardStatus.SUBMITTED, version=1):
    return Scorecard(vendor_id="v", rubric_id="r", rubric_version="1.0", rubric_hash="h", evaluator=evaluator,
                     status=status, version=version, scores={s.criterion_id: s for s in scores})


def test_spread_median_and_flag():
    r = rubric(criteria=[criterion("a"), criterion("b"), criterion("c")])
    cards = [
        _card("ann", [lvl("a", 4), lvl("b", 2), non("c", A.NOT_DISCLOSED)]),
        _card("bob", [lvl("a", 1), lvl("b", 2), lvl("c", 3)]),
        _card("cy", [lvl("a", 3), lvl("b", 3)]),
    ]
    spreads = {s.criterion_id: s for s in criterion_spreads(r, cards)}
    assert spreads["a"].median == 3 and spreads["a"].spread == 3 and spreads["a"].flagged
    assert spreads["b"].median == 2 and spreads["b"].spread == 1 and not spreads["b"].flagged
    assert spreads["c"].levels == {"bob": 3} and spreads["c"].non_answers == {"ann": A.NOT_DISCLOSED}


def test_percent_agreement():
    assert percent_agreement([[1, 1], [2, 3], [4], [0, 0, 0]]) == pytest.approx(2 / 3)
    assert percent_agreement([[1]]) is None


def test_krippendorff_alpha_ordinal_hand_computed():
    # Two coders, three units: (1,1), (2,2), (3,3) perfect agreement -> 1.0
    assert krippendorff_alpha_ordinal([[1, 1], [2, 2], [3, 3]]) == pytest.approx(1.0)
    # Hand computation for units (0,1), (1,1):
    # pairs: o00=0, o01=1, o10=1, o11=2 ; n0=1, n1=3, n=4
    # ordinal delta^2(0,1) = (n0 + n1 - (n0+n1)/2)^2 = (4 - 2)^2 = 4
    # D_o = o01*4 + o10*4 = 8 ; D_e = n0*n1*4*2 = 24 ; alpha = 1 - (n-1)*8/24 = 1 - 3*8/24 = 0
    assert krippendorff_alpha_ordinal([[0, 1], [1, 1]]) == pytest.approx(0.0)
    assert krippendorff_alpha_ordinal([[2, 2], [2, 2]]) is None  # no variation: undefined
    assert krippendorff_alpha_ordinal([[1]]) is None


def test_krippendorff_matches_reference_example():
    # Krippendorff (2011) "Computing Krippendorff's alpha-reliability", the ordinal example with
    # 4 coders and 12 units (missing values dropped); published ordinal alpha = 0.815.
    units = [[1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
             [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3]]
    assert krippendorff_alpha_ordinal(units) == pytest.approx(0.815, abs=0.001)


def test_agreement_over_rubric_excludes_non_answers():
    r = rubric(criteria=[criterion("a"), criterion("b")])
    cards = [_card("ann", [lvl("a", 2), non("b", A.NOT_DISCLOSED)]), _card("bob", [lvl("a", 2), lvl("b", 1)])]
    ag = agreement(r, cards)
    assert ag.percent == 1.0
    assert ag.alpha is None
    assert ag.evaluators == ("ann", "bob")


def test_combine_takes_lower_median_and_na_only_when_unanimous():
    r = rubric(criteria=[criterion("a"), criterion("b"), criterion("c")])
    cards = [
        _card("ann", [lvl("a", 4), non("b", A.NOT_APPLICABLE), non("c", A.NOT_APPLICABLE)]),
        _card("bob", [lvl("a", 1), lvl("b", 3), non("c", A.NOT_APPLICABLE)]),
        _card("cy", [lvl("a", 2)]),
    ]
    combined = combine_scorecards(r, cards)
    assert combined["a"].level == 2
    assert combined["b"].level == 3
    assert combined["c"].answer == A.NOT_APPLICABLE


def test_scorecards_that_count_prefers_submitted_latest_versions():
    d = _card("ann", [], ScorecardStatus.DRAFT)
    s1 = _card("bob", [], ScorecardStatus.SUBMITTED, 1)
    s2 = _card("bob", [], ScorecardStatus.SUBMITTED, 2)
    assert scorecards_that_count([d, s1, s2]) == [s2]
    assert scorecards_that_count([d]) == [d]


def test_a_reopened_scorecard_keeps_counting_with_its_draft_scores():
    """Reopening a submitted scorecard (version + 1, back to draft) must not drop its evaluator from the
    totals while another evaluator's scorecard is submitted; a first draft still waits for its submit."""
    reopened = _card("ann", [], ScorecardStatus.DRAFT, 2)
    other = _card("bob", [], ScorecardStatus.SUBMITTED, 1)
    first_draft = _card("cy", [], ScorecardStatus.DRAFT, 1)
    assert scorecards_that_count([reopened, other, first_draft]) == [reopened, other]
    # a submitted version kept as its own row counts until the newer draft is submitted
    kept = _card("ann", [], ScorecardStatus.SUBMITTED, 1)
    assert scorecards_that_count([kept, reopened, other]) == [kept, other]
    assert scorecards_that_count([reopened, first_draft]) == [reopened, first_draft]  # nothing submitted


def test_rank_ties_share_rank_listed_by_name_knockouts_then_the_unscored_last():
    ranked = rank([("Zed", 80.0, False), ("Acme", 80.0, False), ("Best", 90.0, False),
                   ("Ko", 99.0, True), ("None", None, False), ("Also none", None, False)])
    assert [(r.name, r.rank) for r in ranked] == [
        ("Best", 1), ("Acme", 2), ("Zed", 2), ("Ko", 4), ("Also none", 5), ("None", 5)]


def test_vendors_nobody_scored_never_rank_above_a_scored_one_even_a_knocked_out_one():
    """A tester's workspace: one vendor scored (and knocked out), two not scored at all: the two showed first."""
    ranked = rank([("Lumière Labs", None, False), ("Northwind", None, False), ("Acme", 17.8, True)])
    assert [(r.name, r.rank) for r in ranked] == [("Acme", 1), ("Lumière Labs", 2), ("Northwind", 2)]


def test_worked_example_from_docs():
    """The worked example in docs/scoring.md, number for number."""
    r = rubric("gdpr", [
        criterion("dpa", weight=3, knockout_below=1, knockout_reason="No data processing agreement"),
        criterion("training", weight=2, disclosed_no=4),
        criterion("residency", weight=1),
        criterion("dpia", weight=1),
        criterion("breach", weight=1),
    ])
    claims = {
        "c-dpa": claim(ClaimStatus.COMMITTED, "c-dpa"),
        "c-res": claim(ClaimStatus.CONTRADICTED, "c-res"),
    }
    scores = {
        "dpa": lvl("dpa", 3, None, ["c-dpa"]),          # 3/4, contract 0.75
        "training": non("training", A.DISCLOSED_NO),     # counts as 4/4, sales assertion 0.25
        "residency": lvl("residency", 4, None, ["c-res"]),  # 4/4 claimed, contradicted -> 0
        "dpia": non("dpia", A.NOT_APPLICABLE),           # drops out
        # breach: unscored -> lowest level
    }
    s = score_rubric(r, scores, claims)
    # weights that count: 3 + 2 + 1 + 1 = 7
    # claimed  = (3*0.75 + 2*1 + 1*1 + 1*0) / 7 * 100 = 5.25/7*100 = 75.0
    # evidence = (3*0.75*0.75 + 2*1*0.25 + 1*0 + 1*0) / 7 * 100 = 2.1875/7*100 = 31.25
    assert s.claimed == pytest.approx(75.0)
    assert s.evidence_weighted == pytest.approx(31.25)
    assert s.gap == pytest.approx(43.75)
    assert s.answered == 4 and s.total == 5 and s.scored_share == pytest.approx(0.8)
    assert not s.knocked_out


def test_a_contradicted_claim_on_the_criterion_counts_without_being_linked_to_the_score() -> None:
    from tests.factories import lvl, rubric
    from vendoreval.domain.models import Claim, ClaimStatus, CriterionRef
    from vendoreval.domain.scoring import score_rubric

    r = rubric("r")
    scores = {"a": lvl("a", 4), "b": lvl("b", 4)}
    on_a = Claim(id="c1", vendor_id="v", text="All data stays in the EU", status=ClaimStatus.CONTRADICTED,
                 criteria=[CriterionRef(rubric_id="r", criterion_id="a")])
    elsewhere = on_a.model_copy(update={"id": "c2", "criteria": [CriterionRef(rubric_id="other", criterion_id="a")]})
    assert score_rubric(r, scores, {"c2": elsewhere}).evidence_weighted == 100.0  # another rubric's criterion
    got = score_rubric(r, scores, {"c1": on_a})
    assert (got.claimed, got.evidence_weighted) == (100.0, 50.0)
    assert [x.contradicted for x in got.criteria] == [True, False]
    documented = on_a.model_copy(update={"status": ClaimStatus.DOCUMENTED})
    assert score_rubric(r, scores, {"c1": documented}).evidence_weighted == 100.0  # only a contradiction counts
