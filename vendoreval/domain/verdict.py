"""The verdict on ranked vendors: who is recommended and how, the top risks, and the conditions to negotiate.

One pure function, ``decide_verdict``, so the board brief and the Compare page say the same thing about
the same workspace. It never recommends a vendor that fails a knock-out criterion or is decided no-go.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .models import Claim, ClaimStatus, Decision, EvidenceStrength, Scorecard, Vendor
from .rubric import Rubric
from .rules import version_key
from .scoring import OverallScore, RubricScore, criterion_spreads, score_gap
from .text import plural

#: Gap (claimed minus evidence-weighted, in points) from which a vendor's claims count as a risk.
GAP_RISK_POINTS = 20.0
#: Stability (share of random weightings keeping the leader first) below which the ranking is fragile.
FRAGILE_STABILITY = 0.7
MAX_RISKS = 5
MAX_CONDITIONS = 6
#: Legal duties coming within this many days of the verdict's date count as a risk.
DUTY_SOON_DAYS = 365

_GO = (Decision.GO, Decision.GO_WITH_CONDITIONS)
_WEAK = (EvidenceStrength.ASSERTION, EvidenceStrength.DOCUMENTATION)


class VerdictKind(StrEnum):
    """The class of a verdict."""

    RECOMMEND = "recommend"
    RECOMMEND_WITH_CONDITIONS = "recommend_with_conditions"
    NO_RECOMMENDATION = "no_recommendation"

    @property
    def label(self) -> str:
        """Words for the user."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    VerdictKind.RECOMMEND: "Recommend",
    VerdictKind.RECOMMEND_WITH_CONDITIONS: "Recommend with conditions",
    VerdictKind.NO_RECOMMENDATION: "No recommendation",
}


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFacts:
    """A vendor's combined result on one rubric, with the rubric's weight and the scorecards behind it."""

    rubric: Rubric
    weight: float
    score: RubricScore
    scorecards: tuple[Scorecard, ...] = ()


@dataclass(frozen=True)
class RankedVendor:
    """One vendor as the ranking placed it, with what is recorded about it."""

    vendor: Vendor
    rank: int
    score: float | None  # the overall evidence-weighted score the ranking uses
    knocked_out: bool
    overall: OverallScore
    areas: tuple[AreaFacts, ...] = ()
    claims: tuple[Claim, ...] = ()
    stability: float | None = None  # share (0..1) of random weightings that keep this rank


@dataclass(frozen=True)
class Duty:
    """A legal duty a criterion rests on, and the date it applies from."""

    rubric_id: str
    criterion: str
    applies_from: str  # ISO date
    sources: str


# --- output -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """Who is recommended (if anyone), in which words, why, with which risks and conditions."""

    kind: VerdictKind
    vendor_id: str | None
    vendor: str | None  # the recommended vendor's name
    recorded: bool  # True when the recommendation is a recorded go decision
    text: str  # the recommendation in one sentence, as the brief prints it
    recorded_conditions: tuple[str, ...] = ()  # the conditions recorded with the decision
    reasons: tuple[str, ...] = ()  # why this recommendation (or none)
    risks: tuple[str, ...] = ()  # most serious first, at most MAX_RISKS
    conditions: tuple[str, ...] = ()  # to negotiate: the recorded ones, else from the evidence (≤ MAX_CONDITIONS)
    lead: str = ""  # the lead of the first-ranked vendor over the second, in points ("" when none)
    headline: str = "No recommendation"  # 'Recommended: X — with 2 recorded conditions'

    @property
    def main_risk(self) -> str | None:
        """The most serious risk, or None."""
        return self.risks[0] if self.risks else None


