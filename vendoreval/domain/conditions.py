"""Conditions to negotiate: numbering, and the proposals derived from scores and claims (pure, no store).

A proposal is derived for **every** vendor (not only the recommended one) from each criterion that is
heavy (effective weight 2 or more, after the weight profile) or a knock-out criterion and that rests on

* ``contradicted``: a contradicted claim (linked on the score, or naming the criterion),
* ``declined``: a declined answer (the vendor declined to answer, or the answer is "not disclosed"),
* ``assertion``: a sales assertion only (the score's evidence strength, or an asserted claim naming a
  criterion that has no score yet).

One proposal per criterion, for the worst of these causes (in that order). Its key,
``derived:<kind>:<rubric>/<criterion>``, becomes the accepted condition's ``origin``. A criterion that
already has an accepted condition (of any cause) is not proposed again; a dropped proposal is not
proposed again while its cause is the same (a new, worse cause is proposed). The words come from
rubrics/data/condition-wording.toml (``ConditionWording``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .context import EngagementContext, applicability
from .models import MANUAL_ORIGIN, Answer, Claim, ClaimStatus, Condition, EvidenceStrength, new_id, utc_now
from .rubric import Criterion, Rubric
from .scoring import CriterionResult, RubricScore

#: A criterion weighs "heavy" from this effective weight on.
HEAVY_WEIGHT = 2.0

#: The causes of a proposal, worst first.
KINDS = ("contradicted", "declined", "assertion")

_PREFIX = "derived:"


def proposal_key(kind: str, rubric_id: str, criterion_id: str) -> str:
    """The key of a derived proposal (and the origin of the condition accepted from it)."""
    return f"{_PREFIX}{kind}:{rubric_id}/{criterion_id}"


def parse_key(key: str) -> tuple[str, str, str] | None:
    """(kind, rubric id, criterion id) of a derived key, None for 'manual' or anything else."""
    if not key.startswith(_PREFIX):
        return None
    kind, sep, ref = key[len(_PREFIX):].partition(":")
    rubric_id, slash, criterion_id = ref.partition("/")
    if not sep or not slash or kind not in KINDS or not rubric_id or not criterion_id:
        return None
    return kind, rubric_id, criterion_id


def is_derived_key(key: str) -> bool:
    """True for a well-formed ``derived:<kind>:<rubric>/<criterion>`` key."""
    return parse_key(key) is not None


# --- wording -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionWording:
    """The words of proposed conditions: per criterion (one text, or one per cause), else generic by cause."""

    generic: Mapping[str, str]
    criteria: Mapping[tuple[str, str], Mapping[str, str]]  # (rubric, criterion) -> cause or "any" -> text

    @classmethod
    def from_data(cls, data: Mapping[str, Any], where: str = "condition wording") -> ConditionWording:
        """Read the parsed TOML of condition-wording.toml; ValueError naming the key that is wrong."""
        generic = data.get("generic", {})
        if not isinstance(generic, Mapping) or any(not isinstance(v, str) for v in generic.values()):
            raise ValueError(f"{where}: [generic] must map causes to texts")
        unknown = set(generic) - set(KINDS)
        if unknown:
            raise ValueError(f"{where}: [generic] has unknown cause(s) {', '.join(sorted(unknown))}")
        criteria: dict[tuple[str, str], dict[str, str]] = {}
        for rubric_id, table in (data.get("criteria") or {}).items():
            if not isinstance(table, Mapping):
                raise ValueError(f"{where}: criteria.{rubric_id} must be a table")
            for criterion_id, value in table.items():
                key = f"criteria.{rubric_id}.{criterion_id}"
                if isinstance(value, str):
                    criteria[(rubric_id, criterion_id)] = {"any": value}
                elif isinstance(value, Mapping) and value and all(isinstance(v, str) for v in value.values()):
                    bad = set(value) - {*KINDS, "any"}
                    if bad:
                        raise ValueError(f"{where}: {key} has unknown cause(s) {', '.join(sorted(bad))}")
                    criteria[(rubric_id, criterion_id)] = dict(value)
                else:
                    raise ValueError(f"{where}: {key} must be a text or a table of texts by cause")
        return cls(dict(generic), criteria)

    def text(self, kind: str, rubric_id: str, criterion: Criterion) -> str:
        """The condition for ``criterion`` under cause ``kind``."""
        own = self.criteria.get((rubric_id, criterion.id))
        if own is not None:
            found = own.get(kind) or own.get("any")
            if found:
                return found
        template = self.generic.get(kind) or _GENERIC[kind]
        return template.replace("{title}", criterion.title)


_GENERIC = {
    "declined": "Answer in writing: {title}",
    "assertion": "Back with documents or a contract clause: {title}",
    "contradicted": "Resolve the contradiction in writing: {title}",
}

#: The wording when no data file is at hand (tests, a damaged installation): generic texts only.
GENERIC_WORDING = ConditionWording(_GENERIC, {})


# --- proposals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A condition the scores and claims suggest, for the user to accept, edit or drop."""

    key: str
    vendor_id: str
    kind: str
    rubric_id: str
    criterion_id: str
    criterion_title: str
    text: str
    why: str
    weight: float
    knockout: bool

    def as_json(self) -> dict[str, object]:
        """The object `conditions list --proposed --json` prints."""
        return {"key": self.key, "kind": self.kind, "rubric": self.rubric_id, "criterion": self.criterion_id,
                "criterion_title": self.criterion_title, "text": self.text, "why": self.why,
                "weight": self.weight, "knockout": self.knockout}


