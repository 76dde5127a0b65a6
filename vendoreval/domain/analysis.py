"""Comparison of vendors: ranking, the weight change that swaps the top two, and rank stability (pure).

The rules are explained in plain words in docs/comparison.md. Scores come from ``scoring``; this
module only decides how the same per-rubric scores rank under the chosen and under changed weights.
"""

from __future__ import annotations

import math
import operator
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat

from .commercials import TotalCost
from .models import Answer, ClaimStatus, EvidenceStrength
from .scoring import (
    RANK_KNOCKED_OUT,
    RANK_PASSES,
    RANK_UNSCORED,
    TIE_EPSILON,
    CriterionResult,
    RubricScore,
    overall_score,
    rank,
    rank_group,
)
from .verdict import Verdict

#: Perturbation factors for rank stability are drawn uniformly from this range.
PERTURBATION = (0.75, 1.25)
#: Default number of random weightings and the fixed seed (same data -> same figures).
DEFAULT_SAMPLES = 1000
DEFAULT_SEED = 20240501


@dataclass(frozen=True)
class MatrixCell:
    """What one vendor answered on one criterion, for the comparison matrix."""

    answer: Answer | None  # None: not scored
    level: int | None
    top: int
    strength: EvidenceStrength | None
    claim_statuses: tuple[ClaimStatus, ...] = ()
    contradicted: bool = False
    declined: bool = False
    evaluator_levels: Mapping[str, int] = field(default_factory=dict)  # evaluator -> level
    spread: int | None = None  # max - min of the evaluators' levels (None with fewer than two)
    knocked_out: bool = False
    not_applicable_reason: str | None = None  # the engagement context rules the criterion out

    @property
    def text(self) -> str:
        """The answer in words: 'L3/4', 'Not disclosed', 'Not scored'."""
        if self.answer is None:
            return "Not scored"
        if self.answer == Answer.LEVEL and self.level is not None:
            return f"{self.level}/{self.top}"
        return self.answer.label


def cell_from_result(result: CriterionResult, knocked_out: bool = False) -> MatrixCell:
    """A matrix cell from a scored criterion alone (no claim statuses or evaluator levels)."""
    level = result.level if result.answer == Answer.LEVEL else None
    return MatrixCell(result.answer, level, result.top, result.strength, (), result.contradicted,
                      result.declined, {}, None, knocked_out, result.not_applicable_reason)


def _with_cells(v: VendorInput, rubric_scores: Mapping[str, RubricScore]) -> dict[tuple[str, str], MatrixCell]:
    """The vendor's cells, filled in from its criterion results where the caller gave none."""
    cells = dict(v.cells)
    for rid, rs in rubric_scores.items():
        knocked = {k.criterion_id for k in rs.knockouts}
        for cr in rs.criteria:
            cells.setdefault((rid, cr.criterion_id), cell_from_result(cr, cr.criterion_id in knocked))
    return cells


@dataclass(frozen=True)
class VendorInput:
    """One vendor's combined per-rubric scores, the input of ``compare_vendors``."""

    vendor_id: str
    name: str
    rubric_scores: Mapping[str, RubricScore]
    rubric_spread: Mapping[str, int] = field(default_factory=dict)  # rubric id -> widest evaluator spread
    evaluators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # rubric id -> evaluators
    cells: Mapping[tuple[str, str], MatrixCell] = field(default_factory=dict)  # (rubric, criterion) -> cell
    decision: str = "not_started"
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class VendorRow:
    """One vendor in a comparison."""

    vendor_id: str
    name: str
    rank: int
    overall: float | None  # evidence-weighted overall, 0-100 (the ranking score)
    claimed: float | None
    evidence_weighted: float | None
    gap: float | None
    knocked_out: bool
    knockout_reasons: tuple[str, ...]
    rank_stability: float | None  # share 0-1 of perturbations under which it keeps its rank
    scored_share: float
    rubric_scores: Mapping[str, RubricScore]
    rubric_spread: Mapping[str, int] = field(default_factory=dict)
    evaluators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cells: Mapping[tuple[str, str], MatrixCell] = field(default_factory=dict)
    missing_rubrics: tuple[str, ...] = ()  # chosen rubrics this vendor has no score on
    stability_sentence: str = ""
    decision: str = "not_started"
    conditions: tuple[str, ...] = ()
    knockout_short: tuple[str, ...] = ()  # the knock-out reasons alone, without criterion and levels


