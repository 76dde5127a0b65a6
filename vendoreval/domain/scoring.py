"""The scoring rules, in one pure module: normalisation, non-answers, knock-outs, evidence discount, consensus.

Every number the user sees is computed here and explained in docs/scoring.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .claim_links import contradicted_criteria
from .context import EngagementContext, applicability
from .models import (
    DEFAULT_DISCOUNTS,
    AgreedScore,
    Answer,
    Claim,
    ClaimStatus,
    EvidenceStrength,
    Score,
    Scorecard,
    ScorecardStatus,
)
from .rubric import Criterion, Rubric
from .rules import spread_flagged

#: Tolerance under which two totals count as tied.
TIE_EPSILON = 1e-9

_STATUS_STRENGTH = {
    ClaimStatus.ASSERTED: EvidenceStrength.ASSERTION,
    ClaimStatus.DOCUMENTED: EvidenceStrength.DOCUMENTATION,
    ClaimStatus.COMMITTED: EvidenceStrength.CONTRACT,
    ClaimStatus.VERIFIED: EvidenceStrength.CERTIFICATION,
}
_STRENGTH_ORDER = list(EvidenceStrength)
_STRENGTH_RANK = {s: i for i, s in enumerate(_STRENGTH_ORDER)}


def printed(x: float, digits: int = 1) -> float:
    """A figure as the brief and the app print it: rounded to ``digits`` places."""
    return round(x, digits)


def printed_gap(a: float, b: float, digits: int = 1) -> float:
    """The gap between two figures as printed: the difference of the printed (rounded) figures, so the
    reader's own subtraction of the two printed scores gives the printed gap (73.3 - 38.4 = 34.9, never the
    35.0 of the unrounded 73.34 - 38.37)."""
    return round(printed(a, digits) - printed(b, digits), digits)


def score_gap(claimed: float | None, evidence_weighted: float | None, digits: int = 1) -> float | None:
    """The claim-credibility gap as every text prints it, ``printed_gap`` of the two scores at ``digits``
    places: the difference of the printed figures, so a reader who subtracts the two printed scores gets the
    printed gap (53.33 and 17.78 print as 53.3, 17.8 and a gap of 35.5; as whole numbers 53, 18 and 35),
    never a figure 0.1 off; None when either is missing. The one function the app's Compare page and charts,
    the CLI, the brief (PDF and DOCX), the AI-washing signals and the verdict's top risks take the gap from
    (they printed 35.6, 35.5 and 35 for the same vendor)."""
    if claimed is None or evidence_weighted is None:
        return None
    return printed_gap(claimed, evidence_weighted, digits)


@dataclass(frozen=True)
class Knockout:
    """A criterion whose level fell below its minimum, disqualifying the vendor."""

    rubric_id: str
    criterion_id: str
    criterion_title: str
    level: int
    minimum: int
    reason: str
    #: The vendor did not disclose: it counts as level 0 by the rule, but the rubric's reason (which states
    #: what level 0 means as a fact) is not said of it; ``reason`` says it did not disclose instead.
    not_disclosed: bool = False

    def describe(self) -> str:
        """One line for the user."""
        if self.not_disclosed:
            return self.reason
        return f"{self.reason} ({self.criterion_title}: level {self.level}, minimum {self.minimum})"


class CriterionResult(NamedTuple):
    """How one criterion contributed to a rubric score (a named tuple: built 16,800 times for 200 vendors)."""

    criterion_id: str
    weight: float
    answer: Answer | None  # None: not scored yet
    level: int | None  # the level counted (None when the criterion drops out)
    top: int
    counts: bool  # False when not applicable (or weight 0): drops out and the rest re-normalise
    claimed: float  # level / top, 0..1
    evidence: float  # claimed x discount (0 when resting on a contradicted or declined claim)
    strength: EvidenceStrength | None
    discount: float
    contradicted: bool = False
    declined: bool = False
    not_applicable_reason: str | None = None  # set when the engagement context rules the criterion out


class _ScoreFigures:
    """The properties a rubric score and an overall score share, computed from their fields."""

    claimed: float | None
    evidence_weighted: float | None
    answered: int
    total: int
    knockouts: tuple[Knockout, ...]

    @property
    def scored_share(self) -> float:
        """Share (0..1) of the criteria that have an answer."""
        return self.answered / self.total if self.total else 0.0

    @property
    def gap(self) -> float | None:
        """Claimed minus evidence-weighted: the claim-credibility gap in points."""
        if self.claimed is None or self.evidence_weighted is None:
            return None
        return self.claimed - self.evidence_weighted

    @property
    def knocked_out(self) -> bool:
        """True when any criterion fell below its knock-out minimum."""
        return bool(self.knockouts)


@dataclass(frozen=True)
class RubricScore(_ScoreFigures):
    """A vendor's score on one rubric: claimed, evidence-weighted, share scored, knock-outs."""

    rubric_id: str
    rubric_version: str
    claimed: float | None  # 0..100, None when every criterion is not applicable
    evidence_weighted: float | None
    answered: int
    total: int
    criteria: tuple[CriterionResult, ...]
    knockouts: tuple[Knockout, ...] = ()


