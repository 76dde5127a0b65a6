"""How sure the ranking is, honestly: the vendors re-ranked under other evidence discounts, without each
evaluator and with unscored criteria left out, then one sentence saying what would change the
recommendation; and the plain reasons the recommended vendor beats the runner-up (pure).

The rank-stability figure (``analysis.rank_stability``) only moves the area weights; the ranking mostly
turns on the evidence discounts and on the evaluators, which this module tests. The scenarios are
explained in docs/brief.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .analysis import PERTURBATION, percent_words
from .context import EngagementContext
from .models import DEFAULT_DISCOUNTS, AgreedScore, Answer, Claim, EvidenceStrength, Score, Scorecard
from .rubric import Rubric
from .scoring import (
    CriterionResult,
    RubricScore,
    combine_scorecards,
    overall_score,
    printed,
    printed_gap,
    rank,
    score_rubric,
)

#: The other documentation discount tried (the default is DEFAULT_DISCOUNTS[DOCUMENTATION], 0.5).
DOCUMENTATION_ALTERNATIVE = 0.75


@dataclass(frozen=True)
class AreaScores:
    """A vendor's result on one rubric as the comparison computed it, with what it was computed from."""

    rubric: Rubric
    weight: float
    score: RubricScore  # the figures the brief prints
    scores: Mapping[str, Score] = field(default_factory=dict)  # the combined scores (criterion id -> score)
    scorecards: tuple[Scorecard, ...] = ()  # the scorecards that count
    agreed: Mapping[str, AgreedScore] = field(default_factory=dict)  # criterion id -> agreed score


@dataclass(frozen=True)
class VendorScores:
    """One vendor of the comparison, as the scenarios need it."""

    vendor_id: str
    name: str
    areas: tuple[AreaScores, ...]
    claims: Mapping[str, Claim] = field(default_factory=dict)
    context: EngagementContext | None = None


class ScenarioKind(StrEnum):
    """What a scenario changes."""

    WEIGHTS = "weights"
    DISCOUNTS = "discounts"
    EVALUATOR = "evaluator"
    UNSCORED = "unscored"


@dataclass(frozen=True)
class Scenario:
    """The ranking under one changed assumption."""

    kind: ScenarioKind
    label: str  # for the table: 'Documentation counted at 0.75 (not 0.5)'
    phrase: str  # for the sentence: 'documentation counted at 0.75'
    leaders: tuple[str, ...]  # who ranks first (several when tied; none when no vendor is eligible)
    top_changed: bool  # first place differs from the brief's own figures
    order_changed: bool  # the order (any place) differs
    share: float | None = None  # weights only: share (0..1) of random weightings that keep the leader first
    samples: int = 0  # weights only: how many weightings were drawn
    evaluator: str = ""  # evaluator only: whose scores were left out

    @property
    def leader_text(self) -> str:
        """'Acme', 'Acme and Beta (tied)', 'No vendor passes'."""
        if not self.leaders:
            return "No vendor passes"
        if len(self.leaders) == 1:
            return self.leaders[0]
        return f"{_and(self.leaders)} (tied)"

    @property
    def change_text(self) -> str:
        """'No', 'Yes: first place', 'Only below first place', 'In 6 % of draws'."""
        if self.kind == ScenarioKind.WEIGHTS and self.share is not None:
            if not self.top_changed:
                return "No" if not self.order_changed else "Only below first place"
            return f"First place in {percent_words(1.0 - self.share)} of draws"
        if self.top_changed:
            return "Yes: first place"
        if self.order_changed:
            return "Only below first place"
        return "No"

    @property
    def change_clause(self) -> str:
        """What changes, for the sentence: 'without the scores of Dana, Acme would lead'."""
        if self.kind == ScenarioKind.WEIGHTS:
            base = self.leaders[0] if self.leaders else "the leader"
            return (f"in {percent_words(1.0 - (self.share or 0.0))} of {self.samples:,} other weightings, "
                    f"{base} would not rank first")
        if not self.leaders:
            return f"{self.phrase}, no vendor could be recommended"
        if len(self.leaders) > 1:
            return f"{self.phrase}, {_and(self.leaders)} would tie for first place"
        return f"{self.phrase}, {self.leaders[0]} would lead"


@dataclass(frozen=True)
class Sensitivity:
    """The scenarios and the one sentence on what would change the recommendation."""

    leaders: tuple[str, ...]  # who ranks first on the brief's own figures
    scenarios: tuple[Scenario, ...]
    sentence: str

    @property
    def changed(self) -> tuple[Scenario, ...]:
        """The scenarios under which first place changes."""
        return tuple(s for s in self.scenarios if s.top_changed)


