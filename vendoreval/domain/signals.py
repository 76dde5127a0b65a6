"""AI-washing signals: how far a vendor's standing rests on its own word (pure rules, explained in docs/claims.md).

From a comparison (``domain.analysis``), the vendors' claims and the models recorded behind their
products, per vendor:

- the **face-value rank** (by the claimed score, as if every claim were true) beside the **evidence
  rank** (by the evidence-weighted score, the ranking the comparison shows), and the sentence "At face
  value Acme would be 2nd; on evidence it is 4th." when they differ;
- the **largest gaps** between claimed and evidence-weighted, by area and by criterion; a gap is the
  difference of the two numbers as printed (whole points), so the reader's subtraction always agrees;
- **contradicted ownership or training-data claims** in words ("Sold as its own model; a third-party
  model is behind it (claim contradicted: “…”)"), and an "our own model" claim while only third-party
  models are recorded behind the product.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .analysis import Comparison, VendorRow
from .models import Claim, ClaimStatus
from .scoring import rank
from .supply_chain import ModelUse, claims_own_model, third_party

#: Criteria that say whose model is behind the product (the claim finder's model_ownership kind,
#: rubrics/data/claim-rules.toml).
OWNERSHIP_CRITERIA = frozenset({"training-data:own-model", "viability:model-provider-dependency", "ai-security:ai-bom"})
#: Every other criterion of this rubric is about the training data's size, sources or provenance.
TRAINING_DATA_RUBRIC = "training-data"
#: Criteria of other rubrics about what the model was trained on (the claim finder's training_data kind).
TRAINING_DATA_CRITERIA = frozenset({"ai-act:training-summary", "copyright:lawful-access",
                                    "gdpr:lawful-basis-training"})
#: How many gaps of each kind (areas, criteria) a vendor's signals keep, largest first.
MAX_GAPS = 3
#: A claim quoted in a sentence is cut to this many characters.
QUOTE_CHARS = 160

OWNERSHIP = "ownership"
TRAINING_DATA = "training_data"


def place(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st."""
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def printed(x: float) -> int:
    """A 0-100 score as the signals print it: a whole number (as ``f'{x:.0f}'`` rounds it)."""
    return int(f"{x:.0f}")


@dataclass(frozen=True)
class Gap:
    """Claimed against evidence-weighted on one area (criterion_id None) or one criterion, as printed."""

    rubric_id: str
    criterion_id: str | None
    title: str  # the area's short name, or the criterion's title
    area: str  # the area's short name (the same as title for an area)
    claimed: int  # printed whole points, 0..100
    evidence: int
    contradicted: bool = False  # a linked claim is contradicted: the evidence counts 0

    @property
    def points(self) -> int:
        """The gap as the reader subtracts it: printed claimed minus printed evidence-weighted."""
        return self.claimed - self.evidence

    def text(self) -> str:
        """'Training data: claimed 66, on evidence 33 (gap 33)'; a criterion names its area in brackets."""
        where = self.title if self.criterion_id is None else f"{self.title} ({self.area})"
        note = "; claim contradicted" if self.contradicted else ""
        return f"{where}: claimed {self.claimed}, on evidence {self.evidence} (gap {self.points}{note})"


@dataclass(frozen=True)
class ClaimSignal:
    """A claim about whose model it is or what it was trained on that does not hold."""

    claim_id: str
    kind: str  # OWNERSHIP or TRAINING_DATA
    claim_text: str
    sentence: str
    contradicted: bool = True  # False: an own-model claim the recorded models disagree with, not yet judged


@dataclass(frozen=True)
class VendorSignals:
    """One vendor's AI-washing signals."""

    vendor_id: str
    name: str
    face_rank: int | None  # None: no claimed score (nothing scored)
    evidence_rank: int
    face_tied: bool = False
    evidence_tied: bool = False
    face_knocked_out: bool = False
    knocked_out: bool = False  # on evidence, as the comparison ranks it
    area_gaps: tuple[Gap, ...] = ()  # largest first, at most MAX_GAPS, only positive gaps
    criterion_gaps: tuple[Gap, ...] = ()
    claims: tuple[ClaimSignal, ...] = ()

    @property
    def rank_differs(self) -> bool:
        """The face-value and the evidence rank are not the same."""
        return self.face_rank is not None and self.face_rank != self.evidence_rank

    @property
    def rank_sentence(self) -> str:
        """'At face value Acme would be 2nd; on evidence it is 4th.' ('' when the ranks are the same)."""
        if not self.rank_differs or self.face_rank is None:
            return ""
        face = _place(self.face_rank, self.face_tied, self.face_knocked_out)
        evidence = _place(self.evidence_rank, self.evidence_tied, self.knocked_out)
        return f"At face value {self.name} would be {face}; on evidence it is {evidence}."

    @property
    def same_rank_sentence(self) -> str:
        """'Acme ranks the same on evidence as at face value: 2nd.' ('' when the ranks differ or are unknown)."""
        if self.face_rank is None or self.rank_differs:
            return ""
        return (f"{self.name} ranks the same on evidence as at face value: "
                f"{_place(self.evidence_rank, self.evidence_tied, self.knocked_out)}.")

    @property
    def largest_gap(self) -> Gap | None:
        """The largest area gap, if any."""
        return self.area_gaps[0] if self.area_gaps else None

    @property
    def any(self) -> bool:
        """Something to tell: the ranks differ, a gap, or a claim signal."""
        return self.rank_differs or bool(self.area_gaps or self.criterion_gaps or self.claims)