@dataclass(frozen=True)
class OverallScore(_ScoreFigures):
    """A vendor's weighted mean across rubrics under one weight profile."""

    claimed: float | None
    evidence_weighted: float | None
    answered: int
    total: int
    knockouts: tuple[Knockout, ...]
    rubric_shares: Mapping[str, float] = field(default_factory=dict)  # rubric id -> share of total weight


def strength_from_claims(claims: Iterable[Claim]) -> EvidenceStrength | None:
    """The strength of the strongest substantiated claim (None when no claim gives one)."""
    best: EvidenceStrength | None = None
    for claim in claims:
        s = _STATUS_STRENGTH.get(claim.status)
        if s is not None and (best is None or _STRENGTH_ORDER.index(s) > _STRENGTH_ORDER.index(best)):
            best = s
    return best


def effective_strength(score: Score, claims: Mapping[str, Claim]) -> EvidenceStrength:
    """A score's strength: the evaluator's pick, else its strongest linked claim, else a sales assertion.

    An evaluator's pick of *verified by us* or *third-party certification* is how an independently
    verified claim is split between the two.
    """
    if score.strength is not None:
        return score.strength
    if not score.claim_ids:
        return EvidenceStrength.ASSERTION
    linked = [claims[c] for c in score.claim_ids if c in claims]
    return strength_from_claims(linked) or EvidenceStrength.ASSERTION


def _counted_level(criterion: Criterion, score: Score | None) -> tuple[Answer | None, int | None, bool]:
    """(answer, level counted, counts?) for one criterion under the non-answer rules."""
    if score is None:
        return None, 0, True  # unscored counts as the lowest level
    answer = score.answer
    if answer == Answer.LEVEL:  # str equality: also true for a raw "level" in a model_construct-ed Score
        level = score.level or 0
        top = criterion.scale.top
        return Answer.LEVEL, (top if level > top else 0 if level < 0 else level), True
    if score.answer == Answer.NOT_APPLICABLE:
        return score.answer, None, False
    if score.answer == Answer.NOT_DISCLOSED:
        return score.answer, 0, True
    if score.answer == Answer.DISCLOSED_NO:
        if criterion.disclosed_no == "not_applicable":
            return score.answer, None, False
        return score.answer, int(criterion.disclosed_no), True
    raise ValueError(f"unknown answer {answer!r}")


