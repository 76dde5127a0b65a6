"""How sure, honestly: the ranking under other discounts, without each evaluator, with unscored criteria
left out; the sentence on what would change the recommendation; the reasons the leader beats the runner-up."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import criterion, lvl, rubric
from vendoreval.domain.models import AgreedScore, Answer, EvidenceStrength, Score, Scorecard
from vendoreval.domain.rubric import Rubric
from vendoreval.domain.scoring import combine_scorecards, score_rubric
from vendoreval.domain.sensitivity import (
    AreaScores,
    ScenarioKind,
    VendorScores,
    printed_gap,
    reasons_ahead,
    sensitivity,
)

OWN, DOC, ASR = EvidenceStrength.OWN_TEST, EvidenceStrength.DOCUMENTATION, EvidenceStrength.ASSERTION
R = rubric("r")  # criteria a and b, weight 1 each, levels 0..4


def card(evaluator: str, *scores: Score, r: Rubric = R, vendor: str = "v") -> Scorecard:
    return Scorecard(vendor_id=vendor, rubric_id=r.id, rubric_version=r.version, rubric_hash=r.content_hash,
                     evaluator=evaluator, scores={s.criterion_id: s for s in scores})


def area(*cards: Scorecard, r: Rubric = R, weight: float = 1.0,
         agreed: dict[str, AgreedScore] | None = None) -> AreaScores:
    combined = combine_scorecards(r, list(cards), {}, agreed or {})
    return AreaScores(r, weight, score_rubric(r, combined), combined, tuple(cards), agreed or {})


def vendor(name: str, *areas: AreaScores) -> VendorScores:
    return VendorScores(name.lower(), name, tuple(areas))


def rows(result) -> list[tuple[str, str, str]]:
    return [(s.label, s.leader_text, s.change_text) for s in result.scenarios]


def test_documentation_at_075_puts_the_documented_vendor_first():
    # Acme (100 + 0) / 2 = 50 on its own tests; Beta (0.5 x 100 + 0.5 x 75) / 2 = 43.75 on documentation
    acme = vendor("Acme", area(card("ann", lvl("a", 4, OWN), lvl("b", 0, OWN))))
    beta = vendor("Beta", area(card("ann", lvl("a", 4, DOC), lvl("b", 3, DOC))))
    result = sensitivity([acme, beta], recommended="Acme")
    assert result.leaders == ("Acme",)
    assert rows(result) == [
        ("Documentation counted at 0.75 (not 0.5)", "Beta", "Yes: first place"),
        ("Sales assertions counted at 0 (not 0.25)", "Acme", "No"),
        ("Sales assertions counted as documentation (0.5)", "Acme", "No"),
        ("Unscored criteria left out (not counted as 0)", "Acme", "No"),
    ]
    assert result.sentence == (
        "The recommendation holds under sales assertions counted at 0, sales assertions counted as "
        "documentation and unscored criteria left out, but with documentation counted at 0.75, Beta would lead.")


def test_assertions_at_zero_and_at_documentation_level():
    # Acme 4/4 on an assertion (25) and 0; Beta 2/4 documented (25) and 0: tied; assertions decide it
    acme = vendor("Acme", area(card("ann", lvl("a", 4, ASR), lvl("b", 1, DOC))))  # 25 + 12.5 -> 18.75
    beta = vendor("Beta", area(card("ann", lvl("a", 3, DOC), lvl("b", 0, OWN))))  # 37.5 + 0 -> 18.75
    result = sensitivity([acme, beta])
    assert result.leaders == ("Acme", "Beta")  # tied on the brief's figures
    by_label = {s.label: s for s in result.scenarios}
    assert by_label["Sales assertions counted at 0 (not 0.25)"].leaders == ("Beta",)
    assert by_label["Sales assertions counted as documentation (0.5)"].leaders == ("Acme",)
    assert by_label["Documentation counted at 0.75 (not 0.5)"].leaders == ("Beta",)
    assert result.sentence == (
        "First place holds under unscored criteria left out, but with documentation counted at 0.75, Beta would "
        "lead; with sales assertions counted at 0, Beta would lead; and with sales assertions counted as "
        "documentation, Acme would lead.")


def test_leaving_out_each_evaluator():
    # Acme: Ann 4/4, Dana 1/1 -> lower median 1 -> 25; Beta: both 3/3 -> 75. Without Dana Acme has 100.
    acme = vendor("Acme", area(card("Ann", lvl("a", 4), lvl("b", 4)), card("Dana", lvl("a", 1), lvl("b", 1))))
    beta = vendor("Beta", area(card("Ann", lvl("a", 3), lvl("b", 3)), card("Dana", lvl("a", 3), lvl("b", 3))))
    result = sensitivity([acme, beta], recommended="Beta")
    assert result.leaders == ("Beta",)
    ev = [s for s in result.scenarios if s.kind == ScenarioKind.EVALUATOR]
    assert [(s.label, s.leader_text, s.top_changed) for s in ev] == [
        ("Without the scores of Ann", "Beta", False), ("Without the scores of Dana", "Acme", True)]
    assert result.sentence == (
        "The recommendation holds under documentation counted at 0.75, sales assertions counted at 0, sales "
        "assertions counted as documentation, without the scores of Ann and unscored criteria left out, but "
        "without the scores of Dana, Acme would lead.")


def test_no_evaluator_scenario_with_a_single_evaluator_per_area():
    acme = vendor("Acme", area(card("Ann", lvl("a", 4), lvl("b", 4))))
    beta = vendor("Beta", area(card("Dana", lvl("a", 3), lvl("b", 3))))
    result = sensitivity([acme, beta])
    assert not [s for s in result.scenarios if s.kind == ScenarioKind.EVALUATOR]


def test_agreed_scores_stay_when_an_evaluator_is_left_out():
    agreed = {"a": AgreedScore(vendor_id="acme", rubric_id="r", rubric_hash=R.content_hash, criterion_id="a",
                               answer=Answer.LEVEL, level=4, strength=OWN)}
    acme = vendor("Acme", area(card("Ann", lvl("a", 0), lvl("b", 2)), card("Dana", lvl("a", 0), lvl("b", 2)),
                               agreed=agreed))  # a agreed at 4: (100 + 50) / 2 = 75
    beta = vendor("Beta", area(card("Ann", lvl("a", 3), lvl("b", 2)), card("Dana", lvl("a", 3), lvl("b", 2))))
    result = sensitivity([acme, beta], recommended="Acme")  # 75 against 62.5
    assert result.leaders == ("Acme",)
    assert not result.changed
    assert result.sentence == (
        "Nothing tested changes the recommendation: documentation counted at 0.75, sales assertions counted at 0, "
        "sales assertions counted as documentation, each evaluator left out and unscored criteria left out.")


def test_unscored_criteria_left_out():
    acme = vendor("Acme", area(card("ann", lvl("a", 4))))  # b unscored: (100 + 0) / 2 = 50
    beta = vendor("Beta", area(card("ann", lvl("a", 3), lvl("b", 3))))  # 75
    result = sensitivity([acme, beta], recommended="Beta")
    unscored = result.scenarios[-1]
    assert (unscored.kind, unscored.leaders, unscored.top_changed) == (ScenarioKind.UNSCORED, ("Acme",), True)
    assert result.sentence.endswith(", but with unscored criteria left out, Acme would lead.")


def test_not_disclosed_still_counts_as_zero_when_unscored_are_left_out():
    acme = vendor("Acme", area(card("ann", lvl("a", 4), Score(criterion_id="b", answer=Answer.NOT_DISCLOSED))))
    beta = vendor("Beta", area(card("ann", lvl("a", 3), lvl("b", 3))))
    result = sensitivity([acme, beta])
    assert not result.scenarios[-1].top_changed


def test_weights_row_from_rank_stability():
    acme = vendor("Acme", area(card("ann", lvl("a", 4), lvl("b", 4))))
    beta = vendor("Beta", area(card("ann", lvl("a", 3), lvl("b", 3))))
    held = sensitivity([acme, beta], stability={"acme": 1.0, "beta": 1.0}, samples=1000, recommended="Acme")
    assert rows(held)[0] == ("Other weights (1,000 random draws, each area ±25 %)", "Acme", "No")
    assert held.sentence == (
        "Nothing tested changes the recommendation: other weights (1,000 draws), documentation counted at 0.75, "
        "sales assertions counted at 0, sales assertions counted as documentation and unscored criteria left out.")
    shaky = sensitivity([acme, beta], stability={"acme": 0.94, "beta": 0.94}, samples=1000, recommended="Acme")
    assert rows(shaky)[0][2] == "First place in 6 % of draws"
    assert shaky.sentence == (
        "The recommendation holds under documentation counted at 0.75, sales assertions counted at 0, sales "
        "assertions counted as documentation and unscored criteria left out, but in 6 % of 1,000 other "
        "weightings, Acme would not rank first.")


def test_first_place_not_the_recommendation_is_called_first_place():
    acme = vendor("Acme", area(card("ann", lvl("a", 4), lvl("b", 4))))
    beta = vendor("Beta", area(card("ann", lvl("a", 3), lvl("b", 3))))
    result = sensitivity([acme, beta], recommended="Beta")  # a recorded go for the second
    assert result.sentence.startswith("Nothing tested changes first place: ")


def test_one_vendor_no_vendor_and_all_knocked_out():
    ko = rubric("k", [criterion("a", knockout_below=2), criterion("b")])
    only = vendor("Acme", area(card("ann", lvl("a", 4), lvl("b", 4))))
    assert sensitivity([only]).sentence == (
        "Only one vendor is compared (Acme): no scenario can change who ranks first.")
    assert sensitivity([]).sentence == "There is nothing to rank yet."
    out1 = vendor("Acme", area(card("ann", lvl("a", 1), lvl("b", 4), r=ko), r=ko))
    out2 = vendor("Beta", area(card("ann", lvl("a", 0), lvl("b", 4), r=ko), r=ko))
    result = sensitivity([out1, out2])
    assert result.leaders == ()
    assert result.sentence == "No vendor passes the knock-out criteria, so there is no first place to test."
    assert result.scenarios[0].leader_text == "No vendor passes"


def test_order_below_first_place():
    acme = vendor("Acme", area(card("ann", lvl("a", 4), lvl("b", 4))))
    beta = vendor("Beta", area(card("ann", lvl("a", 2, OWN), lvl("b", 0, OWN))))  # 25
    gamma = vendor("Gamma", area(card("ann", lvl("a", 4, DOC), lvl("b", 0, DOC))))  # 25 -> 37.5 at 0.75
    result = sensitivity([acme, beta, gamma])
    doc = result.scenarios[0]
    assert (doc.leaders, doc.top_changed, doc.order_changed, doc.change_text) == (
        ("Acme",), False, True, "Only below first place")


# --- properties ---------------------------------------------------------------------------------

_level = st.integers(0, 4)
_strength = st.sampled_from(list(EvidenceStrength))
_maybe_b = st.one_of(st.none(), st.tuples(_level, _strength))


@st.composite
def _cards(draw: st.DrawFn) -> list[Scorecard]:
    n = draw(st.integers(1, 3))
    out = []
    for i in range(n):
        scores = [lvl("a", draw(_level), draw(_strength))]
        b = draw(_maybe_b)
        if b is not None:
            scores.append(lvl("b", b[0], b[1]))
        out.append(card(f"ev{i}", *scores))
    return out


@settings(max_examples=60, deadline=None)
@given(cards=_cards(), copies=st.integers(1, 3))
def test_identical_vendors_or_one_vendor_never_change(cards, copies):
    vendors = [VendorScores(f"v{i}", f"V{i}", (area(*cards),)) for i in range(copies)]
    result = sensitivity(vendors, stability={v.vendor_id: 1.0 for v in vendors}, samples=1000)
    assert len(result.leaders) == copies
    assert not any(s.top_changed or s.order_changed for s in result.scenarios)
    if copies > 1:
        assert result.sentence.startswith("Nothing tested changes first place: ")


@settings(max_examples=60, deadline=None)
@given(first=_cards(), second=_cards())
def test_scenarios_only_report_a_change_when_first_place_differs(first, second):
    vendors = [VendorScores("a", "A", (area(*first),)), VendorScores("b", "B", (area(*second),))]
    result = sensitivity(vendors)
    for s in result.scenarios:
        assert s.top_changed == (s.leaders != result.leaders)
        assert (s.top_changed and s.change_clause in result.sentence) or not s.top_changed
    assert bool(result.changed) == (" but " in result.sentence or "does not hold" in result.sentence)


# --- reasons ------------------------------------------------------------------------------------

W = rubric("w", [criterion("a", weight=3), criterion("b", weight=1)])


def test_reasons_name_the_criteria_adding_most_to_the_lead():
    acme = vendor("Acme", area(card("ann", lvl("a", 4, OWN), lvl("b", 2, OWN), r=W), r=W))  # 87.5
    beta = vendor("Beta", area(card("ann", lvl("a", 2, DOC), lvl("b", 4, OWN), r=W), r=W))  # 43.75
    assert reasons_ahead(acme, beta) == (
        "A (W, 75 % of the weight): Acme 100.0 (level 4 of 4, verified by us) against Beta 25.0 (level 2 of 4, "
        "public documentation) — 75.0 points ahead.",
    )


def test_reasons_are_at_most_three_and_gaps_are_differences_of_printed_figures():
    r4 = rubric("t", [criterion(c, n_levels=4) for c in "abcd"])  # levels 0..3
    acme = vendor("Acme", area(card("ann", *(lvl(c, 2) for c in "abcd"), r=r4), r=r4))  # 66.67 each
    beta = vendor("Beta", area(card("ann", *(lvl(c, 1) for c in "abcd"), r=r4), r=r4))  # 33.33 each
    reasons = reasons_ahead(acme, beta)
    assert len(reasons) == 3
    assert reasons[0] == ("A (T, 25 % of the weight): Acme 66.7 (level 2 of 3, verified by us) against Beta 33.3 "
                          "(level 1 of 3, verified by us) — 33.4 points ahead.")
    assert printed_gap(73.06, 38.34) == 34.8  # 73.1 - 38.3, not the unrounded 34.72


def test_reasons_start_with_the_runner_ups_knockout_and_say_what_it_lacks():
    ko = rubric("k", [criterion("a", knockout_below=2, knockout_reason="No DPA"), criterion("b")])
    acme = vendor("Acme", area(card("ann", lvl("a", 3), lvl("b", 2), r=ko), r=ko))
    beta = vendor("Beta", area(card("ann", lvl("a", 1), r=ko), r=ko))  # b not scored
    assert reasons_ahead(acme, beta) == (
        "Beta fails a knock-out criterion: No DPA (A: level 1, minimum 2).",
        "A (K, 50 % of the weight): Acme 75.0 (level 3 of 4, verified by us) against Beta 25.0 (level 1 of 4, "
        "verified by us) — 50.0 points ahead.",
        "B (K, 50 % of the weight): Acme 50.0 (level 2 of 4, verified by us) against Beta 0.0 (not scored) — "
        "50.0 points ahead.",
    )


def test_reasons_for_an_area_the_runner_up_was_not_scored_on():
    acme = vendor("Acme", area(card("ann", lvl("a", 4), lvl("b", 4))), area(card("ann", lvl("a", 4), lvl("b", 4),
                                                                              r=W), r=W))
    beta = vendor("Beta", area(card("ann", lvl("a", 4), lvl("b", 4))))
    assert reasons_ahead(acme, beta)[0] == (
        "A (W, 38 % of the weight): Acme 100.0 (level 4 of 4, verified by us); for Beta it is not scored.")


_GAP = re.compile(r": A (\d+\.\d) \(.*\) against B (\d+\.\d) \(.*\) — (-?\d+\.\d) points ahead\.$")


@settings(max_examples=80, deadline=None)
@given(first=_cards(), second=_cards())
def test_every_printed_gap_is_the_difference_of_the_printed_figures(first, second):
    a = VendorScores("a", "A", (area(*first),))
    b = VendorScores("b", "B", (area(*second),))
    reasons = reasons_ahead(a, b)
    assert len(reasons) <= 3
    for text in reasons:
        m = _GAP.search(text)
        assert m is not None, text
        mine, theirs, gap = (float(g) for g in m.groups())
        assert f"{gap:.1f}" == f"{mine - theirs:.1f}"