@dataclass(frozen=True)
class Signals:
    """The signals of every vendor of a comparison, in the comparison's (evidence) ranking order."""

    vendors: tuple[VendorSignals, ...]

    def of(self, vendor_id: str) -> VendorSignals | None:
        """One vendor's signals (None when it is not in the comparison)."""
        return next((v for v in self.vendors if v.vendor_id == vendor_id), None)

    @property
    def moved(self) -> tuple[VendorSignals, ...]:
        """The vendors whose face-value and evidence ranks differ, in evidence order."""
        return tuple(v for v in self.vendors if v.rank_differs)

    @property
    def claim_signals(self) -> tuple[tuple[VendorSignals, ClaimSignal], ...]:
        """Every ownership or training-data claim signal, with its vendor, in evidence order."""
        return tuple((v, c) for v in self.vendors for c in v.claims)

    def lines(self) -> list[str]:
        """The signals as sentences: rank moves first, then 'Vendor: claim sentence' lines."""
        return [v.rank_sentence for v in self.moved] + [f"{v.name}: {c.sentence}" for v, c in self.claim_signals]


def _place(n: int, tied: bool, knocked_out: bool) -> str:
    return f"{'joint ' if tied else ''}{place(n)}{', knocked out' if knocked_out else ''}"


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1].rstrip() + "…"


def face_value_knocked_out(row: VendorRow) -> bool:
    """Knocked out even taking the claims at their word: a knock-out whose claimed level is below the minimum.

    A knock-out that rests on a contradicted or declined claim (its level counted 0) does not hold at
    face value.
    """
    for rs in row.rubric_scores.values():
        levels = {cr.criterion_id: cr.level for cr in rs.criteria}
        for ko in rs.knockouts:
            level = levels.get(ko.criterion_id)
            if level is None or level < ko.minimum:
                return True
    return False


def face_value_ranks(comparison: Comparison) -> dict[str, tuple[int, bool, bool]]:
    """Vendor id -> (rank by the claimed score, tied, knocked out at face value), for every vendor.

    The ranking rules are those of ``scoring.rank`` (ties share a rank; knocked-out vendors after the
    others, vendors without a score last), so the two rankings place the same vendors.
    """
    keys: dict[str, str] = {}
    entries = []
    for row in comparison.ranking:
        key = f"{row.name}\x00{row.vendor_id}"  # unique, and still ordered by name within a tie
        keys[key] = row.vendor_id
        entries.append((key, row.claimed, face_value_knocked_out(row)))
    ranked = rank(entries)
    counts: dict[int, int] = {}
    for r in ranked:
        counts[r.rank] = counts.get(r.rank, 0) + 1
    return {keys[r.name]: (r.rank, counts[r.rank] > 1, r.knocked_out) for r in ranked}


def area_gaps(row: VendorRow, comparison: Comparison, limit: int = MAX_GAPS) -> tuple[Gap, ...]:
    """The vendor's largest positive gaps by area, as printed, largest first (then by area name)."""
    gaps = []
    for rid in comparison.rubric_ids:
        rs = row.rubric_scores.get(rid)
        if rs is None or rs.claimed is None or rs.evidence_weighted is None:
            continue
        title = comparison.rubric_titles.get(rid, rid)
        gap = Gap(rid, None, title, title, printed(rs.claimed), printed(rs.evidence_weighted))
        if gap.points > 0:
            gaps.append(gap)
    gaps.sort(key=lambda g: (-g.points, g.title.casefold(), g.rubric_id))
    return tuple(gaps[:limit])