def score_criterion(
    criterion: Criterion,
    score: Score | None,
    claims: Mapping[str, Claim],
    discounts: Mapping[EvidenceStrength, float] = DEFAULT_DISCOUNTS,
    weight: float | None = None,
    *,
    contradicted_on_criterion: bool = False,
) -> CriterionResult:
    """Apply the non-answer, evidence-strength and contradiction rules to one criterion.

    ``contradicted_on_criterion``: a contradicted claim is linked to this criterion (Claim.criteria); it
    counts as if it were linked to the score too, ticked there or not.
    """
    w = criterion.weight if weight is None else weight
    answer, level, counts = _counted_level(criterion, score)
    top = criterion.scale.top
    if w <= 0:
        counts = False
    if level is None:
        return CriterionResult(criterion.id, w, answer, None, top, False, 0.0, 0.0, None, 0.0)
    fraction = level / top
    strength: EvidenceStrength | None = None
    discount = 0.0
    contradicted = declined = False
    if score is not None and answer in (Answer.LEVEL, Answer.DISCLOSED_NO):
        if score.claim_ids:
            linked = [claims[c] for c in score.claim_ids if c in claims]
            contradicted = any(c.status == ClaimStatus.CONTRADICTED for c in linked)
            declined = bool(linked) and all(c.status == ClaimStatus.DECLINED for c in linked)
        contradicted = contradicted or contradicted_on_criterion
        strength = effective_strength(score, claims)
        discount = discounts[strength]
    evidence = 0.0 if (contradicted or declined) else fraction * discount
    return CriterionResult(
        criterion.id, w, answer, level, top, counts, fraction, evidence, strength, discount, contradicted, declined
    )


def _knockout(rubric: Rubric, criterion: Criterion, result: CriterionResult) -> Knockout | None:
    """A knock-out when an answered criterion's level (lowest if contradicted) is below its minimum."""
    if criterion.knockout_below is None or result.answer is None or result.level is None:
        return None
    level = 0 if (result.contradicted or result.declined) else result.level
    if level >= criterion.knockout_below:
        return None
    if result.answer == Answer.NOT_DISCLOSED and not (result.contradicted or result.declined):
        return Knockout(rubric.id, criterion.id, criterion.title, level, criterion.knockout_below,
                        not_disclosed_reason(criterion.title, criterion.knockout_below), not_disclosed=True)
    reason = criterion.knockout_reason or f"{criterion.title} below the required minimum"
    return Knockout(rubric.id, criterion.id, criterion.title, level, criterion.knockout_below, reason)


def not_disclosed_reason(title: str, minimum: int) -> str:
    """A knock-out from a non-answer in words: what the vendor did (not disclose), then the rule applied."""
    return f"{title}: the vendor did not disclose (counts as level 0; needs at least level {minimum})"


def score_rubric(
    rubric: Rubric,
    scores: Mapping[str, Score],
    claims: Mapping[str, Claim] | None = None,
    *,
    discounts: Mapping[EvidenceStrength, float] = DEFAULT_DISCOUNTS,
    criterion_weights: Mapping[str, float] | None = None,
    context: EngagementContext | None = None,
) -> RubricScore:
    """Score one vendor on one rubric: weighted mean of level / top over the criteria that count, 0..100.

    ``criterion_weights`` (criterion id -> weight) overrides the rubric file's weights, as a weight
    profile does. A criterion that does not apply under the vendor's engagement ``context`` counts as
    not applicable whatever was scored: it drops out, the rest re-normalise, it never knocks out, and
    its result carries the reason.
    """
    claims = claims or {}
    against = contradicted_criteria(claims.values(), rubric.id) if claims else frozenset()
    results: list[CriterionResult] = []
    knockouts: list[Knockout] = []
    check_context = context is not None and not context.is_empty()
    for criterion in rubric.criteria:
        weight = criterion_weights.get(criterion.id) if criterion_weights else None
        reason = applicability(criterion, context) if check_context else None
        if reason is not None:
            w = criterion.weight if weight is None else weight
            results.append(CriterionResult(criterion.id, w, Answer.NOT_APPLICABLE, None, criterion.scale.top, False,
                                           0.0, 0.0, None, 0.0, not_applicable_reason=reason))
            continue
        result = score_criterion(criterion, scores.get(criterion.id), claims, discounts, weight,
                                 contradicted_on_criterion=criterion.id in against)
        results.append(result)
        ko = _knockout(rubric, criterion, result)
        if ko:
            knockouts.append(ko)
    counting = [r for r in results if r.counts]
    scale = _overflow_scale([r.weight for r in counting])
    total_weight = sum(r.weight / scale for r in counting)
    claimed = evidence = None
    if total_weight > 0:
        # clamp: a weighted mean of fractions <= 1 can exceed 100 by a rounding ulp
        claimed = min(100.0, 100.0 * sum(r.weight / scale * r.claimed for r in counting) / total_weight)
        evidence = min(claimed, 100.0 * sum(r.weight / scale * r.evidence for r in counting) / total_weight)
    answered = sum(1 for r in results if r.answer is not None)
    return RubricScore(
        rubric.id, rubric.version, claimed, evidence, answered, len(results), tuple(results), tuple(knockouts)
    )


