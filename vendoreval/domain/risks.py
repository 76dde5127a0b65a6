"""The risk register, derived: what in the scores, claims, commercials and dates is a risk, and its ratings.

Risks are never stored. Each is derived from its cause and keyed by (kind, vendor id, criterion or ''):
a criterion is written 'rubric/criterion'; the vendor id is '' for the evaluation as a whole (doing
nothing). What users write on a risk (owner, mitigation, residual, and an impact or likelihood of their
own) is a ``RiskNote`` under the same key: shown while the cause lasts, kept (not shown) when it goes,
shown again when it comes back.

Kinds (docs/risks.md):

- ``knockout``: a knock-out criterion failed.
- ``low_score_heavy``: a counted level below half the scale on a criterion of effective weight 2 or more.
- ``assertion_decisive``: a decisive score resting on a sales assertion or with no evidence linked;
  decisive means one level up or down on that criterion changes the vendor's rank among the vendors
  compared (``decisive`` recomputes the totals with the scoring rules to find out).
- ``contradicted_claim``: a score resting on a contradicted claim (or a contradicted claim behind no score).
- ``low_agreement``: the evaluators gave the same level on fewer than 70 % of the criteria two or more rated.
- ``lock_in``: an exit cost or a notice period, or no exit terms recorded at all.
- ``stale``: evidence or claims past their review date.
- ``do_nothing``: one per evaluation: what happens if no vendor is taken.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from .commercials import Commercials
from .context import EngagementContext
from .models import Answer, Claim, EvidenceStrength, Score
from .rubric import Rubric
from .rules import RuleError
from .scoring import TIE_EPSILON, CriterionResult, RubricScore, overall_score, rank, rank_group, score_rubric

KINDS = ("knockout", "low_score_heavy", "assertion_decisive", "contradicted_claim", "low_agreement", "lock_in",
         "stale", "do_nothing")
#: A criterion weighing this much or more (after the weight profile) is heavy.
HEAVY_WEIGHT = 2.0
#: A counted level below this share of the scale's top is a low score.
LOW_SHARE = 0.5
#: Evaluators agreeing on less than this share of the criteria is low agreement.
LOW_AGREEMENT = 0.70
USER_FIELDS = ("owner", "mitigation", "residual", "impact", "likelihood")
TEXT_FIELDS = ("owner", "mitigation", "residual")
MAX_TEXT = {"owner": 200, "mitigation": 2000, "residual": 2000}
#: The key of the do-nothing risk: the evaluation as a whole, no vendor.
EVALUATION = ""

Key = tuple[str, str, str]


class RiskError(RuleError):
    """A risk note the rules refuse (``field`` names what to change)."""


@dataclass(frozen=True)
class RiskDefaults:
    """How a kind of risk starts: its title and its impact and likelihood (1-5) until a user rates it."""

    title: str
    impact: int
    likelihood: int


def parse_defaults(data: Mapping[str, Any], source: str = "risk-defaults.toml") -> dict[str, RiskDefaults]:
    """The defaults file's tables, one per kind, checked (RiskError naming the kind and field)."""
    out: dict[str, RiskDefaults] = {}
    for kind in KINDS:
        table = data.get(kind)
        if not isinstance(table, Mapping):
            raise RiskError(f"{source}: no [{kind}] table", field=kind)
        title = table.get("title")
        if not isinstance(title, str) or not title.strip():
            raise RiskError(f"{source}: [{kind}] title must be text", field=f"{kind}.title")
        ratings = [check_rating(table.get(f), f"{kind}.{f}", source) for f in ("impact", "likelihood")]
        out[kind] = RiskDefaults(title.strip(), ratings[0], ratings[1])
    unknown = sorted(set(data) - set(KINDS))
    if unknown:
        raise RiskError(f"{source}: [{unknown[0]}] is not a kind of risk; the kinds are: {', '.join(KINDS)}",
                        field=unknown[0])
    return out


def check_rating(value: object, field: str, where: str = "") -> int:
    """An impact or likelihood: a whole number 1..5 (no booleans, no floats; '3' as typed is fine)."""
    prefix = f"{where}: " if where else ""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise RiskError(f"{prefix}{field} must be a whole number from 1 to 5 (got {value!r})", field=field)
    return value


