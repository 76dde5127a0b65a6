"""The brief's legal currency: 'law as of' the oldest review date, duties starting within 12 months (from
criteria and from a rubric's own duties), and the crosswalk annex."""

from __future__ import annotations

import datetime as dt

from tests import factories
from tests.unit.test_brief_data import factories_card
from vendoreval.domain.models import EvidenceStrength, Vendor
from vendoreval.domain.rubric import Rubric
from vendoreval.domain.scoring import overall_score, score_rubric
from vendoreval.domain.verdict import duties_soon, law_as_of, legal_duties
from vendoreval.reports import brief_data as bd

DATE = dt.date(2026, 12, 3)


def ai_act(reviewed: str | None = "2026-12-01") -> Rubric:
    extra = {"law_reviewed_on": reviewed} if reviewed else {}
    return factories.rubric("ai-act", [
        factories.criterion("deployer", duty_applies_from="2027-12-02", sources=["AI Act Art. 26"],
                            crosswalk=[{"framework": "iso42001", "id": "A.9.2", "title": "Responsible use"},
                                       {"framework": "nist-ai-rmf", "id": "GOVERN 1.1", "title": "Legal duties"},
                                       {"framework": "iso42001", "id": "A.6.2.6", "title": "Operation"}]),
        factories.criterion("prohibited", duty_applies_from="2025-02-02", sources=["AI Act Art. 5"]),
        factories.criterion("plain"),
    ], version="2026.12-test", area="EU AI Act", duties=[
        {"duty": "Mark synthetic output of systems placed on the market before 2026-08-02",
         "source": "AI Act Art. 50(2)", "applies_from": "2026-12-02"},
        {"duty": "No AI that generates non-consensual intimate imagery", "source": "AI Act Art. 5 (new)",
         "applies_from": "2026-12-04"},
        {"duty": "Annex I high-risk duties", "source": "AI Act Art. 113", "applies_from": "2028-08-02"},
    ], **extra)


def gdpr(reviewed: str | None = "2026-11-15") -> Rubric:
    extra = {"law_reviewed_on": reviewed} if reviewed else {}
    return factories.rubric("gdpr", [
        factories.criterion("dpa", crosswalk=[{"framework": "nist-ai-rmf", "id": "GOVERN 6.1",
                                               "title": "Third parties"}]),
        factories.criterion("retention"),
    ], area="GDPR", **extra)


def brief(*rubrics: Rubric) -> bd.BriefData:
    v = Vendor(id="acme", name="Acme")
    areas = []
    results = []
    for r in rubrics:
        scores = {c.id: factories.lvl(c.id, 3, EvidenceStrength.CONTRACT) for c in r.criteria}
        rs = score_rubric(r, scores, {})
        results.append(rs)
        areas.append(bd.AreaInput(r, 1.0, (factories_card(v.id, r, scores),), scores, rs))
    record = bd.VendorRecord(v, tuple(areas), overall_score(results, {r.id: 1.0 for r in rubrics}))
    o = record.overall
    rank = bd.RankInput("acme", 1, o.evidence_weighted, o.claimed, o.knocked_out, (), 1.0)
    return bd.build_brief(bd.BriefInput(bd.BriefOptions(date=DATE), (record,), (rank,), (), "f" * 64))


def test_law_as_of_is_the_oldest_review_date_of_the_rubrics_used() -> None:
    data = brief(ai_act(), gdpr())
    assert data.methodology.law == "Law as of 15 November 2026."
    assert data.cover.law == "Law as of 15 November 2026."


def test_a_rubric_without_a_review_date_is_named_with_its_version() -> None:
    assert brief(ai_act(), gdpr(None)).methodology.law == (
        "Law as of 1 December 2026 (the oldest review date of the rubrics used; no review date recorded for "
        "gdpr 1.0).")
    assert brief(ai_act(None), gdpr(None)).methodology.law == (
        "Law as in the rubric versions used (none records a review date): ai-act 2026.12-test, gdpr 1.0.")


