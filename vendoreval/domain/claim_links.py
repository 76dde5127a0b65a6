"""Which claims bear on which score: a claim's criteria (Claim.criteria) against a score's links (Score.claim_ids).

A claim linked to a criterion is linked to that criterion's score on the evaluator's own draft scorecards
of the vendor (services/claim_links.py writes it); everywhere else it is a *suggestion*: a claim that bears
on the criterion but is not linked to the score. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Claim, ClaimStatus, CriterionRef, Score


def bears_on(claim: Claim, rubric_id: str, criterion_id: str) -> bool:
    """True when ``claim`` is linked to criterion ``rubric_id:criterion_id`` (any rubric version)."""
    return any(r.rubric_id == rubric_id and r.criterion_id == criterion_id for r in claim.criteria)


def claims_on_criterion(claims: Iterable[Claim], rubric_id: str, criterion_id: str) -> list[Claim]:
    """The claims linked to criterion ``rubric_id:criterion_id``, in the order given."""
    return [c for c in claims if bears_on(c, rubric_id, criterion_id)]


def suggested_claims(claims: Iterable[Claim], rubric_id: str, criterion_id: str,
                     score: Score | None) -> list[Claim]:
    """Claims linked to the criterion but not to ``score`` (all of them when the criterion is unscored)."""
    linked = set(score.claim_ids) if score is not None else set()
    return [c for c in claims_on_criterion(claims, rubric_id, criterion_id) if c.id not in linked]


def contradicted_criteria(claims: Iterable[Claim], rubric_id: str) -> frozenset[str]:
    """Ids of the criteria of rubric ``rubric_id`` that a **contradicted** claim is linked to.

    Such a claim counts against the criterion's score whether or not it is ticked on the score
    (domain/scoring.py): a contradiction needs no second tick.
    """
    return frozenset(r.criterion_id for c in claims if c.status == ClaimStatus.CONTRADICTED
                     for r in c.criteria if r.rubric_id == rubric_id)


def criteria_diff(old: Iterable[CriterionRef], new: Iterable[CriterionRef]) -> tuple[set[CriterionRef],
                                                                                       set[CriterionRef]]:
    """(added, removed) criterion links between a claim's old and new criteria."""
    before, after = set(old), set(new)
    return after - before, before - after
