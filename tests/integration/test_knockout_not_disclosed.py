"""A knock-out criterion answered 'not disclosed' counts as level 0 (the rule is unchanged), but the words
say the vendor did not disclose: the rubric's knock-out reason describes level 0 as a fact ("Trains on our
personal data by default with no opt-out") and is not said of a vendor that gave no answer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pypdf

from vendoreval.domain.models import Answer
from vendoreval.services.brief import BriefRequest, BriefService
from vendoreval.services.workspace import Workspace

FACT = "Trains on our personal data by default"
SAID = "Training on our data: the vendor did not disclose (counts as level 0; needs at least level 1)"


def not_disclosed_training(ws: Workspace) -> str:
    """Acme's GDPR scorecard: every criterion at level 2, training on our data not disclosed."""
    vendor = ws.vendors.create("Acme")
    rubric = ws.library.latest("gdpr")
    card = ws.scorecards.create(vendor.id, "gdpr", rubric.version)
    for c in rubric.criteria:
        if c.id == "training-on-customer-data":
            ws.scorecards.set_score(card.id, c.id, Answer.NOT_DISCLOSED)
        else:
            ws.scorecards.set_score(card.id, c.id, Answer.LEVEL, level=2, strength="public_documentation")
    ws.scorecards.submit(card.id)
    return card.id


def test_the_cli_says_the_vendor_did_not_disclose(ws: Workspace, cli: Any) -> None:
    not_disclosed_training(ws)
    for args in (("compare",), ("scores",)):
        res = cli(*args)
        assert res.code == 0, res.err
        assert "the vendor did not disclose (counts as level 0; needs at least level 1)" in res.out, args
        assert FACT not in res.out, args


def test_the_brief_and_its_risk_register_say_the_vendor_did_not_disclose(ws: Workspace, tmp_path: Path) -> None:
    not_disclosed_training(ws)
    svc = BriefService(ws)
    data = svc.build(BriefRequest(date=dt.date(2026, 12, 1)), samples=0)
    assert data.vendors[0].knockouts == (SAID,)
    causes = {r.title: r.cause for r in data.risk_register if r.vendor == "Acme"}
    assert causes["Knock-out criterion failed"] == f"{SAID}, so the vendor is knocked out"
    assert causes["Low score on a heavily weighted criterion"] == (
        "not disclosed (counts as level 0 of 4) on a criterion of weight 3")
    out = tmp_path / "brief.pdf"
    svc.export(BriefRequest(date=dt.date(2026, 12, 1)), out)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pypdf.PdfReader(str(out)).pages))
    assert FACT not in text
    assert "level 0 of 4" not in text.replace("counts as level 0 of 4", "")
    assert "did not disclose (counts as level 0; needs at least level 1)" in text
