"""The brief's How sure block, built purely from the gathered data."""

from __future__ import annotations

from tests.unit.test_brief_data import DATE, brief, rank_input, vendor_input
from vendoreval.domain.models import Decision, EvidenceStrength
from vendoreval.reports import brief_data as bd


def test_how_sure_rows_sentence_and_reasons() -> None:
    # Beta 50 on its own tests; Acme (4/4 + 3/4) / 2 on documentation = 43.75, 65.6 at 0.75
    a = vendor_input("Acme", {"dpa": 4, "summary": 3}, EvidenceStrength.DOCUMENTATION)
    b = vendor_input("Beta", {"dpa": 2, "summary": 2}, EvidenceStrength.OWN_TEST)
    data = brief([b, a], [1, 2])
    h = data.how_sure
    assert h is not None
    assert h.rows[0] == bd.HowSureRow("Other weights (1,000 random draws, each area ±25 %)", "Beta", "No")
    assert h.rows[1] == bd.HowSureRow("Documentation counted at 0.75 (not 0.5)", "Acme", "Yes: first place")
    assert h.sentence.endswith("but with documentation counted at 0.75, Acme would lead.")
    assert h.sentence.startswith("The recommendation holds under other weights (1,000 draws), ")
    assert h.reasons_title == "Why Beta rather than Acme"
    assert h.reasons == (
        "SUMMARY (Privacy, 50 % of the weight): Beta 50.0 (level 2 of 4, verified by us) against Acme 37.5 "
        "(level 3 of 4, public documentation) — 12.5 points ahead.",)


def test_a_recorded_go_for_the_second_gives_no_reasons_and_speaks_of_first_place() -> None:
    a = vendor_input("Acme", {"dpa": 4, "summary": 4}, EvidenceStrength.OWN_TEST)
    b = vendor_input("Beta", {"dpa": 2, "summary": 2}, EvidenceStrength.OWN_TEST, decision=Decision.GO)
    h = brief([a, b], [1, 2]).how_sure
    assert h is not None
    assert h.reasons == () and h.reasons_title == ""
    assert h.sentence.startswith("Nothing tested changes first place: ")


def test_one_vendor() -> None:
    h = brief([vendor_input("Acme", {"dpa": 4, "summary": 4}, EvidenceStrength.OWN_TEST)], [1]).how_sure
    assert h is not None
    assert h.sentence == "Only one vendor is compared (Acme): no scenario can change who ranks first."
    assert h.reasons == ()


def test_the_reasons_compare_with_a_vendor_of_the_same_product_category() -> None:
    """The brief compared a copywriting tool with an image generator ('Why Lumen Copy rather than Pixelmuse
    Studio') while its annex said only vendors of one category are real alternatives."""
    import dataclasses

    a = vendor_input("Acme", {"dpa": 4, "summary": 3}, EvidenceStrength.OWN_TEST)
    b = vendor_input("Beta", {"dpa": 3, "summary": 3}, EvidenceStrength.OWN_TEST)
    c = vendor_input("Copy", {"dpa": 2, "summary": 2}, EvidenceStrength.OWN_TEST)
    options = bd.BriefOptions(date=DATE)
    ranking = tuple(rank_input(v, r) for v, r in zip([a, b, c], [1, 2, 3], strict=True))
    src = bd.BriefInput(options, (a, b, c), ranking, ("Flip sentence.",), "f" * 64)
    cases = ((a.vendor.id, "Copywriting", "", "", ""), (b.vendor.id, "Images", "", "", ""),
             (c.vendor.id, "copywriting ", "", "", ""))
    h = bd.build_brief(dataclasses.replace(src, cases=cases)).how_sure
    assert h is not None and h.reasons_title == "Why Acme rather than Copy"
    only_other = ((a.vendor.id, "Copywriting", "", "", ""), (b.vendor.id, "Images", "", "", ""))
    h = bd.build_brief(dataclasses.replace(src, cases=only_other)).how_sure
    assert h is not None
    assert h.reasons_title == "Why Acme rather than Beta (another product category: not a real alternative)"
    assert bd.build_brief(src).how_sure.reasons_title == "Why Acme rather than Beta"  # type: ignore[union-attr]