def check_kind(kind: str) -> str:
    """A kind of risk as typed ('low-score-heavy' works too)."""
    k = kind.strip().lower().replace("-", "_")
    if k not in KINDS:
        raise RiskError(f"'{kind}' is not a kind of risk; the kinds are: {', '.join(KINDS)}", field="kind")
    return k


@dataclass(frozen=True)
class RiskNote:
    """What a user wrote on a risk, kept by its key (``revision`` 0: never stored)."""

    kind: str
    vendor_id: str
    criterion: str = ""
    owner: str = ""
    mitigation: str = ""
    residual: str = ""
    impact: int | None = None  # None: the kind's default
    likelihood: int | None = None
    updated_at: str = ""
    revision: int = 0

    @property
    def key(self) -> Key:
        """(kind, vendor id, criterion)."""
        return (self.kind, self.vendor_id, self.criterion)

    def is_empty(self) -> bool:
        """True when nothing is written."""
        return not (self.owner or self.mitigation or self.residual) and self.impact is None \
            and self.likelihood is None

    def with_values(self, values: Mapping[str, object]) -> RiskNote:
        """A copy with some user fields set, checked (an impact or likelihood of None: back to the default)."""
        changes: dict[str, Any] = {}
        for name, value in values.items():
            if name in TEXT_FIELDS:
                if not isinstance(value, str):
                    raise RiskError(f"{name} must be text", field=name)
                text = value.strip()
                if len(text) > MAX_TEXT[name]:
                    raise RiskError(f"{name}: {len(text)} characters; at most {MAX_TEXT[name]}", field=name)
                changes[name] = text
            elif name in ("impact", "likelihood"):
                changes[name] = None if value is None or value == "" else check_rating(value, name)
            else:
                raise RiskError(f"'{name}' cannot be set on a risk; the fields are: {', '.join(USER_FIELDS)}",
                                field=name)
        return replace(self, **changes)


@dataclass(frozen=True)
class Risk:
    """One row of the register: the derived cause, the ratings and what a user wrote."""

    kind: str
    vendor_id: str
    vendor: str  # the vendor's name ('' for the evaluation as a whole)
    criterion: str  # 'rubric/criterion' or ''
    criterion_title: str
    cause: str
    title: str  # the kind's title
    impact: int
    likelihood: int
    owner: str = ""
    mitigation: str = ""
    residual: str = ""
    rated: bool = False  # a user set the impact or likelihood
    revision: int = 0  # the note's revision (0: no note yet)

    @property
    def key(self) -> Key:
        """(kind, vendor id, criterion)."""
        return (self.kind, self.vendor_id, self.criterion)

    @property
    def score(self) -> int:
        """Impact x likelihood (1..25): the register lists the highest first."""
        return self.impact * self.likelihood

    def as_json(self) -> dict[str, Any]:
        """Plain data (`risks list --json`, the brief)."""
        return {"kind": self.kind, "title": self.title, "vendor_id": self.vendor_id, "vendor": self.vendor,
                "criterion": self.criterion, "criterion_title": self.criterion_title, "cause": self.cause,
                "impact": self.impact, "likelihood": self.likelihood, "score": self.score, "owner": self.owner,
                "mitigation": self.mitigation, "residual": self.residual, "rated": self.rated,
                "revision": self.revision}


# --- the facts risks are derived from -------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFacts:
    """One criterion of one vendor as the totals counted it, with what the register asks of it."""

    rubric_id: str
    criterion_id: str
    title: str
    result: CriterionResult
    knockout_reason: str | None = None  # set when it knocked the vendor out
    evidence_linked: bool = False  # the score, or a claim it rests on, links evidence
    contradicted_claims: tuple[str, ...] = ()  # texts of the contradicted claims it rests on
    decisive: bool = False  # one level up or down changes the vendor's rank

    @property
    def ref(self) -> str:
        """'rubric/criterion'."""
        return f"{self.rubric_id}/{self.criterion_id}"