@dataclass(frozen=True)
class RubricInput:
    """One rubric of a vendor: the version whose scores count and its result (None: not scored at all)."""

    rubric: Rubric
    score: RubricScore | None = None


def _cause_from_result(result: CriterionResult) -> str | None:
    if result.contradicted:
        return "contradicted"
    if result.declined or result.answer == Answer.NOT_DISCLOSED:
        return "declined"
    if result.answer in (Answer.LEVEL, Answer.DISCLOSED_NO) and result.strength == EvidenceStrength.ASSERTION:
        return "assertion"
    return None


_CLAIM_CAUSE = {ClaimStatus.CONTRADICTED: "contradicted", ClaimStatus.DECLINED: "declined",
                ClaimStatus.ASSERTED: "assertion"}

_WHY = {
    "contradicted": "a claim on it is contradicted",
    "declined": "the vendor declined to answer",
    "assertion": "it rests on a sales assertion only",
}


def _worst(kinds: Iterable[str]) -> str | None:
    found = set(kinds)
    return next((k for k in KINDS if k in found), None)


def covered_criteria(conditions: Iterable[Condition]) -> set[tuple[str, str]]:
    """(rubric, criterion) of the conditions accepted from proposals (whatever their cause)."""
    out = set()
    for c in conditions:
        parsed = parse_key(c.origin)
        if parsed is not None:
            out.add((parsed[1], parsed[2]))
    return out


