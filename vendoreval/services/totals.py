"""Totals: each scorecard's score, and each vendor's per-rubric and overall scores under a weight profile."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..domain.context import UNKNOWN, EngagementContext
from ..domain.models import AgreedScore, Answer, Claim, Score, Scorecard, Vendor, WeightProfile
from ..domain.rubric import Rubric
from ..domain.rules import counting_rubric_hash
from ..domain.scoring import (
    Agreement,
    CriterionResult,
    OverallScore,
    RubricScore,
    agreement,
    combine_scorecards,
    overall_score,
    score_rubric,
    scorecards_that_count,
)

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass(frozen=True)
class ScorecardTotal:
    """One scorecard's score."""

    card: Scorecard
    vendor: Vendor
    rubric: Rubric
    score: RubricScore

    def as_json(self) -> dict[str, object]:
        """The row `vendoreval scores --json` prints.

        ``scores`` lists each criterion's answer; a criterion that does not count because it is not
        applicable carries ``not_applicable_reason``: the engagement context's reason, or, when the
        evaluator answered so, 'not applicable: scored so by <evaluator>'.
        """
        s = self.score
        return {
            "scorecard_id": self.card.id,
            "vendor": self.vendor.name,
            "vendor_id": self.vendor.id,
            "rubric": self.rubric.id,
            "rubric_version": self.rubric.version,
            "rubric_hash": self.rubric.content_hash,
            "evaluator": self.card.evaluator,
            "status": str(self.card.status),
            "version": self.card.version,
            "claimed": _round(s.claimed),
            "evidence_weighted": _round(s.evidence_weighted),
            "score": _round(s.evidence_weighted),
            "gap": _round(s.gap),
            "scored_share": round(s.scored_share, 4),
            "answered": s.answered,
            "criteria": s.total,
            "knocked_out": s.knocked_out,
            "knockout_reasons": [k.describe() for k in s.knockouts],
            "scores": [_criterion_json(r, self.card) for r in s.criteria],
        }


def _criterion_json(r: CriterionResult, card: Scorecard) -> dict[str, object]:
    out: dict[str, object] = {"criterion": r.criterion_id, "answer": None if r.answer is None else str(r.answer),
                              "level": r.level, "top": r.top, "counts": r.counts}
    if r.not_applicable_reason is not None:
        out["not_applicable_reason"] = r.not_applicable_reason
    elif r.answer == Answer.NOT_APPLICABLE:
        out["not_applicable_reason"] = f"not applicable: scored so by {card.evaluator}"
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


@dataclass(frozen=True)
class RubricResult:
    """A vendor's combined result on one rubric (several evaluators merged)."""

    rubric: Rubric
    scorecards: tuple[Scorecard, ...]
    scores: dict[str, Score]
    score: RubricScore
    context: EngagementContext = UNKNOWN

    @functools.cached_property
    def agreement(self) -> Agreement:
        """Percent agreement and Krippendorff's alpha among the evaluators (computed on first use)."""
        return agreement(self.rubric, self.scorecards, self.context)


@dataclass(frozen=True)
class VendorTotals:
    """A vendor's results on every rubric it was scored against, and its overall score."""

    vendor: Vendor
    rubrics: dict[str, RubricResult]
    overall: OverallScore
    claims: dict[str, Claim] = field(default_factory=dict)
    context: EngagementContext = UNKNOWN  # the vendor's engagement context the scores were computed under


@dataclass(frozen=True)
class _Snapshot:
    """What totals are computed from, with the database change stamp it was read at."""

    stamp: tuple[int, int]
    cards: list[Scorecard]
    claims: dict[str, dict[str, Claim]]
    agreed: dict[tuple[str, str], dict[str, AgreedScore]]
    contexts: dict[str, EngagementContext] = field(default_factory=dict)