@dataclass(frozen=True)
class VendorFacts:
    """Everything the register derives one vendor's risks from."""

    vendor_id: str
    name: str
    criteria: tuple[CriterionFacts, ...] = ()
    agreement: float | None = None  # share of criteria rated alike (None: fewer than two evaluators)
    agreement_criteria: int = 0  # how many criteria two or more evaluators rated
    commercials: Commercials | None = None
    stale: tuple[str, ...] = ()  # one line per item past its review date
    other_contradicted: tuple[str, ...] = ()  # contradicted claims no score rests on


def _pct(share: float) -> str:
    return f"{round(100 * share)} %"


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _amount(c: Commercials, value: Decimal) -> str:
    return f"{c.currency + ' ' if c.currency else ''}{value:,}"


def _causes(v: VendorFacts, noted: Callable[[str], bool] = lambda ref: False) -> list[tuple[str, str, str, str]]:
    """(kind, criterion ref, criterion title, cause) for one vendor, in kind order.

    One contradicted claim behind several scores is one risk (one owner, one mitigation: the claim is what
    to chase), keyed by the first of those criteria that has a note (``noted(ref)``), else the first; its
    criterion title names them all. Without that, a claim whose risk has an owner also came back unowned
    under the claim's other criteria, and the rows read the same."""
    out: list[tuple[str, str, str, str]] = []
    for c in v.criteria:
        if c.knockout_reason is not None and c.result.answer == Answer.NOT_DISCLOSED:
            out.append(("knockout", c.ref, c.title, f"{c.knockout_reason}, so the vendor is knocked out"))
        elif c.knockout_reason is not None:
            out.append(("knockout", c.ref, c.title, f"{c.knockout_reason} (level {c.result.level} is below the "
                                                    "minimum): the vendor is knocked out"))
    for c in v.criteria:
        r = c.result
        if r.counts and r.answer is not None and r.level is not None and r.weight >= HEAVY_WEIGHT \
                and r.level < LOW_SHARE * r.top:
            said = (f"not disclosed (counts as level {r.level} of {r.top})" if r.answer == Answer.NOT_DISCLOSED
                    else f"level {r.level} of {r.top}")
            out.append(("low_score_heavy", c.ref, c.title, f"{said} on a criterion of weight {r.weight:g}"))
    for c in v.criteria:
        r = c.result
        if not (c.decisive and r.counts and r.answer == Answer.LEVEL and r.level is not None):
            continue
        basis = []
        if r.strength == EvidenceStrength.ASSERTION:
            basis.append("rests on a sales assertion")
        if not c.evidence_linked:
            basis.append("has no evidence linked")
        if basis:
            out.append(("assertion_decisive", c.ref, c.title,
                        f"level {r.level} {' and '.join(basis)}; one level up or down changes the vendor's rank"))
    groups: dict[tuple[str, ...] | str, list[CriterionFacts]] = {}
    for c in v.criteria:
        if c.result.contradicted:  # no claim text: a group of its own
            groups.setdefault(tuple(sorted(set(c.contradicted_claims))) or c.ref, []).append(c)
    for group in groups.values():
        key = next((c for c in group if noted(c.ref)), group[0])
        texts = "; ".join(f"“{_short(t)}”" for t in group[0].contradicted_claims) or "a linked claim"
        claim = "a contradicted claim" if len(group[0].contradicted_claims) <= 1 else "contradicted claims"
        if len(group) == 1:
            out.append(("contradicted_claim", key.ref, key.title, f"the score rests on {claim}: {texts}"))
        else:
            titles = [key.title, *(c.title for c in group if c is not key)]
            out.append(("contradicted_claim", key.ref, "; ".join(titles),
                        f"the scores on {len(group)} criteria rest on {claim}: {texts}"))
    if v.other_contradicted:
        texts = "; ".join(f"“{_short(t)}”" for t in v.other_contradicted)
        n = len(v.other_contradicted)
        out.append(("contradicted_claim", "", "", f"{n} contradicted claim{'s' if n != 1 else ''} behind no score: "
                                                  f"{texts}"))
    if v.agreement is not None and v.agreement < LOW_AGREEMENT:
        out.append(("low_agreement", "", "", f"the evaluators gave the same level on {_pct(v.agreement)} of the "
                                             f"{v.agreement_criteria} criteria two or more of them rated "
                                             f"(below {_pct(LOW_AGREEMENT)})"))
    lock = lock_in_cause(v.commercials)
    if lock is not None:
        out.append(("lock_in", "", "", lock))
    if v.stale:
        n = len(v.stale)
        out.append(("stale", "", "", f"{n} item{'s' if n != 1 else ''} past the review date: " + "; ".join(v.stale)))
    return out