@dataclass(frozen=True)
class Flip:
    """The smallest single-rubric share change that swaps leader and runner-up."""

    rubric_id: str
    rubric_title: str
    from_share: float  # percent of total weight now
    to_share: float  # percent at which the two tie; any share beyond it puts the runner-up ahead
    swaps: tuple[str, str]  # (leader name, runner-up name)
    sentence: str
    swaps_ids: tuple[str, str] = ("", "")

    @property
    def delta(self) -> float:
        """Signed change in percentage points."""
        return self.to_share - self.from_share


@dataclass(frozen=True)
class CriterionLine:
    """One row of the comparison matrix: a criterion of a rubric."""

    rubric_id: str
    criterion_id: str
    title: str
    weight: float


@dataclass(frozen=True)
class Comparison:
    """Vendors ranked under one weight profile, with sensitivity figures."""

    ranking: tuple[VendorRow, ...]  # best first
    flip: Flip | None
    rubric_ids: tuple[str, ...]
    rubric_titles: Mapping[str, str]
    weights: Mapping[str, float]  # rubric weights used
    profile_name: str
    stability_sentences: tuple[str, ...]
    samples: int = DEFAULT_SAMPLES
    seed: int = DEFAULT_SEED
    shares: Mapping[str, float] = field(default_factory=dict)  # rubric id -> percent of total weight
    criteria: tuple[CriterionLine, ...] = ()
    verdict: Verdict | None = None  # who is recommended (domain.verdict); filled in by the comparison service
    #: vendor id -> total cost over the term (domain.commercials; None: none recorded), filled in likewise
    total_costs: Mapping[str, TotalCost | None] = field(default_factory=dict)

    def row(self, vendor_id: str) -> VendorRow:
        """The row of one vendor (KeyError if it is not in the comparison)."""
        for r in self.ranking:
            if r.vendor_id == vendor_id:
                return r
        raise KeyError(vendor_id)

    @property
    def leader(self) -> VendorRow | None:
        """The first vendor when it is eligible (scored and not knocked out)."""
        if self.ranking and _eligible(self.ranking[0]):
            return self.ranking[0]
        return None


def _eligible(row: VendorRow) -> bool:
    return not row.knocked_out and row.overall is not None


# --- shares and overall scores ------------------------------------------------------------------


def _counted(rs: RubricScore, weight: float) -> bool:
    """The rule of ``scoring.overall_score``: a rubric counts when it has a score and weight > 0."""
    return rs.claimed is not None and weight > 0


def rubrics_in_play(
    vendors: Sequence[VendorInput], rubric_ids: Sequence[str], weights: Mapping[str, float]
) -> list[str]:
    """Chosen rubrics with a score for at least one vendor, in the given order (weight may be 0)."""
    scored = {rid for v in vendors for rid, rs in v.rubric_scores.items() if rs.claimed is not None}
    return [rid for rid in rubric_ids if rid in scored and weights.get(rid, 1.0) >= 0]


def shares_of(weights: Mapping[str, float], rubric_ids: Sequence[str]) -> dict[str, float]:
    """Each rubric's share (0..1) of the total weight of ``rubric_ids``."""
    total = sum(max(weights.get(r, 1.0), 0.0) for r in rubric_ids)
    if total <= 0:
        return {r: 0.0 for r in rubric_ids}
    return {r: max(weights.get(r, 1.0), 0.0) / total for r in rubric_ids}


def whole_percents(percents: Mapping[str, float]) -> dict[str, int]:
    """Percentages (summing to 100) as whole numbers that still sum to exactly 100: largest remainder.

    Each is rounded down, then the points left go one each to the largest fractions (ties: the earlier
    key), so seven equal shares read 15 + 15 + 14 × 5 %, not 14 × 7 = 98 %. All zero (no weight) stays zero.
    Every place that shows shares as whole percentages uses this (the Compare page, ``vendoreval compare``).
    """
    total = sum(max(p, 0.0) for p in percents.values())
    if total <= 0:
        return {k: 0 for k in percents}
    scaled = {k: 100.0 * max(p, 0.0) / total for k, p in percents.items()}
    floors = {k: int(round(v, 9)) for k, v in scaled.items()}  # 49.9999999 is 50, not 49 + a remainder
    left = 100 - sum(floors.values())
    order = sorted(scaled, key=lambda k: -round(scaled[k] - floors[k], 9))  # stable: ties keep the given order
    for k in order[:left]:
        floors[k] += 1
    return floors