def derive_proposals(
    vendor_id: str,
    rubrics: Sequence[RubricInput],
    claims: Iterable[Claim],
    wording: ConditionWording = GENERIC_WORDING,
    *,
    criterion_weights: Mapping[str, float] | None = None,
    context: EngagementContext | None = None,
    accepted: Iterable[Condition] = (),
    dropped: Iterable[str] = (),
) -> list[Proposal]:
    """The conditions to propose for one vendor (see the module docstring), knock-outs first, then by weight.

    ``rubrics``: every rubric the vendor is scored on (with its result) and every rubric its claims name
    (the latest version, unscored). ``criterion_weights`` ("rubric:criterion" -> weight) are the weight
    profile's, used where no result carries the effective weight. ``accepted``: the vendor's conditions;
    ``dropped``: the keys of the proposals dropped for this vendor.
    """
    weights = criterion_weights or {}
    covered = covered_criteria(accepted)
    dropped_keys = set(dropped)
    claim_causes: dict[tuple[str, str], list[tuple[str, Claim]]] = {}
    for claim in claims:
        cause = _CLAIM_CAUSE.get(ClaimStatus(claim.status))
        if claim.vendor_id != vendor_id or cause is None:
            continue
        for link in claim.criteria:
            claim_causes.setdefault((link.rubric_id, link.criterion_id), []).append((cause, claim))
    out: list[tuple[tuple[int, float, int, int], Proposal]] = []
    seen: set[tuple[str, str]] = set()
    for r_index, item in enumerate(rubrics):
        rubric = item.rubric
        results = {r.criterion_id: r for r in item.score.criteria} if item.score is not None else {}
        for c_index, criterion in enumerate(rubric.criteria):
            ref = (rubric.id, criterion.id)
            if ref in seen:
                continue
            seen.add(ref)
            result = results.get(criterion.id)
            if result is not None:
                if result.not_applicable_reason is not None or result.answer == Answer.NOT_APPLICABLE:
                    continue
                weight = result.weight
            else:
                if context is not None and not context.is_empty() and applicability(criterion, context):
                    continue
                weight = weights.get(f"{rubric.id}:{criterion.id}", criterion.weight)
            knockout = criterion.knockout_below is not None
            if not (knockout or weight >= HEAVY_WEIGHT) or weight <= 0:
                continue
            causes: list[str] = []
            if result is not None:
                score_cause = _cause_from_result(result)
                if score_cause:
                    causes.append(score_cause)
            unscored = result is None or result.answer is None
            claim_list = claim_causes.get(ref, [])
            causes += [cause for cause, _ in claim_list if cause != "assertion" or unscored]
            kind = _worst(causes)
            if kind is None or ref in covered:
                continue
            key = proposal_key(kind, rubric.id, criterion.id)
            if key in dropped_keys:
                continue
            why = _why(kind, criterion, weight, knockout, [c for cause, c in claim_list if cause == kind])
            proposal = Proposal(key, vendor_id, kind, rubric.id, criterion.id, criterion.title,
                                wording.text(kind, rubric.id, criterion), why, weight, knockout)
            out.append(((0 if knockout else 1, -weight, r_index, c_index), proposal))
    out.sort(key=lambda pair: pair[0])
    return [p for _, p in out]


def _why(kind: str, criterion: Criterion, weight: float, knockout: bool, claims: Sequence[Claim]) -> str:
    what = "a knock-out criterion" if knockout else f"weight {weight:g}"
    text = f"{criterion.title} ({what}): {_WHY[kind]}"
    if claims:
        said = claims[0].text.strip().replace("\n", " ")
        text += f" - \u201c{said[:80]}{'…' if len(said) > 80 else ''}\u201d"
    return text


# --- numbering -----------------------------------------------------------------------------------------


def renumbered(conditions: Sequence[Condition]) -> list[Condition]:
    """The conditions in their order, numbered 1..N (a condition whose number changes is a new copy)."""
    out = []
    for i, c in enumerate(sorted(conditions, key=lambda c: c.number), start=1):
        out.append(c if c.number == i else c.model_copy(update={"number": i}))
    return out


def reconcile_texts(vendor_id: str, existing: Sequence[Condition], texts: Sequence[str]) -> list[Condition]:
    """The condition records that ``texts`` (a plain list, in order) turn ``existing`` into.

    A text equal to an existing condition's keeps that record with its positions, owner and origin. When
    the list keeps its length, a changed text takes over the record in its place that no longer matches
    (a line edited in the profile's box keeps its target and owner); otherwise the other texts are new
    manual conditions and the left-over records are gone. Numbered 1..N in the order of ``texts``.
    Blank texts are skipped.
    """
    wanted = [t.strip() for t in texts if t.strip()]
    pool = sorted(existing, key=lambda c: c.number)
    kept: list[Condition | None] = [None] * len(wanted)
    unused = list(pool)
    for i, text in enumerate(wanted):
        match = next((c for c in unused if c.text == text), None)
        if match is not None:
            kept[i] = match
            unused.remove(match)
    now = utc_now()
    out: list[Condition] = []
    same_length = len(wanted) == len(pool)
    for i, text in enumerate(wanted):
        record = kept[i]
        if record is None and unused and same_length:
            old = unused.pop(0)
            record = old.model_copy(update={"text": text, "updated_at": now})
        if record is None:
            record = Condition(id=new_id(), vendor_id=vendor_id, number=i + 1, text=text, origin=MANUAL_ORIGIN,
                               created_at=now, updated_at=now)
        out.append(record if record.number == i + 1 else record.model_copy(update={"number": i + 1}))
    return out
