"""Small builders for rubrics, claims and scores used across tests."""

from __future__ import annotations

from typing import Any

from vendoreval.domain.models import Answer, Claim, ClaimStatus, EvidenceStrength, Score
from vendoreval.domain.rubric import Rubric, parse_rubric


def levels(n: int = 5) -> list[dict[str, Any]]:
    """Anchored levels 0..n-1."""
    return [{"level": i, "label": f"L{i}", "description": f"Level {i} evidence"} for i in range(n)]


def criterion(cid: str, weight: float = 1.0, n_levels: int = 5, **extra: Any) -> dict[str, Any]:
    """A criterion dict with an ordinal scale."""
    return {"id": cid, "title": cid.upper(), "question": f"Q {cid}?", "weight": weight,
            "scale": {"kind": "ordinal", "levels": levels(n_levels)}, **extra}


def rubric(rid: str = "r", criteria: list[dict[str, Any]] | None = None, version: str = "1.0",
           **extra: Any) -> Rubric:
    """A valid rubric."""
    crits = criteria or [criterion("a"), criterion("b")]
    return parse_rubric({"id": rid, "version": version, "title": f"Rubric {rid}", "area": rid.title(),
                         "criteria": crits, **extra})


def lvl(cid: str, level: int, strength: EvidenceStrength | None = EvidenceStrength.OWN_TEST,
        claims: list[str] | None = None) -> Score:
    """A level answer."""
    return Score(criterion_id=cid, answer=Answer.LEVEL, level=level, strength=strength,
                 claim_ids=claims or [])


def non(cid: str, answer: Answer) -> Score:
    """A non-answer."""
    return Score(criterion_id=cid, answer=answer)


def claim(status: ClaimStatus, cid: str = "c1") -> Claim:
    """A claim with a given status."""
    return Claim(id=cid, vendor_id="v", text="We are fully GDPR compliant", status=status)
