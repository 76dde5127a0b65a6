"""The AI-washing signals panel and Compare print the tester's GDPR gap (53.33 claimed, 17.78 on evidence) by
one rule, the difference of the printed scores: "GDPR 53 → 18 (35)" as whole numbers and 35.5 with one decimal
(they printed 35, 35.6 and, in the brief, 35.5)."""

from __future__ import annotations

from vendoreval.domain.analysis import VendorInput, compare_vendors
from vendoreval.domain.scoring import RubricScore, score_gap
from vendoreval.domain.signals import area_gaps
from vendoreval.ui.models.comparison_model import fmt
from vendoreval.ui.widgets.signals_box import gap_words


def test_the_signals_panel_and_compare_print_the_gap_by_one_rule() -> None:
    gdpr = RubricScore("gdpr", "1.0", 160 / 3, 160 / 9, 1, 1, ())  # 53.33 and 17.78: a gap of 35.56
    c = compare_vendors([VendorInput("v", "Acme", {"gdpr": gdpr})], ["gdpr"], {"gdpr": 1.0},
                        rubric_titles={"gdpr": "GDPR"}, samples=0)
    assert gap_words(area_gaps(c.ranking[0], c)) == "GDPR 53 → 18 (35)"
    assert fmt(score_gap(c.ranking[0].claimed, c.ranking[0].overall)) == "35.5"