def criterion_gaps(row: VendorRow, comparison: Comparison, limit: int = MAX_GAPS) -> tuple[Gap, ...]:
    """The vendor's largest positive gaps on single criteria (each on its own 0-100 scale), largest first."""
    titles = {(c.rubric_id, c.criterion_id): c.title for c in comparison.criteria}
    gaps = []
    for rid in comparison.rubric_ids:
        rs = row.rubric_scores.get(rid)
        if rs is None:
            continue
        area = comparison.rubric_titles.get(rid, rid)
        for cr in rs.criteria:
            if not cr.counts or cr.level is None:
                continue
            title = titles.get((rid, cr.criterion_id), cr.criterion_id)
            gap = Gap(rid, cr.criterion_id, title, area, printed(100 * cr.claimed), printed(100 * cr.evidence),
                      cr.contradicted)
            if gap.points > 0:
                gaps.append((gap, cr.weight))
    # equal gaps: the heavier criterion first, then a contradicted one, then by area and title
    gaps.sort(key=lambda g: (-g[0].points, -g[1], not g[0].contradicted, g[0].area.casefold(),
                             g[0].title.casefold()))
    return tuple(g for g, _w in gaps[:limit])


def claim_kind(claim: Claim) -> str | None:
    """OWNERSHIP or TRAINING_DATA by the criteria the claim is linked to (ownership first), else None."""
    refs = {str(ref) for ref in claim.criteria}
    if refs & OWNERSHIP_CRITERIA:
        return OWNERSHIP
    if refs & TRAINING_DATA_CRITERIA or any(r.rubric_id == TRAINING_DATA_RUBRIC for r in claim.criteria):
        return TRAINING_DATA
    return None


def claim_signals(claims: Iterable[Claim], models: Sequence[ModelUse] = ()) -> tuple[ClaimSignal, ...]:
    """The vendor's contradicted ownership and training-data claims in words, then any "our own model"
    claim (not contradicted) while every recorded model behind the product is a third party's."""
    others = [] if any(m.own for m in models) else third_party(models)
    behind = f"{others[0].label}, a third-party model," if others else "a third-party model"
    out: list[ClaimSignal] = []
    for c in sorted(claims, key=lambda c: (c.said_on is None, c.said_on or dt.date.min, c.text, c.id)):
        kind = claim_kind(c)
        quote = _quote(c.text)
        if c.status == ClaimStatus.CONTRADICTED and kind == OWNERSHIP:
            out.append(ClaimSignal(c.id, kind, c.text,
                                   f"Sold as its own model; {behind} is behind it (claim contradicted: “{quote}”)."))
        elif c.status == ClaimStatus.CONTRADICTED and kind == TRAINING_DATA:
            out.append(ClaimSignal(c.id, kind, c.text,
                                   f"Its training data is not what it is sold as (claim contradicted: “{quote}”)."))
        elif others and c.status != ClaimStatus.CONTRADICTED and claims_own_model(c.text):
            status = ClaimStatus(c.status).label.lower()
            out.append(ClaimSignal(c.id, OWNERSHIP, c.text,
                                   f"Sold as its own model; {behind} is recorded behind it (claim {status}: "
                                   f"“{quote}”).", contradicted=False))
    # contradicted ownership claims first, then training data, then what only the recorded models say
    out.sort(key=lambda s: (not s.contradicted, s.kind != OWNERSHIP))
    return tuple(out)


def ai_washing_signals(comparison: Comparison, claims: Mapping[str, Iterable[Claim]] | None = None,
                       models: Mapping[str, Sequence[ModelUse]] | None = None) -> Signals:
    """Every compared vendor's signals; ``claims`` and ``models`` by vendor id (missing: none)."""
    claims = claims or {}
    models = models or {}
    face = face_value_ranks(comparison)
    counts: dict[int, int] = {}
    for row in comparison.ranking:
        counts[row.rank] = counts.get(row.rank, 0) + 1
    out = []
    for row in comparison.ranking:
        f = face.get(row.vendor_id) if row.claimed is not None else None
        out.append(VendorSignals(
            vendor_id=row.vendor_id,
            name=row.name,
            face_rank=f[0] if f else None,
            evidence_rank=row.rank,
            face_tied=f[1] if f else False,
            evidence_tied=counts[row.rank] > 1,
            face_knocked_out=f[2] if f else False,
            knocked_out=row.knocked_out,
            area_gaps=area_gaps(row, comparison),
            criterion_gaps=criterion_gaps(row, comparison),
            claims=claim_signals(claims.get(row.vendor_id, ()), models.get(row.vendor_id, ())),
        ))
    return Signals(tuple(out))