# --- rules --------------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _names(vendors: Sequence[RankedVendor]) -> str:
    names = [v.vendor.name for v in vendors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def legal_duties(rubrics: Iterable[Rubric], date: dt.date) -> tuple[tuple[Duty, ...], tuple[Duty, ...]]:
    """The duties the rubrics track, split into those in force on ``date`` and those still to come.

    Both a criterion's ``duty_applies_from`` (the duty named by the criterion's title and sources) and a
    rubric's ``duties`` (duties not tied to one criterion). Each list by date, rubric and criterion; a duty
    two rubric versions share is listed once.
    """
    in_force: set[Duty] = set()
    to_come: set[Duty] = set()
    for rubric in rubrics:
        found = [(c.duty_applies_from, c.title, "; ".join(c.sources) or "—")
                 for c in rubric.criteria if c.duty_applies_from is not None]
        found += [(d.applies_from, d.duty, d.source) for d in rubric.duties]
        for applies_from, what, sources in found:
            duty = Duty(rubric.id, what, applies_from.isoformat(), sources)
            (in_force if applies_from <= date else to_come).add(duty)
    key = lambda d: (d.applies_from, d.rubric_id, d.criterion, d.sources)  # noqa: E731
    return tuple(sorted(in_force, key=key)), tuple(sorted(to_come, key=key))


@dataclass(frozen=True)
class LawAsOf:
    """How current the law behind a set of rubrics is: the oldest ``law_reviewed_on`` and the rubrics
    that record no review date (as 'id version')."""

    reviewed_on: dt.date | None
    undated: tuple[str, ...]

    def describe(self, format_date: Callable[[dt.date], str] = dt.date.isoformat) -> str:
        """'Law as of 1 December 2026.', with the rubric versions when a rubric records no review date."""
        if self.reviewed_on is None:
            if not self.undated:
                return "No rubric used."
            return ("Law as in the rubric versions used (none records a review date): "
                    + ", ".join(self.undated) + ".")
        text = f"Law as of {format_date(self.reviewed_on)}"
        if self.undated:
            text += " (the oldest review date of the rubrics used; no review date recorded for " \
                    + ", ".join(self.undated) + ")"
        return text + "."


def law_as_of(rubrics: Iterable[Rubric]) -> LawAsOf:
    """The oldest ``law_reviewed_on`` of ``rubrics``, and the rubrics without one."""
    used = sorted({(r.id, r.version): r for r in rubrics}.values(), key=lambda r: (r.id, version_key(r.version)))
    dates = [r.law_reviewed_on for r in used if r.law_reviewed_on is not None]
    return LawAsOf(min(dates) if dates else None,
                   tuple(f"{r.id} {r.version}" for r in used if r.law_reviewed_on is None))


def duties_soon(rubrics: Iterable[Rubric], date: dt.date) -> tuple[Duty, ...]:
    """Duties that are not in force on ``date`` but apply within DUTY_SOON_DAYS of it."""
    _, to_come = legal_duties(rubrics, date)
    return tuple(d for d in to_come if (dt.date.fromisoformat(d.applies_from) - date).days <= DUTY_SOON_DAYS)


def _risks(recommended: RankedVendor | None, rows: Sequence[RankedVendor], blocked: Sequence[RankedVendor],
           soon: Sequence[Duty], unassessed: Sequence[RankedVendor] = ()) -> tuple[str, ...]:
    """The top risks, most serious first: knock-outs, contradictions, gaps, unscored, disagreement, law."""
    out: list[str] = []
    if rows and all(r.knocked_out for r in rows):
        out.append("No vendor passes every knock-out criterion.")
    for v in blocked:  # a recorded go the knock-outs overrule
        for ko in v.overall.knockouts:
            out.append(f"{v.vendor.name} is decided go but fails a knock-out criterion: {ko.describe()}.")
    for v in unassessed:  # a recorded go nobody has scored
        out.append(f"{v.vendor.name} is decided go but has no scores: none of its claims has been checked "
                   "against a rubric.")
    if recommended is not None:
        name = recommended.vendor.name
        for ko in recommended.overall.knockouts:
            out.append(f"{name} fails a knock-out criterion: {ko.describe()}.")
        contradicted = [c for c in recommended.claims if c.status == ClaimStatus.CONTRADICTED]
        if contradicted:
            n = len(contradicted)
            out.append(f"{n} of {name}'s claims {'is' if n == 1 else 'are'} contradicted by the evidence.")
        gap = score_gap(recommended.overall.claimed, recommended.overall.evidence_weighted)
        if gap is not None and gap >= GAP_RISK_POINTS:
            out.append(
                f"{name}'s evidence-weighted score is {gap:.1f} points below what it claims: much of its "
                "score rests on its own assertions."
            )
        declined = [c for c in recommended.claims if c.status == ClaimStatus.DECLINED]
        if declined:
            out.append(f"{name} declined to answer {plural(len(declined), 'question')}.")
        o = recommended.overall
        if o.total and o.answered < o.total:
            out.append(f"{o.total - o.answered} of {plural(o.total, 'criterion')} for {name} "
                       f"{'is' if o.total - o.answered == 1 else 'are'} not scored yet.")
        flagged = sum(
            1 for a in recommended.areas for s in criterion_spreads(a.rubric, a.scorecards) if s.flagged
        )
        if flagged:
            out.append(
                f"Evaluators differ by two levels or more on {plural(flagged, 'criterion')} for {name}."
            )
    leader_stability = rows[0].stability if rows else None
    if leader_stability is not None and leader_stability < FRAGILE_STABILITY:
        out.append(
            f"The ranking is fragile: the leader keeps first place in only {_pct(leader_stability)} of "
            "random weightings."
        )
    for duty in soon:
        out.append(f"A legal duty applies from {duty.applies_from}: {duty.criterion} ({duty.sources}).")
    return tuple(out[:MAX_RISKS])


def _found_conditions(recommended: RankedVendor) -> list[str]:
    """Commitments the evidence calls for (scores resting on weak evidence), the most important first: the
    conditions of a vendor that has none recorded."""
    candidates: list[tuple[float, str]] = []
    for area in recommended.areas:
        for result in area.score.criteria:
            if not result.counts or result.level is None or result.strength not in _WEAK:
                continue
            criterion = area.rubric.criterion(result.criterion_id)
            if result.contradicted:
                text = f"Resolve the contradicted claim on {criterion.title} before signing."
            else:
                label = EvidenceStrength(result.strength).label.lower() if result.strength else ""
                text = f"Commit in the contract: {criterion.title} (now resting on {label})."
            # knock-out criteria and heavier weights first
            importance = area.weight * result.weight * (2 if criterion.knockout_below is not None else 1)
            candidates.append((-importance, text))
    candidates.sort()
    return list(dict.fromkeys(text for _, text in candidates))


def _conditions(recommended: RankedVendor | None) -> tuple[str, ...]:
    """Conditions to negotiate: the recorded ones when there are any (the team's list, as the brief numbers
    it), else the commitments the evidence calls for (``_found_conditions``)."""
    if recommended is None:
        return ()
    own = [c for c in recommended.vendor.conditions if c.strip()]
    return tuple((own or _found_conditions(recommended))[:MAX_CONDITIONS])


def _lead(rows: Sequence[RankedVendor]) -> str:
    """The first-ranked vendor's lead over the next one that passes the knock-outs (a knocked-out vendor
    ranks last whatever its score, so a lead over it would be no lead, and could be negative)."""
    passing = [(r, r.score) for r in rows if not r.knocked_out and r.score is not None]
    if len(passing) > 1 and passing[0][0] is rows[0]:
        (first, a), (second, b) = passing[0], passing[1]
        return f"The lead of {first.vendor.name} over {second.vendor.name} is {a - b:.1f} points."
    return ""


def _headline(name: str | None, conditions: Sequence[str], recorded: bool) -> str:
    """'Recommended: X — with 3 recorded conditions', or '… — with 2 conditions from the evidence': the
    conditions counted are the ones the brief lists (the Conditions tab proposes more from the evidence)."""
    if name is None:
        return "No recommendation"
    n = len(conditions)
    if not n:
        return f"Recommended: {name}"
    plural = "" if n == 1 else "s"
    if not recorded:
        return f"Recommended: {name} — with {n} condition{plural} from the evidence"
    return f"Recommended: {name} — with {n} recorded condition{plural}"


def decide_verdict(ranked: Sequence[RankedVendor], date: dt.date) -> Verdict:
    """The verdict on vendors given best first (pure: same input, same output).

    A recorded go (or go with conditions) wins, the best-ranked one if several, unless it fails a
    knock-out criterion or the vendor has no score at all (then nobody is recommended); without one, the
    first-ranked vendor that is scored, passes every knock-out criterion and is not decided no-go;
    otherwise nobody. Legal duties of every rubric the vendors were
    scored on are judged against ``date``.
    """
    rows = list(ranked)
    go = [v for v in rows if v.vendor.decision in _GO]
    blocked = [v for v in go if v.knocked_out]
    unassessed = [v for v in go if not v.knocked_out and v.score is None]  # a go that rests on no score
    decided = [v for v in go if not v.knocked_out and v.score is not None]
    recommended: RankedVendor | None = None
    recorded = False
    reasons: list[str] = []
    if decided:
        recommended, recorded = decided[0], True
        name = recommended.vendor.name
        label = Decision(recommended.vendor.decision).label
        text = f"{label}: {name} (recorded decision)."
        reasons.append(f"'{label}' is the decision recorded for {name}.")
    elif blocked or unassessed:
        why = []
        if blocked:
            why.append(f"the recorded go decision{'s' if len(blocked) > 1 else ''} on {_names(blocked)} "
                       f"{'fail' if len(blocked) > 1 else 'fails'} a knock-out criterion")
            reasons.append("A vendor that fails a knock-out criterion is never recommended, whatever was decided.")
        if unassessed:
            why.append(f"the recorded go decision{'s' if len(unassessed) > 1 else ''} on {_names(unassessed)} "
                       f"{'rest' if len(unassessed) > 1 else 'rests'} on no scores")
            reasons.append("A vendor without any score is never recommended, whatever was decided: nothing of "
                           "what it claims has been assessed. Score it first.")
        text = f"No recommendation: {'; '.join(why)}."
    else:
        eligible = [v for v in rows if not v.knocked_out and v.score is not None]
        choice = next((v for v in eligible if v.vendor.decision != Decision.NO_GO), None)
        if choice is not None:
            recommended = choice
            name = choice.vendor.name
            passed_over = eligible[:eligible.index(choice)]  # all decided no-go
            reasons.append(f"{name} ranks first of the vendors that pass every knock-out criterion and are not "
                           "decided no-go; no go decision is recorded.")
            if not passed_over:
                text = (f"{name}, the first-ranked vendor that passes every knock-out criterion "
                        "(no decision recorded yet).")
            else:
                text = (f"{name}, the first-ranked vendor that passes every knock-out criterion and is not "
                        "decided no-go (no go decision recorded yet).")
                reasons.append(f"Ranked higher but decided no-go: {_names(passed_over)}.")
        elif eligible:
            text = "No recommendation: every vendor that passes the knock-out criteria is decided no-go."
        else:
            text = ("No recommendation: no vendor with a score passes every knock-out criterion "
                    "(no decision recorded yet).")
    rubrics = {(a.rubric.id, a.rubric.content_hash): a.rubric for v in rows for a in v.areas}
    own = tuple(c for c in recommended.vendor.conditions if c.strip()) if recommended else ()
    conditions = _conditions(recommended)
    if recommended is None:
        kind = VerdictKind.NO_RECOMMENDATION
    elif conditions:
        kind = VerdictKind.RECOMMEND_WITH_CONDITIONS
    else:
        kind = VerdictKind.RECOMMEND
    return Verdict(
        kind=kind,
        vendor_id=recommended.vendor.id if recommended else None,
        vendor=recommended.vendor.name if recommended else None,
        recorded=recorded,
        text=text,
        recorded_conditions=own if recorded else (),
        reasons=tuple(reasons),
        risks=_risks(recommended, rows, blocked, duties_soon(rubrics.values(), date), unassessed),
        conditions=conditions,
        lead=_lead(rows),
        headline=_headline(recommended.vendor.name if recommended else None, conditions, bool(own)),
    )