def overall_at_share(
    vendor: VendorInput, rubric_id: str, share: float, base_shares: Mapping[str, float]
) -> float | None:
    """A vendor's evidence-weighted overall when ``rubric_id`` takes ``share`` (0..1) of the weight.

    The other rubrics keep their proportions to each other. Computed through ``overall_score`` so
    the scoring rules stay in one place.
    """
    rest = 1.0 - base_shares.get(rubric_id, 0.0)
    weights = {rubric_id: share}
    for rid, s in base_shares.items():
        if rid != rubric_id:
            weights[rid] = (s * (1.0 - share) / rest) if rest > 0 else 0.0
    scores = [rs for rid, rs in vendor.rubric_scores.items() if rid in weights]
    return overall_score(scores, weights).evidence_weighted


# --- the flip -----------------------------------------------------------------------------------


def _linear_parts(
    vendor: VendorInput, rubric_id: str, shares: Mapping[str, float]
) -> tuple[float, float, float, float]:
    """(a, b, c, d) with overall(x) = (a x + b (1 - x)) / (c x + d (1 - x)) for the share x of a rubric."""
    rest = 1.0 - shares[rubric_id]
    a = b = c = d = 0.0
    for rid, rs in vendor.rubric_scores.items():
        if rid not in shares or rs.claimed is None:
            continue
        s = rs.evidence_weighted or 0.0
        if rid == rubric_id:
            a, c = s, 1.0
        elif shares[rid] > 0:
            b += shares[rid] / rest * s
            d += shares[rid] / rest
    return a, b, c, d


def _roots(q2: float, q1: float, q0: float) -> list[float]:
    """Real roots of q2 x^2 + q1 x + q0 (any x when all are 0 is reported as no root)."""
    scale = max(abs(q2), abs(q1), abs(q0), 1e-300)
    if abs(q2) <= 1e-12 * scale:
        if abs(q1) <= 1e-12 * scale:
            return []
        return [-q0 / q1]
    disc = q1 * q1 - 4 * q2 * q0
    if disc < 0:
        return []
    sq = math.sqrt(disc)
    # the numerically stable pair of formulas
    q = -0.5 * (q1 + math.copysign(sq, q1))
    out = [q / q2]
    if q != 0:
        out.append(q0 / q)
    return sorted(set(out))


def _crossing(
    leader: VendorInput, runner: VendorInput, rubric_id: str, shares: Mapping[str, float]
) -> float | None:
    """The share (0..1) nearest the current one beyond which the runner-up overtakes the leader."""
    x0 = shares[rubric_id]
    if 1.0 - x0 <= 0:
        return None  # the only rubric with weight: nothing to rescale
    aL, bL, cL, dL = _linear_parts(leader, rubric_id, shares)
    aR, bR, cR, dR = _linear_parts(runner, rubric_id, shares)

    # sign(runner - leader) == sign(g) where g = N_R D_L - N_L D_R (both denominators positive)
    def lin(p: float, q: float) -> tuple[float, float]:  # p x + q (1 - x) = (p - q) x + q
        return p - q, q

    nR, dLp, nL, dRp = lin(aR, bR), lin(cL, dL), lin(aL, bL), lin(cR, dR)
    q2 = nR[0] * dLp[0] - nL[0] * dRp[0]
    q1 = nR[0] * dLp[1] + nR[1] * dLp[0] - nL[0] * dRp[1] - nL[1] * dRp[0]
    q0 = nR[1] * dLp[1] - nL[1] * dRp[1]

    def g(x: float) -> float:
        return q2 * x * x + q1 * x + q0

    def defined(x: float) -> bool:
        return cL * x + dL * (1 - x) > 0 and cR * x + dR * (1 - x) > 0

    roots = [r for r in _roots(q2, q1, q0) if -1e-12 <= r <= 1 + 1e-12]
    best: float | None = None
    for direction in (-1, 1):
        ahead = sorted((r for r in roots if (r - x0) * direction > 1e-12), key=lambda r: abs(r - x0))
        edge = 0.0 if direction < 0 else 1.0
        for i, r in enumerate(ahead):
            r = min(max(r, 0.0), 1.0)
            nxt = ahead[i + 1] if i + 1 < len(ahead) else edge
            probe = (r + nxt) / 2 if abs(nxt - r) > 1e-12 else r + direction * 1e-9
            if not 0 <= probe <= 1 or not defined(probe) or not defined(r):
                continue
            if g(probe) > 0:
                if best is None or abs(r - x0) < abs(best - x0):
                    best = r
                break
    return best


