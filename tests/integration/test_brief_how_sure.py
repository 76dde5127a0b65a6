"""'How sure' in the brief, from a real workspace: the scenarios, the sentence, the reasons, on the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from tests.factories import risk_workspace
from vendoreval.domain.models import EvidenceStrength
from vendoreval.services.brief import BriefRequest, BriefService

DATE = dt.date(2026, 12, 3)


def _second_evaluator(ws: Any, ids: dict[str, str]) -> None:
    """Dana also scores Gamma, lower: the lower median pulls Gamma (75 alone) to 43.75, behind Acme's 62.5."""
    card = ws.scorecards.create(ids["Gamma"], "core", evaluator="dana")
    for cid, level in (("dpa", 4), ("security", 1), ("quality", 1)):
        ws.scorecards.set_score(card.id, cid, level=level, strength=EvidenceStrength.OWN_TEST, rationale="dana")


def test_how_sure_names_the_evaluator_the_recommendation_turns_on(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path / "rubrics")
    _second_evaluator(ws, ids)
    data = BriefService(ws).build(BriefRequest(date=DATE))
    assert data.summary.recommendation.vendor == "Acme"
    h = data.how_sure
    assert h is not None
    assert [(r.scenario, r.leader, r.changed) for r in h.rows] == [
        ("Other weights (1,000 random draws, each area ±25 %)", "Acme", "No"),
        ("Documentation counted at 0.75 (not 0.5)", "Acme", "No"),
        ("Sales assertions counted at 0 (not 0.25)", "Acme", "No"),
        ("Sales assertions counted as documentation (0.5)", "Acme", "No"),
        ("Without the scores of ann", "Acme", "No"),
        ("Without the scores of dana", "Gamma", "Yes: first place"),
        ("Unscored criteria left out (not counted as 0)", "Acme", "No"),
    ]
    assert h.sentence == (
        "The recommendation holds under other weights (1,000 draws), documentation counted at 0.75, sales "
        "assertions counted at 0, sales assertions counted as documentation, without the scores of ann and "
        "unscored criteria left out, but without the scores of dana, Gamma would lead.")
    assert h.reasons_title == "Why Acme rather than Gamma"
    assert h.reasons == (
        "Output quality (Core, 25 % of the weight): Acme 100.0 (level 4 of 4, verified by us) against Gamma 25.0 "
        "(level 1 of 4, verified by us) — 75.0 points ahead.",)
    # the weights-only '... keeps first place in 100 % of 1,000 weightings' no longer stands for certainty
    assert not [s for s in data.summary.solidity if "weightings" in s]


def test_how_sure_is_on_the_summary_page(ws: Any, tmp_path: Path) -> None:
    ids = risk_workspace(ws, tmp_path / "rubrics")
    _second_evaluator(ws, ids)
    out = tmp_path / "brief.pdf"
    BriefService(ws).export(BriefRequest(date=DATE), out)
    page = " ".join(PdfReader(str(out)).pages[1].extract_text().split())
    assert "How sure" in page
    assert "Without the scores of dana" in page and "Yes: first place" in page
    assert "but without the scores of dana, Gamma would lead." in page
    assert "Why Acme rather than Gamma" in page
    assert "weightings." not in page