class TotalsService:
    """Computes totals from the store through the pure scoring rules."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._cache: _Snapshot | None = None

    def scorecard_totals(self, rubric_id: str | None = None, vendor_id: str | None = None) -> list[ScorecardTotal]:
        """Every scorecard's score (optionally for one rubric or vendor), by vendor name then rubric."""
        vendors = {v.id: v for v in self.ws.store.vendors()}
        cards = self.ws.store.scorecards(vendor_id=vendor_id, rubric_id=rubric_id)
        claims_by_vendor = self._claims_by_vendor(vendor_id)
        contexts = self._contexts(vendor_id)
        out = []
        for card in cards:
            rubric = self.ws.library.by_hash(card.rubric_hash)
            if rubric is None:
                continue
            rs = score_rubric(rubric, card.scores, claims_by_vendor.get(card.vendor_id, {}),
                              context=contexts.get(card.vendor_id))
            out.append(ScorecardTotal(card, vendors[card.vendor_id], rubric, rs))
        out.sort(key=lambda t: (t.vendor.name.casefold(), t.rubric.id, t.card.evaluator.casefold(), t.card.version))
        return out

    def scorecard_score(self, card: Scorecard) -> RubricScore:
        """One scorecard's score (claims of its vendor applied)."""
        rubric = self.ws.scorecards.rubric_of(card)
        claims = {c.id: c for c in self.ws.store.claims(card.vendor_id)}
        return score_rubric(rubric, card.scores, claims, context=self._contexts(card.vendor_id).get(card.vendor_id))

    def _contexts(self, vendor_id: str | None = None) -> dict[str, EngagementContext]:
        """The stored engagement contexts (of one vendor, or all), by vendor id."""
        return {r.vendor_id: r.context for r in self.ws.store.engagement_contexts(vendor_id)}

    def _snapshot(self) -> _Snapshot:
        """Scorecards, claims and agreed scores, re-read only when the database changed since last time."""
        stamp = self.ws.store.change_stamp()
        if self._cache is not None and self._cache.stamp == stamp:
            return self._cache
        agreed: dict[tuple[str, str], dict[str, AgreedScore]] = defaultdict(dict)
        for a in self.ws.store.agreed_scores():
            agreed[(a.vendor_id, a.rubric_hash)][a.criterion_id] = a
        self._cache = _Snapshot(stamp, self.ws.store.scorecards(), self._claims_by_vendor(), agreed, self._contexts())
        return self._cache

    def _vendors_snapshot(self, vendor_ids: set[str]) -> _Snapshot:
        """The cached snapshot if it is current, else only these vendors' records (one edited vendor
        is re-totalled in milliseconds instead of re-reading every scorecard of the workspace)."""
        stamp = self.ws.store.change_stamp()
        if (self._cache is not None and self._cache.stamp == stamp) or len(vendor_ids) > 20:
            return self._snapshot()
        cards: list[Scorecard] = []
        claims: dict[str, dict[str, Claim]] = defaultdict(dict)
        agreed: dict[tuple[str, str], dict[str, AgreedScore]] = defaultdict(dict)
        contexts: dict[str, EngagementContext] = {}
        for vid in vendor_ids:
            contexts.update(self._contexts(vid))
            cards.extend(self.ws.store.scorecards(vendor_id=vid))
            claims.update(self._claims_by_vendor(vid))
            for a in self.ws.store.agreed_scores(vid):
                agreed[(a.vendor_id, a.rubric_hash)][a.criterion_id] = a
        return _Snapshot(stamp, cards, claims, agreed, contexts)

    def _claims_by_vendor(self, vendor_id: str | None = None) -> dict[str, dict[str, Claim]]:
        out: dict[str, dict[str, Claim]] = defaultdict(dict)
        for c in self.ws.store.claims(vendor_id):
            out[c.vendor_id][c.id] = c
        return out

    def rubric_weights(self, profile: WeightProfile, rubric_ids: Iterable[str]) -> dict[str, float]:
        """The weight of each rubric under a profile (a rubric the profile does not name keeps its file weight)."""
        out = {}
        for rid in rubric_ids:
            if rid in profile.rubric_weights:
                out[rid] = profile.rubric_weights[rid]
            else:
                latest = self.ws.library.latest(rid)
                out[rid] = latest.weight if latest is not None else 1.0
        return out

    def vendor_totals(
        self,
        profile: WeightProfile | None = None,
        vendor_ids: Iterable[str] | None = None,
        rubric_ids: Iterable[str] | None = None,
        include_archived: bool = False,
    ) -> list[VendorTotals]:
        """Each vendor's combined per-rubric scores and overall score, by vendor name.

        Per rubric the newest version any scorecard used counts; submitted scorecards win over first drafts
        (``scorecards_that_count``: a reopened one keeps counting);
        several evaluators are merged by the lower median; agreed scores win over both.
        """
        profile = profile or self.ws.profiles.get(None)
        wanted_vendors = set(vendor_ids) if vendor_ids is not None else None
        wanted_rubrics = set(rubric_ids) if rubric_ids is not None else None
        vendors = [
            v for v in self.ws.store.vendors(include_archived=True)
            if (wanted_vendors is not None and v.id in wanted_vendors)
            or (wanted_vendors is None and (include_archived or not v.archived))
        ]
        snapshot = self._vendors_snapshot(wanted_vendors) if wanted_vendors is not None else self._snapshot()
        cards_by_vendor: dict[str, list[Scorecard]] = defaultdict(list)
        for card in snapshot.cards:
            if wanted_rubrics is None or card.rubric_id in wanted_rubrics:
                cards_by_vendor[card.vendor_id].append(card)
        agreed_by_key = snapshot.agreed
        claims_by_vendor = snapshot.claims
        out = []
        for vendor in vendors:
            claims = claims_by_vendor.get(vendor.id, {})
            context = snapshot.contexts.get(vendor.id, UNKNOWN)
            by_rubric: dict[str, list[Scorecard]] = defaultdict(list)
            for card in cards_by_vendor.get(vendor.id, []):
                by_rubric[card.rubric_id].append(card)
            results: dict[str, RubricResult] = {}
            for rid, cards in sorted(by_rubric.items()):
                rubric = self.ws.library.by_hash(counting_rubric_hash(cards))
                if rubric is None:
                    continue
                same_version = [c for c in cards if c.rubric_hash == rubric.content_hash]
                counted = scorecards_that_count(same_version)
                agreed = agreed_by_key.get((vendor.id, rubric.content_hash), {})
                combined = combine_scorecards(rubric, counted, claims, agreed)
                crit_weights = {
                    key.partition(":")[2]: w for key, w in profile.criterion_weights.items()
                    if key.partition(":")[0] == rid
                }
                rs = score_rubric(rubric, combined, claims, criterion_weights=crit_weights or None, context=context)
                results[rid] = RubricResult(rubric, tuple(counted), combined, rs, context)
            weights = self.rubric_weights(profile, results)
            overall = overall_score([r.score for r in results.values()], weights)
            out.append(VendorTotals(vendor, results, overall, claims, context))
        return out