def find_flip(
    leader: VendorInput,
    runner: VendorInput,
    shares: Mapping[str, float],
    titles: Mapping[str, str],
) -> Flip | None:
    """The smallest change of one rubric's share that makes ``runner`` overtake ``leader``, or None."""
    best: tuple[float, str, float] | None = None
    for rid in shares:
        x = _crossing(leader, runner, rid, shares)
        if x is None:
            continue
        delta = abs(x - shares[rid])
        if best is None or delta < best[0] - 1e-12:
            best = (delta, rid, x)
    if best is None:
        return None
    _, rid, x = best
    title = titles.get(rid, rid)
    frm, to = 100.0 * shares[rid], 100.0 * x
    return Flip(rid, title, frm, to, (leader.name, runner.name),
                flip_sentence(leader.name, runner.name, title, frm, to), (leader.vendor_id, runner.vendor_id))


def format_share(value: float, towards: float) -> str:
    """A percentage for a sentence: whole when exact, else one decimal rounded towards ``towards``.

    Rounding towards the current share keeps the sentence true: the leader does stay first on the
    near side of the printed figure.
    """
    if abs(value - round(value)) < 0.05:
        return f"{round(value):.0f}"
    if towards == value:
        return f"{value:.1f}"
    tenths = value * 10
    tenths = math.ceil(tenths) if towards > value else math.floor(tenths)
    return f"{tenths / 10:.1f}"


def flip_sentence(leader: str, runner: str, title: str, from_share: float, to_share: float) -> str:
    """'Acme stays first unless GDPR weighs less than 18 % of the total (now 25 %); then Beta leads.'"""
    word = "less" if to_share < from_share else "more"
    return (
        f"{leader} stays first unless {title} weighs {word} than {format_share(to_share, from_share)} % "
        f"of the total (now {format_share(from_share, from_share)} %); then {runner} leads."
    )


# --- rank stability -----------------------------------------------------------------------------


def _competition_ranks(members: Sequence[int], scores: Sequence[float], offset: int) -> dict[int, int]:
    """Ranks (1, 1, 3 after ``offset``) of ``members`` by score descending; neighbours within TIE_EPSILON tie.

    The same chaining of ties as ``scoring.rank``.
    """
    order = sorted(members, key=scores.__getitem__, reverse=True)
    out: dict[int, int] = {}
    prev_score = 0.0
    prev_rank = 0
    for pos, i in enumerate(order):
        s = scores[i]
        if pos and prev_score - s <= TIE_EPSILON:
            out[i] = prev_rank
        else:
            out[i] = prev_rank = offset + pos + 1
        prev_score = s
    return out