def _overflow_scale(weights: Sequence[float]) -> float:
    """1.0 for ordinary weights; for weights whose sum would overflow (a stored profile weight of 1e308 made
    every score NaN) the largest finite weight, to divide by - a weighted mean does not change with scale."""
    finite = [w for w in weights if math.isfinite(w)]
    if math.isfinite(100.0 * sum(finite)) or not finite:
        return 1.0
    return max(finite)


def overall_score(rubric_scores: Sequence[RubricScore], rubric_weights: Mapping[str, float]) -> OverallScore:
    """Weighted mean of rubric scores; rubrics without a score (all not applicable) or weight 0 drop out.

    A rubric missing from ``rubric_weights`` weighs 1.
    """
    scale = _overflow_scale(list(rubric_weights.values()))
    if scale != 1.0:
        rubric_weights = {k: w / scale for k, w in rubric_weights.items()}
    counted = [
        rs for rs in rubric_scores if rs.claimed is not None and rubric_weights.get(rs.rubric_id, 1.0) > 0
    ]
    total_w = sum(rubric_weights.get(rs.rubric_id, 1.0) for rs in counted)
    claimed = evidence = None
    shares: dict[str, float] = {}
    if total_w > 0:
        claimed = sum(rubric_weights.get(rs.rubric_id, 1.0) * (rs.claimed or 0.0) for rs in counted) / total_w
        evidence = (
            sum(rubric_weights.get(rs.rubric_id, 1.0) * (rs.evidence_weighted or 0.0) for rs in counted)
            / total_w
        )
        shares = {rs.rubric_id: rubric_weights.get(rs.rubric_id, 1.0) / total_w for rs in counted}
    knockouts = tuple(ko for rs in rubric_scores for ko in rs.knockouts)
    return OverallScore(
        claimed,
        evidence,
        sum(rs.answered for rs in rubric_scores),
        sum(rs.total for rs in rubric_scores),
        knockouts,
        shares,
    )


# --- several evaluators -------------------------------------------------------------------------


def lower_median(values: Sequence[int]) -> int:
    """The lower median: the middle value, or the lower of the two middle values."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class CriterionSpread:
    """Each evaluator's level on one criterion, their lower median and spread."""

    criterion_id: str
    levels: Mapping[str, int]  # evaluator -> level (non-answers excluded)
    non_answers: Mapping[str, Answer]
    median: int | None
    spread: int | None  # max - min of levels

    @property
    def flagged(self) -> bool:
        """Evaluators differ enough to discuss (``rules.SPREAD_FLAG`` levels or more)."""
        return spread_flagged(self.spread)


def criterion_spreads(rubric: Rubric, scorecards: Sequence[Scorecard],
                      context: EngagementContext | None = None) -> list[CriterionSpread]:
    """Per criterion of the rubric, the evaluators' levels, lower median and spread.

    A criterion the engagement ``context`` rules out has no levels (every evaluator's answer counts as
    not applicable): it is never flagged and stays out of the agreement figures.
    """
    out = []
    check_context = context is not None and not context.is_empty()
    for criterion in rubric.criteria:
        levels: dict[str, int] = {}
        non: dict[str, Answer] = {}
        if check_context and applicability(criterion, context) is not None:
            out.append(CriterionSpread(criterion.id, {}, {c.evaluator: Answer.NOT_APPLICABLE for c in scorecards
                                                          if criterion.id in c.scores}, None, None))
            continue
        for card in scorecards:
            s = card.scores.get(criterion.id)
            if s is None:
                continue
            if s.answer == Answer.LEVEL and s.level is not None:
                levels[card.evaluator] = s.level
            else:
                non[card.evaluator] = s.answer
        vals = list(levels.values())
        out.append(
            CriterionSpread(
                criterion.id,
                levels,
                non,
                lower_median(vals) if vals else None,
                (max(vals) - min(vals)) if vals else None,
            )
        )
    return out


