"""The brief's content, computed purely: recommendation, ranking, risks, conditions, methodology, appendix."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import factories
from vendoreval.domain.models import Claim, ClaimStatus, Decision, Evidence, EvidenceKind, EvidenceStrength, Vendor
from vendoreval.domain.scoring import overall_score, score_rubric
from vendoreval.reports import brief_data as bd
from vendoreval.reports.fonts import markup, runs

DATE = dt.date(2026, 11, 27)


def rubric():  # type: ignore[no-untyped-def]
    return factories.rubric("gdpr", [
        factories.criterion("dpa", 1.0, knockout_below=2, knockout_reason="No DPA",
                            duty_applies_from="2018-05-25", sources=["GDPR Art. 28(3)"]),
        factories.criterion("summary", 1.0, duty_applies_from="2027-08-02", sources=["AI Act Art. 53"]),
    ], area="Privacy")


def vendor_input(name: str, levels: dict[str, int], strength: EvidenceStrength, *, decision: Decision =
                 Decision.NOT_STARTED, claims: tuple[Claim, ...] = (), evidence: tuple[Evidence, ...] = (),
                 conditions: list[str] | None = None) -> bd.VendorRecord:
    r = rubric()
    v = Vendor(id=name.lower(), name=name, decision=decision, conditions=conditions or [])
    scores = {cid: factories.lvl(cid, lv, strength) for cid, lv in levels.items()}
    card = factories_card(v.id, r, scores)
    rs = score_rubric(r, scores, {c.id: c for c in claims})
    return bd.VendorRecord(v, (bd.AreaInput(r, 1.0, (card,), scores, rs),), overall_score([rs], {"gdpr": 1.0}),
                          claims, evidence)


def factories_card(vendor_id: str, r, scores):  # type: ignore[no-untyped-def]
    from vendoreval.domain.models import Scorecard

    return Scorecard(vendor_id=vendor_id, rubric_id=r.id, rubric_version=r.version, rubric_hash=r.content_hash,
                     evaluator="ann", scores=scores)


def rank_input(v: bd.VendorRecord, rank: int, stability: float | None = 1.0) -> bd.RankInput:
    o = v.overall
    return bd.RankInput(v.vendor.id, rank, o.evidence_weighted, o.claimed, o.knocked_out,
                        tuple(k.describe() for k in o.knockouts), stability)


def brief(vendors: list[bd.VendorRecord], ranks: list[int], **opts) -> bd.BriefData:  # type: ignore[no-untyped-def]
    options = bd.BriefOptions(date=DATE, **opts)
    ranking = tuple(rank_input(v, r) for v, r in zip(vendors, ranks, strict=True))
    return bd.build_brief(bd.BriefInput(options, tuple(vendors), ranking, ("Flip sentence.",), "f" * 64))


def test_first_ranked_vendor_not_knocked_out_is_recommended() -> None:
    ko = vendor_input("Knocked", {"dpa": 1, "summary": 4}, EvidenceStrength.OWN_TEST)
    a = vendor_input("Acme", {"dpa": 4, "summary": 2}, EvidenceStrength.ASSERTION)
    b = vendor_input("Beta", {"dpa": 2, "summary": 2}, EvidenceStrength.OWN_TEST)
    data = brief([b, a, ko], [1, 2, 3])
    rec = data.summary.recommendation
    assert rec == bd.Recommendation("Beta", False, "Beta, the first-ranked vendor that passes every knock-out "
                                    "criterion (no decision recorded yet).")
    assert [r.vendor for r in data.summary.ranking] == ["Beta", "Acme", "Knocked"]
    knocked = data.summary.ranking[2]
    assert knocked.knocked_out and knocked.knockout_reasons == ("No DPA (DPA: level 1, minimum 2)",)
    # Beta: dpa 2/4 and summary 2/4 verified by us -> 50 claimed and 50 evidence-weighted
    assert data.summary.ranking[0].score == pytest.approx(50.0)
    assert data.summary.ranking[0].gap == pytest.approx(0.0)
    # Acme: (4/4 + 2/4)/2 = 75 claimed; x0.25 for sales assertions -> 18.75
    assert (data.summary.ranking[1].claimed, data.summary.ranking[1].score) == (pytest.approx(75.0),
                                                                              pytest.approx(18.75))
    assert data.summary.solidity == ("Flip sentence.", "The lead of Beta over Acme is 31.2 points.")
    assert data.summary.decision_asked == bd.default_decision(3)
    assert data.fingerprint == "f" * 64


def test_recorded_decision_wins_and_its_conditions_lead() -> None:
    a = vendor_input("Acme", {"dpa": 4, "summary": 2}, EvidenceStrength.ASSERTION)
    b = vendor_input("Beta", {"dpa": 3, "summary": 3}, EvidenceStrength.DOCUMENTATION,
                     decision=Decision.GO_WITH_CONDITIONS, conditions=["Audit rights"])
    data = brief([a, b], [1, 2], decision_asked="Sign Beta?")
    rec = data.summary.recommendation
    assert (rec.vendor, rec.recorded, rec.conditions) == ("Beta", True, ("Audit rights",))
    assert rec.text == "Go with conditions: Beta (recorded decision)."
    assert data.summary.decision_asked == "Sign Beta?"
    # the recorded conditions are the list the brief numbers, and the verdict on Compare counts the same
    assert data.summary.conditions == ("Audit rights",) == tuple(r.text for r in data.conditions)


def test_risks_of_the_recommended_vendor() -> None:
    contradicted = Claim(id="c1", vendor_id="acme", text="No training on your data",
                         status=ClaimStatus.CONTRADICTED)
    declined = Claim(id="c2", vendor_id="acme", text="Model size?", status=ClaimStatus.DECLINED)
    a = vendor_input("Acme", {"dpa": 4, "summary": 4}, EvidenceStrength.ASSERTION,
                     claims=(contradicted, declined))
    data = brief([a], [1])
    assert data.summary.risks == (
        "1 of Acme's claims is contradicted by the evidence.",
        "Acme's evidence-weighted score is 75.0 points below what it claims: much of its score rests on its "
        "own assertions.",
        "Acme declined to answer 1 question.",
        "A legal duty applies from 2027-08-02: SUMMARY (AI Act Art. 53).",
    )
    page = data.vendors[0]
    assert [c.text for c in page.contradicted] == ["No training on your data"]
    assert [c.text for c in page.key_claims] == ["Model size?"]


def test_nobody_passes_the_knockouts() -> None:
    a = vendor_input("Acme", {"dpa": 0, "summary": 4}, EvidenceStrength.OWN_TEST)
    data = brief([a], [1])
    assert data.summary.recommendation.vendor is None
    assert data.summary.risks[0] == "No vendor passes every knock-out criterion."
    assert data.summary.conditions == ()


def test_methodology_duties_split_on_the_brief_date_and_appendix() -> None:
    ev = Evidence(id="e1", vendor_id="acme", kind=EvidenceKind.URL, url="https://x.test/dpa", title="DPA")
    claim = Claim(id="c1", vendor_id="acme", text="We sign DPAs", source="Website", page="2",
                  said_on=dt.date(2026, 1, 5), status=ClaimStatus.DOCUMENTED, evidence_ids=["e1"])
    a = vendor_input("Acme", {"dpa": 3, "summary": 1}, EvidenceStrength.CONTRACT, claims=(claim,), evidence=(ev,))
    data = brief([a], [1], organisation="Board & Co", title="")
    m = data.methodology
    assert [d.criterion for d in m.duties_in_force] == ["DPA"]
    assert [(d.criterion, d.applies_from) for d in m.duties_to_come] == [("SUMMARY", "2027-08-02")]
    assert m.rubrics[0].content_hash == rubric().content_hash
    assert m.agreement[0].evaluators == ("ann",) and m.agreement[0].alpha is None
    assert data.claims == (bd.AppendixClaim("Acme", bd.ClaimLine(
        "We sign DPAs", "document, Website, p. 2, 2026-01-05", "Documented", "URL: DPA — https://x.test/dpa")),)
    # both scores have an empty rationale: the annex leaves them out and says how many
    assert data.rationales == () and data.rationales_left_out == 2
    assert data.cover == bd.Cover("Board & Co", None, bd.DEFAULT_TITLE, "27 November 2026", bd.CONFIDENTIAL,
                                  "Law as in the rubric versions used (none records a review date): gdpr 1.0.",
                                  (("Purpose", "For decision"), ("Date", "27 November 2026")))
    assert data.header == f"Board & Co · {bd.DEFAULT_TITLE}"


def test_building_is_pure_and_repeatable() -> None:
    a = vendor_input("Acme", {"dpa": 4, "summary": 2}, EvidenceStrength.ASSERTION)
    assert brief([a], [1]) == brief([a], [1])


def test_markup_escapes_and_switches_fonts() -> None:
    assert markup('<b>&amp;</b> <font name="x">') == '&lt;b&gt;&amp;amp;&lt;/b&gt; &lt;font name="x"&gt;'
    assert markup("Acme 中文") == 'Acme <font name="DroidSansFallback">中文</font>'
    assert markup("") == "—" and markup(None, empty="") == ""
    assert [r.text for r in runs("go 🚀 now")] == ["go ", "[rocket]", " now"]


@pytest.mark.parametrize(("text", "label", "expected"), [
    ("", "Documented", False),
    ("   ", "", False),
    ("Documented: from the documents reviewed.", "Documented", False),
    ("Contractual: as the linked claim shows.", "Contractual", False),
    ("The vendor did not disclose this.", "", False),
    ("Not applicable to this product.", "", False),
    ("Documented", "Documented", False),
    ("Vendor figure: 400,000,000 images", "", True),
    ("Documented: the DPA's clause 9.2 allows sub-processors without notice.", "Documented", True),
    ("From the documents reviewed, retention is 30 days.", "", True),
])
def test_a_rationale_says_something_only_beyond_its_score_and_stock_phrases(text: str, label: str,
                                                                          expected: bool) -> None:
    assert bd.says_something(text, "Level", label) is expected


def test_the_annex_keeps_only_rationales_that_say_something() -> None:
    r = rubric()
    v = Vendor(id="acme", name="Acme")
    scores = {"dpa": factories.lvl("dpa", 3, EvidenceStrength.CONTRACT).model_copy(
                  update={"rationale": "Clause 9 of the signed DPA."}),
              "summary": factories.lvl("summary", 1, EvidenceStrength.CONTRACT).model_copy(
                  update={"rationale": "L1: from the documents reviewed."})}
    rs = score_rubric(r, scores, {})
    rec = bd.VendorRecord(v, (bd.AreaInput(r, 1.0, (factories_card(v.id, r, scores),), scores, rs),),
                          overall_score([rs], {"gdpr": 1.0}))
    data = brief([rec], [1])
    assert [(x.criterion, x.rationale) for x in data.rationales] == [("DPA", "Clause 9 of the signed DPA.")]
    assert data.rationales_left_out == 1
    assert [t for t, _ in data.glossary] == ["Out of 100", "Claimed", "Evidence-weighted", "Gap", "Knocked out",
                                             "Keeps rank"]


def test_knocked_out_vendors_get_a_short_mark_and_a_lettered_note() -> None:
    rows = [bd.RankRow(i + 1, name, name.lower(), 10.0, 20.0, 10.0, ko, reasons, None, "", ())
            for i, (name, ko, reasons) in enumerate([
                ("Alpha", False, ()), ("Beta", True, ("No DPA (DPA: level 0, minimum 2)",)),
                ("Gamma", True, ()), ("Delta", True, ("No DPA", "No copyright policy"))])]
    marks, notes = bd.knockout_notes(rows)
    assert marks == {"Beta": "Yes, note a", "Gamma": "Yes", "Delta": "Yes, note b"}
    assert notes == [("a", "Beta", "No DPA (DPA: level 0, minimum 2)"), ("b", "Delta", "No DPA; No copyright policy")]


def test_note_letters_run_past_z() -> None:
    assert [bd._note_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]