def _and(items: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# --- re-scoring ---------------------------------------------------------------------------------


def _weights_of(score: RubricScore) -> dict[str, float]:
    """The criterion weights the score was computed with (a weight profile's overrides included)."""
    return {cr.criterion_id: cr.weight for cr in score.criteria}


def evaluators_to_leave_out(vendors: Sequence[VendorScores]) -> list[str]:
    """Evaluators who scored some area of some vendor together with another evaluator (by name).

    Leaving out an evaluator who scored an area alone would leave it unscored, which tests nothing
    about that evaluator's judgement: there their scores stay.
    """
    out: set[str] = set()
    for v in vendors:
        for a in v.areas:
            names = {c.evaluator for c in a.scorecards}
            if len(names) >= 2:
                out.update(names)
    return sorted(out, key=lambda n: (n.casefold(), n))


def rescore_area(
    area: AreaScores,
    claims: Mapping[str, Claim],
    context: EngagementContext | None = None,
    *,
    discounts: Mapping[EvidenceStrength, float] = DEFAULT_DISCOUNTS,
    without: str | None = None,
    exclude_unscored: bool = False,
) -> RubricScore:
    """The area's score under other discounts, without one evaluator, or with unscored criteria left out.

    Without an evaluator the remaining scorecards are merged again (lower median; agreed scores still
    win, being the panel's); an area that evaluator scored alone keeps their scores.
    """
    scores: Mapping[str, Score] = area.scores
    changed = any(cr.strength is not None and discounts[cr.strength] != cr.discount for cr in area.score.criteria)
    if without is not None:
        rest = [c for c in area.scorecards if c.evaluator != without]
        if rest and len(rest) < len(area.scorecards):
            scores = combine_scorecards(area.rubric, rest, dict(claims), dict(area.agreed))
            changed = True
    if exclude_unscored and any(c.id not in scores for c in area.rubric.criteria):
        filled = dict(scores)
        for criterion in area.rubric.criteria:
            filled.setdefault(criterion.id, Score(criterion_id=criterion.id, answer=Answer.NOT_APPLICABLE))
        scores = filled
        changed = True
    if not changed:  # nothing this scenario changes touches the area: its score as computed stands
        return area.score
    return score_rubric(area.rubric, scores, dict(claims), discounts=discounts,
                        criterion_weights=_weights_of(area.score), context=context)


_Rescore = Callable[[VendorScores, AreaScores], RubricScore]


def _standing(vendors: Sequence[VendorScores],
              rescore: _Rescore | None) -> tuple[tuple[str, ...], list[tuple[str, int]]]:
    """(first place, the whole order as (name, rank)) with each area scored by ``rescore`` (None: as given)."""
    entries = []
    for v in vendors:
        scores = [a.score if rescore is None else rescore(v, a) for a in v.areas]
        o = overall_score(scores, {a.rubric.id: a.weight for a in v.areas})
        entries.append((v.name, o.evidence_weighted, o.knocked_out))
    ranked = rank(entries)
    leaders = tuple(r.name for r in ranked if r.rank == 1 and not r.knocked_out and r.score is not None)
    return leaders, [(r.name, r.rank) for r in ranked]


def _with_discounts(discounts: Mapping[EvidenceStrength, float]) -> _Rescore:
    def rescore(v: VendorScores, a: AreaScores) -> RubricScore:
        return rescore_area(a, v.claims, v.context, discounts=discounts)
    return rescore


def _without(evaluator: str) -> _Rescore:
    def rescore(v: VendorScores, a: AreaScores) -> RubricScore:
        return rescore_area(a, v.claims, v.context, without=evaluator)
    return rescore


def _spread() -> str:
    """How far rank stability moves each weight, in percent ('25' for factors 0.75..1.25)."""
    return f"{round(100 * (PERTURBATION[1] - PERTURBATION[0]) / 2):d}"


def _fmt(x: float) -> str:
    return f"{x:g}"


def discount_scenarios() -> list[tuple[str, str, dict[EvidenceStrength, float]]]:
    """(table label, sentence phrase, discounts) of each evidence-discount scenario."""
    doc = DEFAULT_DISCOUNTS[EvidenceStrength.DOCUMENTATION]
    asr = DEFAULT_DISCOUNTS[EvidenceStrength.ASSERTION]
    return [
        (f"Documentation counted at {_fmt(DOCUMENTATION_ALTERNATIVE)} (not {_fmt(doc)})",
         f"with documentation counted at {_fmt(DOCUMENTATION_ALTERNATIVE)}",
         {**DEFAULT_DISCOUNTS, EvidenceStrength.DOCUMENTATION: DOCUMENTATION_ALTERNATIVE}),
        (f"Sales assertions counted at 0 (not {_fmt(asr)})", "with sales assertions counted at 0",
         {**DEFAULT_DISCOUNTS, EvidenceStrength.ASSERTION: 0.0}),
        (f"Sales assertions counted as documentation ({_fmt(doc)})",
         "with sales assertions counted as documentation",
         {**DEFAULT_DISCOUNTS, EvidenceStrength.ASSERTION: doc}),
    ]


def sensitivity(
    vendors: Sequence[VendorScores],
    *,
    stability: Mapping[str, float | None] | None = None,
    samples: int = 0,
    recommended: str | None = None,
) -> Sensitivity:
    """Re-rank the vendors under each scenario and say in one sentence what would change the recommendation.

    ``stability`` is each vendor's (by id) share of ``samples`` random weightings under which it keeps
    its rank (``analysis.rank_stability``); it gives the weights row. ``recommended`` is the recommended
    vendor's name: the sentence speaks of 'the recommendation' when it is the one ranked first, else of
    'first place'.
    """
    base_leaders, base_order = _standing(vendors, None)
    scenarios: list[Scenario] = []

    def add(kind: ScenarioKind, label: str, phrase: str, rescore: _Rescore, evaluator: str = "") -> None:
        leaders, order = _standing(vendors, rescore)
        scenarios.append(Scenario(kind, label, phrase, leaders, leaders != base_leaders, order != base_order,
                                  evaluator=evaluator))

    stab = stability or {}
    by_name = {v.name: v.vendor_id for v in vendors}
    if samples > 0 and len(base_leaders) == 1 and stab.get(by_name[base_leaders[0]]) is not None:
        share = float(stab[by_name[base_leaders[0]]] or 0.0)
        others = [s for v in vendors if (s := stab.get(v.vendor_id)) is not None]
        scenarios.append(Scenario(
            ScenarioKind.WEIGHTS, f"Other weights ({samples:,} random draws, each area ±{_spread()} %)",
            f"other weights ({samples:,} draws)", base_leaders, share < 1.0, any(s < 1.0 for s in others),
            share, samples))
    for label, phrase, discounts in discount_scenarios():
        add(ScenarioKind.DISCOUNTS, label, phrase, _with_discounts(discounts))
    for name in evaluators_to_leave_out(vendors):
        add(ScenarioKind.EVALUATOR, f"Without the scores of {name}", f"without the scores of {name}",
            _without(name), evaluator=name)
    add(ScenarioKind.UNSCORED, "Unscored criteria left out (not counted as 0)",
        "with unscored criteria left out",
        lambda v, a: rescore_area(a, v.claims, v.context, exclude_unscored=True))
    return Sensitivity(base_leaders, tuple(scenarios),
                       sensitivity_sentence(vendors, base_leaders, scenarios, recommended))


def _held_phrases(scenarios: Sequence[Scenario]) -> list[str]:
    """The scenarios that keep first place, as phrases for 'holds under …' (evaluators grouped)."""
    out: list[str] = []
    evaluators = [s for s in scenarios if s.kind == ScenarioKind.EVALUATOR]
    held_eval = [s for s in evaluators if not s.top_changed]
    for s in scenarios:
        if s.top_changed:
            continue
        if s.kind == ScenarioKind.EVALUATOR:
            if s is held_eval[0]:
                if len(held_eval) == len(evaluators) and len(evaluators) > 1:
                    out.append("each evaluator left out")
                else:
                    out.append("without the scores of " + " or ".join(e.evaluator for e in held_eval))
            continue
        out.append(s.phrase.removeprefix("with "))
    return out


def sensitivity_sentence(vendors: Sequence[VendorScores], leaders: Sequence[str],
                         scenarios: Sequence[Scenario], recommended: str | None = None) -> str:
    """One plain sentence: what, of everything tested, would change the recommendation."""
    if not vendors:
        return "There is nothing to rank yet."
    if len(vendors) == 1:
        return f"Only one vendor is compared ({vendors[0].name}): no scenario can change who ranks first."
    if not leaders:
        return "No vendor passes the knock-out criteria, so there is no first place to test."
    subject = "the recommendation" if recommended is not None and tuple(leaders) == (recommended,) else \
        "first place"
    changed = [s for s in scenarios if s.top_changed]
    held = _held_phrases(scenarios)
    if not changed:
        return f"Nothing tested changes {subject}: {_and(held)}." if held else "Nothing was tested."
    parts = [s.change_clause for s in changed]
    clauses = parts[0] if len(parts) == 1 else f"{'; '.join(parts[:-1])}; and {parts[-1]}"
    if not held:
        return f"{subject[0].upper()}{subject[1:]} does not hold: {clauses}."
    return f"{subject[0].upper()}{subject[1:]} holds under {_and(held)}, but {clauses}."


# --- reasons ------------------------------------------------------------------------------------


def _criterion_shares(v: VendorScores) -> dict[tuple[str, str], tuple[float, CriterionResult]]:
    """(rubric id, criterion id) -> (share 0..1 of the vendor's overall weight, result)."""
    o = overall_score([a.score for a in v.areas], {a.rubric.id: a.weight for a in v.areas})
    out: dict[tuple[str, str], tuple[float, CriterionResult]] = {}
    for a in v.areas:
        area_share = o.rubric_shares.get(a.rubric.id, 0.0)
        counting = [cr for cr in a.score.criteria if cr.counts]
        total = sum(cr.weight for cr in counting)
        for cr in a.score.criteria:
            share = area_share * cr.weight / total if cr.counts and total > 0 else 0.0
            out[(a.rubric.id, cr.criterion_id)] = (share, cr)
    return out


def answer_words(cr: CriterionResult | None) -> str:
    """A criterion result in words: 'level 4 of 4, verified by us', 'not scored', 'not applicable'."""
    if cr is None or cr.answer is None:
        return "not scored"
    if not cr.counts or cr.level is None:
        return "not applicable"
    if cr.answer == Answer.NOT_DISCLOSED:
        return "not disclosed"
    text = f"level {cr.level} of {cr.top}"
    if cr.answer == Answer.DISCLOSED_NO:
        text = f"disclosed: no (counts as {text})"
    if cr.contradicted:
        return f"{text}, contradicted"
    if cr.declined:
        return f"{text}, declined by the vendor"
    if cr.strength is not None:
        text += f", {EvidenceStrength(cr.strength).label.lower()}"
    return text


def reasons_ahead(winner: VendorScores, runner: VendorScores, limit: int = 3) -> tuple[str, ...]:
    """Up to ``limit`` plain reasons ``winner`` beats ``runner``: the criteria adding most to its lead.

    A criterion adds (its share of the overall weight) x (its evidence-weighted score) to a vendor's
    overall; the reasons are the largest positive differences of those, each in words with both
    evidence-weighted scores out of 100 as printed and their gap (the difference of the printed
    figures). A runner-up that fails a knock-out criterion gets that as the first reason.
    """
    out: list[str] = []
    runner_kos = [ko for a in runner.areas for ko in a.score.knockouts]
    winner_out = any(a.score.knockouts for a in winner.areas)
    if runner_kos and not winner_out:
        out.append(f"{runner.name} fails a knock-out criterion: {runner_kos[0].describe()}.")
    mine, theirs = _criterion_shares(winner), _criterion_shares(runner)
    titles = {(a.rubric.id, c.id): (c.title, a.rubric.area) for v in (winner, runner) for a in v.areas
              for c in a.rubric.criteria}
    diffs = []
    for key in dict.fromkeys([*mine, *theirs]):
        w_share, w_cr = mine.get(key, (0.0, None))
        r_share, r_cr = theirs.get(key, (0.0, None))
        add = w_share * (w_cr.evidence if w_cr else 0.0) - r_share * (r_cr.evidence if r_cr else 0.0)
        if add > 1e-12:
            diffs.append((add, key, w_share, w_cr, r_cr))
    diffs.sort(key=lambda d: (-d[0], titles[d[1]][0].casefold(), d[1]))
    for _add, key, w_share, w_cr, r_cr in diffs:
        if len(out) >= limit:
            break
        title, area = titles[key]
        a_score = 100.0 * (w_cr.evidence if w_cr and w_cr.counts else 0.0)
        head = f"{title} ({area}, {percent_words(w_share)} of the weight): "
        mine_text = f"{winner.name} {printed(a_score):.1f} ({answer_words(w_cr)})"
        if r_cr is not None and r_cr.counts:
            b_score = 100.0 * r_cr.evidence
            gap = printed_gap(a_score, b_score)
            out.append(f"{head}{mine_text} against {runner.name} {printed(b_score):.1f} ({answer_words(r_cr)}) — "
                       f"{gap:.1f} points ahead.")
        else:
            theirs_text = answer_words(r_cr) if r_cr is not None else "not scored"
            out.append(f"{head}{mine_text}; for {runner.name} it is {theirs_text}.")
    return tuple(out)