def rank_stability(
    vendors: Sequence[VendorInput],
    weights: Mapping[str, float],
    rubric_ids: Sequence[str],
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> list[float | None]:
    """Per vendor, the share (0..1) of random weightings under which it keeps its rank.

    Each sample multiplies every rubric weight by its own factor drawn uniformly from 0.75..1.25
    (``random.Random(seed).uniform``, one draw per rubric in order, so the figures repeat). Vendors
    without any score get None. Vendors are ranked as ``scoring.rank`` does: those not knocked out
    first, then the knocked-out ones, then those without a score (``scoring.rank_group``).
    """
    n = len(vendors)
    if samples <= 0 or not vendors:
        return [None] * n
    rids = list(rubric_ids)
    base_w = [max(weights.get(r, 1.0), 0.0) for r in rids]
    # Dense score rows and 0/1 masks per vendor: a sample's overall is then sum(w*s) / sum(w*m), both
    # computed in C by sum(map(mul, ...)); vendors sharing a mask share the denominator.
    s_rows: list[list[float]] = []
    mask_of: list[int] = []
    masks: list[list[float]] = []
    mask_index: dict[tuple[float, ...], int] = {}
    groups: dict[int, list[int]] = {RANK_PASSES: [], RANK_KNOCKED_OUT: [], RANK_UNSCORED: []}
    scored: list[bool] = []
    for i, v in enumerate(vendors):
        s_row, m_row = [], []
        for r, w in zip(rids, base_w, strict=True):
            rs = v.rubric_scores.get(r)
            ok = rs is not None and _counted(rs, w)
            s_row.append((rs.evidence_weighted or 0.0) if ok and rs is not None else 0.0)
            m_row.append(1.0 if ok else 0.0)
        s_rows.append(s_row)
        key = tuple(m_row)
        if key not in mask_index:
            mask_index[key] = len(masks)
            masks.append(m_row)
        mask_of.append(mask_index[key])
        scored.append(any(m_row))
        knocked = any(rs.knocked_out for rs in v.rubric_scores.values())
        groups[rank_group(0.0 if scored[i] else None, knocked)].append(i)
    offsets = {RANK_PASSES: 0, RANK_KNOCKED_OUT: len(groups[RANK_PASSES]),
               RANK_UNSCORED: len(groups[RANK_PASSES]) + len(groups[RANK_KNOCKED_OUT])}
    moving = [(offsets[g], groups[g]) for g in (RANK_PASSES, RANK_KNOCKED_OUT) if groups[g]]
    # columns per rubric, so a sample's numerators are R element-wise passes done in C (no numpy needed)
    cols = [[row[j] for row in s_rows] for j in range(len(rids))]
    single_mask = len(masks) == 1
    mul, add, truediv, le, sub, eq = (operator.mul, operator.add, operator.truediv, operator.le,
                                      operator.sub, operator.eq)

    def overall(w: list[float]) -> list[float]:
        acc = [0.0] * n
        for col, wj in zip(cols, w, strict=True):
            if wj:
                acc = list(map(add, acc, map(mul, col, repeat(wj, n))))
        dens = [d if (d := sum(map(mul, w, m))) > 0 else 1.0 for m in masks]
        if single_mask:
            return list(map(truediv, acc, repeat(dens[0], n)))
        return list(map(truediv, acc, [dens[k] for k in mask_of]))

    base_scores = overall(base_w)
    base: dict[int, int] = {}
    plans = []
    for off, members in moving:
        ranks = _competition_ranks(members, base_scores, off)
        base.update(ranks)
        order = sorted(members, key=base_scores.__getitem__, reverse=True)
        base_tied = len(set(ranks.values())) < len(members)
        plans.append((off, members, order, base_tied))
    kept_fast: Counter[int] = Counter()
    kept = [samples] * n  # vendors without a score always share the same rank
    for _, members in moving:
        for i in members:
            kept[i] = 0
    rnd = random.Random(seed).random
    lo, hi = PERTURBATION
    span = hi - lo
    eps = repeat(TIE_EPSILON)
    for _ in range(samples):
        # lo + span * random() is exactly what Random.uniform(lo, hi) computes
        scores = overall([b * (lo + span * rnd()) for b in base_w])
        for off, members, base_order, base_tied in plans:
            order = sorted(members, key=scores.__getitem__, reverse=True)
            if not base_tied:
                sv = list(map(scores.__getitem__, order))
                if not any(map(le, map(sub, sv, sv[1:]), eps)):
                    # no ties anywhere: a vendor keeps its rank exactly when it holds its old position
                    kept_fast.update(compress(order, map(eq, order, base_order)))
                    continue
            for i, place in _competition_ranks(members, scores, off).items():
                if place == base[i]:
                    kept[i] += 1
    for i, k in kept_fast.items():
        kept[i] += k
    return [kept[i] / samples if scored[i] else None for i in range(n)]


def ordinal(n: int) -> str:
    """'first', 'second', ... (numbers with a suffix beyond tenth)."""
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    if 1 <= n <= len(words):
        return words[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent_words(share: float) -> str:
    """A share as a whole percent that never rounds to 0 % or 100 % unless it is exactly that."""
    pct = round(share * 100)
    if pct == 100 and share < 1:
        pct = 99
    if pct == 0 and share > 0:
        pct = 1
    return f"{pct} %"


def stability_sentence(name: str, rank_: int, tied: bool, share: float, samples: int) -> str:
    """'Acme keeps first place in 94 % of 1,000 weightings.'"""
    place = f"{'shared ' if tied else ''}{ordinal(rank_)} place"
    return f"{name} keeps {place} in {percent_words(share)} of {samples:,} weightings."


# --- the comparison -----------------------------------------------------------------------------


def compare_vendors(
    vendors: Sequence[VendorInput],
    rubric_ids: Sequence[str],
    weights: Mapping[str, float],
    *,
    rubric_titles: Mapping[str, str] | None = None,
    profile_name: str = "balanced",
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    criteria: Sequence[CriterionLine] = (),
    sentences_for: int = 3,
) -> Comparison:
    """Rank vendors by evidence-weighted overall and add the flip and rank-stability figures.

    Only the chosen ``rubric_ids`` count; a rubric missing from ``weights`` weighs 1.
    """
    rids = tuple(dict.fromkeys(rubric_ids))
    titles = {r: (rubric_titles or {}).get(r, r) for r in rids}
    weights = {r: float(weights.get(r, 1.0)) for r in rids}
    chosen = []
    for v in vendors:
        kept = {r: rs for r, rs in v.rubric_scores.items() if r in weights}
        chosen.append(VendorInput(v.vendor_id, v.name, kept, v.rubric_spread, v.evaluators, _with_cells(v, kept),
                                  v.decision, v.conditions))
    overalls = [overall_score(list(v.rubric_scores.values()), weights) for v in chosen]
    play = rubrics_in_play(chosen, rids, weights)
    stability = rank_stability(chosen, weights, play, samples, seed)
    ranked = rank((v.name, o.evidence_weighted, o.knocked_out) for v, o in zip(chosen, overalls, strict=True))
    # names may repeat in pure use: match each ranked entry back by (name, score, knocked out)
    pending: dict[tuple[str, float | None, bool], list[int]] = {}
    for i, (v, o) in enumerate(zip(chosen, overalls, strict=True)):
        pending.setdefault((v.name, o.evidence_weighted, o.knocked_out), []).append(i)
    rank_counts: dict[int, int] = {}
    for entry in ranked:
        rank_counts[entry.rank] = rank_counts.get(entry.rank, 0) + 1
    rows: list[VendorRow] = []
    order: list[int] = []
    for entry in ranked:
        i = pending[(entry.name, entry.score, entry.knocked_out)].pop(0)
        order.append(i)
        v, o = chosen[i], overalls[i]
        stab = stability[i]
        sentence = ""
        if stab is not None and o.evidence_weighted is not None:
            sentence = stability_sentence(v.name, entry.rank, rank_counts[entry.rank] > 1, stab, samples)
        rows.append(
            VendorRow(
                vendor_id=v.vendor_id,
                name=v.name,
                rank=entry.rank,
                overall=o.evidence_weighted,
                claimed=o.claimed,
                evidence_weighted=o.evidence_weighted,
                gap=o.gap,
                knocked_out=o.knocked_out,
                knockout_reasons=tuple(dict.fromkeys(k.describe() for k in o.knockouts)),
                rank_stability=stab,
                scored_share=o.scored_share,
                rubric_scores=v.rubric_scores,
                rubric_spread=v.rubric_spread,
                evaluators=v.evaluators,
                cells=v.cells,
                missing_rubrics=tuple(r for r in rids if r not in v.rubric_scores),
                stability_sentence=sentence,
                decision=v.decision,
                conditions=v.conditions,
                knockout_short=tuple(dict.fromkeys(k.reason for k in o.knockouts)),
            )
        )
    shares = shares_of(weights, play)
    flip: Flip | None = None
    sentences: list[str] = []
    eligible = [i for i, r in zip(order, rows, strict=True) if _eligible(r)]
    if len(rows) == 1:
        sentences.append(f"Only one vendor is compared: {rows[0].name}.")
    elif not eligible and rows:
        sentences.append("No vendor passes the knock-out criteria; none can be recommended as they stand.")
    if len(eligible) >= 2:
        first, second = rows[0], rows[1]
        if first.rank == second.rank:
            sentences.append(
                f"{first.name} and {second.name} are tied for first place; the weights cannot separate them."
            )
        elif play:
            flip = find_flip(chosen[eligible[0]], chosen[eligible[1]], shares, titles)
            if flip is not None:
                sentences.append(flip.sentence)
            else:
                sentences.append(
                    f"{first.name} stays ahead of {second.name} whatever the share of any single rubric."
                )
    sentences.extend(r.stability_sentence for r in rows[:sentences_for] if r.stability_sentence and _eligible(r))
    return Comparison(
        ranking=tuple(rows),
        flip=flip,
        rubric_ids=rids,
        rubric_titles=titles,
        weights=weights,
        profile_name=profile_name,
        stability_sentences=tuple(sentences),
        samples=samples,
        seed=seed,
        shares={r: 100.0 * s for r, s in shares.items()},
        criteria=tuple(criteria),
    )
