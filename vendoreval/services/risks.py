"""Use cases on the risk register: derive the risks of the compared vendors, and keep what users write on them.

The facts come from the totals (the same combined scores, weights and knock-outs the comparison ranks),
the claims and evidence links, the evaluators' scorecards (agreement, as services/consensus.py computes
it), the commercial terms and the review dates (services/ageing.py). The derivation is pure
(domain/risks.py); a note goes through the unit of work with one audit entry per field changed, and an
edit on an older revision of the note is refused with StaleEdit.
"""

from __future__ import annotations

import builtins
import datetime as dt
import tomllib
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from .. import files
from ..domain.commercials import Commercials
from ..domain.models import Answer, ClaimStatus, EvidenceStrength, WeightProfile, utc_now
from ..domain.risks import (
    EVALUATION,
    USER_FIELDS,
    CriterionFacts,
    Overalls,
    RankInput,
    Risk,
    RiskDefaults,
    RiskError,
    RiskNote,
    RubricInput,
    VendorFacts,
    check_kind,
    decisive,
    derive_risks,
    overalls,
    parse_defaults,
)
from ..domain.scoring import criterion_spreads, percent_agreement
from ..paths import rubrics_dir
from .workspace import ServiceError, check_fresh, on_latest

if TYPE_CHECKING:
    from .totals import VendorTotals
    from .workspace import Workspace

_DEFAULTS: dict[str, RiskDefaults] | None = None


def risk_defaults() -> dict[str, RiskDefaults]:
    """The shipped defaults (rubrics/data/risk-defaults.toml), read once."""
    global _DEFAULTS
    if _DEFAULTS is None:
        path = rubrics_dir() / "data" / "risk-defaults.toml"
        raw = files.read_bytes(path, max_bytes=1 << 20, what="risk defaults file")
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ServiceError(f"{path}: not a TOML file ({exc})", file=str(path)) from None
        _DEFAULTS = parse_defaults(data, str(path))
    return _DEFAULTS


