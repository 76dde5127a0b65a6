"""The brief PDF states the law's date, the duties starting within 12 months and the crosswalk annex."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.integration.test_brief_pdf import text_of
from tests.unit.test_brief_law import ai_act, gdpr
from vendoreval.domain.models import EvidenceStrength
from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.workspace import Workspace


def test_brief_pdf_says_law_as_of_lists_soon_duties_and_the_crosswalk(data_dir: Path, tmp_path: Path) -> None:
    ws = Workspace(data_dir, evaluator="ann")
    try:
        for r in (ai_act(), gdpr()):
            ws.library.remember(r)
        v = ws.vendors.create("Acme")
        for r in (ai_act(), gdpr()):
            card = ws.scorecards.create(v.id, r.id, r.version)
            for c in r.criteria:
                ws.scorecards.set_score(card.id, c.id, "level", level=3, strength=EvidenceStrength.CONTRACT)
            ws.scorecards.submit(card.id)
        out = tmp_path / "brief.pdf"
        BriefService(ws).export(BriefRequest(date=dt.date(2026, 12, 3), title="Law check", decision=""), out)
    finally:
        ws.close()
    text = text_of(out)
    assert text.count("Lawasof15November2026.") == 2  # cover and methodology
    soon = text.index("Legaldutiesstartingwithinthenext12months(by3December2027)")
    later = text.index("Legaldutiesstartinglater")
    assert soon < text.index("NoAIthatgeneratesnon-consensualintimateimagery", soon) < later
    assert soon < text.index("AIActArt.26", soon) < later
    assert text.index("AnnexIhigh-riskduties", soon) > later
    crosswalk = text.index("CrosswalktoISO/IEC42001andNISTAIRMF")
    assert text.index("A.9.2,A.6.2.6", crosswalk) < text.index("GOVERN6.1", crosswalk)
    ids_used = text.index("Idsused", crosswalk)
    assert text.index("ISO/IEC42001:A.6.2.6Operation;A.9.2Responsibleuse.", ids_used) > ids_used
    assert text.index("NISTAIRMF:GOVERN1.1Legalduties;GOVERN6.1Thirdparties.", ids_used) > ids_used
