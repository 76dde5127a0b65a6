"""The brief's 'Claimed versus verified' block (domain.signals) on the sample workspace."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdf

from vendoreval.services.brief import BriefRequest, BriefService, VerifyStatus
from vendoreval.services.demo import load_sample
from vendoreval.services.workspace import Workspace


def test_the_brief_says_who_would_rank_otherwise_at_face_value(ws: Workspace, tmp_path: Path) -> None:
    load_sample(ws)
    svc = BriefService(ws)
    data = svc.build(BriefRequest(date=dt.date(2026, 12, 1)), samples=0)
    assert data.signals is not None
    assert [v.rank_sentence for v in data.signals.moved] == [
        "At face value Pixelmuse Studio would be 3rd; on evidence it is 2nd.",
        "At face value Brightwave Insights would be 2nd; on evidence it is 3rd.",
    ]
    assert [(v.name, c.kind) for v, c in data.signals.claim_signals] == [
        ("Pixelmuse Studio", "training_data"), ("Brightwave Insights", "ownership")]
    out = tmp_path / "brief.pdf"
    svc.export(BriefRequest(date=dt.date(2026, 12, 1)), out)
    assert svc.verify(out).status == VerifyStatus.MATCH
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(str(out)).pages]
    # the board pack keeps to five pages: the signals open the annex, before the vendors
    annex = next(i for i, p in enumerate(pages) if "Annex" in p and "Board paper" not in p)
    found = [i for i, p in enumerate(pages) if "Claimed versus verified" in p and i > annex
             and "At face value" in p]
    assert found, "the signals are in the annex"
    page = re.sub(r"\s+", " ", pages[found[0]])
    assert "At face value Brightwave Insights would be 2nd; on evidence it is 3rd." in page
    assert "Brightwave Insights: GDPR: claimed 73, on evidence 20 (gap 53)" in page
    assert ("Brightwave Insights: Sold as its own model; a third-party model is behind it (claim contradicted: "
            "“Brightwave runs on our own proprietary foundation model.”)." in page)