def test_law_as_of_counts_each_rubric_version_once() -> None:
    found = law_as_of([gdpr(), gdpr(), ai_act()])
    assert found.reviewed_on == dt.date(2026, 11, 15) and found.undated == ()


def test_duties_within_twelve_months_come_from_criteria_and_rubric_duties() -> None:
    m = brief(ai_act(), gdpr()).methodology
    # 2026-12-02 is in force on 3 December 2026; 2027-12-02 is 364 days away; 2028-08-02 is too far
    assert [(d.criterion, d.applies_from) for d in m.duties_soon] == [
        ("No AI that generates non-consensual intimate imagery", "2026-12-04"),
        ("DEPLOYER", "2027-12-02"),
    ]
    assert "Mark synthetic output of systems placed on the market before 2026-08-02" in [
        d.criterion for d in m.duties_in_force]
    assert [d.applies_from for d in m.duties_to_come] == ["2026-12-04", "2027-12-02", "2028-08-02"]
    assert m.soon_until == "3 December 2027"


def test_the_twelve_month_window_is_365_days() -> None:
    assert [d.criterion for d in duties_soon([ai_act()], dt.date(2026, 12, 1))] == [
        "Mark synthetic output of systems placed on the market before 2026-08-02",
        "No AI that generates non-consensual intimate imagery",
    ]  # the Art. 26 duty on 2027-12-02 is 366 days away


def test_rubric_duties_name_their_source() -> None:
    in_force, to_come = legal_duties([ai_act()], DATE)
    art50 = next(d for d in in_force if d.sources == "AI Act Art. 50(2)")
    assert art50.rubric_id == "ai-act" and art50.applies_from == "2026-12-02"
    assert {d.sources for d in to_come} == {"AI Act Art. 5 (new)", "AI Act Art. 26", "AI Act Art. 113"}


def test_crosswalk_annex_has_one_compact_table_per_rubric_that_maps_any() -> None:
    data = brief(ai_act(), gdpr(), factories.rubric("plain", area="Plain"))
    tables = {t.rubric_id: t for t in data.crosswalks}
    assert set(tables) == {"ai-act", "gdpr"}
    assert tables["ai-act"].frameworks == ("ISO/IEC 42001", "NIST AI RMF")
    assert tables["ai-act"].rows == (bd.CrosswalkRow("DEPLOYER", ("A.9.2, A.6.2.6", "GOVERN 1.1")),)
    assert tables["gdpr"].rows == (bd.CrosswalkRow("DPA", ("—", "GOVERN 6.1")),)


def test_crosswalk_annex_gives_each_id_its_short_title_once_in_the_standards_order() -> None:
    data = brief(ai_act(), gdpr(), factories.rubric("plain", area="Plain"))
    assert data.crosswalk_titles == (
        ("ISO/IEC 42001", ("A.6.2.6 Operation", "A.9.2 Responsible use")),
        ("NIST AI RMF", ("GOVERN 1.1 Legal duties", "GOVERN 6.1 Third parties")),
    )
    assert brief(factories.rubric("plain", area="Plain")).crosswalk_titles == ()


def test_crosswalk_ids_sort_by_number_and_nist_function() -> None:
    r = factories.rubric("x", [factories.criterion("a", crosswalk=[
        {"framework": "iso42001", "id": "A.10.2", "title": "Ten"},
        {"framework": "iso42001", "id": "A.9.4", "title": "Nine"},
        {"framework": "nist-ai-rmf", "id": "MANAGE 1.3", "title": "Manage"},
        {"framework": "nist-ai-rmf", "id": "MEASURE 2.10", "title": "Measure ten"},
        {"framework": "nist-ai-rmf", "id": "MEASURE 2.7", "title": "Measure seven"},
        {"framework": "nist-ai-rmf", "id": "MAP 4.1", "title": "Map"},
    ])])
    assert bd.crosswalk_titles([r]) == (
        ("ISO/IEC 42001", ("A.9.4 Nine", "A.10.2 Ten")),
        ("NIST AI RMF", ("MAP 4.1 Map", "MEASURE 2.7 Measure seven", "MEASURE 2.10 Measure ten", "MANAGE 1.3 Manage")),
    )
