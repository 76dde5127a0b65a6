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


# --- a small scored workspace (commercials and the risk register) --------------------------------

_CRITERION_TOML = """
[[criteria]]
id = "{cid}"
title = "{title}"
question = "How good is {cid}?"
weight = {weight}
{extra}
[criteria.scale]
kind = "ordinal"
""" + "".join(f"""
[[criteria.scale.levels]]
level = {i}
label = "L{i}"
description = "Level {i}."
""" for i in range(5))


def core_rubric_file(folder: Any) -> Any:
    """rubric 'core' 1.0: dpa (knock-out below 1, weight 1), security (weight 2), quality (weight 1), levels 0..4."""
    from pathlib import Path

    body = "".join(_CRITERION_TOML.format(cid=c, title=t, weight=w, extra=x) for c, t, w, x in (
        ("dpa", "Data processing agreement", 1, 'knockout_below = 1\nknockout_reason = "No DPA"'),
        ("security", "Security", 2, ""),
        ("quality", "Output quality", 1, ""),
    ))
    path = Path(folder) / "core.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'id = "core"\nversion = "1.0"\ntitle = "Core"\narea = "Core"\nweight = 1.0\n{body}',
                    encoding="utf-8")
    return path


#: Levels (dpa, security, quality) of the small risk workspace: Gamma 75 ranks 1st, Acme 62.5 2nd, Beta
#: (75, but no DPA) is knocked out and last. Every score is 'verified by us' with no evidence linked.
RISK_LEVELS = {"Acme": (4, 1, 4), "Beta": (0, 4, 4), "Gamma": (4, 3, 2)}


def risk_workspace(ws: Any, folder: Any, levels: dict[str, tuple[int, int, int]] | None = None) -> dict[str, str]:
    """Vendors scored by 'ann' on the core rubric; returns name -> vendor id."""
    ws.library.add_file(core_rubric_file(folder))
    ids = {}
    for name, (dpa, security, quality) in (levels or RISK_LEVELS).items():
        v = ws.vendors.create(name)
        ids[name] = v.id
        card = ws.scorecards.create(v.id, "core")
        for cid, level in (("dpa", dpa), ("security", security), ("quality", quality)):
            ws.scorecards.set_score(card.id, cid, level=level, strength=EvidenceStrength.OWN_TEST,
                                    rationale=f"{name} {cid}")
    return ids