def lock_in_cause(c: Commercials | None) -> str | None:
    """Why the terms lock us in (an exit cost, a notice period, no exit terms at all), None when they do not."""
    if c is None or not c.exit_terms():
        return "no exit terms recorded (exit cost and notice period unknown)"
    parts = []
    if c.exit_cost is not None and c.exit_cost > 0:
        parts.append(f"exit cost {_amount(c, c.exit_cost)}")
    if c.notice_months:
        parts.append(f"{c.notice_months} month{'s' if c.notice_months != 1 else ''} notice")
    if not parts:
        return None
    if c.renewal == "auto":
        parts.append("renews automatically")
    return "; ".join(parts)


DO_NOTHING_CAUSE = ("no vendor is taken: the need this evaluation serves stays unmet, and staff may turn to "
                    "AI tools nobody has assessed")


def derive_risks(vendors: Sequence[VendorFacts], notes: Iterable[RiskNote],
                 defaults: Mapping[str, RiskDefaults]) -> list[Risk]:
    """The register: every risk the facts show (and doing nothing), with the notes written on them.

    Highest impact x likelihood first, then by kind, vendor name and criterion. Notes whose cause is gone
    are not listed (they are kept, and return with the cause).
    """
    by_key = {n.key: n for n in notes}
    out: list[Risk] = []

    def add(kind: str, vendor_id: str, vendor: str, criterion: str, title: str, cause: str) -> None:
        d = defaults[kind]
        note = by_key.get((kind, vendor_id, criterion))
        impact = note.impact if note is not None and note.impact is not None else d.impact
        likelihood = note.likelihood if note is not None and note.likelihood is not None else d.likelihood
        out.append(Risk(kind, vendor_id, vendor, criterion, title, cause, d.title, impact, likelihood,
                        note.owner if note else "", note.mitigation if note else "", note.residual if note else "",
                        note is not None and (note.impact is not None or note.likelihood is not None),
                        note.revision if note else 0))

    for v in vendors:
        def noted(ref: str, vendor_id: str = v.vendor_id) -> bool:
            return ("contradicted_claim", vendor_id, ref) in by_key

        for kind, ref, title, cause in _causes(v, noted):
            add(kind, v.vendor_id, v.name, ref, title, cause)
    add("do_nothing", EVALUATION, "", "", "", DO_NOTHING_CAUSE)
    order = {k: i for i, k in enumerate(KINDS)}
    out.sort(key=lambda r: (-r.score, order[r.kind], r.vendor.casefold(), r.criterion))
    return out


# --- decisiveness -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricInput:
    """One rubric of one vendor as the totals scored it: the combined scores and the weights used."""

    rubric: Rubric
    scores: Mapping[str, Score]
    score: RubricScore
    criterion_weights: Mapping[str, float] | None = None
    context: EngagementContext | None = None


@dataclass(frozen=True)
class RankInput:
    """One compared vendor: its rubrics, claims and the rubric weights of the comparison."""

    vendor_id: str
    rubrics: Mapping[str, RubricInput]
    claims: Mapping[str, Claim] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)


def _overall(v: RankInput, replaced: tuple[str, RubricScore] | None = None) -> tuple[float | None, bool]:
    scores = [replaced[1] if replaced is not None and rid == replaced[0] else ri.score
              for rid, ri in v.rubrics.items()]
    o = overall_score(scores, v.weights)
    return o.evidence_weighted, o.knocked_out


def _rank_of(vendor_id: str, entries: Mapping[str, tuple[float | None, bool]]) -> tuple[int, bool]:
    """The vendor's rank and whether it shares it (first and joint first are different places)."""
    ranked = rank((vid, score, ko) for vid, (score, ko) in entries.items())
    mine = next(r.rank for r in ranked if r.name == vendor_id)
    return mine, sum(1 for r in ranked if r.rank == mine) > 1


def _order_key(vendor_id: str, score: float | None, knocked_out: bool) -> tuple[int, float, str, str]:
    """Where ``scoring.rank`` puts an entry: its sort key there."""
    return rank_group(score, knocked_out), -(score or 0.0), vendor_id.casefold(), vendor_id


