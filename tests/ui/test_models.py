"""Every Qt item model passes qtmodeltester with real service results in it."""

from __future__ import annotations

from pathlib import Path

from vendoreval.domain.models import Answer
from vendoreval.services.workspace import Workspace
from vendoreval.ui.models.claims_model import ClaimsModel
from vendoreval.ui.models.criteria_model import CriteriaModel
from vendoreval.ui.models.evidence_model import EvidenceModel
from vendoreval.ui.models.history_model import HistoryModel
from vendoreval.ui.models.rubric_list_model import RubricListModel
from vendoreval.ui.models.scorecards_model import ScorecardRow, ScorecardsModel
from vendoreval.ui.models.vendor_list_model import VendorListModel, VendorRow


def _filled(ws: Workspace, tmp_path: Path) -> tuple[str, str]:
    v = ws.vendors.create("Acme", product="Gen")
    ws.vendors.create("Archived Co")
    ws.vendors.set_archived(ws.vendors.find("Archived Co").id, True)
    c = ws.claims.add(v.id, "We are GDPR compliant", source="DPA", page="3", said_to="CMO")
    f = tmp_path / "dpa.pdf"
    f.write_bytes(b"x" * 3000)
    ws.evidence.add_file(v.id, f, claim_ids=[c.id])
    ws.evidence.add_url(v.id, "https://acme.example/trust")
    card = ws.scorecards.create(v.id, "gdpr")
    rubric = ws.scorecards.rubric_of(card)
    ws.scorecards.set_score(card.id, rubric.criteria[0].id, Answer.LEVEL, level=2)
    ws.scorecards.set_score(card.id, rubric.criteria[1].id, Answer.NOT_APPLICABLE)
    return v.id, card.id


def test_models_pass_qtmodeltester(qtmodeltester, ws: Workspace, tmp_path: Path) -> None:
    vid, card_id = _filled(ws, tmp_path)
    vendor_model = VendorListModel()
    vendor_model.set_rows([VendorRow(t.vendor, t.overall.claimed, t.overall.evidence_weighted,
                                     t.overall.knocked_out) for t in ws.totals.vendor_totals(include_archived=True)])
    qtmodeltester.check(vendor_model)
    vendor_model.set_filter("acme", None, True)
    qtmodeltester.check(vendor_model)
    assert vendor_model.rowCount() == 1 and vendor_model.total() == len(vendor_model.rows()) > 1

    claims = ClaimsModel()
    claims.set_rows(ws.claims.list(vid))
    qtmodeltester.check(claims)
    assert claims.index(0, 2).data() == "DPA, p. 3, to CMO"

    evidence = EvidenceModel()
    evidence.set_rows(ws.evidence.list(vid))
    qtmodeltester.check(evidence)

    history = HistoryModel()
    history.set_rows(ws.history(vid))
    qtmodeltester.check(history)

    cards = ScorecardsModel()
    cards.set_rows([ScorecardRow(t.card, t.rubric.title, t.score.answered, t.score.total, t.score.claimed,
                                 t.score.evidence_weighted) for t in ws.totals.scorecard_totals(vendor_id=vid)])
    qtmodeltester.check(cards)
    assert cards.index(0, 4).data().startswith("2 of ")

    card = ws.scorecards.get(card_id)
    criteria = CriteriaModel()
    criteria.set_rubric(ws.scorecards.rubric_of(card), card.scores)
    qtmodeltester.check(criteria)
    assert criteria.answered() == 2
    assert criteria.index(0).data().startswith("✓") and criteria.index(2).data().startswith("○")

    rubrics = RubricListModel()
    rubrics.set_rows(ws.library.entries())
    qtmodeltester.check(rubrics)


def test_empty_models_pass_qtmodeltester(qtmodeltester) -> None:
    for model in (VendorListModel(), ClaimsModel(), EvidenceModel(), HistoryModel(), ScorecardsModel(),
                  RubricListModel(), CriteriaModel()):
        qtmodeltester.check(model)


def test_one_vendor_totals_equal_the_full_computation(ws: Workspace, tmp_path: Path) -> None:
    """The vendor list re-totals one edited vendor; that must give what the full computation gives."""
    vid, card_id = _filled(ws, tmp_path)
    full = {t.vendor.id: t.overall for t in ws.totals.vendor_totals(include_archived=True)}
    card = ws.scorecards.get(card_id)
    ws.scorecards.set_score(card_id, ws.scorecards.rubric_of(card).criteria[2].id, Answer.LEVEL, level=4)
    one = ws.totals.vendor_totals(vendor_ids=[vid], include_archived=True)[0].overall
    again = {t.vendor.id: t.overall for t in ws.totals.vendor_totals(include_archived=True)}
    assert one == again[vid] and one != full[vid]
