"""Finding rubric criteria by words: matches in a criterion's title come before matches in its question.

Pure: the criteria picker (ui) and the tests use it; no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .rubric import Criterion, Rubric


@dataclass(frozen=True)
class CriterionHit:
    """One criterion that matches a search, and where: 0 its title, 1 its question (or guidance, id)."""

    rubric: Rubric
    criterion: Criterion
    rank: int

    @property
    def key(self) -> str:
        """'rubric:criterion', the form claims link criteria by."""
        return f"{self.rubric.id}:{self.criterion.id}"


def criterion_label(rubric: Rubric, criterion: Criterion) -> str:
    """The words a user recognises a criterion by: 'GDPR compliance › Data processing agreement'."""
    return f"{rubric.title} › {criterion.title}"


def search_criteria(rubrics: Iterable[Rubric], query: str) -> list[CriterionHit]:
    """Criteria whose title holds every word of ``query`` (case-insensitive), then those whose title,
    question and id hold them; each group in rubric and criterion order. An empty query
    gives every criterion (rank 0)."""
    words = query.casefold().split()
    titles: list[CriterionHit] = []
    others: list[CriterionHit] = []
    for rubric in rubrics:
        for c in rubric.criteria:
            title = f"{c.title}".casefold()
            if all(w in title for w in words):
                titles.append(CriterionHit(rubric, c, 0))
                continue
            hay = f"{c.title} {c.question} {c.id}".casefold()
            if all(w in hay for w in words):
                others.append(CriterionHit(rubric, c, 1))
    return titles + others