def _tied(a: tuple[float | None, bool], b: tuple[float | None, bool]) -> bool:
    """Whether ``scoring.rank`` gives two neighbouring entries the same place."""
    if rank_group(*a) != rank_group(*b):
        return False
    if a[0] is None or b[0] is None:
        return a[0] is None and b[0] is None
    return abs(a[0] - b[0]) <= TIE_EPSILON


class Overalls(dict[str, tuple[float | None, bool]]):
    """Each compared vendor's overall (evidence-weighted, knocked out), with the order ``scoring.rank`` puts
    them in, so the place of one vendor whose overall changes is found without ranking them all again:
    ``decisive`` asks that twice for every criterion of every vendor (on 200 vendors, ranking all of them
    each time took 25 s)."""

    _keys: list[tuple[int, float, str, str]] | None = None

    def _order(self) -> list[tuple[int, float, str, str]]:
        if self._keys is None:
            self._keys = sorted(_order_key(vid, score, ko) for vid, (score, ko) in self.items())
        return self._keys

    def place(self, vendor_id: str, overall: tuple[float | None, bool] | None = None) -> tuple[int, bool]:
        """``vendor_id``'s rank and whether it shares it, with its overall as given (default: as stored) and
        everyone else's as stored: what ``_rank_of`` answers for those entries."""
        mine = self[vendor_id] if overall is None else overall
        keys = self._order()  # every vendor, this one included at ``at``
        at = bisect.bisect_left(keys, _order_key(vendor_id, *self[vendor_id]))
        others = len(keys) - 1

        def other(i: int) -> tuple[float | None, bool]:  # the i-th of the others (keys without this vendor)
            return self[keys[i if i < at else i + 1][3]]

        found = bisect.bisect_left(keys, _order_key(vendor_id, *mine))
        p = found - 1 if found > at else found  # where this vendor goes among the others

        def entry(i: int) -> tuple[float | None, bool]:  # the i-th of the list with this vendor at p
            return mine if i == p else other(i if i < p else i - 1)

        start = p
        while start > 0 and _tied(entry(start - 1), entry(start)):
            start -= 1
        shared = start < p or (p < others and _tied(mine, entry(p + 1)))
        return start + 1, shared


def overalls(vendors: Sequence[RankInput]) -> Overalls:
    """Each compared vendor's overall (evidence-weighted, knocked out) as scored: ``decisive``'s baseline,
    the same for every criterion, so a caller asking about many criteria computes it once."""
    return Overalls((v.vendor_id, _overall(v)) for v in vendors)


def decisive(vendors: Sequence[RankInput], vendor_id: str, rubric_id: str, criterion_id: str,
             base: Overalls | None = None) -> bool:
    """True when one level up or down on this criterion (everything else as scored) changes the vendor's rank.

    A tie counts as a change of place: a leader that one level down would share first place, or a
    runner-up that one level up would, rests on that criterion.

    The scores are recomputed with the scoring rules (``score_rubric``, ``overall_score``, ``rank``), so a
    level that lifts or causes a knock-out counts too. A criterion not answered with a level is not decisive.
    ``base``: ``overalls(vendors)``, when the caller has it already.
    """
    if len(vendors) < 2:
        return False
    if base is None:
        base = overalls(vendors)
    elif not isinstance(base, Overalls):
        base = Overalls(base)
    me = next(v for v in vendors if v.vendor_id == vendor_id)
    ri = me.rubrics.get(rubric_id)
    score = ri.scores.get(criterion_id) if ri is not None else None
    if ri is None or score is None or score.answer != Answer.LEVEL or score.level is None:
        return False
    now = base.place(vendor_id)
    top = ri.rubric.criterion(criterion_id).scale.top
    for level in (score.level + 1, score.level - 1):
        if not 0 <= level <= top:
            continue
        scores = dict(ri.scores)
        scores[criterion_id] = score.model_copy(update={"level": level})
        changed = score_rubric(ri.rubric, scores, me.claims, criterion_weights=ri.criterion_weights,
                               context=ri.context)
        if base.place(vendor_id, _overall(me, (rubric_id, changed))) != now:
            return True
    return False
