"""The public record in the brief (Baselines 2/3): the FMTI score of the model's developer, the
contradiction of an own-model claim, and what is stale as of the brief's date (not today), on the
vendor's page; part of the fingerprint, so a brief still verifies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vendoreval.domain.models import EvidenceStrength
from vendoreval.services.ageing import AgeingService
from vendoreval.services.brief import BriefRequest, BriefService, VerifyStatus
from vendoreval.services.supply_chain import SupplyChainService
from vendoreval.services.workspace import Workspace


def _brightwave(ws: Workspace) -> str:
    v = ws.vendors.create("Brightwave")
    card = ws.scorecards.create(v.id, "viability")
    ws.scorecards.set_score(card.id, ws.scorecards.rubric_of(card).criteria[0].id, level=2,
                            strength=EvidenceStrength.DOCUMENTATION)
    claim = ws.claims.add(v.id, "Brightwave runs on our own proprietary foundation model.")
    AgeingService(ws).set_review_by(claim.id, dt.date(2026, 6, 30))
    SupplyChainService(ws).add(v.id, "OpenAI", "GPT-4o", version="2024-08-06")
    return v.id


def test_the_vendor_page_states_the_public_record_as_of_the_brief_date(ws: Workspace) -> None:
    vid = _brightwave(ws)
    before = BriefService(ws).build(BriefRequest(date=dt.date(2026, 6, 1)))
    (page,) = [p for p in before.vendors if p.vendor_id == vid]
    assert page.public_record == (
        "Brightwave is built on OpenAI GPT-4o (2024-08-06), whose developer OpenAI scores 35/100 in FMTI "
        "December 2025.",
        "Brightwave: “Brightwave runs on our own proprietary foundation model.” — Sold as own model; a "
        "third-party model is behind it: OpenAI GPT-4o (2024-08-06); OpenAI's FMTI 2025 score is 35/100.",
    )
    after = BriefService(ws).build(BriefRequest(date=dt.date(2026, 7, 15)))
    (page,) = [p for p in after.vendors if p.vendor_id == vid]
    assert page.public_record[-1] == ("1 claim or evidence item of Brightwave is past its review date as of "
                                      "2026-07-15.")
    assert before.fingerprint != after.fingerprint


def test_a_brief_with_a_public_record_verifies(ws: Workspace, tmp_path: Path) -> None:
    _brightwave(ws)
    out = tmp_path / "brief.pdf"
    svc = BriefService(ws)
    svc.export(BriefRequest(date=dt.date(2026, 7, 15)), out)
    assert svc.verify(out).status == VerifyStatus.MATCH
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages)
    assert "Public record" in text and "35/100" in text