def percent_agreement(units: Sequence[Sequence[int]]) -> float | None:
    """Share (0..1) of criteria rated by two or more evaluators on which all gave the same level."""
    pairable = [u for u in units if len(u) >= 2]
    if not pairable:
        return None
    return sum(1 for u in pairable if len(set(u)) == 1) / len(pairable)


def krippendorff_alpha_ordinal(units: Sequence[Sequence[int]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric; units are the levels given to one criterion.

    Units with fewer than two values are not pairable and are ignored. Returns None when there is
    nothing to compare or no variation at all (alpha is undefined then).
    """
    pairable = [list(u) for u in units if len(u) >= 2]
    if not pairable:
        return None
    values = sorted({v for u in pairable for v in u})
    index = {v: i for i, v in enumerate(values)}
    k = len(values)
    o = [[0.0] * k for _ in range(k)]
    for u in pairable:
        m = len(u)
        for a in range(m):
            for b in range(m):
                if a != b:
                    o[index[u[a]]][index[u[b]]] += 1.0 / (m - 1)
    n_c = [sum(row) for row in o]
    n = sum(n_c)
    if k < 2 or n <= 1:
        return None

    def delta2(c: int, kk: int) -> float:
        lo, hi = min(c, kk), max(c, kk)
        s = sum(n_c[g] for g in range(lo, hi + 1)) - (n_c[lo] + n_c[hi]) / 2.0
        return s * s

    d_o = sum(o[c][kk] * delta2(c, kk) for c in range(k) for kk in range(k))
    d_e = sum(n_c[c] * n_c[kk] * delta2(c, kk) for c in range(k) for kk in range(k))
    if d_e == 0:
        return None
    return 1.0 - (n - 1) * d_o / d_e


@dataclass(frozen=True)
class Agreement:
    """Agreement among evaluators on one rubric."""

    evaluators: tuple[str, ...]
    percent: float | None
    alpha: float | None
    flagged: tuple[str, ...]  # criteria where evaluators differ by two levels or more


def agreement(rubric: Rubric, scorecards: Sequence[Scorecard],
              context: EngagementContext | None = None) -> Agreement:
    """Percent agreement and ordinal Krippendorff's alpha over submitted levels (non-answers and criteria
    the engagement ``context`` rules out excluded)."""
    spreads = criterion_spreads(rubric, scorecards, context)
    units = [list(s.levels.values()) for s in spreads]
    return Agreement(
        tuple(sorted({c.evaluator for c in scorecards})),
        percent_agreement(units),
        krippendorff_alpha_ordinal(units),
        tuple(s.criterion_id for s in spreads if s.flagged),
    )


def combine_scorecards(
    rubric: Rubric,
    scorecards: Sequence[Scorecard],
    claims: Mapping[str, Claim] | None = None,
    agreed: Mapping[str, AgreedScore] | None = None,
) -> dict[str, Score]:
    """One answer per criterion from several evaluators' scorecards.

    An agreed score wins. Otherwise: not applicable only when every evaluator said so; else the
    answers other than not-applicable are ordered by the level they count as (then by strength) and
    the lower median is taken, with that evaluator's rationale and links.
    """
    claims = claims or {}
    agreed = agreed or {}
    if len(scorecards) == 1 and not agreed:
        return dict(scorecards[0].scores)
    out: dict[str, Score] = {}
    for criterion in rubric.criteria:
        a = agreed.get(criterion.id)
        if a is not None:
            out[criterion.id] = Score(
                criterion_id=criterion.id,
                answer=a.answer,
                level=a.level,
                strength=a.strength,
                rationale=a.rationale,
            )
            continue
        answers = [c.scores[criterion.id] for c in scorecards if criterion.id in c.scores]
        if not answers:
            continue
        keyed: list[tuple[int, int, int, Score]] = []
        for s in answers:
            _answer, level, counts = _counted_level(criterion, s)
            if counts:
                keyed.append((level or 0, _STRENGTH_RANK[effective_strength(s, claims)], len(keyed), s))
        if not keyed:
            out[criterion.id] = answers[0]
            continue
        keyed.sort(key=lambda k: (k[0], k[1], k[2]))
        out[criterion.id] = keyed[(len(keyed) - 1) // 2][3]
    return out


def scorecards_that_count(scorecards: Sequence[Scorecard]) -> list[Scorecard]:
    """One scorecard per evaluator: the one whose scores count.

    With no submitted scorecard among them, each evaluator's latest draft. Once any is submitted, each
    evaluator's latest submitted version; an evaluator with none counts only with a reopened draft (a
    version of 2 or more: it was submitted, and ``reopen`` turned that very scorecard back into a draft, so
    its draft scores are all there is of that evaluator's). Leaving it out dropped the evaluator's scores,
    knock-outs included, from the comparison and the brief until it was submitted again. A first draft
    (version 1, never submitted) waits until it is submitted.
    """
    by_evaluator: dict[str, list[Scorecard]] = {}
    for card in scorecards:
        by_evaluator.setdefault(card.evaluator_key or card.evaluator, []).append(card)
    any_submitted = any(c.status == ScorecardStatus.SUBMITTED for c in scorecards)
    counted = []
    for cards in by_evaluator.values():
        submitted = [c for c in cards if c.status == ScorecardStatus.SUBMITTED]
        if submitted:
            counted.append(max(submitted, key=lambda c: c.version))
            continue
        latest = max(cards, key=lambda c: c.version)
        if not any_submitted or latest.version > 1:
            counted.append(latest)
    return sorted(counted, key=lambda c: (c.evaluator.casefold(), c.id))


# --- ranking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One entry of a ranking."""

    name: str
    score: float | None
    knocked_out: bool
    rank: int


#: The ranking's groups, in order: vendors that pass every knock-out criterion, knocked-out vendors, then
#: vendors without any score (nothing is known of them: they never rank above a vendor that was scored).
RANK_PASSES, RANK_KNOCKED_OUT, RANK_UNSCORED = 0, 1, 2


def rank_group(score: float | None, knocked_out: bool) -> int:
    """Which of the ranking's groups a vendor of this overall falls in (``RANK_PASSES`` first)."""
    if knocked_out:
        return RANK_KNOCKED_OUT
    return RANK_UNSCORED if score is None else RANK_PASSES


def rank(entries: Iterable[tuple[str, float | None, bool]]) -> list[Ranked]:
    """Rank (name, score, knocked_out) best first.

    Vendors that are not knocked out come first, by score descending; knocked-out vendors next, also by
    score; vendors without any score last (``rank_group``). Ties share a rank (1, 1, 3) and are listed by name.
    """

    def group(e: tuple[str, float | None, bool]) -> int:
        return rank_group(e[1], e[2])

    items = sorted(entries, key=lambda e: (group(e), -(e[1] or 0.0), e[0].casefold(), e[0]))
    out: list[Ranked] = []
    for i, (name, score, ko) in enumerate(items):
        if out:
            prev = out[-1]
            same = group((prev.name, prev.score, prev.knocked_out)) == group((name, score, ko)) and (
                (prev.score is None and score is None)
                or (prev.score is not None and score is not None and abs(prev.score - score) <= TIE_EPSILON)
            )
            if same:
                out.append(Ranked(name, score, ko, prev.rank))
                continue
        out.append(Ranked(name, score, ko, i + 1))
    return out