class RiskService:
    """The derived risk register and the notes users write on it."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # --- deriving -------------------------------------------------------------------------------

    def compared_ids(self, vendor_id: str | None = None) -> list[str]:
        """The vendors compared: every vendor not archived (and ``vendor_id``, archived or not)."""
        ids = [v.id for v in self.ws.vendors.list(include_archived=False)]
        if vendor_id is not None and vendor_id not in ids:
            self.ws.vendors.get(vendor_id)
            ids.append(vendor_id)
        return ids

    def facts(self, vendor_ids: builtins.list[str], profile: WeightProfile | str | None = None,
              as_of: dt.date | None = None, *, only: str | None = None) -> builtins.list[VendorFacts]:
        """What the register derives each vendor's risks from (the vendors ranked against each other);
        ``only``: the facts of that one vendor (still ranked against all of ``vendor_ids``)."""
        from .ageing import AgeingService

        prof = profile if isinstance(profile, WeightProfile) else self.ws.profiles.get(profile)
        totals = self.ws.totals.vendor_totals(prof, vendor_ids) if vendor_ids else []
        rank_inputs = [self._rank_input(t, prof) for t in totals]
        base = overalls(rank_inputs)  # every criterion's decisiveness starts from the same overalls
        commercials = self.ws.commercials.all()
        as_of = as_of or dt.date.today()
        stale: dict[str, list[str]] = {}
        for item in AgeingService(self.ws).due(as_of, vendor_ids):
            if item.kind in ("evidence", "claim") and item.stale(as_of):
                stale.setdefault(item.vendor_id, []).append(item.line(as_of).split(" — ", 1)[-1])
        return [self._vendor_facts(t, rank_inputs, commercials.get(t.vendor.id), tuple(stale.get(t.vendor.id, ())),
                                   base)
                for t in totals if only is None or t.vendor.id == only]

    def _rank_input(self, t: VendorTotals, profile: WeightProfile) -> RankInput:
        rubrics = {}
        for rid, result in t.rubrics.items():
            crit = {k.partition(":")[2]: w for k, w in profile.criterion_weights.items() if k.partition(":")[0] == rid}
            rubrics[rid] = RubricInput(result.rubric, result.scores, result.score, crit or None, result.context)
        return RankInput(t.vendor.id, rubrics, t.claims, self.ws.totals.rubric_weights(profile, t.rubrics))

    @staticmethod
    def _vendor_facts(t: VendorTotals, ranked: builtins.list[RankInput], commercials: Commercials | None,
                      stale: tuple[str, ...], base: Overalls | None = None) -> VendorFacts:
        criteria: builtins.list[CriterionFacts] = []
        units: builtins.list[builtins.list[int]] = []
        behind_scores: set[str] = set()
        for rid, result in sorted(t.rubrics.items()):
            knocked = {k.criterion_id: k.reason for k in result.score.knockouts}
            for cr in result.score.criteria:
                score = result.scores.get(cr.criterion_id)
                linked = [t.claims[c] for c in (score.claim_ids if score else []) if c in t.claims]
                behind_scores.update(c.id for c in linked)
                evidence = bool(score is not None and (score.evidence_ids or any(c.evidence_ids for c in linked)))
                # decisiveness makes a risk only of a score resting on an assertion or on no evidence
                # (``_causes``): asked for those alone, it is counted for a few criteria, not every one
                could_matter = cr.strength == EvidenceStrength.ASSERTION or not evidence
                is_decisive = (could_matter and score is not None and score.answer == Answer.LEVEL and cr.counts
                               and decisive(ranked, t.vendor.id, rid, cr.criterion_id, base))
                criteria.append(CriterionFacts(
                    rid, cr.criterion_id, result.rubric.criterion(cr.criterion_id).title, cr,
                    knocked.get(cr.criterion_id), evidence,
                    tuple(c.text for c in linked if c.status == ClaimStatus.CONTRADICTED), is_decisive))
            if len(result.scorecards) >= 2:
                units.extend(list(s.levels.values()) for s in criterion_spreads(result.rubric, result.scorecards,
                                                                                result.context))
        pairable = [u for u in units if len(u) >= 2]
        other = tuple(c.text for c in sorted(t.claims.values(), key=lambda c: c.id)
                      if c.status == ClaimStatus.CONTRADICTED and c.id not in behind_scores)
        return VendorFacts(t.vendor.id, t.vendor.name, tuple(criteria), percent_agreement(pairable), len(pairable),
                           commercials, stale, other)

    def list(self, vendor_id: str | None = None, *, profile: WeightProfile | str | None = None,
             as_of: dt.date | None = None) -> builtins.list[Risk]:
        """The register of the compared vendors, highest impact x likelihood first; ``vendor_id``: that
        vendor's risks only (ranked against the others all the same)."""
        facts = self.facts(self.compared_ids(vendor_id), profile, as_of, only=vendor_id)
        risks = derive_risks(facts, self.ws.store.risk_notes(), risk_defaults())
        if vendor_id is not None:
            risks = [r for r in risks if r.vendor_id == vendor_id]
        return risks

    def notes(self) -> builtins.list[RiskNote]:
        """Every stored note, shown or not (by key)."""
        return self.ws.store.risk_notes()

    # --- writing --------------------------------------------------------------------------------

    def find(self, vendor_id: str, kind: str, criterion: str = "", *,
             as_of: dt.date | None = None) -> Risk:
        """The listed risk under a key (RiskError naming what is listed when there is none)."""
        kind = check_kind(kind)
        listed = self.list(vendor_id or None, as_of=as_of)
        match = [r for r in listed if r.kind == kind and r.vendor_id == vendor_id]
        for r in match:
            if r.criterion == criterion:
                return r
        if match:
            refs = ", ".join(r.criterion or "(none)" for r in match)
            raise RiskError(f"no {kind} risk on criterion '{criterion or '(none)'}'; listed: {refs}", field="criterion")
        shown = sorted({r.kind for r in listed if r.vendor_id == vendor_id})
        raise RiskError(f"no {kind} risk is listed now" + (f" (listed: {', '.join(shown)})" if shown else ""),
                        field="kind")

    @on_latest
    def set(self, vendor_id: str, kind: str, criterion: str = "", *, expected_revision: int | None = None,
            as_of: dt.date | None = None, **values: object) -> Risk:
        """Write owner, mitigation, residual, impact or likelihood on a listed risk (``vendor_id`` '' for
        doing nothing); every value is checked first. StaleEdit when ``expected_revision`` is given and
        the note changed since (0: expected no note yet)."""
        risk = self.find(vendor_id, kind, criterion, as_of=as_of)
        unknown = [k for k in values if k not in USER_FIELDS]
        if unknown:
            raise RiskError(f"'{unknown[0]}' cannot be set on a risk; the fields are: {', '.join(USER_FIELDS)}",
                            field=unknown[0])
        current = self.ws.store.risk_note(*risk.key) or RiskNote(*risk.key)
        new = current.with_values(values)
        changed = [f for f in USER_FIELDS if getattr(current, f) != getattr(new, f)]
        if not changed:
            return risk
        who = risk.vendor or "the evaluation"
        what = f"The {risk.kind} risk of {who}" + (f" on {risk.criterion}" if risk.criterion else "")
        field = changed[0] if len(changed) == 1 else None
        with self.ws.unit_of_work() as uow:
            if expected_revision is not None:
                check_fresh(cast(Any, current if current.revision else None), expected_revision, what, field=field)
            check_fresh(cast(Any, self.ws.store.risk_note(*risk.key)), current.revision, what, field=field)
            self.ws.store.save_risk_note(_stamped(new, current.revision + 1))
            for f in changed:
                before, after = getattr(current, f), getattr(new, f)
                uow.audit("update", "risk", "|".join(risk.key), vendor_id=vendor_id or None, field=f,
                          old=None if before in ("", None) else before, new=None if after in ("", None) else after,
                          summary=f"{what}: {f} " + (f"= {after}" if after not in ("", None) else "cleared"))
            uow.changed("risk", "|".join(risk.key), vendor_id or None)
        return self.find(vendor_id, kind, criterion, as_of=as_of)

    def restore_note(self, note: RiskNote) -> None:
        """Put a note back exactly as ``note`` says (undo); an empty note clears the fields."""
        with self.ws.unit_of_work() as uow:
            current = self.ws.store.risk_note(*note.key)
            self.ws.store.save_risk_note(_stamped(note, (current.revision if current else 0) + 1))
            uow.audit("update", "risk", "|".join(note.key), vendor_id=note.vendor_id or None,
                      summary="Risk note restored")
            uow.changed("risk", "|".join(note.key), note.vendor_id or None)


def _stamped(note: RiskNote, revision: int) -> RiskNote:
    return replace(note, updated_at=utc_now(), revision=revision)


def evaluation_vendor(ref: str) -> str:
    """The vendor argument '-' (or '') stands for the evaluation as a whole (doing nothing)."""
    return EVALUATION if ref.strip() in ("-", "") else ref

