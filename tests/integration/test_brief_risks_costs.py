"""The board brief carries what a board decides on (Board paper items 1 and 4): the total cost over the
term beside each vendor's score, and the risk register with owners, mitigations and residual risk —
both part of the fingerprint, so a brief made before an owner was named no longer verifies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pypdf

from vendoreval.domain.models import EvidenceStrength
from vendoreval.reports.brief_data import NO_OWNER, RiskLine, risk_lines
from vendoreval.services.brief import BriefRequest, BriefService, VerifyStatus
from vendoreval.services.workspace import Workspace

DAY = dt.date(2026, 11, 30)


def _two_vendors(ws: Workspace) -> tuple[str, str]:
    ids = []
    for name, level in (("Brightwave", 3), ("Quillstack", 1)):
        v = ws.vendors.create(name)
        card = ws.scorecards.create(v.id, "viability")
        for c in ws.scorecards.rubric_of(card).criteria[:3]:
            ws.scorecards.set_score(card.id, c.id, level=level, strength=EvidenceStrength.DOCUMENTATION)
        ids.append(v.id)
    ws.commercials.set(ids[0], {"annual": "40000", "one_off": "12000", "term_months": 24, "currency": "EUR"})
    return ids[0], ids[1]


def test_the_ranking_shows_the_total_cost_over_the_term_only_where_recorded(ws: Workspace) -> None:
    _two_vendors(ws)
    data = BriefService(ws).build(BriefRequest(date=DAY))
    costs = {r.vendor: r.cost for r in data.summary.ranking}
    assert costs == {"Brightwave": "EUR 92,000.00", "Quillstack": ""}  # 12,000 + 40,000 × 24/12


def test_the_register_lists_every_risk_with_its_owner_or_says_there_is_none(ws: Workspace) -> None:
    _two_vendors(ws)
    svc = BriefService(ws)
    data = svc.build(BriefRequest(date=DAY))
    register = ws.risks.list(as_of=DAY)
    assert [(r.title, r.vendor) for r in data.risk_register] == [
        (r.title, r.vendor or "Doing nothing") for r in register]
    assert {r.owner for r in data.risk_register} == {NO_OWNER}
    nothing = next(r for r in register if r.kind == "do_nothing")
    ws.risks.set("", "do_nothing", owner="Maya Lind (CMO)", mitigation="Keep the current agency contract",
                 as_of=DAY)
    again = svc.build(BriefRequest(date=DAY))
    line = next(r for r in again.risk_register if r.vendor == "Doing nothing")
    assert (line.owner, line.mitigation, line.cause) == ("Maya Lind (CMO)", "Keep the current agency contract",
                                                         nothing.cause)
    assert again.fingerprint != data.fingerprint


def test_risk_lines_keep_the_order_and_rate_impact_times_likelihood() -> None:
    from vendoreval.domain.risks import Risk

    risks = [Risk("knockout", "v1", "Acme", "gdpr/dpa", "DPA (Art. 28)", "no DPA", "Knock-out criterion failed",
                  5, 5, owner=" Tom ", mitigation="Get a DPA", residual="Low"),
             Risk("do_nothing", "", "", "", "", "the agency keeps the work", "Doing nothing", 3, 2)]
    assert risk_lines(risks) == (
        RiskLine("Knock-out criterion failed", "Acme", "DPA (Art. 28)", "no DPA", 5, 5, "Tom", "Get a DPA", "Low"),
        RiskLine("Doing nothing", "Doing nothing", "", "the agency keeps the work", 3, 2, NO_OWNER, "", ""),
    )
    assert risk_lines(risks)[0].rating == "5 × 5 = 25"


def test_the_pdf_prints_cost_and_register_and_a_new_owner_breaks_verify(ws: Workspace, tmp_path: Path) -> None:
    _two_vendors(ws)
    out = tmp_path / "brief.pdf"
    svc = BriefService(ws)
    svc.export(BriefRequest(date=DAY), out)
    assert svc.verify(out).status == VerifyStatus.MATCH
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(str(out)).pages)
    assert "Total cost (term)" in text and "EUR 92,000.00" in text
    assert "Risk register" in text and "Doing nothing" in text and NO_OWNER in text
    ws.risks.set("", "do_nothing", owner="Maya Lind", as_of=DAY)
    assert svc.verify(out).status == VerifyStatus.CHANGED
