"""A vendor's scorecards with their claimed and evidence-weighted scores."""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.models import Scorecard, ScorecardStatus
from .rows import Column, RowsModel, fmt_score


@dataclass(frozen=True)
class ScorecardRow:
    """A scorecard, its rubric title, progress and scores."""

    card: Scorecard
    rubric_title: str
    answered: int
    total: int
    claimed: float | None
    evidence: float | None


class ScorecardsModel(RowsModel[ScorecardRow]):
    """Rubric, version, evaluator, status, progress, scores."""

    columns = (
        Column[ScorecardRow]("Rubric", lambda r: r.rubric_title),
        Column[ScorecardRow]("Rubric version", lambda r: r.card.rubric_version),
        Column[ScorecardRow]("Evaluator", lambda r: r.card.evaluator),
        Column[ScorecardRow]("Status", lambda r: (
            "Submitted" if r.card.status == ScorecardStatus.SUBMITTED else "Draft") + f" v{r.card.version}"),
        Column[ScorecardRow]("Scored", lambda r: f"{r.answered} of {r.total}", sort=lambda r: r.answered),
        Column[ScorecardRow]("Evidence", lambda r: fmt_score(r.evidence), sort=lambda r: r.evidence or -1.0,
                             align_right=True),
        Column[ScorecardRow]("Claimed", lambda r: fmt_score(r.claimed), sort=lambda r: r.claimed or -1.0,
                             align_right=True),
    )
